import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// The pastoral lead (Tom Hughes, Years 7–9) on screen: the finder and chronologies reach only
/// their year groups, and restricted entries are one line "restricted — speak to the DSL".
@Suite struct PastoralScopeTests {
    static let years: Set<YearGroup> = [.year7, .year8, .year9]

    /// The demo's Ormsbys are in Years 4, 8 and 10: the DSL finds all three, the pastoral lead one.
    @Test func theFinderOnlyFindsPupilsInTheirYearGroups() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        fixture.press(.char("/"))
        fixture.type("Ormsby")
        fixture.pause()
        guard case .finder(let finder) = fixture.state.overlay else {
            Issue.record("/ did not open the finder:\n\(fixture.text)")
            return
        }
        let everyone = try fixture.store.findPupils(actor: try fixture.dsl, matching: "Ormsby")
        try #require(everyone.contains { !Self.years.contains($0.yearGroup) }, "the demo should have Ormsbys outside Years 7–9")
        #expect(!finder.results.isEmpty)
        #expect(finder.results.allSatisfy { Self.years.contains($0.yearGroup) }, "found: \(finder.results.map(\.name))")
        #expect(Set(finder.results.map(\.id)) == Set(everyone.filter { Self.years.contains($0.yearGroup) }.map(\.id)))
        for outside in everyone where !Self.years.contains(outside.yearGroup) {
            #expect(!fixture.text.contains(outside.upn), "\(outside.name) (\(outside.yearGroup)) is on the pastoral lead's screen")
        }
    }

    /// Typing a Year 10 pupil's UPN finds nothing, and Enter opens nothing.
    @Test func aPupilOutsideTheirYearsCannotBeOpened() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        let outside = try #require(try fixture.pupils(in: .year10).first)
        fixture.press(.char("/"))
        fixture.type(outside.upn)
        let frame = fixture.press(.enter)
        #expect(fixture.state.chronology == nil)
        #expect(frame.text.contains("Nothing you may see matches"), "finder:\n\(frame.text)")
    }

    /// An action assigned to them for a Year 10 pupil is theirs to do, but Enter does not open
    /// that pupil's file: the store refuses, and the screen says so.
    @Test func theirActionOutsideTheirYearsDoesNotOpenTheFile() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        // The demo keeps the pastoral lead's actions within their years; a DSL sets one outside them.
        let dsl = try #require(try fixture.store.staff(username: "demo.dsl"))
        let year10 = try #require(try fixture.store.findPupils(actor: dsl, matching: "10").first { $0.yearGroup == .year10 })
        try fixture.store.addAction(actor: dsl, pupil: year10.id, ActionInput(
            description: "Collect the signed plan from reception", owner: "demo.pastoral",
            due: DashboardFixture.now.addingTimeInterval(86_400)))
        fixture.press(.char("3"))
        try fixture.selectActionRow { !Self.years.contains($0.yearGroup) }
        fixture.press(.enter)
        #expect(fixture.state.chronology == nil)
        #expect(fixture.state.pane == .actions)
        #expect(fixture.noticeLine.contains("outside your year groups"), "notice: \(fixture.noticeLine)")
    }

    /// Every entry the DSL sees as restricted is left out for the pastoral lead: no line, no gap in
    /// the count, and nothing of its text anywhere on the screen.
    @Test(arguments: ScreenSize.allCases)
    func restrictedEntriesAreLeftOut(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        let full = try fixture.storedChronology(of: pupil.id)
        let restricted = full.filter(\.entry.restricted)
        try #require(!restricted.isEmpty, "the demo's early help case should have restricted entries")

        try fixture.openChronology(of: pupil)
        let rows = try #require(fixture.state.chronology?.rows)
        #expect(rows.count == full.count - restricted.count)
        let ids = Set(rows.map(\.entry.id))
        for entry in restricted {
            #expect(!ids.contains(entry.entry.id))
            // The demo reuses wordings, so only text no visible entry shares can be looked for.
            let secret = String(entry.entry.summary.prefix(30))
            if !full.contains(where: { !$0.entry.restricted && $0.entry.summary.contains(secret) }) {
                #expect(!fixture.text.contains(secret), "restricted text on screen: \(secret)")
            }
        }
        #expect(!fixture.text.contains("restricted"), "not even a placeholder")
    }

    /// A concern restricted at triage: the pastoral lead must not read any of it, including the
    /// report it started with (written before the triage restricted it).
    @Test func noEntryOfARestrictedConcernReachesThePastoralLead() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        let pupil = try fixture.earlyHelpPupil()
        let full = try fixture.storedChronology(of: pupil.id)
        let restrictedConcerns = Set(full.filter(\.entry.restricted).compactMap(\.entry.concern))
        try #require(!restrictedConcerns.isEmpty)
        try fixture.openChronology(of: pupil)
        for row in fixture.state.chronology?.rows ?? [] {
            if let concern = row.entry.concern {
                #expect(!restrictedConcerns.contains(concern),
                        "\(row.entry.kind.label) of \(UKDate.date(row.entry.occurredAt)) of a restricted concern is shown")
            }
        }
    }
}
