import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// The two terminal sizes every screen is checked at: the SSH minimum and a comfortable window.
enum ScreenSize: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case small = "80x24"
    case large = "120x40"

    var size: Size { self == .small ? Size(width: 80, height: 24) : Size(width: 120, height: 40) }
    var testDescription: String { rawValue }
}

/// Every screen of the dashboard as text, at 80x24 and 120x40, driven only by keys.
@Suite struct ScreenSnapshotTests {
    @Test(arguments: ScreenSize.allCases)
    func queue(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        Snapshot.check(fixture.frame, named: "queue-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func queueAfterMovingDownAndPageDown(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let frame = fixture.press(.char("j"), .down, .char("j"), .pageDown)
        #expect(fixture.state.queue.selected == min(3 + fixture.state.queueRows, fixture.state.queue.items.count - 1))
        Snapshot.check(frame, named: "queue-paged-\(screen.rawValue)")
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
        Snapshot.check(frame, named: "queue-scrolled-80x16")
    }

    @Test(arguments: ScreenSize.allCases)
    func urgentConcernDetailScrolled(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.urgent }
        fixture.press(.enter)
        #expect(fixture.frame.line(0).contains("URGENT"))
        Snapshot.check(fixture.frame, named: "detail-urgent-\(screen.rawValue)")
    }

    /// A concern longer than the window scrolls, says how far down it is, and stops at the end.
    @Test func concernDetailScrollsInAShortWindow() throws {
        let fixture = try DashboardFixture(size: Size(width: 80, height: 16))
        try fixture.selectRow { $0.status == .inProgress }
        fixture.press(.enter)
        Snapshot.check(fixture.frame, named: "detail-scroll-top-80x16")
        let frame = fixture.press(.pageDown, .pageDown, .pageDown)
        #expect(frame.text.contains("Decisions"))
        #expect(fixture.press(.char("j")) == frame, "scrolling past the end moved the screen")
        Snapshot.check(frame, named: "detail-scroll-end-80x16")
    }

    @Test(arguments: ScreenSize.allCases)
    func concernDetailWithTheChildsWords(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.openConcern { $0.childWords != nil }
        #expect(fixture.text.contains("The child's own words (verbatim)"))
        Snapshot.check(fixture.frame, named: "detail-child-words-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func concernDetailOfAnInProgressConcern(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.status == .inProgress }
        fixture.press(.enter)
        #expect(fixture.text.contains("Decisions"))
        Snapshot.check(fixture.frame, named: "detail-in-progress-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func triageForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.status == .new }
        let frame = fixture.press(.char("t"))
        guard let session = fixture.state.form, case .triage = session.purpose else {
            Issue.record("t did not open the triage form:\n\(frame.text)")
            return
        }
        Snapshot.check(frame, named: "triage-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func closeFormWithAReasonTyped(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.status == .inProgress }
        fixture.press(.char("c"))
        fixture.type("m") // Monitor
        fixture.press(.tab)
        let frame = fixture.type("Spoke to mum; attendance improving, review at half term.")
        guard let form = fixture.state.form else {
            Issue.record("c did not open the close form:\n\(frame.text)")
            return
        }
        #expect(form.form.choice(RecordField.outcome) == OutcomeKind.monitor.rawValue)
        #expect(frame.cursor != nil)
        Snapshot.check(frame, named: "close-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func closeFormRefusesNoFurtherActionWithoutAReason(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.status == .inProgress }
        let reference = try #require(fixture.state.queue.selectedItem?.reference)
        fixture.press(.char("c"))
        guard fixture.state.form != nil else {
            Issue.record("c did not open the close form:\n\(fixture.text)")
            return
        }
        fixture.type("n") // No further action
        let frame = fixture.press(.ctrl("s"))
        guard let form = fixture.state.form else {
            Issue.record("the close form went away without a reason:\n\(frame.text)")
            return
        }
        #expect(form.form.choice(RecordField.outcome) == OutcomeKind.noFurtherAction.rawValue)
        #expect(form.form.focusedFieldID == RecordField.reason)
        #expect(frame.text.contains("A reason is required for no further action"))
        // Nothing was saved: the concern is still open in the queue.
        #expect(fixture.state.queue.items.first { $0.reference == reference }?.status == .inProgress)
        Snapshot.check(frame, named: "close-form-needs-reason-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func helpOverlay(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let frame = fixture.press(.char("?"))
        #expect(fixture.state.overlay == .help(.queue))
        Snapshot.check(frame, named: "help-\(screen.rawValue)")
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
        #expect(fixture.text.contains("Concerns you have logged"))
        #expect(fixture.state.queue.items.allSatisfy { $0.reportedBy == "demo.staff" })
        Snapshot.check(fixture.frame, named: "staff-mine-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func staffCannotTriage(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        let frame = fixture.press(.char("t"))
        #expect(fixture.state.overlay == nil)
        #expect(frame.text.contains("Only the safeguarding team can triage concerns."))
        Snapshot.check(frame, named: "staff-cannot-triage-\(screen.rawValue)")
    }
}
