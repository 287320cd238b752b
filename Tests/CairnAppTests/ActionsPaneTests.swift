import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// The Actions pane: done, due date and reassign through the keys and Ctrl-S, each a chronology
/// entry; Enter opens the pupil's file at the action.
@Suite struct ActionsPaneTests {
    /// The file's entries about one action, as the DSL sees them.
    private func entries(about action: Int64, pupil: PupilID, _ fixture: DashboardFixture) throws -> [ChronologyRow] {
        try fixture.storedChronology(of: pupil).filter { $0.entry.action == action }
    }

    @Test func markDoneWithAnOutcome() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("3"))
        let row = try #require(fixture.state.actions.selectedItem)
        try #require(row.overdue, "the DSL's first action in the demo is overdue")
        let overdue = fixture.state.counts.overdue
        let before = try entries(about: row.action.id, pupil: row.action.pupil, fixture)
        fixture.press(.char("d"))
        fixture.type("Spoke to dad; he will bring the form in on Friday.")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        #expect(fixture.noticeLine.contains("Action marked done."))
        let mine = try fixture.store.actions(actor: fixture.actor, view: .mine, limit: 100)
        #expect(!mine.contains { $0.action.id == row.action.id }, "a done action leaves the open list")
        #expect(!fixture.state.actions.items.contains { $0.action.id == row.action.id }, "the pane reloaded")
        let after = try entries(about: row.action.id, pupil: row.action.pupil, fixture)
        let done = try #require(after.first { !before.contains($0) })
        #expect(done.entry.summary == "Action done: Spoke to dad; he will bring the form in on Friday.")
        #expect(fixture.state.counts.overdue == overdue - 1)
        #expect(fixture.statusLine.hasSuffix("\(overdue - 1) overdue"), "status: \(fixture.statusLine)")
    }

    @Test func doneNeedsAnOutcomeAndWritesNothingWithoutOne() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("3"))
        let row = try #require(fixture.state.actions.selectedItem)
        let before = try entries(about: row.action.id, pupil: row.action.pupil, fixture)
        fixture.press(.char("d"), .ctrl("s"))
        let form = try fixture.openForm().form
        #expect(form.errors[RecordField.outcome] == "Record the outcome")
        #expect(fixture.text.contains("! Record the outcome"))
        #expect(try entries(about: row.action.id, pupil: row.action.pupil, fixture) == before)
        #expect(try fixture.store.actions(actor: fixture.actor, view: .mine, limit: 100).contains { $0.action.id == row.action.id })
    }

    @Test func changeTheDueDateWithAReason() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("3"))
        let row = try #require(fixture.state.actions.selectedItem)
        let was = UKDate.date(row.action.due)
        fixture.press(.char("e"))
        #expect(fixture.state.form?.form.focusedFieldID == RecordField.due)
        fixture.press(Array(repeating: Key.backspace, count: 10))
        fixture.type("04/12/2026")
        try fixture.fill(RecordField.reason, "Dad is away until December.")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        #expect(fixture.noticeLine.contains("Action now due 04/12/2026."))
        let stored = try #require(try fixture.store.actions(actor: fixture.actor, view: .mine, limit: 100)
            .first { $0.action.id == row.action.id })
        #expect(UKDate.date(stored.action.due) == "04/12/2026")
        #expect(!stored.overdue)
        let moved = try #require(try entries(about: row.action.id, pupil: row.action.pupil, fixture).first)
        #expect(moved.entry.summary == "Action moved from \(was) to 04/12/2026: Dad is away until December.")
        // The pane shows the new date, the selection still on the action.
        #expect(fixture.state.actions.selectedItem?.action.id == row.action.id)
        let line = try #require(fixture.frame.text.split(separator: "\n").first { $0.hasPrefix("▸") })
        #expect(line.contains("04/12/2026") && !line.contains("OVERDUE"), "row: \(line)")
    }

    @Test func aDueDateInThePastIsRefusedBesideTheField() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("3"))
        let row = try #require(fixture.state.actions.selectedItem)
        fixture.press(.char("e"))
        fixture.press(Array(repeating: Key.backspace, count: 10))
        fixture.type("01/01/2026")
        try fixture.fill(RecordField.reason, "Typo test.")
        fixture.press(.ctrl("s"))
        let form = try fixture.openForm().form
        #expect(form.errors[RecordField.due] == "The due date cannot be in the past")
        #expect(fixture.text.contains("! The due date cannot be in the past"))
        let stored = try fixture.store.actions(actor: fixture.actor, view: .mine, limit: 100).first { $0.action.id == row.action.id }
        #expect(stored?.action.due == row.action.due)
    }

    @Test func reassignToTheDeputy() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("3"))
        let row = try #require(fixture.state.actions.selectedItem)
        try #require(row.action.owner == "demo.dsl")
        fixture.press(.char("o"))
        try fixture.choose(RecordField.owner, "demo.deputy")
        try fixture.fill(RecordField.reason, "Priya holds the case from today.")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        #expect(fixture.noticeLine.contains("Action reassigned to Priya Shah."))
        let all = try fixture.store.actions(actor: fixture.actor, view: .all, limit: 1000)
        #expect(all.first { $0.action.id == row.action.id }?.action.owner == "demo.deputy")
        #expect(!fixture.state.actions.items.contains { $0.action.id == row.action.id }, "no longer in Mine")
        let entry = try #require(try entries(about: row.action.id, pupil: row.action.pupil, fixture).first)
        #expect(entry.entry.summary == "Action reassigned from Sam Carter to Priya Shah: Priya holds the case from today.")
    }

    /// Enter opens the pupil's chronology with the entry that records the action selected; Esc
    /// goes back to the Actions pane.
    @Test(arguments: ScreenSize.allCases)
    func enterOpensTheChronologyAtTheAction(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        fixture.press(.char("3"), .char("v"))  // All
        try fixture.selectActionRow { $0.pupilName.hasPrefix("Quinn") }
        let row = try #require(fixture.state.actions.selectedItem)
        let frame = fixture.press(.enter)
        let chronology = try #require(fixture.state.chronology)
        #expect(fixture.state.pane == .chronology)
        #expect(chronology.header.id == row.action.pupil)
        #expect(chronology.selectedRow?.entry.action == row.action.id)
        #expect(chronology.selectedRow?.entry.kind == .action)
        let line = try #require(frame.text.split(separator: "\n").first { $0.hasPrefix("▸") }, "nothing selected:\n\(frame.text)")
        #expect(line.contains("Action"), "row: \(line)")
        fixture.press(.escape)
        #expect(fixture.state.pane == .actions)
        #expect(fixture.state.actions.selectedItem?.action.id == row.action.id)
    }

    /// The journey (1): a pastoral lead completes their own action with an outcome.
    @Test func pastoralLeadCompletesTheirAction() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        fixture.press(.char("3"))
        try fixture.selectActionRow { $0.action.description.hasPrefix("Weekly check-in") }
        let row = try #require(fixture.state.actions.selectedItem)
        fixture.press(.char("d"))
        fixture.type("Checked in: sleeping better, enjoying football club.")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        let mine = try fixture.store.actions(actor: fixture.actor, view: .mine, limit: 100)
        #expect(!mine.contains { $0.action.id == row.action.id })
        let done = try entries(about: row.action.id, pupil: row.action.pupil, fixture)
        #expect(done.contains { $0.entry.summary == "Action done: Checked in: sleeping better, enjoying football club." && $0.authorName == "Tom Hughes" })
        #expect(fixture.statusLine.hasSuffix("0 overdue actions"), "their only overdue action is done: \(fixture.statusLine)")
    }

    /// The pastoral lead cannot reassign: `o` says so and opens nothing.
    @Test func pastoralLeadCannotReassign() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        fixture.press(.char("3"), .char("o"))
        #expect(fixture.state.overlay == nil)
        #expect(fixture.noticeLine.contains("cannot do that"), "notice: \(fixture.noticeLine)")
    }
}
