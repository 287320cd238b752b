import CairnDomain
import CairnStore
import Foundation

/// Opening each form, after checking that it makes sense for what is selected.
extension FormFlow {
    static func startConcern(pupil: PupilSummary?, _ state: inout AppState) {
        open(.concern, FormCatalogue.concern(pupil: pupil, now: state.now), &state)
    }

    static func startNote(_ pupil: PupilID, _ state: inout AppState) {
        open(.note(pupil), FormCatalogue.note(now: state.now), &state)
    }

    static func startMeeting(_ pupil: PupilID, _ state: inout AppState) {
        open(.meeting(pupil), FormCatalogue.meeting(now: state.now), &state)
    }

    static func startReferral(_ pupil: PupilID, concern: ConcernID?, _ state: inout AppState) {
        open(.referral(pupil, concern: concern), FormCatalogue.referral(now: state.now), &state)
    }

    static func startReferralDecision(_ referral: Int64, _ state: inout AppState) {
        open(.referralDecision(referral), FormCatalogue.referralDecision(now: state.now), &state)
    }

    static func startFlag(_ header: PupilHeader, _ state: inout AppState) {
        open(.flag(header.id), FormCatalogue.flag(header, now: state.now), &state)
    }

    static func startFilter(_ filter: ChronologyFilter, _ state: inout AppState) {
        open(.filter, FormCatalogue.filter(filter), &state)
    }

    static func startAmend(_ detail: EntryDetail, _ state: inout AppState) {
        open(.amend(entry: detail.row.entry.id, currentText: detail.body), FormCatalogue.amend(currentText: detail.body), &state)
    }

    static func startWithOwners(_ purpose: OwnersFor, _ owners: [Staff], _ state: inout AppState) {
        switch purpose {
        case .newAction(let pupil, let concern):
            open(.action(pupil, concern: concern), FormCatalogue.action(owners: owners, actor: state.actor, now: state.now), &state)
        case .reassign(let id):
            guard let row = state.actions.items.first(where: { $0.action.id == id }) else { return }
            open(.reassign(id), FormCatalogue.reassign(shown(row, state), owners: owners.filter { $0.username != row.action.owner }), &state)
        }
    }

    static func startDone(_ row: ActionRow, _ state: inout AppState) {
        open(.done(row.action.id), FormCatalogue.done(shown(row, state)), &state)
    }

    /// A form's title names the child; in privacy mode, by initials and year only.
    private static func shown(_ row: ActionRow, _ state: AppState) -> ActionRow {
        state.privacy ? PrivacyMask.mask(row) : row
    }

    static func startMove(_ row: ActionRow, _ state: inout AppState) {
        open(.move(row.action.id), FormCatalogue.move(shown(row, state)), &state)
    }

    static func startTriage(_ id: ConcernID, _ reference: ConcernReference, holders: [Staff], _ state: inout AppState) {
        let current = state.queue.items.first { $0.id == id } ?? state.detail.map(\.detail.item)
        let holder = holders.first { $0.username == (current?.caseHolder ?? state.actor.username) }?.username ?? holders.first?.username
        open(.triage(id), FormCatalogue.triage(holders: holders, holder: holder, level: current?.level ?? .earlyHelp,
                                               restricted: current?.restricted ?? false, reference: reference),
             seen: current?.decisionVersion ?? 0, &state)
    }

    /// Triage and closure follow the concern's life: new → in progress → closed.
    static func startDecision(_ command: Command, item: QueueItem, _ state: inout AppState) -> [Effect] {
        if command == .triage {
            if item.status == .closed {
                state.notice = Notice(kind: .problem, text: "\(item.reference) is closed; it cannot be triaged again.")
                return []
            }
            return [.loadCaseHolders(item.id, item.reference)]
        }
        if item.status == .new {
            state.notice = Notice(kind: .problem, text: "Triage \(item.reference) (t) before closing it.")
            return []
        }
        if item.status == .closed {
            state.notice = Notice(kind: .problem, text: "\(item.reference) is already closed.")
            return []
        }
        open(.close(item.id), FormCatalogue.close(reference: item.reference), seen: item.decisionVersion, &state)
        return []
    }
}

/// Checking a record typed from paper, and recording a family's dispute of an entry.
extension FormFlow {
    /// `v`: only a concern typed from paper and not yet checked, and never by its typist (the store
    /// refuses that too; here it is said before a form opens for nothing).
    static func startVerify(_ concern: ConcernID?, paper: PaperOriginal?, what: String, _ state: inout AppState) {
        guard let concern, let paper else {
            state.notice = Notice(kind: .problem, text: "Only a concern typed from a paper form is checked against the paper.")
            return
        }
        // Short enough for the notice line at 80 columns; the store says the same at length.
        if let checked = paper.verifiedAt {
            state.notice = Notice(kind: .problem, text: "Already checked against the paper by "
                + "\(TextLayout.clean(paper.verifiedByName ?? paper.verifiedBy ?? "?")), \(UKDate.dateTime(checked)).")
            return
        }
        if paper.typistRefusal(by: state.actor.username, what) != nil {
            state.notice = Notice(kind: .problem, text: "You typed this from the paper: someone else must check it against the paper.")
            return
        }
        open(.verifyBackfill(concern), FormCatalogue.verify(paper, what: what), &state)
    }

    /// `D`: the family's statement about an entry they dispute. A dispute's own entry is not disputed.
    static func startDispute(_ detail: EntryDetail, _ state: inout AppState) {
        guard detail.row.entry.kind != .dispute else {
            state.notice = Notice(kind: .problem, text: "This entry is a family's statement; record a dispute on the entry it is about.")
            return
        }
        open(.dispute(entry: detail.row.entry.id, entryDate: detail.row.entry.occurredAt),
             FormCatalogue.dispute(detail, now: state.now), &state)
    }
}
