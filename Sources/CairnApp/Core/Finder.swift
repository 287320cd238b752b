import CairnDomain
import CairnStore
import Foundation

/// The `/` finder: the text typed so far, the pupils it names and the entries whose text it finds.
public struct FinderState: Equatable, Sendable {
    public var query = TextField()
    /// Pupils by name, UPN or form: listed first.
    public var results: [PupilSummary] = []
    /// Entries by what was written in them, best first: listed after the pupils.
    public var hits: [SearchHit] = []
    /// More entries matched than are listed.
    public var moreHits = false
    /// Index into pupils then hits.
    public var selected = 0
    /// The text the results on screen belong to.
    public var resultsFor = ""
    /// Goes up every time the text changes. A search carries the generation it was asked for, and
    /// its answer is dropped unless the text is still that generation's.
    public var generation = 0
    /// A search waiting for typing to pause: from the key until the debounce settles.
    public var waiting: Debounce?
    /// The generation a search is running for, until its answer comes.
    public var searching: Int?
    /// Enter was pressed before the answer came: open the chosen result as soon as it does.
    public var openOnArrival = false

    public enum Debounce: Equatable, Sendable {
        /// The text changed; the next clock message says when.
        case unstamped
        /// The text has not changed since then.
        case since(Date)
    }

    public init() {}

    public var count: Int { results.count + hits.count }

    /// Whether what is on screen answers the text as it is now.
    public var isCurrent: Bool { waiting == nil && searching == nil && resultsFor == query.text }
}

/// Typing in the finder over a slow link: nothing is asked of the store for each key. A search
/// runs once the text has been still for `debounce` (the first clock message after that; the
/// terminal sends one about every 100 ms while a search waits), so each search a person sees the
/// results of is one read and one audit event, not one per key. An answer for text that has
/// changed since is dropped, so a slow answer can never replace a newer one.
enum Finder {
    static let debounce: TimeInterval = 0.15

    static func key(_ key: Key, _ finder: inout FinderState, _ state: inout AppState) -> [Effect] {
        switch key {
        case .escape:
            state.overlay = nil
            return []
        case .ctrl("c"):
            state.finished = true
            return []
        case .down, .tab:
            finder.selected = min(max(0, finder.count - 1), finder.selected + 1)
        case .up, .backTab:
            finder.selected = max(0, finder.selected - 1)
        case .enter:
            if finder.isCurrent { return open(finder, &state) }
            guard !finder.query.text.trimmingCharacters(in: .whitespaces).isEmpty else { break }
            // Typed and Enter before the pause: search at once, and open what it finds.
            finder.openOnArrival = true
            let effects = finder.searching == finder.generation ? [] : search(&finder)
            state.overlay = .finder(finder)
            return effects
        default:
            let before = finder.query.text
            guard finder.query.edit(with: key), finder.query.text != before else { return [] }
            changed(&finder)
        }
        state.overlay = .finder(finder)
        return []
    }

    /// New text: older answers are stale from now on. Blank text needs no search at all.
    static func changed(_ finder: inout FinderState) {
        finder.generation += 1
        finder.openOnArrival = false
        if finder.query.text.trimmingCharacters(in: .whitespaces).isEmpty {
            finder.waiting = nil
            finder.searching = nil
            finder.results = []
            finder.hits = []
            finder.moreHits = false
            finder.selected = 0
            finder.resultsFor = finder.query.text
        } else {
            finder.waiting = .unstamped
        }
    }

    /// The time now, from the terminal: stamps new text, and starts the search once it has been still long enough.
    static func clock(_ now: Date, _ state: inout AppState) -> [Effect] {
        guard case .finder(var finder) = state.overlay, let waiting = finder.waiting else { return [] }
        var effects: [Effect] = []
        switch waiting {
        case .unstamped: finder.waiting = .since(now)
        case .since(let typed): if now.timeIntervalSince(typed) >= debounce { effects = search(&finder) }
        }
        state.overlay = .finder(finder)
        return effects
    }

    private static func search(_ finder: inout FinderState) -> [Effect] {
        finder.waiting = nil
        finder.searching = finder.generation
        return [.finderSearch(finder.query.text, generation: finder.generation)]
    }

    /// An answer arrived: shown only if the text is still what it was asked for.
    static func results(_ generation: Int, _ found: FinderResults, _ state: inout AppState) -> [Effect] {
        guard case .finder(var finder) = state.overlay, generation == finder.generation else { return [] }
        let fresh = finder.resultsFor != finder.query.text
        finder.results = found.pupils
        finder.hits = found.hits
        finder.moreHits = found.moreHits
        finder.resultsFor = finder.query.text
        finder.searching = nil
        finder.selected = fresh ? 0 : min(finder.selected, max(0, finder.count - 1))
        if finder.openOnArrival, finder.count > 0 { return open(finder, &state) }
        finder.openOnArrival = false
        state.overlay = .finder(finder)
        return []
    }

    /// The store could not answer: stop waiting for it (the notice says why).
    static func failed(_ state: inout AppState) {
        guard case .finder(var finder) = state.overlay else { return }
        finder.searching = nil
        finder.openOnArrival = false
        state.overlay = .finder(finder)
    }

    /// Enter: a pupil opens their chronology; a hit opens that pupil's chronology at its entry.
    private static func open(_ finder: FinderState, _ state: inout AppState) -> [Effect] {
        let index = finder.selected
        guard index < finder.count else { return [] }
        state.overlay = nil
        if state.pane != .chronology { state.returnPane = state.pane }
        if index < finder.results.count { return [.openChronology(finder.results[index].id, seekAction: nil)] }
        let hit = finder.hits[index - finder.results.count]
        return [.openChronologyAtEntry(hit.pupil.id, entry: hit.entry)]
    }
}
