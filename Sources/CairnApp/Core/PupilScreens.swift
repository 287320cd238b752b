import CairnDomain
import CairnStore

/// One pupil's chronology as loaded so far: pages arrive by keyset as the user scrolls.
public struct ChronologyState: Equatable, Sendable {
    public var header: PupilHeader
    public var rows: [ChronologyRow] = []
    public var selected = 0
    public var top = 0
    public var exhausted = false
    public var loading = false
    public var order: ChronologyOrder = .newestFirst
    public var filter = ChronologyFilter()
    /// The entry opened in full, if any.
    public var entry: EntryState?
    /// An action to select once the page holding it arrives (jumping from the Actions pane).
    public var seekAction: Int64?
    /// An entry to select once the page holding it arrives (opening a search hit).
    public var seekEntry: Int64?

    public var selectedRow: ChronologyRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    /// The row being sought, if any.
    var seeking: ((ChronologyRow) -> Bool)? {
        if let action = seekAction { return { $0.entry.action == action } }
        if let entry = seekEntry { return { $0.entry.id == entry } }
        return nil
    }
}

/// Keys for the chronology and an opened entry.
enum PupilScreens {
    static func chronologyCommand(_ command: Command, _ state: inout AppState) -> [Effect] {
        guard var chronology = state.chronology else {
            if command == .back { return back(&state) }
            if [.addNote, .addReferral, .addMeeting, .addAction, .amend, .setFlag, .export, .filter, .dispute].contains(command) {
                state.notice = Notice(kind: .problem, text: "Open a pupil first: press / to find one.")
            }
            return []
        }
        let pupil = chronology.header.id
        let page = state.chronologyRows
        if chronology.move(command, page: page) {
            chronology.keepVisible(rows: page)
            guard chronology.needsMore(rows: page), let last = chronology.rows.last else {
                state.chronology = chronology
                return []
            }
            chronology.loading = true
            state.chronology = chronology
            return [.loadChronology(pupil, chronology.order, chronology.filter, after: last.cursor)]
        }
        switch command {
        case .back:
            return back(&state)
        case .open:
            guard let row = chronology.selectedRow else { return [] }
            return [.openEntry(row.entry.id, then: .show)]
        case .flipOrder:
            chronology.order = chronology.order == .newestFirst ? .oldestFirst : .newestFirst
            return reload(&chronology, &state)
        case .significantOnly:
            chronology.filter.significantOnly.toggle()
            return reload(&chronology, &state)
        case .filter:
            FormFlow.startFilter(chronology.filter, &state)
            return []
        case .addNote:
            FormFlow.startNote(pupil, &state)
            return []
        case .addMeeting:
            FormFlow.startMeeting(pupil, &state)
            return []
        case .addReferral:
            FormFlow.startReferral(pupil, concern: chronology.selectedRow?.entry.concern, &state)
            return []
        case .addAction:
            return [.loadOwners(.newAction(pupil, concern: chronology.selectedRow?.entry.concern))]
        case .setFlag:
            FormFlow.startFlag(chronology.header, &state)
            return []
        case .amend:
            return amend(chronology.selectedRow, &state)
        case .markSignificant:
            guard let row = chronology.selectedRow else { return [] }
            return [.markSignificant(entry: row.entry.id, !row.entry.significant)]
        case .verifyBackfill:
            guard let row = chronology.selectedRow else { return [] }
            FormFlow.startVerify(row.entry.concern, paper: row.paper, what: concernOf(row.entry), &state)
            return []
        case .dispute:
            // The form names the entry, so it is read in full first (and the read is audited).
            guard let row = chronology.selectedRow else { return [] }
            return [.openEntry(row.entry.id, then: .dispute)]
        case .export:
            return [.exportChronology(pupil)]
        case .withhold:
            // Withholding works on the entry's whole current text, so it is read first.
            guard let row = chronology.selectedRow else { return [] }
            return [.openEntry(row.entry.id, then: .withhold)]
        default:
            return []
        }
    }

    /// Keys on an entry opened in full.
    static func entryCommand(_ command: Command, _ state: inout AppState) -> [Effect] {
        guard var chronology = state.chronology, var entry = chronology.entry else { return [] }
        let scrolled = TextPanel.scroll(command, &entry.scroll, page: max(1, state.size.height - 4))
        switch command {
        case _ where scrolled: break
        case .back:
            chronology.entry = nil
            state.chronology = chronology
            return []
        case .amend:
            FormFlow.startAmend(entry.detail, &state)
            return []
        case .withhold:
            WithholdForm.start(entry.detail, &state)
            return []
        case .recordDecision:
            guard let referral = entry.detail.awaitingDecision else {
                state.notice = Notice(kind: .problem, text: "Only a referral still waiting for the agency's decision takes one.")
                return []
            }
            FormFlow.startReferralDecision(referral, &state)
            return []
        case .markSignificant:
            let row = entry.detail.row
            return [.markSignificant(entry: row.entry.id, !row.entry.significant)]
        case .verifyBackfill:
            let row = entry.detail.row
            FormFlow.startVerify(row.entry.concern, paper: row.paper, what: concernOf(row.entry), &state)
            return []
        case .dispute:
            FormFlow.startDispute(entry.detail, &state)
            return []
        default:
            break
        }
        entry.scroll = min(entry.scroll, EntryView.maxScroll(entry.detail, size: PaneLayout.detailSize(state.size)))
        chronology.entry = entry
        state.chronology = chronology
        return []
    }

    /// "the concern of 12/03/2026": a chronology row does not carry the concern's reference.
    private static func concernOf(_ entry: ChronologyEntry) -> String {
        "the concern of \(UKDate.date(entry.occurredAt))"
    }

    /// Esc from a pupil's file goes back to the pane it was opened from.
    private static func back(_ state: inout AppState) -> [Effect] {
        guard let pane = state.returnPane, pane != .chronology else { return [] }
        state.returnPane = nil
        state.pane = pane
        return []
    }

    /// Amending needs the entry's whole current text, so it is read first.
    private static func amend(_ row: ChronologyRow?, _ state: inout AppState) -> [Effect] {
        guard let row else { return [] }
        return [.openEntry(row.entry.id, then: .amend)]
    }

    private static func reload(_ chronology: inout ChronologyState, _ state: inout AppState) -> [Effect] {
        chronology.selected = 0
        chronology.top = 0
        chronology.loading = true
        state.chronology = chronology
        return [.loadChronology(chronology.header.id, chronology.order, chronology.filter, after: nil)]
    }

    /// A page arrived. When jumping to an action or an entry, keeps paging until it is found.
    static func chronologyLoaded(_ rows: [ChronologyRow], reset: Bool, _ state: inout AppState) -> [Effect] {
        guard var chronology = state.chronology else { return [] }
        chronology.rows = reset ? rows : chronology.rows + rows
        chronology.exhausted = rows.count < App.pageSize
        chronology.loading = false
        if let sought = chronology.seeking {
            if let index = chronology.rows.firstIndex(where: sought) {
                chronology.selected = index
                chronology.seekAction = nil
                chronology.seekEntry = nil
            } else if !chronology.exhausted, let last = chronology.rows.last {
                chronology.loading = true
                state.chronology = chronology
                return [.loadChronology(chronology.header.id, chronology.order, chronology.filter, after: last.cursor)]
            } else {
                chronology.seekAction = nil
                chronology.seekEntry = nil
            }
        }
        chronology.keepVisible(rows: state.chronologyRows)
        state.chronology = chronology
        return []
    }

    /// The file reloaded after a change: the same entry stays selected.
    static func chronologyRefreshed(_ header: PupilHeader, _ rows: [ChronologyRow], _ state: inout AppState) {
        guard var chronology = state.chronology, chronology.header.id == header.id else { return }
        let selectedID = chronology.selectedRow?.entry.id
        chronology.exhausted = rows.count < max(App.pageSize, chronology.rows.count)
        chronology.header = header
        chronology.rows = rows
        chronology.loading = false
        if let selectedID, let index = rows.firstIndex(where: { $0.entry.id == selectedID }) { chronology.selected = index }
        chronology.keepVisible(rows: state.chronologyRows)
        state.chronology = chronology
    }
}
