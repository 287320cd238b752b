import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import Testing

/// The synthetic CTF beside these tests: three invented pupils with valid UPNs.
let sampleCTF = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples/synthetic.ctf.xml")

/// A minimal CTF around the given <Pupil> elements.
func ctf(_ pupils: String) -> Data {
    Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <CTfile><Header><DocumentName>Common Transfer File</DocumentName></Header>
        <CTFpupilData>\(pupils)</CTFpupilData></CTfile>
        """.utf8)
}

func ctfProblems(_ data: Data) -> [String] {
    switch CommonTransferFile.parse(data) {
    case .success(let rows): ["unexpectedly parsed \(rows.count) pupils"]
    case .failure(let errors): errors.problems.map(\.description)
    }
}

@Suite struct CommonTransferFileTests {
    static let marigold = try! UPN("Y935410120021")

    @Test func theSampleGivesItsThreePupilsCoreFieldsOnly() throws {
        let rows = try CommonTransferFile.parse(Data(contentsOf: sampleCTF)).get()
        #expect(rows == [
            PupilRow(upn: Self.marigold, legalForename: "Marigold", legalSurname: "Quenby", preferredForename: "Goldie",
                     dateOfBirth: day("03/10/2014"), yearGroup: .year7, form: nil),
            PupilRow(upn: try UPN("M935410120022"), legalForename: "Ezra", legalSurname: "Tolland", preferredForename: nil,
                     dateOfBirth: day("19/01/2013"), yearGroup: .year8, form: nil),
            PupilRow(upn: try UPN("B935410120023"), legalForename: "Pip", legalSurname: "Ferrand-Oyelaran",
                     preferredForename: nil, dateOfBirth: day("30/06/2021"), yearGroup: .reception, form: nil),
        ])
        // The previous school's leaving date in SchoolHistory is theirs, not a leaving from this school.
        #expect(rows.allSatisfy { $0.leftOn == nil })
    }

    @Test func aByteOrderMarkAndCRLFAreFine() throws {
        let text = String(decoding: try Data(contentsOf: sampleCTF), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n")
        let rows = try CommonTransferFile.parse(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)).get()
        #expect(rows.count == 3)
    }

    @Test func eachMissingOrBadFieldNamesThePupilByIndexAndUPN() {
        let data = ctf("""
            <Pupil><UPN>\(juniper.value)</UPN><Surname>Ashdown</Surname><Forename>Juniper</Forename><DOB>2014-05-14</DOB>
              <BasicDetails><NCyearActual>7</NCyearActual></BasicDetails></Pupil>
            <Pupil><UPN>\(otto.value)</UPN><Forename>Otto</Forename><DOB>2012-02-30</DOB>
              <BasicDetails><NCyearActual>N2</NCyearActual></BasicDetails></Pupil>
            <Pupil><Surname>Carrow</Surname><Forename>Wilf</Forename><DOB>2020-09-01</DOB></Pupil>
            """)
        #expect(ctfProblems(data) == [
            "pupil 2 (UPN \(otto.value)), Surname: is empty",
            "pupil 2 (UPN \(otto.value)), DOB: \"2012-02-30\" is not a real date (dd/mm/yyyy or yyyy-mm-dd)",
            "pupil 2 (UPN \(otto.value)), BasicDetails/NCyearActual: \"N2\" is not a year group (R or Reception, or 1 to 13)",
            "pupil 3, UPN: is empty",
            "pupil 3, BasicDetails/NCyearActual: is empty",
        ])
    }

    @Test func aWrongCheckLetterAndARepeatAreNamed() {
        let bad = withWrongCheckLetter(juniper)
        let pupil = { (upn: String) in
            "<Pupil><UPN>\(upn)</UPN><Surname>Ashdown</Surname><Forename>Juniper</Forename><DOB>2014-05-14</DOB>"
                + "<BasicDetails><NCyearActual>7</NCyearActual></BasicDetails></Pupil>"
        }
        #expect(ctfProblems(ctf(pupil(juniper.value) + pupil(bad.text) + pupil(juniper.value))) == [
            "pupil 2 (UPN \(bad.text)), UPN: \(bad.message)",
            "pupil 3 (UPN \(juniper.value)), UPN: \(juniper.value) appears twice (also pupil 1)",
        ])
    }

    @Test func xmlThatIsNotWellFormedNamesTheLine() throws {
        let data = Data("<?xml version=\"1.0\"?>\n<CTfile>\n<CTFpupilData>\n<Pupil><UPN>X</Pupil>\n</CTFpupilData></CTfile>".utf8)
        let found = ctfProblems(data)
        #expect(found.count == 1)
        // libxml2 notices the unclosed <UPN> only when the file ends.
        #expect(found == ["CTF, file: is not well-formed XML (the parser gave up at line 5, column 25)"])
    }

    @Test(arguments: [
        ("<CTfile><Header/></CTfile>", "CTF, file: has no <CTFpupilData> element: is it a Common Transfer File?"),
        ("<CTfile><CTFpupilData></CTFpupilData></CTfile>", "CTF, file: has no pupils (<CTFpupilData> holds no <Pupil>)"),
        ("UPN,Surname\n", "CTF, file: is not well-formed XML"),
    ])
    func aFileThatIsNoCTFIsRefused(text: String, expected: String) {
        let found = ctfProblems(Data(text.utf8))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test func aCTFOnlyAddsAndUpdatesAndKeepsTheForm() throws {
        let s = try ExchangeStore()
        try s.importRoster(RosterImportTests.roster)
        let data = ctf("""
            <Pupil><UPN>\(otto.value)</UPN><Surname>Brackley</Surname><Forename>Otto</Forename><DOB>2012-11-02</DOB>
              <BasicDetails><PreferredForename>Ott</PreferredForename><NCyearActual>9</NCyearActual></BasicDetails></Pupil>
            """)
        let rows = try CommonTransferFile.parse(data).get()
        let sync = try s.store.importPupils(actor: s.dsl, rows, coverage: .partial)
        #expect(sync.updated == [RosterUpdate(upn: otto.value, name: "Ott Brackley",
                                              changes: [RosterChange(field: "year group", old: "Year 8", new: "Year 9")])])
        #expect(sync.left.isEmpty)
        let again = try s.importRoster(RosterImportTests.roster, coverage: .partial)
        #expect(again.updated.map(\.changes) == [[RosterChange(field: "year group", old: "Year 9", new: "Year 8")]],
                "the form 8BR was kept, so only the year differs")
    }
}
