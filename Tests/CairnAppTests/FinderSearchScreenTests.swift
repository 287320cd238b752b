@testable import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// Searching records from the `/` finder on the demo school, by keys, as a DSL and a pastoral lead would.
@Suite struct FinderSearchScreenTests {
    func finder(_ fixture: DashboardFixture) throws -> FinderState {
        guard case .finder(let finder) = fixture.state.overlay else {
            Issue.record("the finder is not open:\n\(fixture.text)")
            throw FixtureError.notFound
        }
        return finder
    }

    func searches(_ fixture: DashboardFixture) throws -> Int {
        try fixture.store.recentAuditEvents(limit: 500).filter { $0.operation == .search }.count
    }

    @Test(arguments: ScreenSize.allCases)
    func aDSLSearchesRecordsSeesTheMatchHighlightedAndOpensTheEntry(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let before = try searches(fixture)
        fixture.press(.char("/"))
        fixture.type("bruise")
        #expect(try finder(fixture).hits.isEmpty, "nothing is searched until typing pauses")
        let frame = fixture.pause()
        Snapshot.check(frame, named: "dsl-search-\(screen.rawValue)")
        let found = try finder(fixture)
        #expect(!found.hits.isEmpty && found.results.isEmpty)
        #expect(try searches(fixture) == before + 1, "one audit event for the whole word, not one a key")

        // The matched words are cells in the match role, not markers in the text.
        var matched: [String] = []
        for y in 0..<frame.size.height {
            var run = ""
            for x in 0..<frame.size.width {
                if frame[x, y].role == .match { run += frame[x, y].text } else if !run.isEmpty { matched.append(run); run = "" }
            }
            if !run.isEmpty { matched.append(run) }
        }
        #expect(!matched.isEmpty)
        #expect(matched.allSatisfy { $0.lowercased().hasPrefix("bruise") }, "\(matched)")
        #expect(!frame.text.unicodeScalars.contains { (0xFDD0...0xFDD1).contains($0.value) })

        let hit = try #require(found.hits.dropFirst().first)
        fixture.press(.down)
        let opened = fixture.press(.enter)
        let chronology = try #require(fixture.state.chronology, "Enter did not open a file:\n\(opened.text)")
        #expect(chronology.header.id == hit.pupil.id)
        #expect(chronology.selectedRow?.entry.id == hit.entry, "the file opens at the entry found")
    }

    @Test(arguments: ScreenSize.allCases)
    func aSearchThatFindsNothingSaysSo(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        fixture.press(.char("/"))
        fixture.type("zzyzx")
        let frame = fixture.pause()
        Snapshot.check(frame, named: "dsl-search-nothing-\(screen.rawValue)")
        #expect(frame.text.contains("Nothing you may see matches \"zzyzx\"."))
        #expect(frame.text.contains("0 pupils · 0 records"))
    }

    /// A restricted concern about a Year 8 pupil: the DSL finds it, marked restricted; the
    /// pastoral lead for Years 7–9, who did not log it and does not hold it, finds nothing at all.
    @Test(arguments: ScreenSize.allCases)
    func aRestrictedHitIsHiddenFromThePastoralLead(_ screen: ScreenSize) throws {
        let dsl = try DashboardFixture(size: screen.size)
        let pupil = try restrictedConcern(in: dsl)
        dsl.press(.char("/"))
        dsl.type("quokka")
        let seen = dsl.pause()
        #expect(try finder(dsl).hits.map(\.pupil.id) == [pupil.id])
        #expect(seen.text.contains("restricted"), "\(seen.text)")

        let pastoral = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        #expect(try restrictedConcern(in: pastoral) == pupil)
        pastoral.press(.char("/"))
        pastoral.type("quokka")
        let hidden = pastoral.pause()
        Snapshot.check(hidden, named: "pastoral-search-restricted-hidden-\(screen.rawValue)")
        #expect(try finder(pastoral).count == 0)
        #expect(hidden.text.contains("Nothing you may see matches \"quokka\"."))
    }

    /// Logs a concern about the first Year 8 pupil as demo.staff, and the DSL triages it as restricted.
    func restrictedConcern(in fixture: DashboardFixture) throws -> PupilSummary {
        let pupil = try #require(try fixture.pupils(in: .year8).first)
        let draft = ConcernDraft(pupils: [try UPN(pupil.upn)], categories: [.physical],
                                 accounts: [Account(nature: .seen, text: "Talked about the quokka club after school.")],
                                 urgency: .routine, occurredAt: DashboardFixture.now.addingTimeInterval(-600))
        let reference = try fixture.store.logConcern(actor: try fixture.staff("demo.staff"), draft)
        let id = try #require(try fixture.store.concernID(reference: reference))
        try fixture.store.triage(actor: try fixture.dsl, id: id,
                                 decision: TriageDecision(level: .targeted, caseHolder: "demo.deputy", restricted: true))
        return pupil
    }
}
