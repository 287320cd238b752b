import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// Privacy mode (`p`): every pupil on screen as initials and year group, for a shared office.
@Suite struct PrivacyModeTests {
    /// Every way a pupil is named in the demo's queue, actions and chronology header.
    static func identifiers(_ fixture: DashboardFixture) -> [String] {
        var out: [String] = []
        for item in fixture.state.queue.items {
            // Whole names: a first name alone may also be a member of staff's, shown as the reporter.
            for pupil in item.pupils { out += [pupil.name, pupil.upn] }
        }
        for row in fixture.state.actions.items { out += [row.pupilName, row.upn] }
        if let header = fixture.state.chronology?.header { out += [header.name, header.legalName, header.upn] }
        return out.filter { !$0.isEmpty }
    }

    @Test(arguments: ScreenSize.allCases)
    func queueShowsInitialsAndYearOnly(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let named = Self.identifiers(fixture)
        try #require(named.contains { fixture.text.contains($0) }, "names show before privacy mode")
        let frame = fixture.press(.char("p"))
        #expect(fixture.state.privacy)
        let first = try #require(fixture.state.queue.items.first?.pupils.first)
        #expect(frame.text.contains(PrivacyMaskProbe.initials(first.name)))
        for name in Set(named) { #expect(!frame.text.contains(name), "\(name) on screen in privacy mode") }
        Snapshot.check(frame, named: "privacy-queue-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func chronologyHeaderHasNoNameUPNOrBirthDate(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        let header = try #require(fixture.state.chronology?.header)
        let frame = fixture.press(.char("p"))
        for secret in [header.name, header.legalName, header.upn, UKDate.date(header.dateOfBirth), "form \(header.form)"] {
            #expect(!frame.text.contains(secret), "\(secret) on screen in privacy mode")
        }
        #expect(frame.line(1).contains(PrivacyMaskProbe.initials(header.name)))
        #expect(frame.line(2).contains("\(header.yearGroup)"))
        Snapshot.check(frame, named: "privacy-chronology-\(screen.rawValue)")
    }

    @Test func actionsFinderAndFormsToo() throws {
        let fixture = try DashboardFixture(size: ScreenSize.large.size)
        fixture.press(.char("p"), .char("3"))
        for name in Set(Self.identifiers(fixture)) { #expect(!fixture.text.contains(name), "\(name) in the actions pane") }
        let owned = try #require(fixture.state.actions.selectedItem)
        fixture.press(.char("d"))
        #expect(!fixture.text.contains(owned.pupilName), "the done form's title names the child")
        fixture.press(.escape)

        fixture.press(.char("/"))
        let surname = try #require(fixture.state.queue.items.first?.pupils.first?.name.split(separator: " ").last)
        fixture.type(String(surname.prefix(4)))
        fixture.pause()
        let found = try #require(fixture.state.overlay.flatMap { overlay -> [PupilSummary]? in
            if case .finder(let finder) = overlay { return finder.results } else { return nil }
        })
        try #require(!found.isEmpty)
        for pupil in found {
            #expect(!fixture.text.contains(pupil.name))
            #expect(!fixture.text.contains(pupil.upn))
        }
    }

    @Test func rememberedForTheUserAndOnlyForThem() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("p"))
        #expect(fixture.noticeLine.contains("Privacy mode"))
        let again = try Dashboard(store: fixture.store, actor: fixture.actor, clock: fixture.clock)
        #expect(again.state.privacy, "a new session of the same user starts in privacy mode")
        let deputy = try #require(try fixture.store.staff(username: "demo.deputy"))
        #expect(try Dashboard(store: fixture.store, actor: deputy, clock: fixture.clock).state.privacy == false)
        fixture.press(.char("p"))
        #expect(try Dashboard(store: fixture.store, actor: fixture.actor, clock: fixture.clock).state.privacy == false)
    }
}

/// The initials the screen should show, worked out independently of the app's own function.
enum PrivacyMaskProbe {
    static func initials(_ name: String) -> String {
        name.split(separator: " ").map { "\($0.first!)." }.joined()
    }
}
