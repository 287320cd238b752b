import CairnDomain
import Foundation
import Testing

@Suite struct SubjectAccessTests {
    static func day(_ text: String) -> Date { UKDate.parseDate(text)! }

    @Test(arguments: [
        ("02/03/2026", "02/04/2026"),   // the same day next month
        ("31/01/2026", "28/02/2026"),   // no 31 February: the month's last day
        ("31/01/2028", "29/02/2028"),   // a leap year
        ("29/01/2027", "28/02/2027"),
        ("29/01/2028", "29/02/2028"),
        ("28/02/2026", "28/03/2026"),   // from the end of February, the 28th, not the month's end
        ("29/02/2028", "29/03/2028"),
        ("31/03/2026", "30/04/2026"),
        ("31/05/2026", "30/06/2026"),
        ("31/08/2026", "30/09/2026"),
        ("30/11/2026", "30/12/2026"),
        ("31/12/2026", "31/01/2027"),   // across the year
        ("15/12/2026", "15/01/2027"),
        ("28/03/2026", "28/04/2026"),   // across the change to British Summer Time
        ("25/10/2026", "25/11/2026"),   // and back
    ])
    func dueOneCalendarMonthLater(_ received: String, _ due: String) {
        let answer = SubjectAccess.due(received: Self.day(received))
        #expect(UKDate.date(answer) == due)
        #expect(answer == UKDate.calendar.startOfDay(for: answer), "due at midnight, London")
    }

    @Test func anyTimeOfTheDayReceivedGivesTheSameDueDate() {
        let late = UKDate.parseDateTime("31/01/2028 23:59")!
        let early = UKDate.parseDateTime("31/01/2028 00:01")!
        #expect(UKDate.date(SubjectAccess.due(received: late)) == "29/02/2028")
        #expect(SubjectAccess.due(received: late) == SubjectAccess.due(received: early))
    }

    @Test func aRequestNeedsAPastDateAName() {
        let now = UKDate.parseDateTime("02/03/2026 08:30")!
        let good = SARRequestInput(received: Self.day("02/03/2026"), requester: "Ms R. Example", relationship: "mother")
        #expect(good.problems(now: now).isEmpty)
        let bad = SARRequestInput(received: Self.day("03/03/2026"), requester: " ", relationship: "")
        #expect(bad.problems(now: now).map(\.field) == [SARField.received, SARField.requester, SARField.relationship])
        #expect(bad.problems(now: now)[0].message == "The date received cannot be in the future")
    }

    @Test func aWithholdingNeedsAPartAReasonAndPassagesThatAreThere() {
        let text = "Mum said her partner, Mr K. Example, shouted at Sam. Sam was upset."
        let whole = WithholdingInput(part: .wholeEntry, reason: .thirdParty)
        #expect(whole.problems(currentText: text).isEmpty)
        #expect(WithholdingInput(part: nil, reason: nil).problems(currentText: text).map(\.field) == [SARField.part, SARField.reason])
        let other = WithholdingInput(part: .wholeEntry, reason: .other, otherReason: "  ")
        #expect(other.problems(currentText: text).map(\.field) == [SARField.otherReason])
        #expect(WithholdingInput(part: .wholeEntry, reason: .other, otherReason: "Legal privilege").problems(currentText: text).isEmpty)

        let passage = WithholdingInput(part: .passages([" Mr K. Example \n"]), reason: .thirdParty)
        #expect(passage.passages == ["Mr K. Example"], "trimmed")
        #expect(passage.problems(currentText: text).isEmpty)
        let absent = WithholdingInput(part: .passages(["Mr K. Exampel"]), reason: .thirdParty)
        #expect(absent.problems(currentText: text).map(\.message) == ["“Mr K. Exampel” is not in the entry as it reads now; type or paste it exactly"])
        #expect(WithholdingInput(part: .passages(["", "  "]), reason: .seriousHarm).problems(currentText: text).map(\.field) == [SARField.passage])
        // Case matters: withholding "mr k. example" would leave "Mr K. Example" for the family to read.
        #expect(!WithholdingInput(part: .passages(["mr k. example"]), reason: .thirdParty).problems(currentText: text).isEmpty)
    }

    @Test func passagesAreReplacedEverywhereTheyAppear() {
        let text = "Mr K. Example called. Later Mr K. Example came to the gate."
        #expect(Redaction.apply(text, [("Mr K. Example", "third-party information")])
            == "[withheld: third-party information] called. Later [withheld: third-party information] came to the gate.")
        #expect(Redaction.apply(text, []) == text)
        #expect(Redaction.apply(text, [("not there", "serious harm")]) == text)
    }

    @Test func overlappingPassagesBecomeOneMarkerLeavingNoFragment() {
        let text = "He said the address is 4 Example Row, Exampleton, and left."
        let out = Redaction.apply(text, [("4 Example Row", "third-party information"), ("Example Row, Exampleton", "serious harm")])
        #expect(out == "He said the address is [withheld: third-party information; serious harm], and left.")
        // Touching passages too, and a reason given twice is named once.
        let touching = Redaction.apply("abcdef", [("abc", "crime prevention"), ("def", "crime prevention")])
        #expect(touching == "[withheld: crime prevention]")
        // A passage inside another is swallowed by it.
        #expect(Redaction.apply("one two three", [("one two three", "serious harm"), ("two", "serious harm")]) == "[withheld: serious harm]")
    }

    @Test func reasonsReadAsWords() {
        #expect(ExemptionReason.thirdParty.phrase(other: nil) == "third-party information")
        #expect(ExemptionReason.crimePrevention.phrase(other: "ignored") == "crime prevention")
        #expect(ExemptionReason.other.phrase(other: " legal professional privilege ") == "legal professional privilege")
        #expect(Redaction.marker("serious harm") == "[withheld: serious harm]")
    }

    @Test func sentencesAreOfferedInOrderEachOnce() {
        let text = "Sam arrived late. He said: \"Dad was shouting!\" Is he safe?\nMum rang at 3.15 pm.\n\nSam arrived late."
        #expect(Redaction.sentences(of: text) == [
            "Sam arrived late.", "He said: \"Dad was shouting!\" Is he safe?", "Mum rang at 3.15 pm.",
        ])
        #expect(Redaction.sentences(of: "") == [])
        #expect(Redaction.excerpt(String(repeating: "x", count: 50)).count == 40)
    }
}
