import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// What the screen says must be whole and true at both sizes: nothing that matters cut off, no
/// label offering what the role cannot do, no state shown by nothing but its absence.
@Suite struct ScreenWordingTests {
    /// An opened concern names itself and says it is restricted, at 80 columns (where the tab line
    /// is short) and beside the list at 132 (where the tab line names the queue).
    @Test(arguments: ScreenSize.allCases)
    func anOpenedConcernSaysWhichItIsAndThatItIsRestricted(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.restricted }
        let item = try #require(fixture.state.queue.selectedItem)
        let frame = fixture.press(.enter)
        #expect(frame.text.contains("Concern \(item.reference)"), "the concern's reference is not on screen:\n\(frame.text)")
        #expect(frame.text.contains("RESTRICTED"), "nothing says the concern is restricted:\n\(frame.text)")
        #expect(frame.text.contains("In progress"), "the concern's status is not on screen:\n\(frame.text)")
    }

    /// Each pupil of an opened concern is shown whole: date of birth and UPN, beside the list too.
    @Test(arguments: ScreenSize.allCases)
    func anOpenedConcernShowsEachPupilWhole(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.pupils.count > 1 }
        let item = try #require(fixture.state.queue.selectedItem)
        let frame = fixture.press(.enter)
        for pupil in item.pupils {
            #expect(frame.text.contains(pupil.upn), "\(pupil.name)'s UPN is cut off:\n\(frame.text)")
            #expect(frame.text.contains("born \(UKDate.date(pupil.dateOfBirth))"), "\(pupil.name)'s date of birth is cut off")
        }
    }

    /// Staff cannot open chronologies, so their concern does not tell them Enter opens one.
    @Test(arguments: ScreenSize.allCases)
    func staffAreNotToldEnterOpensAChronology(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        let frame = fixture.press(.enter)
        #expect(fixture.state.detail != nil)
        #expect(!frame.text.contains("Enter opens the chronology"), "screen:\n\(frame.text)")
        #expect(!fixture.noticeLine.contains("Enter"), "hints: \(fixture.noticeLine)")
    }

    /// An ended flag keeps its end date in the pupil's header, whatever the width.
    @Test(arguments: ScreenSize.allCases)
    func endedFlagsShowWhenTheyEnded(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.pupil(in: [.year10]) { $0.entry.summary.hasPrefix("Child in need ended") }
        let frame = try fixture.openChronology(of: pupil)
        let header = try #require(fixture.state.chronology?.header)
        let ended = try #require(header.flags.first { $0.kind == .childInNeed && $0.end != nil })
        let words = "Child in need from \(UKDate.date(ended.start)) to \(UKDate.date(ended.end!))"
        #expect(frame.text.contains(words), "the header does not say \"\(words)\":\n\(frame.text)")
        Snapshot.check(frame, named: "dsl-chronology-flags-\(screen.rawValue)")
    }

    /// A form taller than the window says that more fields follow below.
    @Test func aFormTallerThanTheWindowSaysThereIsMoreBelow() throws {
        let fixture = try DashboardFixture(as: "demo.staff")
        let frame = fixture.press(.char("l"))
        let form = try fixture.openForm().form
        let last = try #require(form.visibleFields.last)
        try #require(!frame.text.contains(last.label), "the whole form fits; nothing to check")
        #expect(frame.text.contains("more below"), "nothing says that \"\(last.label)\" and other fields follow:\n\(frame.text)")
    }

    /// The action forms cover the list at 80 columns: they name the pupil the action is about.
    @Test(arguments: ["d", "e", "o"])
    func actionFormsNameThePupil(_ key: String) throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("3"))
        let row = try #require(fixture.state.actions.selectedItem)
        fixture.press(.char(Character(key)))
        if key == "o" { _ = try fixture.openForm() }
        let frame = fixture.redraw()
        #expect(fixture.state.form != nil)
        #expect(frame.text.contains(row.pupilName), "the \(key) form does not say whose action it is:\n\(frame.text)")
    }

    /// `v` starts the next view at its first row.
    @Test func changingTheActionsViewStartsAtTheTop() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("3"), .char("v"))
        #expect(fixture.state.actions.view == .all)
        #expect(fixture.state.actions.selected == 0, "selected row \(fixture.state.actions.selected) of the new view")
    }
}
