import CairnStore
import Foundation
import Testing

/// Who the real binary acts for, which files it will open, and the SSH keys it manages. Nobody at
/// the keyboard may choose who they are: not by flag, environment variable or their own config file.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct IdentityEndToEndTests {
    /// A database made by `cairn init` (the DSL is whoever runs the tests) with one ordinary member of staff.
    func school() throws -> CairnBinary {
        let cairn = try CairnBinary()
        let made = try cairn.run(["init", "--school", "Fernhill Primary (test)", "--dsl-name", "Test DSL"])
        #expect(made.status == 0, "\(made.errors)")
        let added = try cairn.run(["staff", "add", "t.other", "--name", "Olly Other", "--role", "staff"])
        #expect(added.status == 0, "\(added.errors)")
        return cairn
    }

    /// Runs the binary with extra environment variables (through env(1), as a shell would).
    func run(_ cairn: CairnBinary, _ arguments: [String], environment: [String: String]) throws -> CairnBinary.Result {
        try CairnBinary.exec("/usr/bin/env", environment.map { "\($0.key)=\($0.value)" } + [CairnBinary.path]
                             + arguments + ["--db", cairn.database])
    }

    func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func asIsRefusedOnARealDatabase() throws {
        let cairn = try school()
        defer { cairn.cleanUp() }
        for arguments in [["staff", "list", "--as", "t.other"], ["--as", "t.other"]] {
            let refused = try cairn.run(arguments)
            #expect(refused.status == 77)
            #expect(refused.errors.contains("cairn: --as is refused: on a real database Cairn knows you by your operating-system account"), "\(refused.errors)")
        }
    }

    @Test func environmentVariablesCannotChooseWhoYouAre() throws {
        let cairn = try school()
        defer { cairn.cleanUp() }
        // Only the DSL may list staff; t.other (role staff) may not. Success means Cairn ignored them all.
        let listed = try run(cairn, ["staff", "list"], environment: [
            "USER": "t.other", "LOGNAME": "t.other", "CAIRN_USER": "t.other", "CAIRN_AS": "t.other"])
        #expect(listed.status == 0, "\(listed.errors)")
        #expect(listed.output.contains("t.other"))
        let asStaff = try cairn.run(["staff", "list"])
        #expect(asStaff.output == listed.output)
    }

    @Test func aUserConfigNamingAServiceAccountGrantsNothing() throws {
        let cairn = try school()
        defer { cairn.cleanUp() }
        let home = cairn.directory.appendingPathComponent("xdg")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("cairn"), withIntermediateDirectories: true)
        let me = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let configPath = home.appendingPathComponent("cairn/config.toml").path
        try "service_account = \"\(me)\"\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        let refused = try run(cairn, ["staff", "list", "--as", "t.other"], environment: ["XDG_CONFIG_HOME": home.path])
        #expect(refused.status == 77)
        #expect(refused.errors.contains("cairn: service_account in \(configPath) is ignored: only /etc/cairn/config.toml may set it"), "\(refused.errors)")
        #expect(refused.errors.contains("--as is refused"))
    }

    @Test func databasesAreBornPrivateAndOneOthersCanReadIsRefused() throws {
        let cairn = try school()
        defer { cairn.cleanUp() }
        #expect(try mode(cairn.database) == 0o600)
        let demo = cairn.directory.appendingPathComponent("demo/demo.sqlite").path
        let made = try CairnBinary.exec(CairnBinary.path, ["demo", "--no-open", "--db", demo])
        #expect(made.status == 0, "\(made.errors)")
        #expect(try mode(demo) == 0o600)
        #expect(try mode((demo as NSString).deletingLastPathComponent) == 0o700)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cairn.database)
        let before = try Data(contentsOf: URL(fileURLWithPath: cairn.database))
        let refused = try cairn.run(["staff", "list"])
        #expect(refused.status == 77)
        #expect(refused.errors == "cairn: \(cairn.database) can be read by other users of this server (mode 0644). Cairn will not open it until you run: chmod 600 \(cairn.database)\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cairn.database)) == before)
        #expect(try mode(cairn.database) == 0o644, "Cairn tells you how to fix it; it does not change the file itself")
        #expect(!FileManager.default.fileExists(atPath: cairn.database + "-wal"))

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: cairn.database)
        #expect(try cairn.run(["staff", "list"]).status == 0)
    }

    @Test func aPassphraseIsSetOnlyWhenTypedTheSameTwiceAndLongEnough() throws {
        let cairn = try school()
        defer { cairn.cleanUp() }
        let me = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let differ = try cairn.run(["passphrase", "set"], input: "kettle on the landing\nkettle on the stairs\n")
        #expect(differ.status == 65)
        #expect(differ.errors == "cairn: the two passphrases differ, so nothing was changed. Run `cairn passphrase set` again.\n")
        let short = try cairn.run(["passphrase", "set"], input: "kettle\nkettle\n")
        #expect(short.status == 65)
        #expect(short.errors.contains("passphrase: must be at least 10 characters long (yours has 6); nothing was changed"))
        #expect(try CairnStore.open(path: cairn.database).hasPassphrase(username: me) == false)

        let set = try cairn.run(["passphrase", "set"], input: "kettle on the landing\nkettle on the landing\n")
        #expect(set.status == 0, "\(set.errors)")
        let store = try CairnStore.open(path: cairn.database)
        #expect(try store.verifyPassphrase(username: me, "kettle on the landing"))
        #expect(try !store.verifyPassphrase(username: "t.other", "kettle on the landing"))
    }

    // MARK: SSH keys

    /// A fresh ed25519 public key file from ssh-keygen, or a fixed synthetic one where there is none.
    func publicKey(_ cairn: CairnBinary, _ name: String) throws -> String {
        let path = cairn.directory.appendingPathComponent(name).path
        if Self.hasSSHKeygen {
            let made = try CairnBinary.exec("/usr/bin/env", ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "\(name)@laptop", "-f", path])
            #expect(made.status == 0, "\(made.errors)")
        } else {
            var blob: [UInt8] = [0, 0, 0, 11] + Array("ssh-ed25519".utf8) + [0, 0, 0, 32]
            blob += (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ name.count) }
            try "ssh-ed25519 \(Data(blob).base64EncodedString()) \(name)@laptop\n".write(toFile: path + ".pub", atomically: true, encoding: .utf8)
        }
        return path + ".pub"
    }

    static let hasSSHKeygen = ((try? CairnBinary.exec("/usr/bin/env", ["which", "ssh-keygen"]).status) ?? 1) == 0

    @Test func keysAreAuthorisedListedAndRevokedLeavingOtherLinesAlone() throws {
        let cairn = try school()
        defer { cairn.cleanUp() }
        let keys = cairn.directory.appendingPathComponent("authorized_keys").path
        let staffKey = try publicKey(cairn, "olly")
        let foreignKey = try String(contentsOfFile: try publicKey(cairn, "backup"), encoding: .utf8)
        let foreign = "# added by hand\nfrom=\"10.0.0.0/8\",no-pty \(foreignKey.trimmingCharacters(in: .newlines))\n\n"
        try foreign.write(toFile: keys, atomically: true, encoding: .utf8)
        let target = ["--authorized-keys", keys]

        let authorised = try cairn.run(["ssh", "authorize", "t.other", staffKey] + target)
        #expect(authorised.status == 0, "\(authorised.errors)")
        let written = try String(contentsOfFile: keys, encoding: .utf8)
        #expect(written.hasPrefix(foreign), "lines Cairn did not write stay, in order")
        let added = String(written.dropFirst(foreign.count))
        #expect(added.hasPrefix("command=\"\(URL(fileURLWithPath: CairnBinary.path).standardizedFileURL.path) --as t.other\",restrict,pty ssh-ed25519 "), "\(added)")
        #expect(added.hasSuffix(" olly@laptop\n"))
        #expect(try mode(keys) == 0o600)

        let listed = try cairn.run(["ssh", "list"] + target)
        #expect(listed.status == 0, "\(listed.errors)")
        let columns = listed.output.trimmingCharacters(in: .newlines).components(separatedBy: "\t")
        #expect(columns.count == 4 && columns[0] == "t.other" && columns[1] == "ssh-ed25519" && columns[3] == "olly@laptop", "\(listed.output)")
        let fingerprint = columns.count > 2 ? columns[2] : ""
        #expect(fingerprint.hasPrefix("SHA256:") && !fingerprint.hasSuffix("="))
        if Self.hasSSHKeygen {
            let keygen = try CairnBinary.exec("/usr/bin/env", ["ssh-keygen", "-lf", staffKey])
            #expect(keygen.output.split(separator: " ").dropFirst().first.map(String.init) == fingerprint)
        }
        let json = try cairn.run(["ssh", "list", "--json"] + target)
        let entries = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: String]]
        #expect(entries == [["username": "t.other", "type": "ssh-ed25519", "fingerprint": fingerprint, "comment": "olly@laptop"]])

        let me = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let twice = try cairn.run(["ssh", "authorize", me, staffKey] + target)
        #expect(twice.status == 65)
        #expect(twice.errors.contains("already lets t.other in, and a key may stand for one person only"), "\(twice.errors)")
        let handWritten = try cairn.run(["ssh", "authorize", "t.other", cairn.directory.appendingPathComponent("backup.pub").path] + target)
        #expect(handWritten.status == 65)
        #expect(handWritten.errors.contains("on a line Cairn did not write"), "\(handWritten.errors)")
        let stranger = try cairn.run(["ssh", "authorize", "nobody.here", try publicKey(cairn, "stranger")] + target)
        #expect(stranger.status == 65)
        #expect(stranger.errors.contains("nobody.here is not a member of staff"), "\(stranger.errors)")
        #expect(try String(contentsOfFile: keys, encoding: .utf8) == written, "refusals change nothing")

        let revoked = try cairn.run(["ssh", "revoke", "t.other", "--fingerprint", fingerprint] + target)
        #expect(revoked.status == 0, "\(revoked.errors)")
        #expect(try String(contentsOfFile: keys, encoding: .utf8) == foreign)
        let again = try cairn.run(["ssh", "revoke", "t.other"] + target)
        #expect(again.status == 65)
        #expect(again.errors.contains("has no Cairn key for t.other; nothing was changed"))
        #expect(try cairn.run(["audit", "verify"]).status == 0)
    }

    @Test func keyFilesThatAreNotOnePlainPublicKeyAreRefused() throws {
        let cairn = try school()
        defer { cairn.cleanUp() }
        let keys = cairn.directory.appendingPathComponent("authorized_keys").path
        let good = try String(contentsOfFile: try publicKey(cairn, "olly"), encoding: .utf8)
        let cases = [
            ("private", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "this is a private key"),
            ("options", "command=\"sh\" " + good, "starts with options"),
            ("two", good + good, "it has 2 key lines"),
            ("dsa", "ssh-dss AAAAB3NzaC1kc3MAAACBAP8= old@box\n", "\"ssh-dss\" is not a key type Cairn accepts"),
            ("damaged", "ssh-ed25519 AAAAC3NzaC1yc2EAAAADAQAB x@y\n", "the ssh-ed25519 key data is damaged"),
        ]
        for (name, text, expected) in cases {
            let path = cairn.directory.appendingPathComponent("\(name).pub").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let refused = try cairn.run(["ssh", "authorize", "t.other", path, "--authorized-keys", keys])
            #expect(refused.status == 65, "\(name)")
            #expect(refused.errors.contains(expected) && refused.errors.contains("Nothing was changed."), "\(name): \(refused.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: keys))
    }

    @Test func anAccountThatIsNeitherRootNorTheServiceAccountCannotManageKeys() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let refused = try CairnBinary.exec("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", CairnBinary.path,
                                                                "ssh", "list", "--authorized-keys", cairn.directory.appendingPathComponent("k").path])
        // Where the test binary is out of that account's reach, there is nothing to learn here.
        guard refused.status != 126, !refused.errors.contains("Permission denied") else { return }
        #expect(refused.status == 77)
        #expect(refused.errors.contains("cairn ssh is refused: no service account is named in /etc/cairn/config.toml"), "\(refused.errors)")
    }
}
