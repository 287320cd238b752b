import CairnDomain
import Foundation
import Testing

/// `cairn transfer` end to end: the real binary, two database files, a bundle between them.
/// Serialised: each bundle costs a real scrypt, and the CPU is shared.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct TransferCommandTests {
    let upn = UPN.make(la: 999, establishment: 4001, year: 13, serial: 9)

    @Test func aFileGoesOutComesInAndIsConfirmed() throws {
        let elmfield = try CairnBinary()
        defer { elmfield.cleanUp() }
        let oakfield = elmfield.directory.appendingPathComponent("oakfield.sqlite").path
        func atOakfield(_ arguments: [String], input: String? = nil) throws -> CairnBinary.Result {
            try CairnBinary.exec(CairnBinary.path, arguments + ["--db", oakfield], input: input)
        }
        let file = { (name: String) in elmfield.directory.appendingPathComponent(name).path }

        #expect(try elmfield.run(["init", "--school", "Elmfield Academy", "--dsl-name", "Jo Bloggs"]).status == 0)
        #expect(try atOakfield(["init", "--school", "Oakfield School", "--dsl-name", "Ada Okafor"]).status == 0)
        try """
            UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group
            \(upn.value),Thorne,Ellis,Elly,02/11/2012,Year 8,8TH
            """.write(toFile: file("roster.csv"), atomically: true, encoding: .utf8)
        #expect(try elmfield.run(["pupils", "import", file("roster.csv")]).status == 0)
        #expect(try elmfield.run(["concern", "log", "--pupil", upn.value, "--category", "neglect", "--nature", "seen",
                                  "--text", "No coat again; said the heating is off."]).status == 0)
        try "kettle orchard lantern 42\n".write(toFile: file("passphrase"), atomically: true, encoding: .utf8)
        try "kettle orchard lantern 43\n".write(toFile: file("wrong"), atomically: true, encoding: .utf8)

        // Out: too short a passphrase, then two that differ, write nothing; then the bundle.
        let short = try elmfield.run(["transfer", "out", upn.value, "--to", "Oakfield School", "--out", file("elly.ctf")],
                                     input: "short\nshort\n")
        #expect(short.status == 65 && short.errors.contains("at least 12 characters long (yours has 5). Nothing was written."))
        let differ = try elmfield.run(["transfer", "out", upn.value, "--to", "Oakfield School", "--out", file("elly.ctf")],
                                      input: "kettle orchard lantern 42\nkettle orchard lantern 24\n")
        #expect(differ.status == 65 && differ.errors.contains("the two passphrases differ"))
        #expect(!FileManager.default.fileExists(atPath: file("elly.ctf")))
        let out = try elmfield.run(["transfer", "out", upn.value, "--to", "Oakfield School", "--out", file("elly.ctf"),
                                    "--passphrase-file", file("passphrase")])
        #expect(out.status == 0, "\(out.errors)")
        #expect(out.output.contains("the file of Elly Thorne (UPN \(upn.value)), 1 entry, for Oakfield School."))
        #expect(out.output.contains("Digest (SHA-256): "))
        #expect(out.output.contains("When they read you their receipt code, run: cairn transfer confirm \(upn.value) CODE"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file("elly.ctf"))[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let bundle = try Data(contentsOf: URL(fileURLWithPath: file("elly.ctf")))
        let again = try elmfield.run(["transfer", "out", upn.value, "--to", "Oakfield School", "--out", file("elly.ctf"),
                                      "--passphrase-file", file("passphrase")])
        #expect(again.status == 65 && again.errors.contains("already exists; Cairn never overwrites a file"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: file("elly.ctf"))) == bundle)

        // In: refused for the wrong passphrase, a changed byte, a cut-short file; declined at the question.
        let wrong = try atOakfield(["transfer", "in", file("elly.ctf"), "--passphrase-file", file("wrong"), "--yes"])
        #expect(wrong.status == 65 && wrong.errors.contains("Wrong passphrase, or the file was changed"))
        var changed = bundle
        changed[changed.count / 2] ^= 0x40
        try changed.write(to: URL(fileURLWithPath: file("changed.ctf")))
        let tampered = try atOakfield(["transfer", "in", file("changed.ctf"), "--passphrase-file", file("passphrase"), "--yes"])
        #expect(tampered.status == 65 && tampered.errors.contains("Wrong passphrase, or the file was changed"))
        try bundle.prefix(bundle.count - 10).write(to: URL(fileURLWithPath: file("short.ctf")))
        let cut = try atOakfield(["transfer", "in", file("short.ctf"), "--yes"])
        #expect(cut.status == 65 && cut.errors.contains("The file is incomplete"), "refused before any passphrase is asked")
        let declined = try atOakfield(["transfer", "in", file("elly.ctf"), "--passphrase-file", file("passphrase")], input: "n\n")
        #expect(declined.status == 0 && declined.output.contains("Nothing was imported."))
        #expect(declined.output.contains("Pupil:    Elly Thorne, UPN \(upn.value), born 02/11/2012, Year 8"))
        #expect(declined.output.contains("          1 concern"))
        #expect(try atOakfield(["queue"]).output == "No open concerns.\n", "nothing came in")

        // In, for real: the receipt code, and the file at the top of the queue.
        let imported = try atOakfield(["transfer", "in", file("elly.ctf"), "--yes"], input: "kettle orchard lantern 42\n")
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("Imported 1 entry into the file of Elly Thorne, added to the roll."))
        let code = try #require(imported.output.split(separator: "\n").first { $0.hasPrefix("Receipt code: ") }?
            .dropFirst("Receipt code: ".count))
        let queue = try atOakfield(["queue"]).output
        #expect(queue.hasPrefix("FILE\tto review\tfrom Elmfield Academy\t"), "\(queue)")
        let twice = try atOakfield(["transfer", "in", file("elly.ctf"), "--passphrase-file", file("passphrase"), "--yes"])
        #expect(twice.status == 65 && twice.errors.contains("was already imported"))

        // The sender checks the code: a wrong one changes nothing; the right one closes the action.
        let mistaken = try elmfield.run(["transfer", "confirm", upn.value, "AAAA-AAAA-AAAA-AAAA"])
        #expect(mistaken.status == 65 && mistaken.errors.contains("does not match the file sent to Oakfield School"))
        let confirmed = try elmfield.run(["transfer", "confirm", upn.value, String(code)])
        #expect(confirmed.status == 0 && confirmed.output.contains("Receipt confirmed by Oakfield School"))
        let log = try elmfield.run(["audit", "log", "--operation", "transfer"]).output
        #expect(log.contains("receipt confirmed by Oakfield School"), "\(log)")

        let reviewed = try atOakfield(["transfer", "review", upn.value, "--note", "Read in full; CIN plan continues."])
        #expect(reviewed.status == 0, "\(reviewed.errors)")
        #expect(try atOakfield(["queue"]).output == "No open concerns.\n")
    }
}
