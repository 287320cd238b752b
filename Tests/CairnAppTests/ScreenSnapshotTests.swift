import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// The Queue pane, concerns opened from it, and help, as text at 80x24 and 132x43, driven only by
/// keys. Files are named role-screen-size: `dsl-queue-80x24.txt`.
@Suite struct ScreenSnapshotTests {
    @Test(arguments: ScreenSize.allCases)
    func queue(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        #expect(fixture.frame.line(0).contains("Incoming queue"))
        Snapshot.check(fixture.frame, named: "dsl-queue-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func queueAfterMovingDownAndPageDown(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let frame = fixture.press(.char("j"), .down, .char("j"), .pageDown)
        #expect(fixture.state.queue.selected == min(3 + fixture.state.queueRows, fixture.state.queue.items.count - 1))
        Snapshot.check(frame, named: "dsl-queue-paged-\(screen.rawValue)")
    }

    /// In a short window the queue scrolls: the selection stays on screen and keeps its marker.
    @Test func queueScrollsInAShortWindow() throws {
        let fixture = try DashboardFixture(size: Size(width: 80, height: 16))
        let rows = fixture.state.queueRows
        let frame = fixture.press(.char("j"), .down, .char("j"), .pageDown)
        #expect(fixture.state.queue.selected == 3 + rows)
        #expect(fixture.state.queue.top == 3 + rows - rows + 1)
        #expect(frame.line(2 + rows - 1).hasPrefix("▸"), "selected row is not the last on screen:\n\(frame.text)")
        #expect(frame.text.components(separatedBy: "▸").count == 2, "exactly one row is marked")
        Snapshot.check(frame, named: "dsl-queue-scrolled-80x16")
    }

    @Test(arguments: ScreenSize.allCases)
    func urgentConcern(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.urgent }
        fixture.press(.enter)
        #expect(fixture.text.contains("URGENT – child at risk now"))
        Snapshot.check(fixture.frame, named: "dsl-concern-urgent-\(screen.rawValue)")
    }

    /// A concern longer than the window scrolls, says how far down it is, and stops at the end.
    @Test func concernScrollsInAShortWindow() throws {
        let fixture = try DashboardFixture(size: Size(width: 80, height: 16))
        try fixture.selectRow { $0.status == .inProgress }
        fixture.press(.enter)
        #expect(fixture.text.contains("more below"))
        Snapshot.check(fixture.frame, named: "dsl-concern-scroll-top-80x16")
        let frame = fixture.press(.pageDown, .pageDown, .pageDown)
        #expect(frame.text.contains("Decisions"))
        #expect(frame.text.contains("end of concern"))
        #expect(fixture.press(.char("j")) == frame, "scrolling past the end moved the screen")
        Snapshot.check(frame, named: "dsl-concern-scroll-end-80x16")
    }

    @Test(arguments: ScreenSize.allCases)
    func concernWithTheChildsWords(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.openConcern { $0.childWords != nil }
        #expect(fixture.text.contains("The child's own words (verbatim)"))
        Snapshot.check(fixture.frame, named: "dsl-concern-child-words-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func concernInProgress(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.status == .inProgress }
        fixture.press(.enter)
        let frame = screen == .small ? fixture.press(.pageDown) : fixture.frame
        #expect(frame.text.contains("Decisions"))
        Snapshot.check(frame, named: "dsl-concern-in-progress-\(screen.rawValue)")
    }

    /// With two pupils, `n` moves the choice and Enter would open the one marked.
    @Test(arguments: ScreenSize.allCases)
    func concernWithTwoPupils(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.pupils.count > 1 }
        fixture.press(.enter)
        let frame = fixture.press(.char("n"))
        #expect(fixture.state.detail?.pupilIndex == 1)
        #expect(frame.text.contains("Pupils (n chooses, Enter opens the chronology)"))
        Snapshot.check(frame, named: "dsl-concern-two-pupils-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func help(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let frame = fixture.press(.char("?"))
        #expect(fixture.state.overlay == .help(.queue))
        Snapshot.check(frame, named: "dsl-help-\(screen.rawValue)")
    }

    @Test(arguments: [Size(width: 59, height: 24), Size(width: 80, height: 15), Size(width: 40, height: 10)])
    func windowTooSmall(_ size: Size) throws {
        let fixture = try DashboardFixture(size: size)
        // The message is wrapped to the window; read it as words.
        let words = fixture.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("Cairn needs a window of at least 60x16; this one is \(size.width)x\(size.height)."), "screen: \(fixture.text)")
        #expect(words.contains("Make the window larger, or press q to quit."), "screen: \(fixture.text)")
        // q works from here too.
        fixture.press(.char("q"))
        #expect(fixture.dashboard.isFinished)
        if size == Size(width: 40, height: 10) {
            Snapshot.check(fixture.frame, named: "too-small-40x10")
        }
    }

    @Test(arguments: ScreenSize.allCases)
    func staffSeeTheConcernsTheyLogged(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        #expect(fixture.frame.line(0).contains("Concerns you have logged"))
        #expect(fixture.state.queue.items.allSatisfy { $0.reportedBy == "demo.staff" })
        Snapshot.check(fixture.frame, named: "staff-mine-\(screen.rawValue)")
    }

    /// A member of staff opens a concern they logged: what they wrote, and whether the DSL has it.
    @Test(arguments: ScreenSize.allCases)
    func staffOpenAConcernTheyLogged(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        try fixture.selectRow { $0.status == .inProgress }
        let frame = fixture.press(.enter)
        let detail = try #require(fixture.state.detail)
        #expect(detail.detail.item.reportedBy == "demo.staff")
        Snapshot.check(frame, named: "staff-concern-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func staffCannotTriage(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        let frame = fixture.press(.char("t"))
        #expect(fixture.state.overlay == nil)
        #expect(fixture.noticeLine.contains("cannot do that"), "notice: \(fixture.noticeLine)")
        Snapshot.check(frame, named: "staff-cannot-triage-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func pastoralSeeTheConcernsTheyLogged(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        #expect(fixture.frame.line(0).contains("Concerns you have logged"))
        #expect(fixture.state.queue.items.allSatisfy { $0.reportedBy == "demo.pastoral" })
        Snapshot.check(fixture.frame, named: "pastoral-mine-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func pastoralHelp(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        let frame = fixture.press(.char("?"))
        Snapshot.check(frame, named: "pastoral-help-\(screen.rawValue)")
    }
}
