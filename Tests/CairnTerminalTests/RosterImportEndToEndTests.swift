import CairnDomain
import Foundation
import Testing

/// `cairn pupils import` through the real binary: a roster sync, its dry run, a CTF, and bad files.
/// The limit only stops a hang: alone these take seconds, but beside the whole suite on two shared
/// cores one run of the binary has taken most of a minute.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct RosterImportEndToEndTests {
    let wren = UPN.make(la: 999, establishment: 4001, year: 16, serial: 31)
    let effie = UPN.make(la: 999, establishment: 4001, year: 17, serial: 32)
    let tomos = UPN.make(la: 999, establishment: 4001, year: 15, serial: 33)

    /// The synthetic CTF that the exchange tests read too.
    static let sampleCTF = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CairnExchangeTests/Samples/synthetic.ctf.xml").path

    func write(_ text: String, _ name: String, in cairn: CairnBinary) throws -> String {
        let path = cairn.directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The database and the files SQLite keeps beside it, byte for byte.
    func files(_ cairn: CairnBinary) -> [Data?] {
        ["", "-wal", "-shm"].map { FileManager.default.contents(atPath: cairn.database + $0) }
    }

    @Test func aDryRunShowsEveryChangeThenTheImportMakesThem() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["init", "--school", "Brookside Primary (test)", "--dsl-name", "Test DSL"]).status == 0)
        let first = try write("""
            Adno,UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg\r
            0101,\(wren.value),Ashdown,Wren,,04/03/2016,Year 5,5A\r
            0102,\(effie.value),Carrow,Efa,Effie,19/10/2017,Year 4,4B\r
            0103,\(tomos.value),Dell,Tomos,,02/02/2015,Year 6,6C\r
            """, "first.csv", in: cairn)
        let imported = try cairn.run(["pupils", "import", first])
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output == "Added 3, updated 0, marked 0 left, set 0 transfer actions; 0 unchanged.\n")
        let logged = try cairn.run(["concern", "log", "--pupil", tomos.value, "--category", "neglect", "--nature", "seen",
                                    "--text", "Arrived hungry again."])
        #expect(logged.status == 0, "\(logged.errors)")

        let second = try write("""
            Adno,UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg
            0101,\(wren.value),Ashdown,Wren,,04/03/2016,Year 5,5A
            0102,\(effie.value),Carrow,Efa,Effie,19/10/2017,Year 5,5B
            """, "second.csv", in: cairn)
        let today = UKDate.date(Date())
        let due = UKDate.date(WorkingDays.addingWorkingDays(5, to: Date()))
        let expected = """
            Dry run for Brookside Primary (test) (full roster); nothing has been written.
            Updated (1):
              \(effie.value)  Effie Carrow
                year group: Year 4 -> Year 5
                form: 4B -> 5B
            Left (1):
              \(tomos.value)  Tomos Dell: left \(today), destination unknown
            Actions (1):
              \(tomos.value)  Tomos Dell: for Test DSL, due \(due): Transfer the safeguarding file: destination unknown — find out where Tomos Dell has gone
            Would add 0, update 1, mark 1 left, set 1 transfer action; 1 unchanged.

            """
        let dryRun = try cairn.run(["pupils", "import", second, "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.errors)")
        #expect(dryRun.output == expected)
        // Nothing was written, so the same dry run says the same again.
        #expect(try cairn.run(["pupils", "import", second, "--dry-run"]).output == expected)

        let partial = try cairn.run(["pupils", "import", second, "--partial", "--dry-run"])
        #expect(!partial.output.contains("Left"))
        #expect(partial.output.hasPrefix("Dry run for Brookside Primary (test) (partial: nobody is marked left for being absent)"))

        let synced = try cairn.run(["pupils", "import", second])
        #expect(synced.status == 0, "\(synced.errors)")
        #expect(synced.output == "Added 0, updated 1, marked 1 left, set 1 transfer action; 1 unchanged.\n")
        #expect(try cairn.run(["pupils", "import", second]).output
                == "Added 0, updated 0, marked 0 left, set 0 transfer actions; 2 unchanged.\n", "no second action")
    }

    @Test func aBadFileIsRefusedByLineAndFieldAndTheDatabaseIsUntouched() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["init", "--school", "Brookside Primary (test)"]).status == 0)
        let good = try write("UPN,Surname,Forename,DOB,Year,Form\n\(wren.value),Ashdown,Wren,2016-03-04,5,5A\n", "good.csv", in: cairn)
        #expect(try cairn.run(["pupils", "import", good]).status == 0)
        let before = files(cairn)
        let bad = try write("""
            UPN,Surname,Forename,DOB,Year,Form,Leaving Date
            \(wren.value),Ashdown,Wren,2016-03-04,5,5A,31/11/2025
            \(effie.value),Carrow,,19/10/2017,Year 4,4B,
            """, "bad.csv", in: cairn)
        let refused = try cairn.run(["pupils", "import", bad])
        #expect(refused.status == 65)
        #expect(refused.output.isEmpty)
        #expect(refused.errors == """
            cairn: \(bad) was not imported; nothing was changed:
            line 2, leaving date: "31/11/2025" is not a real date (dd/mm/yyyy or yyyy-mm-dd)
            line 3, legal forename: is empty

            """)
        #expect(files(cairn) == before)

        let xml = try cairn.run(["pupils", "import", Self.sampleCTF])
        #expect(xml.status == 65)
        #expect(xml.errors.contains("(This looks like XML: for a Common Transfer File add --ctf.)"))
        #expect(files(cairn) == before)
    }

    @Test func aCommonTransferFileAddsItsPupilsAndABadOneChangesNothing() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["init", "--school", "Brookside Primary (test)"]).status == 0)
        let preview = try cairn.run(["pupils", "import", "--ctf", Self.sampleCTF, "--dry-run"])
        #expect(preview.status == 0, "\(preview.errors)")
        #expect(preview.output == """
            Dry run for Brookside Primary (test) (partial: nobody is marked left for being absent); nothing has been written.
            Added (3):
              Y935410120021  Goldie Quenby, Year 7
              M935410120022  Ezra Tolland, Year 8
              B935410120023  Pip Ferrand-Oyelaran, Reception
            Would add 3, update 0, mark 0 left, set 0 transfer actions; 0 unchanged.

            """)
        let imported = try cairn.run(["pupils", "import", "--ctf", Self.sampleCTF])
        #expect(imported.output == "Added 3, updated 0, marked 0 left, set 0 transfer actions; 0 unchanged.\n")

        let before = files(cairn)
        let broken = try write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <CTfile><CTFpupilData>
            <Pupil><UPN>\(wren.value)</UPN><Forename>Wren</Forename><DOB>2016-03-04</DOB>
            <BasicDetails><NCyearActual>5</NCyearActual></BasicDetails></Pupil>
            </CTFpupilData></CTfile>
            """, "broken.xml", in: cairn)
        let refused = try cairn.run(["pupils", "import", "--ctf", broken])
        #expect(refused.status == 65)
        #expect(refused.errors.contains("pupil 1 (UPN \(wren.value)), Surname: is empty"))
        #expect(files(cairn) == before)
        #expect(try cairn.run(["pupils", "import", "--ctf", Self.sampleCTF]).output
                == "Added 0, updated 0, marked 0 left, set 0 transfer actions; 3 unchanged.\n")
    }
}
