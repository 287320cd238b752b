import CairnStore
import Foundation
import Testing
@testable import CairnApp

/// The configuration files and the rules that decide who Cairn acts for.
struct ConfigTests {
    let rootFile = FileFacts(kind: .file, ownerUID: 0, ownerName: "root", groupName: "root", mode: 0o644)
    let rootFolder = FileFacts(kind: .directory, ownerUID: 0, ownerName: "root", groupName: "root", mode: 0o755)

    func distrust(file: FileFacts? = nil, folder: FileFacts? = nil) -> String? {
        ConfigTrust.distrust(path: "/etc/cairn/config.toml", file: file ?? rootFile, directoryPath: "/etc/cairn",
                             directory: folder ?? rootFolder)
    }

    // MARK: Trust

    @Test func aRootOwnedFileInARootOwnedFolderIsTrusted() {
        #expect(distrust() == nil)
        var readOnly = rootFile
        readOnly.mode = 0o600
        #expect(distrust(file: readOnly) == nil)
    }

    @Test func aFileTheServiceAccountOwnsIsNotTrustedAndTheMessageSaysHowToFixIt() {
        var owned = rootFile
        owned.ownerUID = 998
        owned.ownerName = "cairn"
        #expect(distrust(file: owned) == "/etc/cairn/config.toml is writable by cairn, so Cairn does not trust it. Run: sudo chown root:root /etc/cairn/config.toml && sudo chmod 644 /etc/cairn/config.toml")
    }

    @Test func groupOrWorldWritableFilesAreNotTrusted() {
        var group = rootFile
        group.mode = 0o664
        group.groupName = "staff"
        #expect(distrust(file: group)?.contains("writable by the members of group staff") == true)
        var world = rootFile
        world.mode = 0o646
        #expect(distrust(file: world)?.contains("writable by every user of this server") == true)
    }

    @Test func aFolderOthersCanWriteToMakesTheFileUntrusted() {
        var folder = rootFolder
        folder.ownerUID = 1001
        folder.ownerName = "it.moss"
        let reason = distrust(folder: folder)
        #expect(reason == "/etc/cairn is writable by it.moss, who could replace /etc/cairn/config.toml, so Cairn does not trust it. Run: sudo chown root:root /etc/cairn && sudo chmod 755 /etc/cairn")
        var sticky = rootFolder
        sticky.mode = 0o1777
        #expect(distrust(folder: sticky)?.contains("every user of this server") == true)
    }

    @Test func aSymbolicLinkIsNotTrusted() {
        var link = rootFile
        link.kind = .symbolicLink
        #expect(distrust(file: link)?.contains("is not a plain file") == true)
    }

    // MARK: Parsing and merging

    @Test func theServerFileSetsEverythingAndMinutesMayBeDecimal() {
        let (file, problems) = ConfigFile.parse("""
            service_account = "cairn"
            database = "/var/lib/cairn/cairn.sqlite"
            idle_lock_minutes = 0.05
            idle_exit_minutes = 45
            theme = "high-contrast"

            [files]
            group = "cairn"
            """, path: "/etc/cairn/config.toml")
        #expect(problems.isEmpty)
        let config = CairnConfig.merge(system: file, distrust: nil, user: nil, userPath: "/home/a/.config/cairn/config.toml")
        #expect(config.serviceAccount == "cairn")
        #expect(config.databasePath == "/var/lib/cairn/cairn.sqlite")
        #expect(config.idleLockMinutes == 0.05)
        #expect(config.idleLock == 3)
        #expect(config.idleExitMinutes == 45)
        #expect(config.theme == "high-contrast")
        #expect(config.filesGroup == "cairn")
        #expect(config.warnings.isEmpty)
    }

    @Test func withNoFilesTheDefaultsStand() {
        let config = CairnConfig.merge(system: nil, distrust: nil, user: nil, userPath: "u")
        #expect(config.idleLockMinutes == 5)
        #expect(config.idleExitMinutes == 30)
        #expect(config.serviceAccount == nil)
        #expect(config.fileAccess == .ownerOnly)
    }

    @Test func anUntrustedServerFileNamesNoServiceAccountAndNoGroup() {
        let (file, _) = ConfigFile.parse("service_account = \"cairn\"\nidle_lock_minutes = 3\n[files]\ngroup = \"cairn\"\n",
                                         path: "/etc/cairn/config.toml")
        let reason = "/etc/cairn/config.toml is writable by cairn, so Cairn does not trust it."
        let config = CairnConfig.merge(system: file, distrust: reason, user: nil, userPath: "u")
        #expect(config.serviceAccount == nil)
        #expect(config.filesGroup == nil)
        #expect(config.serviceAccountRefusal == reason)
        #expect(config.idleLockMinutes == 3)
        #expect(config.warnings.contains("service_account is ignored: \(reason)"))
    }

    @Test func theUserFileCannotGrantAndMayOnlyShortenIdleTimes() {
        let userPath = "/home/t.birch/.config/cairn/config.toml"
        let (system, _) = ConfigFile.parse("idle_lock_minutes = 5\nidle_exit_minutes = 30\n", path: "/etc/cairn/config.toml")
        let (user, problems) = ConfigFile.parse("""
            service_account = "t.birch"
            database = "/home/t.birch/mine.sqlite"
            idle_lock_minutes = 2
            idle_exit_minutes = 600
            theme = "light"
            [files]
            group = "users"
            """, path: userPath)
        #expect(problems.isEmpty)
        let config = CairnConfig.merge(system: system, distrust: nil, user: user, userPath: userPath)
        #expect(config.serviceAccount == nil)
        #expect(config.databasePath == nil)
        #expect(config.filesGroup == nil)
        #expect(config.theme == "light")
        #expect(config.idleLockMinutes == 2)
        #expect(config.idleExitMinutes == 30)
        #expect(config.warnings.contains("service_account in \(userPath) is ignored: only /etc/cairn/config.toml may set it, because you can change your own file. Remove it from \(userPath)."))
        #expect(config.warnings.contains { $0.hasPrefix("database in \(userPath) is ignored") })
        #expect(config.warnings.contains { $0.hasPrefix("[files] group in \(userPath) is ignored") })
        #expect(config.warnings.contains("idle_exit_minutes = 600 in \(userPath) is longer than this server allows, so 30 is used. Your own file may only make it shorter."))
    }

    @Test func badTOMLNamesTheFileAndLineAndGivesNothing() {
        let (file, problems) = ConfigFile.parse("theme = \"light\"\nidle_lock_minutes = = 3\n", path: "/x/config.toml")
        #expect(file == nil)
        #expect(problems.count == 1)
        #expect(problems[0].hasPrefix("/x/config.toml line 2: not valid TOML"))
        #expect(problems[0].hasSuffix("Cairn ignores the file and uses its defaults."))
    }

    @Test func badValuesAndUnknownKeysAreNamedByLineAndSkipped() {
        let (file, problems) = ConfigFile.parse("""
            theme = "light"
            idle_lock_minutes = -1
            idle_exit_minutes = "soon"
            colour = "blue"
            database = "relative.sqlite"
            service_account = "Not An Account"
            """, path: "/x/config.toml")
        #expect(file?.theme == "light")
        #expect(file?.idleLockMinutes == nil)
        #expect(file?.idleExitMinutes == nil)
        #expect(file?.database == nil)
        #expect(file?.serviceAccount == nil)
        #expect(problems.contains("/x/config.toml line 2: idle_lock_minutes must be a number of minutes above 0 (e.g. 5 or 0.5); it is ignored."))
        #expect(problems.contains { $0.hasPrefix("/x/config.toml line 3: idle_exit_minutes must be a number") })
        #expect(problems.contains { $0.hasPrefix("/x/config.toml line 4: colour is not a setting Cairn knows") })
        #expect(problems.contains("/x/config.toml line 5: database must be an absolute path, starting with /; it is ignored."))
        #expect(problems.contains { $0.hasPrefix("/x/config.toml line 6: service_account is not an account name") })
    }

    @Test func loadingRealFilesNeverFailsAndReadsTheUserFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let user = folder.appendingPathComponent("config.toml").path
        try "idle_lock_minutes = 1\nservice_account = \"root\"\n".write(toFile: user, atomically: true, encoding: .utf8)
        // A server file in a temporary folder is never trusted: the folder is not root's alone.
        let system = folder.appendingPathComponent("system.toml").path
        try "service_account = \"root\"\n".write(toFile: system, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: folder.path)
        let config = CairnConfig.load(systemPath: system, userPath: user)
        #expect(config.serviceAccount == nil)
        #expect(config.idleLockMinutes == 1)
        #expect(config.serviceAccountRefusal?.contains("every user of this server") == true)
        #expect(CairnConfig.load(systemPath: folder.appendingPathComponent("none").path, userPath: "/nonexistent/c.toml")
            == CairnConfig())
    }

    @Test func theUserFileIsFoundThroughXDGConfigHome() {
        #expect(CairnConfig.userPath(environment: ["XDG_CONFIG_HOME": "/tmp/xdg"]) == "/tmp/xdg/cairn/config.toml")
        #expect(CairnConfig.userPath(environment: ["XDG_CONFIG_HOME": "relative"]).hasSuffix("/.config/cairn/config.toml"))
    }

    @Test func aConfiguredGroupSharesTheDatabaseWithThatGroupAndNobodyElse() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-group-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("school/cairn.sqlite").path
        let access = FileAccess.group(UInt32(getegid()))
        _ = try CairnStore.create(path: path, files: access)
        func facts(_ path: String) throws -> FileFacts { try #require(FileFacts.of(path)) }
        #expect(try facts(path).mode == 0o660)
        #expect(try facts((path as NSString).deletingLastPathComponent).mode == 0o2770)
        _ = try CairnStore.open(path: path, files: access)

        chmod(path, 0o664)
        #expect(throws: StoreError.unsafePermissions(path: path, mode: 0o664, fix: "chmod 660 \(path)")) {
            _ = try CairnStore.open(path: path, files: access)
        }
    }

    // MARK: Who Cairn acts for

    func config(serviceAccount: String? = nil, refusal: String? = nil) -> CairnConfig {
        var config = CairnConfig()
        config.serviceAccount = serviceAccount
        config.serviceAccountRefusal = refusal
        return config
    }

    @Test func asIsHonouredOnlyForTheServiceAccountOrOnADemoDatabase() {
        #expect(IdentityRule.refusalOfActAs(effectiveUser: "cairn", config: config(serviceAccount: "cairn"), isDemo: false) == nil)
        #expect(IdentityRule.refusalOfActAs(effectiveUser: "t.birch", config: config(), isDemo: true) == nil)
        #expect(IdentityRule.refusalOfActAs(effectiveUser: "t.birch", config: config(serviceAccount: "cairn"), isDemo: false)
            == "--as is refused: only the service account cairn may act for someone else, and you are t.birch. Cairn knows you by your operating-system account: run it without --as.")
        #expect(IdentityRule.refusalOfActAs(effectiveUser: "t.birch", config: config(), isDemo: false)
            == "--as is refused: on a real database Cairn knows you by your operating-system account (t.birch), and no service account is named in /etc/cairn/config.toml. Run it without --as.")
        #expect(IdentityRule.refusalOfActAs(effectiveUser: "cairn", config: config(refusal: "/etc/cairn/config.toml is writable by cairn."), isDemo: false)
            == "--as is refused: /etc/cairn/config.toml is writable by cairn.")
    }

    @Test func onlyTheServiceAccountOrRootManagesKeys() {
        #expect(IdentityRule.refusalOfKeyManagement(effectiveUser: "root", isRoot: true, config: config()) == nil)
        #expect(IdentityRule.refusalOfKeyManagement(effectiveUser: "cairn", isRoot: false, config: config(serviceAccount: "cairn")) == nil)
        #expect(IdentityRule.refusalOfKeyManagement(effectiveUser: "t.birch", isRoot: false, config: config(serviceAccount: "cairn"))?
            .hasPrefix("cairn ssh is refused: it manages the SSH keys of the service account cairn, and you are t.birch.") == true)
        #expect(IdentityRule.refusalOfKeyManagement(effectiveUser: "t.birch", isRoot: false, config: config())?
            .hasPrefix("cairn ssh is refused: no service account is named in /etc/cairn/config.toml") == true)
    }
}
