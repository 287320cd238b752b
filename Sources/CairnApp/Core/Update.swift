import CairnDomain
import CairnStore
import Foundation

public enum App {
    /// How many rows to fetch at a time; pages arrive as the user scrolls towards them.
    public static let pageSize = 100

    public static func start(_ state: inout AppState) -> [Effect] {
        state.queue.loading = true
        // Received files first, so that the top row selected at the start is the first of them.
        return TransferReviews.load(state) + [.loadQueue(after: nil, limit: pageSize), .loadCounts]
    }

    /// Reloads what is on screen after a change (one's own or someone else's), keeping each
    /// selection on the same item.
    public static func refresh(_ state: inout AppState) -> [Effect] {
        var effects: [Effect] = TransferReviews.load(state)
            + [.loadQueue(after: nil, limit: max(pageSize, state.queue.items.count)), .loadCounts]
        if state.actions.loaded {
            effects.append(.loadActions(state.actions.view, after: nil, limit: max(pageSize, state.actions.items.count)))
        }
        if let chronology = state.chronology {
            effects.append(.refreshChronology(chronology.header.id, chronology.order, chronology.filter,
                                              limit: max(pageSize, chronology.rows.count)))
        }
        return effects
    }

    public static func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
        switch msg {
        case .key(let key):
            return KeyDispatch.handle(key: key, in: &state)
        case .resized(let size):
            state.size = size
            FormFlow.resized(&state)
            state.queue.keepVisible(rows: state.queueRows)
            state.actions.keepVisible(rows: state.actionRows)
            let chronologyRows = state.chronologyRows
            state.chronology?.keepVisible(rows: chronologyRows)
            AuditPane.resized(&state)
            return []
        case .tick(let now):
            state.now = now
            return []
        case .unlockChecked(let correct):
            LockScreen.checked(correct, &state)
            return []
        case .auditAcknowledged(let acknowledged):
            state.auditBreak = nil
            state.notice = Notice(kind: .info, text: acknowledged.map {
                "Acknowledged the break at audit event \($0.sequence); later events are checked from here."
            } ?? "The audit chain had no break to acknowledge.")
            return []
        case .queueLoaded(let items, let reset, let requested):
            let previouslySelected = state.queue.selectedItem?.id
            if reset { state.queue.items = items } else { state.queue.items += items }
            state.queue.exhausted = items.count < requested
            state.queue.loading = false
            state.queue.loaded = true
            if reset, let previouslySelected, let index = state.queue.items.firstIndex(where: { $0.id == previouslySelected }) {
                state.queue.selected = state.queue.reviews.count + index
            }
            state.queue.keepVisible(rows: state.queueRows)
            return []
        case .reviewsLoaded(let reviews):
            TransferReviews.loaded(reviews, &state)
            return []
        case .actionsLoaded(let rows, let reset, let requested):
            ActionsPane.loaded(rows, reset: reset, requested: requested, &state)
            return []
        case .auditLoaded(let filter, let records, let reset, let requested):
            AuditPane.loaded(filter, records, reset: reset, requested: requested, &state)
            return []
        case .auditFilterResolved(let filter, let draft):
            return AuditPane.resolved(filter, draft, &state)
        case .looksLoaded(let pupil, let looks):
            AuditPane.looksLoaded(pupil, looks, &state)
            return []
        case .pupilsFound(let text, let pupils):
            guard case .form(var session) = state.overlay else { return [] }
            FormFlow.pupilsFound(text, pupils, &session)
            state.overlay = .form(session)
            return []
        case .finderResults(let generation, let found):
            return Finder.results(generation, found, &state)
        case .clock(let now):
            return Finder.clock(now, &state)
        case .chronologyOpened(let header, let rows, let seekAction):
            state.chronology = ChronologyState(header: header, seekAction: seekAction)
            state.pane = .chronology
            return PupilScreens.chronologyLoaded(rows, reset: true, &state)
        case .chronologyOpenedAtEntry(let header, let rows, let entry):
            state.chronology = ChronologyState(header: header, seekEntry: entry)
            state.pane = .chronology
            return PupilScreens.chronologyLoaded(rows, reset: true, &state)
        case .chronologyPage(let rows, let reset):
            return PupilScreens.chronologyLoaded(rows, reset: reset, &state)
        case .chronologyRefreshed(let header, let rows):
            PupilScreens.chronologyRefreshed(header, rows, &state)
            return []
        case .entryOpened(let detail, let then):
            switch then {
            case .show: state.chronology?.entry = EntryState(detail: detail)
            case .amend: FormFlow.startAmend(detail, &state)
            case .withhold: WithholdForm.start(detail, &state)
            case .dispute: FormFlow.startDispute(detail, &state)
            }
            return []
        case .ownersLoaded(let purpose, let owners):
            FormFlow.startWithOwners(purpose, owners, &state)
            return []
        case .countsLoaded(let counts):
            state.counts = counts
            return []
        case .concernOpened(let detail):
            state.detail = DetailState(detail: detail)
            return []
        case .caseHoldersLoaded(let id, let reference, let holders):
            guard !holders.isEmpty else {
                state.notice = Notice(kind: .problem, text: "No active DSL or deputy can hold this case; add one with `cairn staff add`.")
                return []
            }
            FormFlow.startTriage(id, reference, holders: holders, &state)
            return []
        case .saved(let text):
            state.overlay = nil
            state.notice = Notice(kind: .info, text: text)
            var effects = refresh(&state)
            if let open = state.detail?.detail.item.id { effects.append(.openConcern(open)) }
            if let entry = state.chronology?.entry { effects.append(.openEntry(entry.detail.row.entry.id, then: .show)) }
            return effects
        case .invalid(let problems):
            FormFlow.showProblems(problems, &state)
            return []
        case .conflict(let text):
            // Having been told what the other person did, the next save is a deliberate one.
            FormFlow.showProblem(text, clearingSeen: true, &state)
            return refresh(&state)
        case .failed(let text):
            FormFlow.showProblem(text, clearingSeen: false, &state)
            Finder.failed(&state)
            state.queue.loading = false
            state.actions.loading = false
            state.chronology?.loading = false
            AuditPane.failed(&state)
            return []
        }
    }

    /// Fetches the next page when the selection comes within a screen of the end of what is loaded.
    static func loadMoreIfNeeded(_ state: inout AppState) -> [Effect] {
        guard state.queue.needsMore(rows: state.queueRows), let last = state.queue.items.last else { return [] }
        state.queue.loading = true
        return [.loadQueue(after: last.cursor, limit: pageSize)]
    }
}
