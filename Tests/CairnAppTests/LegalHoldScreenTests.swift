import CairnApp
import CairnDomain
import CairnStore
import Testing

/// A file on legal hold says so at the top of its chronology, in words, for everyone who opens it.
@Suite struct LegalHoldScreenTests {
    @Test(arguments: ScreenSize.allCases)
    func theChronologyHeaderShowsAStandingHold(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try #require(fixture.state.queue.items.first?.pupils.first)
        let upn = try #require(try fixture.store.pupilHeader(actor: fixture.actor, pupil: pupil.id).upn)
        try fixture.store.placeLegalHold(actor: fixture.actor, upn: try UPN(upn), reason: "Inquiry into admissions")
        let opened = fixture.press(.enter, .enter)
        let chronology = try #require(fixture.state.chronology, "Enter did not open a chronology:\n\(opened.text)")
        #expect(chronology.header.id == pupil.id)
        #expect(opened.line(1).contains("LEGAL HOLD: Inquiry into admissions"), "\(opened.text)")
        Snapshot.check(opened, named: "dsl-chronology-legal-hold-\(screen.rawValue)")

        try fixture.store.releaseLegalHold(actor: fixture.actor, upn: try UPN(upn), reason: "Inquiry closed")
        fixture.press(.escape)
        let again = fixture.press(.enter)
        #expect(fixture.state.chronology != nil && !again.text.contains("LEGAL HOLD"), "\(again.text)")
    }
}
