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

func day(_ text: String) -> Date { UKDate.parseDate(text)! }

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
                     dateOfBirth: day("14/05/2014"), yearGroup: .year7, form: "7AS"),
            PupilRow(upn: otto, legalForename: "Otto", legalSurname: "Brackley", preferredForename: "Ott",
                     dateOfBirth: day("02/11/2012"), yearGroup: .year8, form: "8BR"),
            PupilRow(upn: wilf, legalForename: "Wilf", legalSurname: "Carrow", preferredForename: nil,
                     dateOfBirth: day("01/09/2020"), yearGroup: .reception, form: "RWI"),
        ])
    }

    @Test func theUnknownColumnsAQuotedCommaLivesInAreIgnoredNotSplit() throws {
        let data = csv(["UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group,Address",
                        "\(juniper.value),\"Ashdown, Reyes\",Juniper,14/05/2014,7,7AS,\"1 Mill Lane, Hollin Vale\""])
        let rows = try RosterCSV.parse(data).get()
        #expect(rows.map(\.legalSurname) == ["Ashdown, Reyes"])
        #expect(rows.map(\.form) == ["7AS"])
    }

    // MARK: Each MIS's own headers

    /// The student lists SIMS, Arbor and Bromcom export, with their own column names, extra columns
    /// Cairn does not read (admission number, gender), a leaver with a leaving date and destination,
    /// and each product's date style.
    @Test(arguments: [
        ("SIMS", ["Adno,UPN,Legal Surname,Legal Forename,Preferred Forename,Gender,DOB,Year,Reg,Leaving Date,Destination",
                  "001234,\(juniper.value),Ashdown,Juniper,June,F,14/05/2014,Year 7,7AS,,",
                  "001235,\(otto.value),Brackley,Otto,,M,02/11/2012,Year 8,8BR,20/02/2026,Larkfield Academy"]),
        ("Arbor", ["Student ID,First Name,Last Name,Preferred First Name,Date of Birth,Year Group,Registration Form,UPN,Date of Leaving,Next School",
                   "88,Juniper,Ashdown,June,2014-05-14,Year 7,7AS,\(juniper.value),,",
                   "89,Otto,Brackley,,2012-11-02,Year 8,8BR,\(otto.value),2026-02-20,Larkfield Academy"]),
        ("Bromcom", ["Admission Number,Legal First Name,Legal Last Name,Preferred Name,Date Of Birth,NC Year,Tutor Group,UPN,Leaving Date,Destination School",
                     "A1,Juniper,Ashdown,June,14/05/2014,7,7AS,\(juniper.value),,",
                     "A2,Otto,Brackley,,02/11/2012,8,8BR,\(otto.value),20/02/2026,Larkfield Academy"]),
    ])
    func eachMISExportParsesTheSame(mis: String, lines: [String]) throws {
        let rows = try RosterCSV.parse(csv(lines, lineEnding: "\r\n", bom: true)).get()
        #expect(rows == [
            PupilRow(upn: juniper, legalForename: "Juniper", legalSurname: "Ashdown", preferredForename: "June",
                     dateOfBirth: day("14/05/2014"), yearGroup: .year7, form: "7AS"),
            PupilRow(upn: otto, legalForename: "Otto", legalSurname: "Brackley", preferredForename: nil,
                     dateOfBirth: day("02/11/2012"), yearGroup: .year8, form: "8BR",
                     leftOn: day("20/02/2026"), destination: "Larkfield Academy"),
        ], "\(mis)")
    }

    @Test(arguments: [
        "UPN,Surname,Forename,Date of Birth,Year Group,Registration Group",
        "upn,SURNAME,forename,date of birth,NC Year,Form",
        "  UPN  ,Legal  Surname,Legal Forename,Preferred Name,DOB,year group,Reg",
        "Unique Pupil Number,Family Name,Given Name,Birth Date,National Curriculum Year,Form Group",
    ])
    func aliasesAreMatchedIgnoringCaseAndSpacing(header: String) throws {
        let data = csv([header, "\(otto.value),Brackley,Otto,\(header.contains("Preferred") ? "Ott," : "")02/11/2012,8,8BR"])
        let rows = try RosterCSV.parse(data).get()
        #expect(rows.count == 1)
        #expect(rows.first?.legalSurname == "Brackley")
        #expect(rows.first?.yearGroup == .year8)
        #expect(rows.first?.form == "8BR")
    }

    @Test func whenTwoHeadersGiveOneFieldTheLegalOneWins() throws {
        let data = csv(["UPN,Surname,Legal Surname,Forename,Legal Forename,DOB,Year,Form,Reg",
                        "\(juniper.value),Reyes,Ashdown,June,Juniper,14/05/2014,7,7A,7AS"])
        let row = try #require(try RosterCSV.parse(data).get().first)
        #expect(row.legalSurname == "Ashdown")
        #expect(row.legalForename == "Juniper")
        #expect(row.form == "7AS", "SIMS's Reg comes before a generic Form")
    }

    @Test func withoutAFormColumnFormsAreLeftAloneButABlankCellMeansNone() throws {
        let without = try RosterCSV.parse(csv(["UPN,Surname,Forename,DOB,Year", "\(juniper.value),Ashdown,Juniper,14/05/2014,7"])).get()
        #expect(without.map(\.form) == [nil])
        let blank = try RosterCSV.parse(csv(["UPN,Surname,Forename,DOB,Year,Form", "\(juniper.value),Ashdown,Juniper,14/05/2014,7,"])).get()
        #expect(blank.map(\.form) == [""])
    }

    @Test func everyFieldHasHeadersAndTheRequiredOnesAreTheCore() {
        #expect(RosterField.allCases.allSatisfy { !$0.headers.isEmpty })
        #expect(RosterField.allCases.filter(\.isRequired) == [.upn, .legalSurname, .legalForename, .dateOfBirth, .yearGroup])
        let all = RosterField.allCases.flatMap(\.headers).map { $0.lowercased() }
        #expect(Set(all).count == all.count, "a header names one field only")
    }

    // MARK: One kind of problem at a time

    @Test func aWrongCheckLetterIsNamedWithItsLine() {
        let bad = withWrongCheckLetter(otto)
        let data = csv([Self.header, "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7AS",
                        "", "\(bad.text),Brackley,Otto,,02/11/2012,8,8BR"])
        #expect(problems(data) == ["line 4, UPN: \(bad.message)"])
    }

    @Test(arguments: [
        ("", "line 2, UPN: is empty"),
        ("K12345", "line 2, UPN: must be 13 characters (got 6)"),
        ("A12345678901X2", "line 2, UPN: must be 13 characters (got 14)"),
    ])
    func malformedUPNs(upn: String, expected: String) {
        #expect(problems(csv([Self.header, "\(upn),Ashdown,Juniper,,14/05/2014,7,7AS"])) == [expected])
    }

    @Test(arguments: [
        ("31/02/2015", "line 2, date of birth: \"31/02/2015\" is not a real date (dd/mm/yyyy or yyyy-mm-dd)"),
        ("2015-02-31", "line 2, date of birth: \"2015-02-31\" is not a real date (dd/mm/yyyy or yyyy-mm-dd)"),
        ("12/25/2014", "line 2, date of birth: \"12/25/2014\" is not a real date (dd/mm/yyyy or yyyy-mm-dd)"),
        ("2015-2-1", "line 2, date of birth: \"2015-2-1\" is not a real date (dd/mm/yyyy or yyyy-mm-dd)"),
        ("", "line 2, date of birth: is empty"),
    ])
    func badDatesOfBirth(dob: String, expected: String) {
        #expect(problems(csv([Self.header, "\(juniper.value),Ashdown,Juniper,,\(dob),7,7AS"])) == [expected])
    }

    @Test func isoAndUKDatesMeanTheSameDay() throws {
        #expect(RosterDate.parse("2014-05-14") == day("14/05/2014"))
        #expect(RosterDate.parse(" 14/05/2014 ") == day("14/05/2014"))
        #expect(RosterDate.parse("2014-05-14T00:00") == nil)
    }

    @Test func aBadLeavingDateIsNamedButABlankOneMeansOnRoll() throws {
        let header = "UPN,Surname,Forename,DOB,Year,Form,Leaving Date,Destination"
        #expect(problems(csv([header, "\(juniper.value),Ashdown,Juniper,14/05/2014,7,7AS,31/06/2026,Larkfield"]))
                == ["line 2, leaving date: \"31/06/2026\" is not a real date (dd/mm/yyyy or yyyy-mm-dd)"])
        let row = try #require(try RosterCSV.parse(csv([header, "\(juniper.value),Ashdown,Juniper,14/05/2014,7,7AS, , "])).get().first)
        #expect(row.leftOn == nil)
        #expect(row.destination == nil)
    }

    @Test(arguments: [
        ("14", "line 2, year group: \"14\" is not a year group (R or Reception, or 1 to 13)"),
        ("Year Seven", "line 2, year group: \"Year Seven\" is not a year group (R or Reception, or 1 to 13)"),
        (" ", "line 2, year group: is empty"),
    ])
    func badYearGroups(year: String, expected: String) {
        #expect(problems(csv([Self.header, "\(juniper.value),Ashdown,Juniper,,14/05/2014,\(year),7AS"])) == [expected])
    }

    @Test func emptyLegalNamesAreErrors() {
        #expect(problems(csv([Self.header, "\(juniper.value), ,\"\",Jun,14/05/2014,7,7AS"])) ==
                ["line 2, legal surname: is empty", "line 2, legal forename: is empty"])
    }

    @Test func aRepeatedUPNNamesBothLines() {
        let data = csv([Self.header,
                        "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7AS",
                        "\(otto.value),Brackley,Otto,,02/11/2012,8,8BR",
                        "\(juniper.value.lowercased()),Ashdown,Juniper,,14/05/2014,7,7AS"])
        #expect(problems(data) == ["line 4, UPN: \(juniper.value) appears twice (also line 2)"])
    }

    @Test func theWrongNumberOfFieldsIsNamed() {
        let data = csv([Self.header, "\(juniper.value),Ashdown,Juniper,14/05/2014,7,7AS",
                        "\(otto.value),Brackley,Otto,,02/11/2012,8,8BR,extra"])
        #expect(problems(data) == ["line 2, row: has 6 fields but the header has 7",
                                   "line 3, row: has 8 fields but the header has 7"])
    }

    @Test func aMissingRequiredHeaderIsNamedWithItsAliases() {
        let data = csv(["UPN,Legal Surname,Legal Forename,Year,Form", "\(juniper.value),Ashdown,Juniper,7,7AS"])
        #expect(problems(data) == ["line 1, header: no date of birth column (accepted headers: \"DOB\", \"Date of Birth\", \"Birth Date\")"])
    }

    @Test func theSameHeaderTwiceIsRefused() {
        let data = csv(["UPN,Surname,Legal Forename,DOB,Year,surname ,Form",
                        "\(juniper.value),Ashdown,Juniper,14/05/2014,7,Ashdown,7AS"])
        #expect(problems(data) == ["line 1, header: columns 2 and 6 are both \"surname \"; keep one"])
    }

    @Test(arguments: [Data(), Data([0xEF, 0xBB, 0xBF]), Data("\r\n\n  \n".utf8), Data(",,,\n".utf8)])
    func anEmptyFileIsRefused(data: Data) {
        #expect(problems(data) == ["line 1, file: is empty; expected a header line and one line per pupil"])
    }

    @Test func aHeaderWithoutPupilsIsRefused() {
        #expect(problems(csv([Self.header])) == ["line 2, file: has a header but no pupils"])
    }

    @Test func aFileThatIsNotUTF8NamesTheLine() {
        var data = csv([Self.header, "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7AS"])
        data += Data("\(otto.value),Br".utf8) + Data([0xE9]) + Data("ckley,Otto,,02/11/2012,8,8BR\n".utf8)
        #expect(problems(data) == ["line 3, file: is not UTF-8 text; save the export as \"CSV UTF-8\" and try again"])
    }

    @Test func aLineBreakInsideQuotesIsRefusedAndLaterLinesStillCountRight() {
        let bad = withWrongCheckLetter(wilf)
        let data = csv([Self.header,
                        "\(juniper.value),\"Ash",
                        "down\",Juniper,,14/05/2014,7,7AS",
                        "\(bad.text),Carrow,Wilf,,01/09/2020,R,RWI"], lineEnding: "\r\n")
        #expect(problems(data) == [
            "line 2, legal surname: contains a line break or control character (is a quote left open?)",
            "line 4, UPN: \(bad.message)",
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
            "line 3, UPN: \(bad.message)",
            "line 3, legal surname: is empty",
            "line 3, date of birth: \"31/02/2012\" is not a real date (dd/mm/yyyy or yyyy-mm-dd)",
            "line 3, year group: \"15\" is not a year group (R or Reception, or 1 to 13)",
            "line 4, row: has 5 fields but the header has 6",
            "line 6, UPN: \(juniper.value) appears twice (also line 2)",
        ]
        #expect(problems(data) == expected)
        guard case .failure(let errors) = RosterCSV.parse(data) else { return }
        #expect(errors.description == expected.joined(separator: "\n"))
        #expect(errors.problems[0] == .line(3, "UPN", bad.message))
    }
}
