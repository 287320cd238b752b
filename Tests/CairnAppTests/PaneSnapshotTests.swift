import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// The Chronology and Actions panes, and whole entries, as text at 80x24 and 132x43 for the DSL,
/// the pastoral lead (Years 7–9) and a member of staff (who has neither pane).
@Suite struct PaneSnapshotTests {
    /// The demo's Year 8 early help case: a call home later corrected, a meeting, an early help
    /// flag, a decision not to refer, actions for the pastoral lead, and restricted entries.
    @Test(arguments: ScreenSize.allCases)
    func dslChronology(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        let frame = try fixture.openChronology(of: pupil)
        #expect(frame.line(0).contains("[2 Chronology · \(pupil.name)"))
        #expect(frame.text.contains("Early help from"), "the header shows the context flag with its date")
        Snapshot.check(frame, named: "dsl-chronology-\(screen.rawValue)")
    }

    /// The same file as the pastoral lead sees it: restricted entries are not there at all.
    @Test(arguments: ScreenSize.allCases)
    func pastoralChronologyWithoutTheRestrictedEntries(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        #expect([YearGroup.year7, .year8, .year9].contains(pupil.yearGroup))
        let frame = try fixture.openChronology(of: pupil)
        #expect(!frame.text.contains("restricted"))
        Snapshot.check(frame, named: "pastoral-chronology-\(screen.rawValue)")
    }

    /// The corrected call home, opened in full: the current text marked as amended, and the history
    /// with the reason and the text it replaced.
    @Test(arguments: ScreenSize.allCases)
    func dslEntryWithAmendmentHistory(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        try fixture.selectChronologyRow { $0.amended }
        let frame = fixture.press(.enter)
        let entry = try #require(fixture.state.chronology?.entry, "Enter did not open the entry:\n\(frame.text)")
        #expect(entry.detail.amendments.count == 1)
        #expect(frame.text.contains("Text (as amended)"))
        #expect(frame.text.contains("History (1 amendment)"), "the history is on the first screen:\n\(frame.text)")
        #expect(frame.text.contains("Before:"))
        #expect(entry.detail.amendments.first?.previousText.contains("arguments with an older sibling") == true)
        #expect(frame.text.contains("older"), "the earlier text is shown:\n\(frame.text)")
        Snapshot.check(frame, named: "dsl-entry-amended-\(screen.rawValue)")
    }

    /// The pastoral lead may read the corrected call in a Year 8 file too.
    @Test(arguments: ScreenSize.allCases)
    func pastoralEntryWithAmendmentHistory(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        try fixture.selectChronologyRow { $0.amended }
        let frame = fixture.press(.enter)
        #expect(fixture.state.chronology?.entry?.detail.amendments.count == 1)
        Snapshot.check(frame, named: "pastoral-entry-amended-\(screen.rawValue)")
    }

    /// A referral waiting for the agency says so, and that d records the decision.
    @Test(arguments: ScreenSize.allCases)
    func dslReferralAwaitingADecision(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.pupil(in: [.year10]) { $0.entry.kind == .referral && $0.entry.summary.contains("Police") }
        try fixture.openChronology(of: pupil)
        try fixture.selectChronologyRow { $0.entry.kind == .referral && $0.entry.summary.contains("Police") }
        let frame = fixture.press(.enter)
        #expect(fixture.state.chronology?.entry?.detail.awaitingDecision != nil)
        #expect(frame.text.contains("No decision from the agency yet: d records it."))
        Snapshot.check(frame, named: "dsl-entry-referral-awaiting-decision-\(screen.rawValue)")
    }

    /// `s` keeps significant events only, and the screen says the filter is on.
    @Test(arguments: ScreenSize.allCases)
    func dslChronologySignificantOnly(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        let frame = fixture.press(.char("s"))
        let rows = try #require(fixture.state.chronology?.rows)
        #expect(!rows.isEmpty && rows.allSatisfy(\.entry.significant))
        #expect(frame.text.contains("significant only"), "nothing on screen says the list is filtered:\n\(frame.text)")
        Snapshot.check(frame, named: "dsl-chronology-significant-only-\(screen.rawValue)")
    }

    /// `2` before any pupil is open says how to open one.
    @Test(arguments: ScreenSize.allCases)
    func dslChronologyWithNoPupilOpen(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let frame = fixture.press(.char("2"))
        #expect(fixture.state.pane == .chronology)
        #expect(frame.text.contains("No pupil is open."))
        Snapshot.check(frame, named: "dsl-chronology-none-open-\(screen.rawValue)")
    }

    @Test(arguments: [ScreenSize.small, .large], [ActionView.mine, .all, .overdue, .dueThisWeek])
    func dslActions(_ screen: ScreenSize, _ view: ActionView) throws {
        let fixture = try DashboardFixture(size: screen.size)
        fixture.press(.char("3"))
        for _ in 0..<ActionView.allCases.count where fixture.state.actions.view != view { fixture.press(.char("v")) }
        try #require(fixture.state.actions.view == view, "v never reached the \(view.label) view")
        let frame = fixture.redraw()
        #expect(frame.line(0).contains("[3 Actions · \(view.label)"))
        let stored = try fixture.store.actions(actor: fixture.actor, view: view, limit: 100)
        #expect(fixture.state.actions.items.map(\.action.id) == stored.map(\.action.id))
        #expect(!stored.isEmpty, "the demo has \(view.label) actions for the DSL")
        // Overdue rows say so in words.
        for (offset, row) in fixture.state.actions.items.prefix(fixture.state.actionRows).enumerated() {
            let line = frame.line(3 + offset)
            #expect(line.contains("OVERDUE") == row.overdue, "row \(offset): \(line)")
        }
        Snapshot.check(frame, named: "dsl-actions-\(view.rawValue)-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func pastoralActions(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        let frame = fixture.press(.char("3"))
        #expect(fixture.state.actions.view == .mine)
        #expect(!fixture.state.actions.items.isEmpty)
        #expect(fixture.state.actions.items.allSatisfy { $0.action.owner == "demo.pastoral" })
        #expect(!frame.line(1).contains("All"), "the pastoral lead has no view of everyone's actions: \(frame.line(1))")
        Snapshot.check(frame, named: "pastoral-actions-mine-\(screen.rawValue)")
    }

    /// Staff have one pane: Tab and 2 say so instead of moving.
    @Test(arguments: ScreenSize.allCases)
    func staffHaveNoOtherPanes(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        #expect(!fixture.frame.line(0).contains("Chronology"))
        #expect(!fixture.frame.line(0).contains("Actions"))
        let frame = fixture.press(.char("2"))
        #expect(fixture.state.pane == .queue)
        #expect(fixture.noticeLine.contains("Your role has no Chronology pane."))
        Snapshot.check(frame, named: "staff-no-chronology-pane-\(screen.rawValue)")
    }
}
