import CairnDomain
import CairnStore
import Foundation

/// Writes what a form holds, and says in words what was saved.
struct RecordingRunner {
    let store: CairnStore
    let actor: Staff

    func save(_ recording: Recording) throws -> String {
        switch recording {
        case .concern(let draft, let paper):
            let reference = try store.logConcern(actor: actor, draft, paper: paper)
            if paper != nil {
                return "Concern \(reference) typed from paper. It awaits a check against the paper by someone else (v)."
                    + (draft.urgency == .atRiskNow ? " URGENT: tell a DSL in person as well." : "")
            }
            return draft.urgency == .atRiskNow
                ? "Concern \(reference) logged as URGENT: the safeguarding team sees it now. Tell a DSL in person as well."
                : "Concern \(reference) logged. The safeguarding team will see it in their queue."
        case .note(let pupil, let note):
            try store.addNote(actor: actor, pupil: pupil, note)
            return note.kind == .contact ? "Contact recorded." : "Note added."
        case .meeting(let pupil, let meeting):
            try store.addMeeting(actor: actor, pupil: pupil, meeting)
            return "\(meeting.type.label) recorded."
        case .referral(let pupil, let referral):
            try store.recordReferral(actor: actor, pupil: pupil, referral)
            return referral.outcome == .referred
                ? "Referral to \(referral.agency.label) recorded."
                : "Decision not to refer to \(referral.agency.label) recorded."
        case .referralDecision(let referral, let decision, let decidedOn):
            try store.recordReferralDecision(actor: actor, referral: referral, decision: decision, decidedOn: decidedOn)
            return "The agency's decision is recorded."
        case .action(let pupil, let action):
            try store.addAction(actor: actor, pupil: pupil, action)
            return "Action set, due \(UKDate.date(action.due))."
        case .amend(let entry, let amendment):
            try store.amendEntry(actor: actor, entry: entry, amendment)
            return "Entry amended; the earlier text stays in its history."
        case .withhold(let entry, let input):
            try store.withhold(actor: actor, entry: entry, input)
            return WithholdForm.saved(input)
        case .liftWithholding(let id):
            try store.liftWithholding(actor: actor, id: id)
            return "Withholding lifted: the next subject access bundle shows that text."
        case .setFlag(let pupil, let kind, let start):
            try store.setFlag(actor: actor, pupil: pupil, kind: kind, start: start)
            return "\(kind.label) recorded from \(UKDate.date(start))."
        case .endFlag(let pupil, let kind, let end):
            try store.endFlag(actor: actor, pupil: pupil, kind: kind, end: end)
            return "\(kind.label) ended on \(UKDate.date(end))."
        case .completeAction(let id, let outcome):
            try store.completeAction(actor: actor, id: id, status: .done, outcome: outcome)
            return "Action marked done."
        case .moveAction(let id, let due, let reason):
            try store.moveAction(actor: actor, id: id, due: due, reason: reason)
            return "Action now due \(UKDate.date(due))."
        case .reassignAction(let id, let owner, let reason):
            try store.reassignAction(actor: actor, id: id, owner: owner, reason: reason)
            let name = (try? store.staff(username: owner))??.displayName ?? owner
            return "Action reassigned to \(name)."
        case .verifyBackfill(let id):
            let paper = try store.verifyBackfill(actor: actor, concern: id)
            return "Checked against the paper written \(UKDate.dateTime(paper.writtenAt)) by \(TextLayout.clean(paper.writtenBy))."
        case .dispute(let entry, let dispute):
            try store.recordDispute(actor: actor, entry: entry, dispute)
            return "The family's statement is recorded; the entry is marked disputed wherever it appears."
        }
    }
}
