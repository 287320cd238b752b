import CairnApp
import CairnDomain
import CairnStore
import Testing

/// On screen: the second DSL's form stays open, says what the other did, and keeps their choices.
struct DecisionConflictScreenTests {
    @Test func triageFormShowsTheOtherDecisionInsteadOfOverwritingIt() throws {
        let fixture = try DashboardFixture()
        try fixture.selectRow { $0.status == .new }
        let item = try #require(fixture.state.queue.selectedItem)
        fixture.press(.char("t"))
        fixture.press(.right, .right)  // level 2 -> 4

        // Meanwhile the deputy triages the same concern from another dashboard.
        let deputy = try #require(try fixture.store.staff(username: "demo.deputy"))
        try fixture.store.triage(actor: deputy, id: item.id,
                                 decision: TriageDecision(level: .universal, caseHolder: "demo.deputy", restricted: false),
                                 seen: item.decisionVersion)

        let frame = fixture.press(.ctrl("s"))
        guard let form = fixture.state.form else {
            Issue.record("the triage form closed on a conflict:\n\(frame.text)")
            return
        }
        #expect(form.form.choice("level") == String(LevelOfNeed.statutory.rawValue), "the DSL's own choice was lost")
        #expect(frame.text.contains("Priya Shah triaged this"))
        #expect(frame.text.contains("Esc keeps theirs."), "the way on must be visible:\n\(frame.text)")
        #expect(fixture.state.queue.items.first { $0.id == item.id }?.level == .universal)

        // Saving again, having seen it, saves the DSL's decision over the deputy's.
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil)
        #expect(fixture.state.queue.items.first { $0.id == item.id }?.level == .statutory)
    }
}
