@testable import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// The finder's debounce and its dropping of stale answers, through `update` alone: the clock is
/// the messages' own dates, so nothing here depends on how fast the machine is.
@Suite struct FinderSearchTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let dsl = Staff(username: "dsl.marsh", displayName: "Petra Marsh", role: .dsl, school: SchoolID(rawValue: 1))
    static let pupil = PupilSummary(id: PupilID(rawValue: 7), upn: "A999999999999", name: "Ivy Olden", yearGroup: .year8,
                                    form: "8A", dateOfBirth: t0)
    static let hit = SearchHit(pupil: pupil, school: SchoolID(rawValue: 1), entry: 42, kind: .note, occurredAt: t0, part: .entry,
                               snippet: HighlightedText(runs: [.init("a ", matched: false), .init("bruise", matched: true),
                                                                .init(" on the arm", matched: false)]))

    func finderOpen() -> AppState {
        var state = AppState(actor: Self.dsl, schoolName: "Hollin Vale Academy", now: Self.t0, size: Size(width: 80, height: 24))
        state.overlay = .finder(FinderState())
        return state
    }

    func finder(_ state: AppState) throws -> FinderState {
        guard case .finder(let finder) = state.overlay else { throw Missing() }
        return finder
    }

    struct Missing: Error {}

    /// Keys as the terminal sends them: each followed by the time it arrived.
    func type(_ text: String, at time: Date, into state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        for character in text {
            effects += App.update(&state, .key(.char(character)))
            effects += App.update(&state, .clock(time))
        }
        return effects
    }

    @Test func aSearchRunsOnlyOnceTypingHasPausedFor150ms() throws {
        var state = finderOpen()
        #expect(type("bru", at: Self.t0, into: &state).isEmpty, "no search for each key")
        #expect(state.wantsClock)
        #expect(App.update(&state, .clock(Self.t0.addingTimeInterval(0.1))).isEmpty)
        // Another key at 0.12 s starts the pause again.
        #expect(type("i", at: Self.t0.addingTimeInterval(0.12), into: &state).isEmpty)
        #expect(App.update(&state, .clock(Self.t0.addingTimeInterval(0.2))).isEmpty, "only 0.08 s since the last key")
        let effects = App.update(&state, .clock(Self.t0.addingTimeInterval(0.3)))
        #expect(effects == [.finderSearch("brui", generation: 4)])
        #expect(!state.wantsClock, "no more clock messages needed")
        #expect(App.update(&state, .clock(Self.t0.addingTimeInterval(1))).isEmpty, "asked once, not again")
        #expect(FinderView.statusText(try finder(state)) == "searching…")
    }

    @Test func anAnswerForOlderTextIsDroppedEvenWhenItArrivesLast() throws {
        var state = finderOpen()
        _ = type("bru", at: Self.t0, into: &state)
        #expect(App.update(&state, .clock(Self.t0.addingTimeInterval(0.2))) == [.finderSearch("bru", generation: 3)])
        _ = type("i", at: Self.t0.addingTimeInterval(0.3), into: &state)
        #expect(App.update(&state, .clock(Self.t0.addingTimeInterval(0.5))) == [.finderSearch("brui", generation: 4)])
        // The newer answer comes first; the older one, slower, after it.
        _ = App.update(&state, .finderResults(generation: 4, FinderResults(hits: [Self.hit])))
        _ = App.update(&state, .finderResults(generation: 3, FinderResults(pupils: [Self.pupil])))
        let shown = try finder(state)
        #expect(shown.hits == [Self.hit] && shown.results.isEmpty && shown.resultsFor == "brui" && shown.isCurrent)
        // An answer for text changed since it was asked is never shown, even with nothing newer yet.
        _ = type("s", at: Self.t0.addingTimeInterval(0.6), into: &state)
        _ = App.update(&state, .finderResults(generation: 4, FinderResults(pupils: [Self.pupil])))
        #expect(try finder(state).results.isEmpty && !finder(state).isCurrent)
    }

    @Test func enterBeforeThePauseSearchesAtOnceAndOpensTheFirstResult() throws {
        var state = finderOpen()
        _ = type("bruise", at: Self.t0, into: &state)
        #expect(App.update(&state, .key(.enter)) == [.finderSearch("bruise", generation: 6)])
        #expect(App.update(&state, .clock(Self.t0.addingTimeInterval(1))).isEmpty, "the search already asked is not asked again")
        let opened = App.update(&state, .finderResults(generation: 6, FinderResults(hits: [Self.hit])))
        #expect(opened == [.openChronologyAtEntry(Self.pupil.id, entry: 42)])
        #expect(state.overlay == nil)
    }

    @Test func enterOnAHitOpensThePupilsFileAtItsEntryAndOnAPupilTheirFile() throws {
        var state = finderOpen()
        _ = type("olden", at: Self.t0, into: &state)
        _ = App.update(&state, .clock(Self.t0.addingTimeInterval(0.2)))
        _ = App.update(&state, .finderResults(generation: 5, FinderResults(pupils: [Self.pupil], hits: [Self.hit])))
        var copy = state
        #expect(App.update(&copy, .key(.enter)) == [.openChronology(Self.pupil.id, seekAction: nil)])
        _ = App.update(&state, .key(.down))
        #expect(App.update(&state, .key(.enter)) == [.openChronologyAtEntry(Self.pupil.id, entry: 42)])
    }

    @Test func blankTextClearsTheResultsWithoutASearch() throws {
        var state = finderOpen()
        _ = type("b", at: Self.t0, into: &state)
        _ = App.update(&state, .clock(Self.t0.addingTimeInterval(0.2)))
        _ = App.update(&state, .finderResults(generation: 1, FinderResults(hits: [Self.hit])))
        #expect(App.update(&state, .key(.backspace)).isEmpty)
        #expect(!state.wantsClock && App.update(&state, .clock(Self.t0.addingTimeInterval(1))).isEmpty)
        #expect(try finder(state).count == 0)
        // Enter on nothing does nothing.
        #expect(App.update(&state, .key(.enter)).isEmpty)
    }

    @Test func aFailedSearchStopsWaitingAndSaysWhy() throws {
        var state = finderOpen()
        _ = type("b", at: Self.t0, into: &state)
        _ = App.update(&state, .key(.enter))
        _ = App.update(&state, .failed("Not permitted: the staff role may not search records"))
        let after = try finder(state)
        #expect(after.searching == nil && !after.openOnArrival)
        #expect(state.notice?.text == "Not permitted: the staff role may not search records")
        // Enter again asks again.
        #expect(App.update(&state, .key(.enter)) == [.finderSearch("b", generation: 1)])
    }
}
