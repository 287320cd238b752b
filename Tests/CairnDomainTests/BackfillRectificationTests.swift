import CairnDomain
import Foundation
import Testing

/// Paper originals, disputes and rectification requests check themselves, naming the field.
@Suite struct BackfillRectificationTests {
    static let now = UKDate.parseDateTime("16/03/2026 10:00")!
    static let happened = UKDate.parseDateTime("12/03/2026 09:40")!

    static func fields(_ problems: [FieldProblem]) -> [String] { problems.map(\.field) }

    // MARK: Paper originals

    @Test func aPaperIsWrittenAfterWhatItDescribesAndBeforeItIsTyped() {
        let good = PaperInput(writtenAt: UKDate.parseDateTime("12/03/2026 10:15")!, writtenBy: "Ann Lee")
        #expect(good.problems(occurredAt: Self.happened, now: Self.now).isEmpty)
        // Written the minute it happened is fine.
        #expect(PaperInput(writtenAt: Self.happened, writtenBy: "Ann Lee").problems(occurredAt: Self.happened, now: Self.now).isEmpty)

        let early = PaperInput(writtenAt: UKDate.parseDateTime("12/03/2026 09:30")!, writtenBy: "Ann Lee")
        #expect(early.problems(occurredAt: Self.happened, now: Self.now) == [FieldProblem(
            field: RecordField.writtenAt,
            message: "The paper cannot have been written before what it describes happened (12/03/2026 09:40)")])
        let future = PaperInput(writtenAt: Self.now.addingTimeInterval(3600), writtenBy: "Ann Lee")
        #expect(future.problems(occurredAt: Self.happened, now: Self.now).map(\.message) == ["The paper cannot have been written in the future"])
    }

    @Test(arguments: ["", "  \n", String(repeating: "x", count: 201), "Ann\nLee"])
    func aPaperNamesItsWriterOnOneLine(_ name: String) {
        let paper = PaperInput(writtenAt: Self.happened, writtenBy: name)
        #expect(Self.fields(paper.problems(occurredAt: Self.happened, now: Self.now)) == [RecordField.writtenBy])
    }

    static let typed = PaperOriginal(writtenAt: happened, writtenBy: "Ann Lee", typedBy: "demo.dsl", typedByName: "Sam Carter",
                                     typedAt: UKDate.parseDateTime("13/03/2026 10:05")!)

    @Test func theProvenanceSaysWhoWroteTypedAndCheckedIt() {
        var paper = Self.typed
        #expect(!paper.isVerified)
        #expect(paper.marker == "paper, unverified")
        #expect(paper.provenance == "from paper written 12/03/2026 09:40 by Ann Lee, typed 13/03/2026 10:05 by Sam Carter, "
            + "awaiting verification against the paper")
        paper.verifiedBy = "demo.deputy"
        paper.verifiedByName = "Priya Shah"
        paper.verifiedAt = UKDate.parseDateTime("13/03/2026 11:00")!
        #expect(paper.isVerified)
        #expect(paper.marker == "paper, verified")
        #expect(paper.provenance == "from paper written 12/03/2026 09:40 by Ann Lee, typed 13/03/2026 10:05 by Sam Carter, "
            + "verified by Priya Shah on 13/03/2026 11:00")
    }

    @Test func onlySomeoneElseChecksTheTypingAndOnlyOnce() {
        var paper = Self.typed
        #expect(paper.typistRefusal(by: "demo.dsl", "2026-0042")
            == "you typed 2026-0042 from the paper, so a different member of staff must check it against the paper")
        #expect(paper.typistRefusal(by: "demo.deputy", "2026-0042") == nil)
        #expect(paper.alreadyVerified("2026-0042") == nil)
        paper.verifiedBy = "demo.deputy"
        paper.verifiedByName = "Priya Shah"
        paper.verifiedAt = UKDate.parseDateTime("13/03/2026 11:00")!
        #expect(paper.alreadyVerified("2026-0042") == "2026-0042 was already checked against the paper by Priya Shah on 13/03/2026 11:00")
    }

    @Test func thePaperFormAsksTheDashboardsQuestionsInOrder() {
        #expect(ConcernQuestion.report.map(\.label) == [
            "Pupils", "Date it happened", "Time", "Where", "What you saw or heard", "The child's own words",
            "Nature of the account", "What you did", "Categories", "Is the child at risk now?",
        ])
        #expect(Urgency.allCases.map(\.answer) == ["No", "Yes: the child is at risk now (URGENT)"])
    }

    // MARK: Disputes

    static let statement = "We do not agree that Sam \"seemed frightened to go home\".\n\nHe was upset about his football match.\n"

    @Test func aDisputeKeepsTheStatementWordForWord() {
        let input = DisputeInput(statement: Self.statement, madeBy: "Mother, Jo Testwood", receivedAt: Self.now)
        #expect(input.problems(entryDate: Self.happened, now: Self.now).isEmpty)
        #expect(input.keptStatement == "We do not agree that Sam \"seemed frightened to go home\".\n\nHe was upset about his football match.",
                "only the file's last newline goes; quotes and the blank line stay")
    }

    @Test func aDisputeNeedsAStatementWhoMadeItAndASensibleDate() {
        let empty = DisputeInput(statement: " \n\n", madeBy: "", receivedAt: Self.now.addingTimeInterval(2 * 86_400))
        #expect(Self.fields(empty.problems(entryDate: Self.happened, now: Self.now))
            == [RecordField.statement, RecordField.madeBy, RecordField.received])
        let beforeTheEntry = DisputeInput(statement: "No.", madeBy: "Father", receivedAt: UKDate.parseDate("11/03/2026")!)
        #expect(beforeTheEntry.problems(entryDate: Self.happened, now: Self.now).map(\.message)
            == ["The statement cannot have been received before the entry's date, 12/03/2026"])
        // The same day as the entry is fine, whatever the hour.
        #expect(DisputeInput(statement: "No.", madeBy: "Father", receivedAt: UKDate.parseDate("12/03/2026")!)
            .problems(entryDate: Self.happened, now: Self.now).isEmpty)
        let long = DisputeInput(statement: String(repeating: "a", count: DisputeInput.maxStatementLength + 1), madeBy: "Father",
                                receivedAt: Self.now)
        #expect(Self.fields(long.problems(entryDate: Self.happened, now: Self.now)) == [RecordField.statement])
    }

    @Test func aDisputeSaysWhoMadeItAndWhen() {
        let dispute = Dispute(id: 1, entryID: 7, statement: "No.", madeBy: "Mother, Jo Testwood",
                              receivedAt: UKDate.parseDate("14/03/2026")!, recordedBy: "demo.dsl", recordedByName: "Sam Carter",
                              recordedAt: UKDate.parseDateTime("15/03/2026 09:10")!)
        #expect(dispute.byline == "Disputed by Mother, Jo Testwood: statement received 14/03/2026, recorded 15/03/2026 09:10 by Sam Carter")
    }

    // MARK: Rectification requests

    @Test(arguments: [("31/01/2026", "28/02/2026"), ("31/01/2028", "29/02/2028"), ("16/03/2026", "16/04/2026"),
                      ("15/12/2026", "15/01/2027"), ("30/03/2026", "30/04/2026")])
    func theAnswerIsDueACalendarMonthLater(_ received: String, _ due: String) {
        #expect(UKDate.date(RectificationInput.due(received: UKDate.parseDate(received)!)) == due)
    }

    @Test func aRequestCannotBeReceivedInTheFutureAndNamesAreOneLine() {
        let upn = UPN.make(la: 935, establishment: 4101, year: 19, serial: 1)
        #expect(RectificationInput(pupil: upn, receivedAt: Self.now, requester: "Jo Testwood", relationship: "mother")
            .problems(now: Self.now).isEmpty)
        #expect(RectificationInput(pupil: upn, receivedAt: Self.now).problems(now: Self.now).isEmpty)
        let bad = RectificationInput(pupil: upn, receivedAt: Self.now.addingTimeInterval(86_400), requester: " ",
                                     relationship: "mother\nand father")
        #expect(Self.fields(bad.problems(now: Self.now)) == [RecordField.received, RecordField.requester, RecordField.relationship])
    }

    @Test(arguments: [("Jo Testwood", "mother", "Jo Testwood (mother)"), ("Jo Testwood", nil, "Jo Testwood"),
                      (nil, "father", "the father"), (nil, nil, "the family")])
    func aRequestSaysWhoItIsFrom(_ requester: String?, _ relationship: String?, _ from: String) {
        #expect(RectificationInput.from(requester: requester, relationship: relationship) == from)
    }
}
