import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// Moving between the three panes, and the panes each role may reach.
@Suite struct PaneNavigationTests {
    /// The focused tab is the one in brackets on the top line.
    private func focusedTab(_ fixture: DashboardFixture) -> String? {
        let line = fixture.frame.line(0)
        guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else { return nil }
        return String(line[line.index(after: open)..<close])
    }

    @Test(arguments: ScreenSize.allCases)
    func tabAndShiftTabCycleThroughThePanes(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        #expect(fixture.state.pane == .queue)
        #expect(focusedTab(fixture)?.hasPrefix("1 Incoming queue") == true)

        fixture.press(.tab)
        #expect(fixture.state.pane == .chronology)
        #expect(focusedTab(fixture)?.hasPrefix("2 Chronology") == true, "tab line: \(fixture.frame.line(0))")
        fixture.press(.tab)
        #expect(fixture.state.pane == .actions)
        #expect(focusedTab(fixture)?.hasPrefix("3 Actions") == true, "tab line: \(fixture.frame.line(0))")
        // The Actions pane loads the DSL's own actions from the store on first visit.
        let mine = try fixture.store.actions(actor: fixture.actor, view: .mine, limit: 100)
        #expect(fixture.state.actions.items.map(\.action.id) == mine.map(\.action.id))
        fixture.press(.tab)
        #expect(fixture.state.pane == .audit)
        #expect(focusedTab(fixture)?.hasPrefix("4 Audit") == true, "tab line: \(fixture.frame.line(0))")
        fixture.press(.tab)
        #expect(fixture.state.pane == .queue, "Tab wraps round to the queue")

        fixture.press(.backTab)
        #expect(fixture.state.pane == .audit)
        fixture.press(.backTab)
        #expect(fixture.state.pane == .actions)
        fixture.press(.backTab)
        #expect(fixture.state.pane == .chronology)
        fixture.press(.backTab)
        #expect(fixture.state.pane == .queue)
    }

    @Test func numbersJumpToEachPane() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("3"))
        #expect(fixture.state.pane == .actions)
        fixture.press(.char("1"))
        #expect(fixture.state.pane == .queue)
        fixture.press(.char("2"))
        #expect(fixture.state.pane == .chronology)
        #expect(fixture.text.contains("No pupil is open."))
        fixture.press(.char("2"))
        #expect(fixture.state.pane == .chronology, "pressing the pane's own number stays there")
    }

    /// A pupil opened in the Chronology pane stays open while the user looks at other panes.
    @Test func theOpenPupilStaysOpenAcrossPanes() throws {
        let fixture = try DashboardFixture()
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        try fixture.selectChronologyRow { $0.amended }
        let selected = try #require(fixture.state.chronology?.selectedRow?.entry.id)
        fixture.press(.char("1"))
        #expect(fixture.state.pane == .queue)
        fixture.press(.char("3"), .char("2"))
        #expect(fixture.state.chronology?.header.id == pupil.id)
        #expect(fixture.state.chronology?.selectedRow?.entry.id == selected)
    }

    /// Staff have only the concerns they logged and `l`: Tab, 2, 3 and / go nowhere, and say why.
    @Test(arguments: ScreenSize.allCases)
    func staffCannotReachTheOtherPanes(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        let tabs = fixture.frame.line(0)
        #expect(tabs.contains("[1 Concerns you have logged"), "tab line: \(tabs)")
        #expect(tabs.contains("l Log a concern"))
        #expect(!tabs.contains("Chronology") && !tabs.contains("Actions"), "tab line: \(tabs)")
        let mine = try fixture.store.queue(actor: fixture.actor, scope: .mine, limit: 1000)
        #expect(fixture.state.queue.items.map(\.id) == mine.map(\.id))

        for key in [Key.tab, .backTab, .char("2"), .char("3")] {
            fixture.press(key)
            #expect(fixture.state.pane == .queue, "\(key.label) moved staff to \(fixture.state.pane)")
            #expect(fixture.state.overlay == nil)
            #expect(fixture.state.notice != nil, "\(key.label) said nothing")
        }
        #expect(fixture.noticeLine.contains("Your role has no Actions pane."))
        fixture.press(.char("/"))
        #expect(fixture.state.overlay == nil, "staff opened the finder")
        fixture.press(.char("l"))
        #expect(fixture.state.form?.purpose == .concern)
    }

    /// Admin and auditor read no record content: their own concerns (none), and `l`; the auditor
    /// also has the Audit pane.
    @Test(arguments: ["demo.admin", "demo.auditor"])
    func adminAndAuditorHaveOnlyLogAConcern(_ username: String) throws {
        let fixture = try DashboardFixture(as: username)
        #expect(Pane.available(to: fixture.actor) == (username == "demo.auditor" ? [.queue, .audit] : [.queue]))
        #expect(fixture.state.queue.items.isEmpty)
        #expect(fixture.text.contains("You have not logged any concerns."))
        fixture.press(.char("3"))
        #expect(fixture.state.pane == .queue)
        fixture.press(.char("l"))
        #expect(fixture.state.form?.purpose == .concern)
    }

    /// The pastoral lead has all three panes, but only their own actions: no "All" view.
    @Test func pastoralLeadHasThreePanesAndTheirOwnActions() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        #expect(Pane.available(to: fixture.actor) == [.queue, .chronology, .actions])
        fixture.press(.char("3"))
        var seen: [ActionView] = [fixture.state.actions.view]
        for _ in 0..<3 {
            fixture.press(.char("v"))
            seen.append(fixture.state.actions.view)
        }
        #expect(seen == [.mine, .overdue, .dueThisWeek, .mine])
        let overdue = try fixture.store.actions(actor: fixture.actor, view: .overdue, limit: 100)
        fixture.press(.char("v"))
        #expect(fixture.state.actions.items.map(\.action.id) == overdue.map(\.action.id))
        #expect(fixture.state.actions.items.allSatisfy { $0.action.owner == "demo.pastoral" && $0.overdue })
    }

    /// The hint line offers only keys the role may use.
    @Test func pastoralHintsLeaveOutWhatTheyCannotDo() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: ScreenSize.large.size)
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        let hints = fixture.noticeLine
        #expect(hints.contains("n add a note or contact") || hints.contains("n note"), "hints: \(hints)")
        #expect(!hints.contains("referral"), "the pastoral lead cannot record referrals: \(hints)")
        for key in ["r", "A", "F", "x"] {
            fixture.press(.char(Character(key)))
            #expect(fixture.state.overlay == nil, "\(key) opened something for the pastoral lead")
            #expect(fixture.noticeLine.contains("cannot do that"), "\(key): \(fixture.noticeLine)")
        }
    }
}
