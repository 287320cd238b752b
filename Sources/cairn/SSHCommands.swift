import ArgumentParser
import CairnApp
import CairnDomain
import CairnExchange
import CairnStore
import Foundation

/// `cairn ssh`: the keys that let staff into a shared service account, gitolite-style. Each line
/// Cairn writes runs `cairn --as USERNAME` and nothing else, so a key is a person.
struct SSHCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssh",
        abstract: "Give staff SSH keys to the shared service account, each key signing in as one person.",
        discussion: "Only the service account named in /etc/cairn/config.toml, or root, may use these. Lines in authorized_keys that Cairn did not write are kept as they are.",
        subcommands: [Authorize.self, List.self, Revoke.self])

    struct Authorize: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a member of staff sign in with their public key, as themselves only.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: AuthorizedKeysOption
        @Argument(help: "Their Cairn username.") var username: String
        @Argument(help: "Their public key file (the one ending in .pub).") var keyFile: String

        func run() throws {
            try reported {
                let file = try KeyFile.locate(target.path)
                if let problem = Staff.validateUsername(username) { throw CLIError("USERNAME: \(problem)", code: 64) }
                let store = try Session.openStore(global.databasePath)
                guard let staff = try store.staff(username: username) else {
                    throw CLIError("\(username) is not a member of staff in \(store.path), so no key was added. Add them first: cairn staff add \(username) --name \"Full Name\" --role staff", code: 65)
                }
                guard staff.active else {
                    throw CLIError("\(username)'s Cairn account is disabled, so no key was added. Ask the DSL or admin to enable it first.", code: 65)
                }
                guard let data = FileManager.default.contents(atPath: keyFile), let text = String(data: data, encoding: .utf8) else {
                    throw CLIError("\(keyFile): cannot read the key file; nothing was changed. Check the path, and that this account may read it.", code: 66)
                }
                let key: PublicKey
                do throws(KeyFileProblem) {
                    key = try PublicKey.parseFile(text)
                } catch {
                    throw CLIError("\(keyFile) was not used: \(error.description). Nothing was changed.", code: 65)
                }
                var keys = try file.read()
                switch keys.holder(of: key) {
                case .staff(let holder) where holder == username:
                    throw CLIError("that key (\(key.fingerprint)) already lets \(username) in; nothing was changed.", code: 65)
                case .staff(let holder):
                    throw CLIError("that key (\(key.fingerprint)) already lets \(holder) in, and a key may stand for one person only. Ask \(username) for a key of their own; nothing was changed.", code: 65)
                case .lineNotWrittenByCairn:
                    throw CLIError("that key (\(key.fingerprint)) is already in \(file.path) on a line Cairn did not write, and a key may stand for one person only. Ask \(username) for a key of their own; nothing was changed.", code: 65)
                case nil:
                    break
                }
                keys.append(username: username, key: key, executable: KeyFile.executablePath())
                let updated = keys
                try store.recordKeyChange(by: file.operatorName, username: username,
                                          detail: "authorised \(key.type) key \(key.fingerprint)") {
                    try file.write(updated)
                }
                print("\(username) may now sign in with the \(key.type) key \(key.fingerprint).")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys Cairn has given: username, key type, fingerprint, comment.")
        @OptionGroup var target: AuthorizedKeysOption
        @Flag(help: "Print JSON.") var json = false

        struct Listed: Encodable {
            let username, type, fingerprint, comment: String
        }

        func run() throws {
            try reported {
                let file = try KeyFile.locate(target.path)
                let keys = try file.read().cairnKeys
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    let listed = keys.map { Listed(username: $0.username, type: $0.key.type, fingerprint: $0.key.fingerprint,
                                                   comment: $0.key.comment) }
                    print(String(decoding: try encoder.encode(listed), as: UTF8.self))
                    return
                }
                if keys.isEmpty {
                    printError("No Cairn keys in \(file.path). Add one with `cairn ssh authorize USERNAME KEYFILE`.\n")
                }
                for entry in keys {
                    print("\(entry.username)\t\(entry.key.type)\t\(entry.key.fingerprint)\t\(TextSanitiser.line(entry.key.comment))")
                }
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take away a member of staff's keys (all of them, or one).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: AuthorizedKeysOption
        @Argument(help: "Their Cairn username.") var username: String
        @Option(help: ArgumentHelp("Only the key with this fingerprint, as `cairn ssh list` shows it.", valueName: "SHA256:…"))
        var fingerprint: String?

        func run() throws {
            try reported {
                let file = try KeyFile.locate(target.path)
                if let fingerprint, !fingerprint.hasPrefix("SHA256:") {
                    throw CLIError("--fingerprint: give it as `cairn ssh list` shows it, starting SHA256:", code: 64)
                }
                let store = try Session.openStore(global.databasePath)
                var keys = try file.read()
                let removed = keys.revoke(username: username, fingerprint: fingerprint)
                guard !removed.isEmpty else {
                    let which = fingerprint.map { " with fingerprint \($0)" } ?? ""
                    throw CLIError("\(file.path) has no Cairn key for \(username)\(which); nothing was changed. `cairn ssh list` shows the keys there.", code: 65)
                }
                let updated = keys
                let described = removed.map { "\($0.key.type) key \($0.key.fingerprint)" }.joined(separator: ", ")
                try store.recordKeyChange(by: file.operatorName, username: username, detail: "revoked \(described)") {
                    try file.write(updated)
                }
                print("\(username) can no longer sign in with: \(described).")
            }
        }
    }
}

struct AuthorizedKeysOption: ParsableArguments {
    @Option(name: .customLong("authorized-keys"), help: ArgumentHelp(
        "The file to change (default: the service account's ~/.ssh/authorized_keys).", valueName: "file"))
    var path: String?
}

/// The authorized_keys file being managed, once this account is known to be allowed to.
struct KeyFile: Sendable {
    let path: String
    /// The operating-system account making the change, for the audit log.
    let operatorName: String

    /// Refuses anyone but the trusted service account and root; then finds the file: the one
    /// given, else the service account's own (its home from the system's user database, not $HOME).
    static func locate(_ given: String?) throws -> KeyFile {
        guard let me = Session.effectiveUserName() else {
            throw CLIError("your operating-system account (uid \(geteuid())) has no name, so Cairn cannot tell who is changing keys. Run it as the service account or as root.", code: 77)
        }
        if let refusal = IdentityRule.refusalOfKeyManagement(effectiveUser: me, isRoot: geteuid() == 0, config: Settings.current) {
            throw CLIError(refusal, code: 77)
        }
        if let given {
            return KeyFile(path: URL(fileURLWithPath: given).standardizedFileURL.path, operatorName: me)
        }
        guard let account = geteuid() == 0 ? Settings.current.serviceAccount : me else {
            throw CLIError("as root, say which file to change with --authorized-keys FILE, or name the service account in \(CairnConfig.systemPath) (service_account = \"cairn\").", code: 64)
        }
        guard let entry = getpwnam(account), let home = entry.pointee.pw_dir else {
            throw CLIError("the account \(account) has no home folder, so Cairn cannot find its authorized_keys. Give the file with --authorized-keys FILE.", code: 66)
        }
        return KeyFile(path: String(cString: home) + "/.ssh/authorized_keys", operatorName: me)
    }

    /// The file as it stands; none yet is an empty file.
    func read() throws -> AuthorizedKeys {
        guard FileManager.default.fileExists(atPath: path) else { return AuthorizedKeys(parsing: "") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read the file; nothing was changed. Check that this account may read it.", code: 66)
        }
        return AuthorizedKeys(parsing: String(decoding: data, as: UTF8.self))
    }

    /// Replaces the file in one step (a temporary file, then rename), so sshd never reads half of
    /// it. Mode 0600 in a 0700 folder, as sshd's StrictModes wants; when root writes another
    /// account's file, it stays that account's, or sshd (reading as that account) could not open it.
    func write(_ keys: AuthorizedKeys) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) {
            try check(mkdir(folder, 0o700) == 0, "cannot make the folder \(folder)")
            let parent = (folder as NSString).deletingLastPathComponent
            if geteuid() == 0, let owner = Self.owner(of: parent) {
                try check(chown(folder, owner.uid, owner.gid) == 0, "cannot give \(folder) to its account")
            }
        }
        var template = Array("\(folder)/.authorized_keys.cairn-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        try check(descriptor >= 0, "cannot write in \(folder)")
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var finished = false
        defer {
            close(descriptor)
            if !finished { unlink(temporary) }
        }
        let bytes = Array(keys.text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        try check(written == bytes.count && fsync(descriptor) == 0, "cannot write \(temporary)")
        if geteuid() == 0, let owner = Self.owner(of: path) ?? Self.owner(of: folder) {
            try check(fchown(descriptor, owner.uid, owner.gid) == 0, "cannot give \(path) to its account")
        }
        try check(fchmod(descriptor, 0o600) == 0 && rename(temporary, path) == 0, "cannot replace \(path)")
        finished = true
    }

    private func check(_ succeeded: Bool, _ what: String) throws {
        if !succeeded { throw CLIError("\(what): \(String(cString: strerror(errno))); nothing was changed. Check that this account may write there.", code: 1) }
    }

    private static func owner(of path: String) -> (uid: uid_t, gid: gid_t)? {
        var info = stat()
        return stat(path, &info) == 0 ? (info.st_uid, info.st_gid) : nil
    }

    /// The command each key runs: the path this binary was started by, when that is this very
    /// file, is called `cairn` (how `list` knows the line again) and is plain enough to sit in a
    /// command line; otherwise `cairn`, found on the PATH.
    static func executablePath() -> String {
        guard let running = Bundle.main.executablePath, let invoked = CommandLine.arguments.first else { return "cairn" }
        var candidates: [String] = []
        if invoked.hasPrefix("/") {
            candidates.append(invoked)
        } else if invoked.contains("/") {
            candidates.append(FileManager.default.currentDirectoryPath + "/" + invoked)
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            candidates += path.split(separator: ":").map { "\($0)/\(invoked)" }
        }
        candidates.append(running)
        let plain = { (path: String) in path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+".contains($0)) } }
        let found = candidates.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            .first { $0.hasSuffix("/cairn") && plain($0) && sameFile($0, running) }
        return found ?? "cairn"
    }

    private static func sameFile(_ first: String, _ second: String) -> Bool {
        var one = stat(), two = stat()
        return stat(first, &one) == 0 && stat(second, &two) == 0 && one.st_dev == two.st_dev && one.st_ino == two.st_ino
    }
}
