import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// Every form on the one form widget, opened by its key as a user would, at 80x24 and 132x43.
/// The concern form also for staff and the pastoral lead; forms a role cannot open are not drawn
/// for it. Files are named role-form-size: `dsl-referral-form-not-sought-132x43.txt`.
@Suite struct FormSnapshotTests {
    /// A DSL with the demo's Year 8 early help case open.
    private func chronology(_ screen: ScreenSize, as username: String = "demo.dsl") throws -> DashboardFixture {
        let fixture = try DashboardFixture(as: username, size: screen.size)
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        return fixture
    }

    private func check(_ fixture: DashboardFixture, _ purpose: (FormPurpose) -> Bool, named name: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let session = try fixture.openForm(sourceLocation: sourceLocation)
        #expect(purpose(session.purpose), "opened \(session.purpose)", sourceLocation: sourceLocation)
        #expect(fixture.frame.text.contains(session.form.title.prefix(30)), "the form's title is not on screen",
                sourceLocation: sourceLocation)
        Snapshot.check(fixture.frame, named: name, sourceLocation: sourceLocation)
    }

    @Test(arguments: ScreenSize.allCases)
    func staffConcernForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        fixture.press(.char("l"))
        #expect(fixture.state.form?.form.focusedFieldID == "pupils")
        try check(fixture, { $0 == .concern }, named: "staff-concern-form-\(screen.rawValue)")
    }

    /// Typing in the pupil picker searches the school; Space chooses.
    @Test(arguments: ScreenSize.allCases)
    func staffConcernFormPickingAPupil(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        fixture.press(.char("l"))
        fixture.type("Orms")
        fixture.press(.char(" "))
        let chosen = try #require(fixture.state.form?.form.selectedOptions("pupils").first)
        #expect(chosen.label.contains("Ormsby"))
        try check(fixture, { $0 == .concern }, named: "staff-concern-form-pupil-chosen-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func pastoralConcernForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        fixture.press(.char("l"))
        try check(fixture, { $0 == .concern }, named: "pastoral-concern-form-\(screen.rawValue)")
    }

    /// `l` from a pupil's file: the concern is about that pupil already.
    @Test(arguments: ScreenSize.allCases)
    func dslConcernFormFromAChronology(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        let pupil = try #require(fixture.state.chronology?.header)
        fixture.press(.char("l"))
        #expect(fixture.state.form?.form.selected("pupils") == [pupil.upn])
        #expect(fixture.text.contains(pupil.name))
        try check(fixture, { $0 == .concern }, named: "dsl-concern-form-from-chronology-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslNoteForm(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("n"))
        try check(fixture, { if case .note = $0 { true } else { false } }, named: "dsl-note-form-\(screen.rawValue)")
    }

    /// Choosing "Contact" shows who, with whom and how.
    @Test(arguments: ScreenSize.allCases)
    func dslContactForm(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("n"), .right)
        let form = try fixture.openForm().form
        #expect(form.choice(RecordField.kind) == NoteKind.contact.rawValue)
        #expect(form.isVisible(RecordField.who) && form.isVisible(RecordField.party) && form.isVisible(RecordField.method))
        try check(fixture, { if case .note = $0 { true } else { false } }, named: "dsl-contact-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func pastoralNoteForm(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen, as: "demo.pastoral")
        fixture.press(.char("n"))
        try check(fixture, { if case .note = $0 { true } else { false } }, named: "pastoral-note-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslMeetingForm(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("m"))
        try check(fixture, { if case .meeting = $0 { true } else { false } }, named: "dsl-meeting-form-\(screen.rawValue)")
    }

    /// Consent "Not sought" brings up the field for the reason.
    @Test(arguments: ScreenSize.allCases)
    func dslReferralFormConsentNotSought(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("r"))
        try fixture.choose(RecordField.agency, Agency.socialCare.rawValue)
        try fixture.choose(RecordField.consent, ConsentBasis.notSought.rawValue)
        let form = try fixture.openForm().form
        #expect(form.isVisible(RecordField.consentReason))
        fixture.press(.tab)
        #expect(fixture.state.form?.form.focusedFieldID == RecordField.consentReason)
        #expect(fixture.text.contains("Why without consent"), "the reason field is not on screen:\n\(fixture.text)")
        try check(fixture, { if case .referral = $0 { true } else { false } },
                  named: "dsl-referral-form-not-sought-\(screen.rawValue)")
    }

    /// A decision not to refer: no consent or lawful basis, the reasoning instead.
    @Test(arguments: ScreenSize.allCases)
    func dslReferralFormDecisionNotToRefer(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("r"))
        try fixture.choose(RecordField.outcome, ReferralOutcome.notReferred.rawValue)
        let form = try fixture.openForm().form
        #expect(!form.isVisible(RecordField.consent))
        #expect(!form.isVisible(RecordField.lawfulBasis))
        try check(fixture, { if case .referral = $0 { true } else { false } },
                  named: "dsl-referral-form-not-referred-\(screen.rawValue)")
    }

    /// `d` on a referral still waiting for the agency.
    @Test(arguments: ScreenSize.allCases)
    func dslAgencyDecisionForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let police = { (row: ChronologyRow) in row.entry.kind == .referral && row.entry.summary.contains("Police") }
        try fixture.openChronology(of: try fixture.pupil(in: [.year10], whoseFileHas: police))
        try fixture.selectChronologyRow(where: police)
        fixture.press(.enter, .char("d"))
        try check(fixture, { if case .referralDecision = $0 { true } else { false } },
                  named: "dsl-agency-decision-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslActionForm(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("a"))
        #expect(fixture.state.form?.form.choice(RecordField.owner) == "demo.dsl", "the owner starts as the one setting it")
        try check(fixture, { if case .action = $0 { true } else { false } }, named: "dsl-action-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func pastoralActionForm(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen, as: "demo.pastoral")
        fixture.press(.char("a"))
        try check(fixture, { if case .action = $0 { true } else { false } }, named: "pastoral-action-form-\(screen.rawValue)")
    }

    /// `A` on the corrected call: the current text to edit, and a reason to give.
    @Test(arguments: ScreenSize.allCases)
    func dslAmendForm(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        try fixture.selectChronologyRow { $0.entry.kind == .contact && $0.amended }
        fixture.press(.char("A"))
        #expect(fixture.state.form?.form.text(RecordField.text).contains("younger brother") == true)
        try check(fixture, { if case .amend = $0 { true } else { false } }, named: "dsl-amend-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslFlagForm(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("F"))
        let options = try #require(fixture.state.form?.form.field(RecordField.flag)?.options)
        #expect(options.contains { $0.id == "end:\(ContextFlagKind.earlyHelp.rawValue)" }, "the active early help flag can be ended")
        try check(fixture, { if case .flag = $0 { true } else { false } }, named: "dsl-flag-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslFilterForm(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("f"))
        try check(fixture, { $0 == .filter }, named: "dsl-filter-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslDoneForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        fixture.press(.char("3"), .char("d"))
        try check(fixture, { if case .done = $0 { true } else { false } }, named: "dsl-done-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func pastoralDoneForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        fixture.press(.char("3"))
        try fixture.selectActionRow { $0.action.description.hasPrefix("Weekly check-in") }
        fixture.press(.char("d"))
        try check(fixture, { if case .done = $0 { true } else { false } }, named: "pastoral-done-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslDueDateForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        fixture.press(.char("3"), .char("e"))
        try check(fixture, { if case .move = $0 { true } else { false } }, named: "dsl-due-date-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func pastoralDueDateForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.pastoral", size: screen.size)
        fixture.press(.char("3"))
        try fixture.selectActionRow { $0.action.description.hasPrefix("Weekly check-in") }
        fixture.press(.char("e"))
        try check(fixture, { if case .move = $0 { true } else { false } }, named: "pastoral-due-date-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslReassignForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        fixture.press(.char("3"), .char("o"))
        try check(fixture, { if case .reassign = $0 { true } else { false } }, named: "dsl-reassign-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslTriageForm(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.status == .new }
        fixture.press(.char("t"))
        try check(fixture, { if case .triage = $0 { true } else { false } }, named: "dsl-triage-form-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func dslCloseFormWithAReasonTyped(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.status == .inProgress }
        fixture.press(.char("c"))
        fixture.type("m") // Monitor
        fixture.press(.tab)
        let frame = fixture.type("Spoke to mum; attendance improving, review at half term.")
        #expect(fixture.state.form?.form.choice(RecordField.outcome) == OutcomeKind.monitor.rawValue)
        #expect(frame.cursor != nil)
        try check(fixture, { if case .close = $0 { true } else { false } }, named: "dsl-close-form-\(screen.rawValue)")
    }

    /// No further action needs a reason: Ctrl-S keeps the form open and says so beside the field.
    @Test(arguments: ScreenSize.allCases)
    func dslCloseFormRefusesNoFurtherActionWithoutAReason(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.selectRow { $0.status == .inProgress }
        let reference = try #require(fixture.state.queue.selectedItem?.reference)
        fixture.press(.char("c"))
        fixture.type("n") // No further action
        let frame = fixture.press(.ctrl("s"))
        let form = try fixture.openForm().form
        #expect(form.choice(RecordField.outcome) == OutcomeKind.noFurtherAction.rawValue)
        #expect(form.focusedFieldID == RecordField.reason)
        #expect(frame.text.contains("A reason is required for no further action"))
        // Nothing was saved: the concern is still open in the queue.
        #expect(fixture.state.queue.items.first { $0.reference == reference }?.status == .inProgress)
        try check(fixture, { if case .close = $0 { true } else { false } }, named: "dsl-close-form-needs-reason-\(screen.rawValue)")
    }

    /// A contact saved empty: each problem beside its field, in words.
    @Test(arguments: ScreenSize.allCases)
    func dslContactFormWithErrors(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("n"), .right, .ctrl("s"))
        let errors = try fixture.openForm().form.errors
        #expect(errors[RecordField.who] != nil && errors[RecordField.summary] != nil, "errors: \(errors)")
        #expect(fixture.text.contains("Write what was said or done"))
        try check(fixture, { if case .note = $0 { true } else { false } }, named: "dsl-contact-form-errors-\(screen.rawValue)")
    }

    /// A concern saved empty, as a member of staff sees it.
    @Test(arguments: ScreenSize.allCases)
    func staffConcernFormWithErrors(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        fixture.press(.char("l"), .ctrl("s"))
        let errors = try fixture.openForm().form.errors
        #expect(errors["pupils"] == "Choose at least one pupil", "errors: \(errors)")
        #expect(fixture.text.contains("Choose at least one pupil"))
        try check(fixture, { $0 == .concern }, named: "staff-concern-form-errors-\(screen.rawValue)")
    }

    /// Esc on a form with typing in it asks first.
    @Test(arguments: ScreenSize.allCases)
    func dslNoteFormAsksBeforeDiscarding(_ screen: ScreenSize) throws {
        let fixture = try chronology(screen)
        fixture.press(.char("n"))
        try fixture.fill(RecordField.summary, "Half a note")
        fixture.press(.escape)
        #expect(fixture.text.contains("Discard what you typed?"))
        try check(fixture, { if case .note = $0 { true } else { false } }, named: "dsl-note-form-discard-\(screen.rawValue)")
    }
}
