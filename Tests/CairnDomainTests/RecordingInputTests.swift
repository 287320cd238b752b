import CairnDomain
import Foundation
import Testing

/// The inputs behind the chronology's forms validate themselves, naming the field in words.
@Suite struct RecordingInputTests {
    static let now = UKDate.parseDateTime("02/03/2026 10:00")!
    static let earlier = now.addingTimeInterval(-3600)
    static let tomorrow = now.addingTimeInterval(86_400)

    static func fields(_ problems: [FieldProblem]) -> [String] { problems.map(\.field) }

    @Test func aNoteNeedsOnlyWhatWasSaidOrDone() {
        #expect(NoteInput(kind: .note, occurredAt: Self.earlier, summary: "Seemed tired in tutor time.").problems(now: Self.now).isEmpty)
        let blank = NoteInput(kind: .note, occurredAt: Self.earlier, summary: "  \n ")
        #expect(blank.problems(now: Self.now) == [FieldProblem(field: RecordField.summary, message: "Write what was said or done")])
    }

    @Test func aContactNeedsWhoWithWhomAndHow() {
        let bare = NoteInput(kind: .contact, occurredAt: Self.earlier, summary: "Discussed attendance.")
        #expect(Self.fields(bare.problems(now: Self.now)) == [RecordField.party, RecordField.who, RecordField.method])
        let full = NoteInput(kind: .contact, occurredAt: Self.earlier, party: .parentCarer, who: "Ms R. Example (mother)",
                             method: .phone, summary: "Discussed attendance.")
        #expect(full.problems(now: Self.now).isEmpty)
        // A note does not ask who it was with.
        #expect(NoteInput(kind: .note, occurredAt: Self.earlier, summary: "x").problems(now: Self.now).isEmpty)
    }

    @Test func nothingIsRecordedAsHappeningInTheFuture() {
        let note = NoteInput(kind: .note, occurredAt: Self.tomorrow, summary: "Planned call")
        #expect(note.problems(now: Self.now) == [FieldProblem(field: RecordField.when, message: "The date cannot be in the future")])
        // A few minutes of clock difference between machines is allowed.
        #expect(NoteInput(kind: .note, occurredAt: Self.now.addingTimeInterval(120), summary: "x").problems(now: Self.now).isEmpty)
        let meeting = MeetingInput(type: .coreGroup, heldAt: Self.tomorrow, attendees: "DSL", decisions: "Plan")
        #expect(meeting.problems(now: Self.now).map(\.message) == ["Date of the meeting cannot be in the future"])
    }

    @Test func aMeetingNeedsAttendeesAndDecisions() {
        let empty = MeetingInput(type: .strategyDiscussion, heldAt: Self.earlier, attendees: " ", decisions: "")
        #expect(Self.fields(empty.problems(now: Self.now)) == [RecordField.attendees, RecordField.decisions])
        #expect(MeetingInput(type: .strategyDiscussion, heldAt: Self.earlier, attendees: "DSL, social worker",
                             decisions: "Section 47 enquiry").problems(now: Self.now).isEmpty)
        #expect(MeetingInput(type: .other, heldAt: Self.earlier, attendees: "a", decisions: "b").significant)
    }

    @Test func aReferralNeedsConsentAndALawfulBasis() {
        let bare = ReferralInput(agency: .socialCare, madeAt: Self.earlier)
        #expect(bare.problems(now: Self.now) == [
            FieldProblem(field: RecordField.consent, message: "Record the consent basis"),
            FieldProblem(field: RecordField.lawfulBasis, message: "Record the lawful basis for sharing"),
        ])
        let given = ReferralInput(agency: .socialCare, madeAt: Self.earlier, consent: .givenByParent, lawfulBasis: .publicTask)
        #expect(given.problems(now: Self.now).isEmpty)
    }

    @Test(arguments: [(ConsentBasis.notSought, "Say why consent was not sought"),
                      (.refusedProceeding, "Say why the referral goes ahead without consent")])
    func goingAheadWithoutConsentNeedsAReason(_ consent: ConsentBasis, _ message: String) {
        var referral = ReferralInput(agency: .police, madeAt: Self.earlier, consent: consent, lawfulBasis: .legalObligation)
        #expect(referral.problems(now: Self.now) == [FieldProblem(field: RecordField.consentReason, message: message)])
        referral.consentReason = "Asking would place the child at greater risk."
        #expect(referral.problems(now: Self.now).isEmpty)
    }

    @Test func aDecisionNotToReferNeedsItsReasoningButNoConsent() {
        var decision = ReferralInput(agency: .camhs, outcome: .notReferred, madeAt: Self.earlier)
        #expect(decision.problems(now: Self.now) == [FieldProblem(field: RecordField.reasoning, message: "Record why no referral was made")])
        decision.reasoning = "Threshold not met; school nurse to support."
        #expect(decision.problems(now: Self.now).isEmpty)
    }

    @Test func theAgencysDecisionNeedsItsDateAndComesAfterTheReferral() {
        let base = ReferralInput(agency: .earlyHelp, madeAt: Self.earlier, consent: .givenByParent, lawfulBasis: .consent)
        var noDate = base
        noDate.decision = "Accepted"
        #expect(noDate.problems(now: Self.now) == [FieldProblem(field: RecordField.decidedOn, message: "Give the date of the decision")])
        var noText = base
        noText.decidedOn = Self.now
        #expect(noText.problems(now: Self.now) == [FieldProblem(field: RecordField.decision, message: "Write the agency's decision")])
        var before = base
        before.decision = "Accepted"
        before.decidedOn = Self.earlier.addingTimeInterval(-2 * 86_400)
        #expect(before.problems(now: Self.now).map(\.message) == ["The decision cannot come before the referral"])
        var sameDay = base
        sameDay.decision = "Accepted"
        sameDay.decidedOn = UKDate.calendar.startOfDay(for: Self.earlier)
        #expect(sameDay.problems(now: Self.now).isEmpty, "a decision the same day, whatever the hour, is fine")
        var future = base
        future.decision = "Accepted"
        future.decidedOn = Self.tomorrow
        #expect(future.problems(now: Self.now).map(\.message) == ["Date of the decision cannot be in the future"])
    }

    @Test func anActionNeedsWhatWhoAndAFutureDueDate() {
        let empty = ActionInput(description: " ", owner: "", due: Self.now.addingTimeInterval(-2 * 86_400))
        #expect(empty.problems(now: Self.now) == [
            FieldProblem(field: RecordField.description, message: "Say what must be done"),
            FieldProblem(field: RecordField.owner, message: "Choose who will do it"),
            FieldProblem(field: RecordField.due, message: "The due date cannot be in the past"),
        ])
        // Due today, even at midnight before now, is not in the past.
        let today = ActionInput(description: "Phone home", owner: "dsl.marsh", due: UKDate.calendar.startOfDay(for: Self.now))
        #expect(today.problems(now: Self.now).isEmpty)
    }

    @Test func anAmendmentNeedsNewTextThatDiffersAndAReason() {
        #expect(Self.fields(AmendmentInput(newText: "", reason: "").problems(currentText: "Old")) == [RecordField.text, RecordField.reason])
        let same = AmendmentInput(newText: "  Old text\n", reason: "Typo")
        #expect(same.problems(currentText: "Old text") == [FieldProblem(field: RecordField.text, message: "The text is unchanged")])
        #expect(AmendmentInput(newText: "New text", reason: "Wrong date").problems(currentText: "Old text").isEmpty)
    }

    @Test func everyMessageIsASentenceWithoutAFullStop() {
        let problems = NoteInput(kind: .contact, occurredAt: Self.tomorrow, summary: "").problems(now: Self.now)
            + MeetingInput(type: .other, heldAt: Self.tomorrow, attendees: "", decisions: "").problems(now: Self.now)
            + ReferralInput(agency: .other, madeAt: Self.tomorrow, consent: .notSought).problems(now: Self.now)
            + ActionInput(description: "", owner: "", due: .distantPast).problems(now: Self.now)
        #expect(problems.count > 10)
        for problem in problems {
            #expect(problem.message.first?.isUppercase == true, "\(problem.message)")
            #expect(!problem.message.hasSuffix("."), "\(problem.message)")
        }
    }
}
