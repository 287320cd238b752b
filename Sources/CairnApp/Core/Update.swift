import CairnDomain
import CairnStore
import Foundation

public enum Msg: Sendable {
    case key(Key)
    case resized(Size)
    case tick(Date)
    case queueLoaded([QueueItem], reset: Bool, requested: Int)
    case countsLoaded(StatusCounts)
    case concernOpened(ConcernDetail)
    case caseHoldersLoaded(ConcernID, ConcernReference, [Staff])
    case saved(String)
    case failed(String)
    /// Someone else decided first: the open form says what they did and keeps what was entered.
    case conflict(String)
    case pupilsFound(String, [PupilSummary])
    case chronologyOpened(PupilHeader, [ChronologyRow])
    case chronologyPage([ChronologyRow], reset: Bool)
}

/// Work that happens outside `update`; each comes back as a message.
public enum Effect: Equatable, Sendable {
    /// `after: nil` reloads from the top, keeping at least as many rows as were loaded.
    case loadQueue(after: QueueCursor?, limit: Int)
    case loadCounts
    case openConcern(ConcernID)
    case loadCaseHolders(ConcernID, ConcernReference)
    case triage(ConcernID, TriageDecision, seen: Int64?)
    case close(ConcernID, Outcome, seen: Int64?)
    case findPupils(String)
    case openChronology(PupilID)
    case loadChronology(PupilID, ChronologyOrder, ChronologyFilter, after: ChronologyCursor?)
}

public enum App {
    /// How many rows to fetch at a time; pages arrive as the user scrolls towards them.
    public static let pageSize = 100

    public static func start(_ state: inout AppState) -> [Effect] {
        state.queue.loading = true
        return [.loadQueue(after: nil, limit: pageSize), .loadCounts]
    }

    /// Reloads what is on screen, keeping the selection on the same concern.
    public static func refresh(_ state: inout AppState) -> [Effect] {
        [.loadQueue(after: nil, limit: max(pageSize, state.queue.items.count)), .loadCounts]
    }

    public static func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
        switch msg {
        case .key(let key):
            return handle(key: key, in: &state)
        case .resized(let size):
            state.size = size
            keepSelectionVisible(&state)
            return []
        case .tick(let now):
            state.now = now
            return []
        case .queueLoaded(let items, let reset, let requested):
            let previouslySelected = state.queue.selectedItem?.id
            if reset { state.queue.items = items } else { state.queue.items += items }
            state.queue.exhausted = items.count < requested
            state.queue.loading = false
            state.queue.loaded = true
            if reset, let previouslySelected, let index = state.queue.items.firstIndex(where: { $0.id == previouslySelected }) {
                state.queue.selected = index
            }
            state.queue.selected = min(state.queue.selected, max(0, state.queue.items.count - 1))
            keepSelectionVisible(&state)
            return []
        case .pupilsFound(let text, let pupils):
            guard case .finder(var finder) = state.overlay, finder.query.text == text else { return [] }
            finder.results = pupils
            finder.resultsFor = text
            finder.selected = min(finder.selected, max(0, pupils.count - 1))
            state.overlay = .finder(finder)
            return []
        case .chronologyOpened(let header, let rows):
            state.chronology = ChronologyState(header: header)
            PupilScreens.chronologyLoaded(rows, reset: true, &state)
            return []
        case .chronologyPage(let rows, let reset):
            PupilScreens.chronologyLoaded(rows, reset: reset, &state)
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
            let current = state.queue.items.first(where: { $0.id == id })
            let holderIndex = holders.firstIndex { $0.username == (current?.caseHolder ?? state.actor.username) } ?? 0
            state.overlay = .triage(TriageForm(concern: id, reference: reference, level: current?.level ?? .earlyHelp,
                                               holders: holders, holderIndex: holderIndex,
                                               restricted: current?.restricted ?? false, seen: current?.decisionVersion ?? 0))
            return []
        case .saved(let text):
            state.overlay = nil
            state.notice = Notice(kind: .info, text: text)
            var effects = refresh(&state)
            if let open = state.detail?.detail.item.id { effects.append(.openConcern(open)) }
            return effects
        case .conflict(let text):
            // Having been told what the other person did, the next save is a deliberate one.
            showProblem(text, in: &state, clearingSeen: true)
            return refresh(&state)
        case .failed(let text):
            showProblem(text, in: &state, clearingSeen: false)
            state.queue.loading = false
            state.chronology?.loading = false
            return []
        }
    }

    /// Keeps any open form, with what was entered, and says in it what went wrong; otherwise
    /// the notice line says it.
    private static func showProblem(_ text: String, in state: inout AppState, clearingSeen: Bool) {
        switch state.overlay {
        case .triage(var form):
            form.problem = text
            form.saving = false
            if clearingSeen { form.seen = nil }
            state.overlay = .triage(form)
        case .close(var form):
            form.problem = text
            form.saving = false
            if clearingSeen { form.seen = nil }
            state.overlay = .close(form)
        default:
            state.notice = Notice(kind: .problem, text: text)
        }
    }

    private static func handle(key: Key, in state: inout AppState) -> [Effect] {
        if case .close(var form) = state.overlay {
            if let effects = CloseFormInput.handleTyping(key, &form, &state) { return effects }
        }
        if case .finder(var finder) = state.overlay {
            return PupilScreens.finderKey(key, &finder, &state)
        }
        guard let command = Keymap.command(for: key, in: state.context) else { return [] }
        state.notice = nil
        switch command {
        case .quit, .forceQuit:
            state.finished = true
            return []
        case .help:
            state.overlay = .help(state.context)
            return []
        case .find:
            guard AccessPolicy.decide(state.actor, .readChronology).isAllowed else {
                state.notice = Notice(kind: .problem, text: "Your role cannot open pupils' chronologies.")
                return []
            }
            state.overlay = .finder(FinderState())
            return []
        default:
            break
        }
        switch state.context {
        case .help:
            state.overlay = nil
            return []
        case .form:
            return FormInput.handle(command, &state)
        case .finder:
            return []
        case .chronology:
            return PupilScreens.chronologyCommand(command, &state)
        case .detail:
            return detailCommand(command, &state)
        case .queue, .global:
            return queueCommand(command, &state)
        }
    }

    private static func queueCommand(_ command: Command, _ state: inout AppState) -> [Effect] {
        let count = state.queue.items.count
        switch command {
        case .moveDown: state.queue.selected = min(count - 1, state.queue.selected + 1)
        case .moveUp: state.queue.selected = max(0, state.queue.selected - 1)
        case .pageDown: state.queue.selected = min(count - 1, state.queue.selected + state.queueRows)
        case .pageUp: state.queue.selected = max(0, state.queue.selected - state.queueRows)
        case .top: state.queue.selected = 0
        case .bottom: state.queue.selected = count - 1
        case .open:
            if let item = state.queue.selectedItem { return [.openConcern(item.id)] }
        case .triage, .close:
            if let item = state.queue.selectedItem { return startDecision(command, item: item, &state) }
        default:
            break
        }
        state.queue.selected = max(0, state.queue.selected)
        keepSelectionVisible(&state)
        return loadMoreIfNeeded(&state)
    }

    private static func detailCommand(_ command: Command, _ state: inout AppState) -> [Effect] {
        guard var detail = state.detail else { return [] }
        let page = max(1, state.size.height - 4)
        switch command {
        case .moveDown: detail.scroll += 1
        case .moveUp: detail.scroll = max(0, detail.scroll - 1)
        case .pageDown: detail.scroll += page
        case .pageUp: detail.scroll = max(0, detail.scroll - page)
        case .back:
            state.detail = nil
            return []
        case .nextPupil:
            detail.pupilIndex = (detail.pupilIndex + 1) % max(1, detail.detail.item.pupils.count)
        case .open:
            state.detail = detail
            guard let pupil = detail.detail.item.pupils.indices.contains(detail.pupilIndex)
                ? detail.detail.item.pupils[detail.pupilIndex] : nil else { return [] }
            return [.openChronology(pupil.id)]
        case .triage, .close:
            state.detail = detail
            return startDecision(command, item: detail.detail.item, &state)
        default:
            break
        }
        // The view clamps the scroll to the content; keep the state in step with it.
        detail.scroll = min(detail.scroll, DetailView.maxScroll(detail.detail, size: state.size))
        state.detail = detail
        return []
    }

    private static func startDecision(_ command: Command, item: QueueItem, _ state: inout AppState) -> [Effect] {
        guard AccessPolicy.decide(state.actor, command == .triage ? .triage : .close).isAllowed else {
            state.notice = Notice(kind: .problem, text: "Only the safeguarding team can \(command == .triage ? "triage" : "close") concerns.")
            return []
        }
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
        state.overlay = .close(CloseForm(concern: item.id, reference: item.reference, seen: item.decisionVersion))
        return []
    }

    static func keepSelectionVisible(_ state: inout AppState) {
        let rows = state.queueRows
        if state.queue.selected < state.queue.top { state.queue.top = state.queue.selected }
        if state.queue.selected >= state.queue.top + rows { state.queue.top = state.queue.selected - rows + 1 }
        state.queue.top = max(0, min(state.queue.top, max(0, state.queue.items.count - rows)))
    }

    /// Fetches the next page when the selection comes within a screen of the end of what is loaded.
    private static func loadMoreIfNeeded(_ state: inout AppState) -> [Effect] {
        guard !state.queue.exhausted, !state.queue.loading, let last = state.queue.items.last,
              state.queue.selected >= state.queue.items.count - state.queueRows else { return [] }
        state.queue.loading = true
        return [.loadQueue(after: last.cursor, limit: pageSize)]
    }
}
