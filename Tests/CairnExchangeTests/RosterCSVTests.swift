import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import Testing

// Every pupil here is invented; UPNs come from UPN.make, so their check letters are right.
let juniper = UPN.make(la: 935, establishment: 4101, year: 19, serial: 11)
let otto = UPN.make(la: 935, establishment: 4101, year: 18, serial: 12)
let wilf = UPN.make(la: 935, establishment: 4101, year: 21, serial: 13)

func csv(_ lines: [String], lineEnding: String = "\n", bom: Bool = false) -> Data {
    (bom ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data((lines.joined(separator: lineEnding) + lineEnding).utf8)
}

func problems(_ data: Data) -> [String] {
    switch RosterCSV.parse(data) {
    case .success(let rows): ["unexpectedly parsed \(rows.count) rows"]
    case .failure(let errors): errors.problems.map(\.description)
    }
}

/// A wrong check letter for a UPN whose right one is known.
func withWrongCheckLetter(_ upn: UPN) -> (text: String, message: String) {
    let right = upn.value.first!
    let wrong: Character = right == "A" ? "B" : "A"
    return (String(wrong) + upn.value.dropFirst(), "check letter should be \(right), not \(wrong)")
}

@Suite struct RosterCSVTests {
    static let header = "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group"

    @Test(arguments: [("\r\n", true), ("\n", false), ("\r\n", false), ("\n", true)])
    func aTypicalExportParses(lineEnding: String, bom: Bool) throws {
        let data = csv([
            "Reg Group , dob,Legal Forename,Tutor,UPN,Legal Surname,Preferred Forename,Year",
            "7AS,14/05/2014,Juniper,\"Hale, R.\",\(juniper.value),\"Ashdown-Reyes\",,Y7",
            " 8BR , 02/11/2012 ,  Otto ,\"Penn, S.\",\(otto.value.lowercased()),Brackley,Ott,Year 8",
            "RWI,1/9/2020,Wilf,,\(wilf.value),Carrow,  ,Reception",
        ], lineEnding: lineEnding, bom: bom)
        let rows = try RosterCSV.parse(data).get()
        #expect(rows == [
            PupilRow(upn: juniper, legalForename: "Juniper", legalSurname: "Ashdown-Reyes", preferredForename: nil,
                     dateOfBirth: UKDate.parseDate("14/05/2014")!, yearGroup: .year7, form: "7AS"),
            PupilRow(upn: otto, legalForename: "Otto", legalSurname: "Brackley", preferredForename: "Ott",
                     dateOfBirth: UKDate.parseDate("02/11/2012")!, yearGroup: .year8, form: "8BR"),
            PupilRow(upn: wilf, legalForename: "Wilf", legalSurname: "Carrow", preferredForename: nil,
                     dateOfBirth: UKDate.parseDate("01/09/2020")!, yearGroup: .reception, form: "RWI"),
        ])
    }

    @Test func theUnknownColumnsAQuotedCommaLivesInAreIgnoredNotSplit() throws {
        let data = csv(["UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group,Address",
                        "\(juniper.value),\"Ashdown, Reyes\",Juniper,14/05/2014,7,7AS,\"1 Mill Lane, Hollin Vale\""])
        let rows = try RosterCSV.parse(data).get()
        #expect(rows.map(\.legalSurname) == ["Ashdown, Reyes"])
        #expect(rows.map(\.form) == ["7AS"])
    }

    @Test(arguments: [
        "UPN,Surname,Forename,Date of Birth,Year Group,Registration Group",
        "upn,SURNAME,forename,date of birth,NC Year,Form",
        "  UPN  ,Legal  Surname,Legal Forename,Preferred Name,DOB,year group,Reg",
    ])
    func aliasesAreAccepted(header: String) throws {
        let data = csv([header, "\(otto.value),Brackley,Otto,\(header.contains("Preferred") ? "Ott," : "")02/11/2012,8,8BR"])
        let rows = try RosterCSV.parse(data).get()
        #expect(rows.count == 1)
        #expect(rows.first?.legalSurname == "Brackley")
        #expect(rows.first?.yearGroup == .year8)
        #expect(rows.first?.form == "8BR")
    }

    @Test func acceptedHeadersNameEveryColumn() {
        #expect(Set(RosterCSV.acceptedHeaders.keys) ==
                ["UPN", "Legal Surname", "Legal Forename", "Preferred Forename", "DOB", "Year", "Reg Group"])
        #expect(RosterCSV.acceptedHeaders["Reg Group"]?.contains("Registration Group") == true)
    }

    // MARK: One kind of problem at a time

    @Test func aWrongCheckLetterIsNamedWithItsLine() {
        let bad = withWrongCheckLetter(otto)
        let data = csv([Self.header, "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7AS",
                        "", "\(bad.text),Brackley,Otto,,02/11/2012,8,8BR"])
        #expect(problems(data) == ["line 4: UPN: \(bad.message)"])
    }

    @Test(arguments: [
        ("", "line 2: UPN: is empty"),
        ("K12345", "line 2: UPN: must be 13 characters (got 6)"),
        ("A12345678901X2", "line 2: UPN: must be 13 characters (got 14)"),
    ])
    func malformedUPNs(upn: String, expected: String) {
        #expect(problems(csv([Self.header, "\(upn),Ashdown,Juniper,,14/05/2014,7,7AS"])) == [expected])
    }

    @Test(arguments: [
        ("31/02/2015", "line 2: DOB: \"31/02/2015\" is not a real date (dd/mm/yyyy)"),
        ("2015-02-01", "line 2: DOB: \"2015-02-01\" is not a real date (dd/mm/yyyy)"),
        ("12/25/2014", "line 2: DOB: \"12/25/2014\" is not a real date (dd/mm/yyyy)"),
        ("", "line 2: DOB: is empty"),
    ])
    func badDatesOfBirth(dob: String, expected: String) {
        #expect(problems(csv([Self.header, "\(juniper.value),Ashdown,Juniper,,\(dob),7,7AS"])) == [expected])
    }

    @Test(arguments: [
        ("14", "line 2: Year: \"14\" is not a year group (R or Reception, or 1 to 13)"),
        ("Year Seven", "line 2: Year: \"Year Seven\" is not a year group (R or Reception, or 1 to 13)"),
        (" ", "line 2: Year: is empty"),
    ])
    func badYearGroups(year: String, expected: String) {
        #expect(problems(csv([Self.header, "\(juniper.value),Ashdown,Juniper,,14/05/2014,\(year),7AS"])) == [expected])
    }

    @Test func emptyLegalNamesAreErrors() {
        #expect(problems(csv([Self.header, "\(juniper.value), ,\"\",Jun,14/05/2014,7,7AS"])) ==
                ["line 2: Legal Surname: is empty", "line 2: Legal Forename: is empty"])
    }

    @Test func aRepeatedUPNNamesBothLines() {
        let data = csv([Self.header,
                        "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7AS",
                        "\(otto.value),Brackley,Otto,,02/11/2012,8,8BR",
                        "\(juniper.value.lowercased()),Ashdown,Juniper,,14/05/2014,7,7AS"])
        #expect(problems(data) == ["line 4: UPN: \(juniper.value) appears twice (also line 2)"])
    }

    @Test func theWrongNumberOfFieldsIsNamed() {
        let data = csv([Self.header, "\(juniper.value),Ashdown,Juniper,14/05/2014,7,7AS",
                        "\(otto.value),Brackley,Otto,,02/11/2012,8,8BR,extra"])
        #expect(problems(data) == ["line 2: row: has 6 fields but the header has 7",
                                   "line 3: row: has 8 fields but the header has 7"])
    }

    @Test func aMissingRequiredHeaderIsNamedWithItsAliases() {
        let data = csv(["UPN,Legal Surname,Legal Forename,Year,Form", "\(juniper.value),Ashdown,Juniper,7,7AS"])
        #expect(problems(data) == ["line 1: header: no DOB column (accepted headers: \"DOB\", \"Date of Birth\")"])
    }

    @Test func aColumnGivenTwiceIsRefused() {
        let data = csv(["UPN,Surname,Legal Surname,Legal Forename,DOB,Year,Form",
                        "\(juniper.value),Ashdown,Ashdown,Juniper,14/05/2014,7,7AS"])
        #expect(problems(data) == ["line 1: header: columns 2 and 3 both give Legal Surname; keep one"])
    }

    @Test(arguments: [Data(), Data([0xEF, 0xBB, 0xBF]), Data("\r\n\n  \n".utf8), Data(",,,\n".utf8)])
    func anEmptyFileIsRefused(data: Data) {
        #expect(problems(data) == ["line 1: file: is empty; expected a header line and one line per pupil"])
    }

    @Test func aHeaderWithoutPupilsIsRefused() {
        #expect(problems(csv([Self.header])) == ["line 2: file: has a header but no pupils"])
    }

    @Test func aFileThatIsNotUTF8NamesTheLine() {
        var data = csv([Self.header, "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7AS"])
        data += Data("\(otto.value),Br".utf8) + Data([0xE9]) + Data("ckley,Otto,,02/11/2012,8,8BR\n".utf8)
        #expect(problems(data) == ["line 3: file: is not UTF-8 text; save the export as \"CSV UTF-8\" and try again"])
    }

    @Test func aLineBreakInsideQuotesIsRefusedAndLaterLinesStillCountRight() {
        let bad = withWrongCheckLetter(wilf)
        let data = csv([Self.header,
                        "\(juniper.value),\"Ash",
                        "down\",Juniper,,14/05/2014,7,7AS",
                        "\(bad.text),Carrow,Wilf,,01/09/2020,R,RWI"], lineEnding: "\r\n")
        #expect(problems(data) == [
            "line 2: Legal Surname: contains a line break or control character (is a quote left open?)",
            "line 4: UPN: \(bad.message)",
        ])
    }

    // MARK: Everything at once

    @Test func everyProblemIsReportedInFileOrderNotJustTheFirst() {
        let bad = withWrongCheckLetter(otto)
        let data = csv([
            "DOB,UPN,Legal Forename,Legal Surname,Year,Reg Group",
            "14/05/2014,\(juniper.value),Juniper,Ashdown,7,7AS",
            "31/02/2012,\(bad.text),Otto,,15,8BR",
            "01/09/2020,\(wilf.value),Wilf,Carrow,R",
            "",
            "14/05/2014,\(juniper.value),June,Ashdown,7,7AS",
        ])
        let expected = [
            "line 3: UPN: \(bad.message)",
            "line 3: Legal Surname: is empty",
            "line 3: DOB: \"31/02/2012\" is not a real date (dd/mm/yyyy)",
            "line 3: Year: \"15\" is not a year group (R or Reception, or 1 to 13)",
            "line 4: row: has 5 fields but the header has 6",
            "line 6: UPN: \(juniper.value) appears twice (also line 2)",
        ]
        #expect(problems(data) == expected)
        guard case .failure(let errors) = RosterCSV.parse(data) else { return }
        #expect(errors.description == expected.joined(separator: "\n"))
        #expect(errors.problems[0] == RosterProblem(line: 3, field: "UPN", message: bad.message))
    }
}

/// A real SQLite file with one school and its DSL; shared with the JSON tests.
final class ExchangeStore {
    let directory: URL
    let clock: FixedClock
    let store: CairnStore
    let dsl: Staff

    /// Monday 2 March 2026, 08:30 in London (GMT).
    init(now: Date = Date(timeIntervalSince1970: 1_772_440_200)) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-exchange-\(UUID().uuidString)")
        clock = FixedClock(now)
        store = try CairnStore.create(path: directory.appendingPathComponent("cairn.sqlite").path, clock: clock)
        let school = try store.bootstrap(school: "Hollin Vale Academy",
                                         dsl: Staff(username: "dsl.marsh", displayName: "Petra Marsh", role: .dsl, school: nil))
        dsl = Staff(username: "dsl.marsh", displayName: "Petra Marsh", role: .dsl, school: school.id)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// What `cairn pupils import` does: parse everything first, then write all or nothing.
    func importRoster(_ data: Data, dryRun: Bool = false) throws -> ImportSummary {
        let rows = try RosterCSV.parse(data).get()
        return try store.importPupils(actor: dsl, rows, dryRun: dryRun)
    }

    /// Added, updated, unchanged.
    func importCounts(_ data: Data, dryRun: Bool = false) throws -> [Int] {
        let summary = try importRoster(data, dryRun: dryRun)
        return [summary.added, summary.updated, summary.unchanged]
    }
}

@Suite struct RosterImportTests {
    static let roster = csv([
        "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group",
        "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7AS",
        "\(otto.value),Brackley,Otto,Ott,02/11/2012,8,8BR",
        "\(wilf.value),Carrow,Wilf,,01/09/2020,R,RWI",
    ], lineEnding: "\r\n", bom: true)

    @Test func aGoodFileImportsEveryPupil() throws {
        let s = try ExchangeStore()
        #expect(try s.importCounts(Self.roster) == [3, 0, 0])
        #expect(try s.store.pupilCount() == 3)
        let event = try #require(s.store.recentAuditEvents(limit: 1).first)
        #expect(event.operation == .importPupils)
        #expect(event.detail == "3 added, 0 updated, 0 unchanged")
    }

    @Test func oneBadLineMeansNothingIsWritten() throws {
        let s = try ExchangeStore()
        _ = try s.importRoster(Self.roster)
        let events = try s.store.auditEventCount()
        let newPupil = UPN.make(la: 935, establishment: 4101, year: 19, serial: 14)
        let data = csv([
            "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group",
            "\(newPupil.value),Eastry,Hal,01/01/2014,7,7AS",
            "\(otto.value),Brackley,Otto,02/11/2012,9,9BR",
            "\(wilf.value),Carrow,Wilf,30/02/2020,R,RWI",
        ])
        let thrown = #expect(throws: RosterErrors.self) { _ = try s.importRoster(data) }
        #expect(thrown?.problems.map(\.description) == ["line 4: DOB: \"30/02/2020\" is not a real date (dd/mm/yyyy)"])
        #expect(try s.store.pupilCount() == 3)
        #expect(try s.store.auditEventCount() == events)
        // Otto's move to Year 9 on the same file was not applied either.
        #expect(try s.importCounts(Self.roster) == [0, 0, 3])
    }

    @Test func aDryRunCountsButWritesNothing() throws {
        let s = try ExchangeStore()
        #expect(try s.importCounts(Self.roster, dryRun: true) == [3, 0, 0])
        #expect(try s.store.pupilCount() == 0)
        _ = try s.importRoster(Self.roster)
        #expect(try s.store.pupilCount() == 3)
    }

    @Test func reimportingTheSameFileChangesNothing() throws {
        let s = try ExchangeStore()
        _ = try s.importRoster(Self.roster)
        #expect(try s.importCounts(Self.roster) == [0, 0, 3])
        #expect(try s.store.pupilCount() == 3)
    }

    @Test func aChangedFormIsAnUpdateAndIsStored() throws {
        let s = try ExchangeStore()
        _ = try s.importRoster(Self.roster)
        let moved = csv([
            "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group",
            "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7CH",
            "\(otto.value),Brackley,Otto,Ott,02/11/2012,8,8BR",
            "\(wilf.value),Carrow,Wilf,,01/09/2020,R,RWI",
        ])
        #expect(try s.importCounts(moved, dryRun: true) == [0, 1, 2])
        #expect(try s.importCounts(moved) == [0, 1, 2])
        // Read the form back the way a DSL sees it.
        _ = try s.store.logConcern(actor: s.dsl, ConcernDraft(
            pupils: [juniper], categories: [.attendance], accounts: [Account(nature: .seen, text: "Late four days running")],
            occurredAt: s.clock.now()))
        #expect(try s.store.queue(actor: s.dsl).first?.pupils.first?.form == "7CH")
    }
}
