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

    public var selectedRow: ChronologyRow? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// The `/` finder: the text typed so far and the pupils it matches.
public struct FinderState: Equatable, Sendable {
    public var query = TextField()
    public var results: [PupilSummary] = []
    public var selected = 0
    /// The text the results belong to, so that a slow answer to an older query is ignored.
    public var resultsFor = ""
}

/// Keys for the chronology screen and the finder.
enum PupilScreens {
    static func chronologyCommand(_ command: Command, _ state: inout AppState) -> [Effect] {
        guard var chronology = state.chronology else { return [] }
        let rows = chronology.rows.count
        let page = state.chronologyRows
        switch command {
        case .moveDown: chronology.selected = min(rows - 1, chronology.selected + 1)
        case .moveUp: chronology.selected = max(0, chronology.selected - 1)
        case .pageDown: chronology.selected = min(rows - 1, chronology.selected + page)
        case .pageUp: chronology.selected = max(0, chronology.selected - page)
        case .top: chronology.selected = 0
        case .bottom: chronology.selected = rows - 1
        case .back:
            state.chronology = nil
            return []
        case .flipOrder:
            chronology.order = chronology.order == .newestFirst ? .oldestFirst : .newestFirst
            return reload(&chronology, &state)
        case .significantOnly:
            chronology.filter.significantOnly.toggle()
            return reload(&chronology, &state)
        default:
            break
        }
        chronology.selected = max(0, chronology.selected)
        if chronology.selected < chronology.top { chronology.top = chronology.selected }
        if chronology.selected >= chronology.top + page { chronology.top = chronology.selected - page + 1 }
        var effects: [Effect] = []
        if !chronology.exhausted, !chronology.loading, let last = chronology.rows.last, chronology.selected >= rows - page {
            chronology.loading = true
            effects = [.loadChronology(chronology.header.id, chronology.order, chronology.filter, after: last.cursor)]
        }
        state.chronology = chronology
        return effects
    }

    private static func reload(_ chronology: inout ChronologyState, _ state: inout AppState) -> [Effect] {
        chronology.selected = 0
        chronology.top = 0
        chronology.loading = true
        state.chronology = chronology
        return [.loadChronology(chronology.header.id, chronology.order, chronology.filter, after: nil)]
    }

    static func chronologyLoaded(_ rows: [ChronologyRow], reset: Bool, _ state: inout AppState) {
        guard var chronology = state.chronology else { return }
        chronology.rows = reset ? rows : chronology.rows + rows
        chronology.exhausted = rows.count < App.pageSize
        chronology.loading = false
        state.chronology = chronology
    }

    /// Typing in the finder: each change asks for fresh results; arrows choose; Enter opens.
    static func finderKey(_ key: Key, _ finder: inout FinderState, _ state: inout AppState) -> [Effect] {
        switch key {
        case .escape:
            state.overlay = nil
            return []
        case .ctrl("c"):
            state.finished = true
            return []
        case .down, .tab:
            finder.selected = min(max(0, finder.results.count - 1), finder.selected + 1)
        case .up, .backTab:
            finder.selected = max(0, finder.selected - 1)
        case .enter:
            guard finder.results.indices.contains(finder.selected) else { return [] }
            state.overlay = nil
            return [.openChronology(finder.results[finder.selected].id)]
        default:
            let before = finder.query.text
            guard finder.query.edit(with: key) else { return [] }
            state.overlay = .finder(finder)
            return finder.query.text == before ? [] : [.findPupils(finder.query.text)]
        }
        state.overlay = .finder(finder)
        return []
    }
}
