import CairnApp
import CairnDomain
import CairnStore
import Testing

/// The pupil finder and the chronology screen, driven by keys as a DSL would.
@Suite struct ChronologyScreenTests {
    @Test(arguments: ScreenSize.allCases)
    func finderFindsAPupilAndOpensTheirChronology(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try #require(fixture.state.queue.items.first?.pupils.first)
        let surname = try #require(pupil.name.split(separator: " ").last.map(String.init))
        fixture.press(.char("/"))
        fixture.type(String(surname.prefix(4)))
        let typed = fixture.pause()
        guard case .finder(let finder) = fixture.state.overlay else {
            Issue.record("/ did not open the finder:\n\(typed.text)")
            return
        }
        #expect(!finder.results.isEmpty)
        #expect(finder.results.allSatisfy { $0.name.lowercased().contains(surname.prefix(4).lowercased()) || $0.form.lowercased().hasPrefix(surname.prefix(4).lowercased()) })
        Snapshot.check(typed, named: "dsl-finder-\(screen.rawValue)")

        while case .finder(let open) = fixture.state.overlay, open.results[open.selected].id != pupil.id {
            let before = open.selected
            fixture.press(.down)
            guard case .finder(let moved) = fixture.state.overlay, moved.selected != before else { break }
        }
        let opened = fixture.press(.enter)
        let chronology = try #require(fixture.state.chronology, "Enter did not open a chronology:\n\(opened.text)")
        #expect(chronology.header.id == pupil.id)
        #expect(opened.text.contains("Chronology · \(pupil.name)"))
        #expect(!chronology.rows.isEmpty, "a pupil with a concern has entries")
        Snapshot.check(opened, named: "dsl-chronology-from-finder-\(screen.rawValue)")

        // Esc goes back to the pane the finder was opened from.
        fixture.press(.escape)
        #expect(fixture.state.pane == .queue)
        #expect(fixture.state.context == .queue)
        #expect(fixture.frame.line(0).contains("[1 Incoming queue"))
    }

    @Test func enterOnAConcernOpensItsPupilAndEscGoesBackOneStep() throws {
        let fixture = try DashboardFixture()
        fixture.press(.enter)
        let detail = try #require(fixture.state.detail)
        fixture.press(.enter)
        let chronology = try #require(fixture.state.chronology)
        #expect(chronology.header.id == detail.detail.item.pupils[0].id)
        // Every entry shown belongs to this pupil's file, newest first.
        let dates = chronology.rows.map(\.entry.occurredAt)
        #expect(dates == dates.sorted(by: >))
        fixture.press(.escape)
        #expect(fixture.state.pane == .queue)
        #expect(fixture.state.context == .detail, "Esc from the chronology returns to the concern")
    }

    @Test func orderFlipsAndSignificantFilters() throws {
        let fixture = try DashboardFixture()
        fixture.press(.enter, .enter)
        let newest = try #require(fixture.state.chronology?.rows.map(\.entry.occurredAt))
        fixture.press(.char("o"))
        let oldest = try #require(fixture.state.chronology?.rows.map(\.entry.occurredAt))
        #expect(oldest == oldest.sorted())
        #expect(Set(oldest) == Set(newest))
        fixture.press(.char("s"))
        let significant = try #require(fixture.state.chronology?.rows)
        #expect(significant.allSatisfy { $0.entry.significant })
        #expect(significant.count < oldest.count)
        // That the screen says so is checked at both sizes in PaneSnapshotTests.dslChronologySignificantOnly.
    }

    @Test func staffCannotOpenTheFinder() throws {
        let fixture = try DashboardFixture(as: "demo.staff")
        let frame = fixture.press(.char("/"))
        #expect(fixture.state.overlay == nil)
        #expect(fixture.noticeLine.contains("cannot do that"), "notice: \(fixture.noticeLine)")
        #expect(!frame.text.contains("Find a pupil, or search"))
    }
}
