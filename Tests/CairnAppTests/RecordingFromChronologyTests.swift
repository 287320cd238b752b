import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// What a DSL records from a pupil's chronology, through the real keys and Ctrl-S, checked in the
/// store and on the screen: notes, contacts, meetings, referrals (and decisions not to), actions,
/// amendments, flags and agency decisions.
@Suite struct RecordingFromChronologyTests {
    /// The chronology's first entry row: under the tab line, the pupil header (name, details, two
    /// lines of context flags, level of need) and the column names.
    static let firstRow = 7

    /// The DSL with the demo's Year 8 early help case open, and the file as the store holds it.
    private func openCase(_ screen: ScreenSize = .small) throws -> (DashboardFixture, PupilSummary, [ChronologyRow]) {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        return (fixture, pupil, try fixture.storedChronology(of: pupil.id))
    }

    /// Ctrl-S closed the form, the store has exactly `added` more entries, the newest (today, so at
    /// the top) is returned, and the screen's first row shows it.
    @discardableResult
    private func saved(_ fixture: DashboardFixture, _ pupil: PupilSummary, after before: [ChronologyRow], added: Int = 1,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> ChronologyRow {
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)", sourceLocation: sourceLocation)
        let after = try fixture.storedChronology(of: pupil.id)
        #expect(after.count == before.count + added, "entries before \(before.count), after \(after.count)",
                sourceLocation: sourceLocation)
        let newest = try #require(after.first, sourceLocation: sourceLocation)
        #expect(!before.contains { $0.entry.id == newest.entry.id }, sourceLocation: sourceLocation)
        #expect(fixture.state.chronology?.rows.first?.entry.id == newest.entry.id, "the pane did not reload",
                sourceLocation: sourceLocation)
        let firstRow = fixture.frame.line(Self.firstRow)
        #expect(firstRow.contains(UKDate.date(DashboardFixture.now)) && firstRow.contains(newest.entry.kind.label.prefix(10)),
                "first row: \(firstRow)", sourceLocation: sourceLocation)
        return newest
    }

    @Test func aNote() throws {
        let (fixture, pupil, before) = try openCase()
        fixture.press(.char("n"))
        try fixture.fill(RecordField.summary, "Quinn came to say the check-ins help.")
        try fixture.choose(RecordField.nature, Nature.seen.rawValue)
        fixture.press(.ctrl("s"))
        let row = try saved(fixture, pupil, after: before)
        #expect(row.entry.kind == .note)
        #expect(row.entry.summary.contains("Quinn came to say the check-ins help."))
        #expect(row.entry.nature == .seen)
        #expect(row.authorName == "Sam Carter")
        #expect(fixture.noticeLine.contains("Note added."))
        #expect(fixture.frame.line(Self.firstRow).contains("[seen] Quinn came to say"), "row: \(fixture.frame.line(Self.firstRow))")
    }

    @Test func aContactWithAParent() throws {
        let (fixture, pupil, before) = try openCase()
        fixture.press(.char("n"), .right) // Record: Contact
        try fixture.choose(RecordField.party, ContactParty.parentCarer.rawValue)
        try fixture.fill(RecordField.who, "Ms D. Ormsby (mother)")
        try fixture.choose(RecordField.method, ContactMethod.phone.rawValue)
        try fixture.fill(RecordField.summary, "Mum says sleep is better since the nurse's advice.")
        try fixture.choose(RecordField.nature, Nature.reported.rawValue)
        fixture.press(.ctrl("s"))
        let row = try saved(fixture, pupil, after: before)
        #expect(row.entry.kind == .contact)
        #expect(row.entry.summary.hasPrefix("Telephone with Ms D. Ormsby (mother)"), "summary: \(row.entry.summary)")
        let entry = try fixture.store.entry(actor: try fixture.dsl, id: row.entry.id)
        #expect(entry.fields.contains(EntryField(label: "With", value: "Parent or carer")))
        #expect(entry.fields.contains(EntryField(label: "How", value: "Telephone")))
        #expect(entry.body == "Mum says sleep is better since the nurse's advice.")
        #expect(fixture.noticeLine.contains("Contact recorded."))
    }

    @Test func aMeeting() throws {
        let (fixture, pupil, before) = try openCase()
        fixture.press(.char("m"))
        try fixture.choose(RecordField.meetingType, MeetingType.earlyHelpReview.rawValue)
        try fixture.fill(RecordField.attendees, "Sam Carter (DSL), Tom Hughes (head of year), mum")
        try fixture.fill(RecordField.decisions, "Plan continues for six weeks; nurse to attend next review.")
        fixture.press(.ctrl("s"))
        let row = try saved(fixture, pupil, after: before)
        #expect(row.entry.kind == .meeting)
        #expect(row.entry.significant, "a meeting is significant unless unticked")
        #expect(row.entry.summary.hasPrefix("Early help review: Plan continues"), "summary: \(row.entry.summary)")
        let entry = try fixture.store.entry(actor: try fixture.dsl, id: row.entry.id)
        #expect(entry.fields.contains(EntryField(label: "Attendees", value: "Sam Carter (DSL), Tom Hughes (head of year), mum")))
    }

    /// The journey (3): consent "not sought", with the reason, and it is in the chronology.
    @Test(arguments: ScreenSize.allCases)
    func aReferralWithConsentNotSought(_ screen: ScreenSize) throws {
        let (fixture, pupil, before) = try openCase(screen)
        fixture.press(.char("r"))
        try fixture.choose(RecordField.agency, Agency.socialCare.rawValue)
        try fixture.choose(RecordField.consent, ConsentBasis.notSought.rawValue)
        let reason = "Mum's partner is the alleged source of harm; asking could put Quinn at risk."
        try fixture.fill(RecordField.consentReason, reason)
        try fixture.choose(RecordField.lawfulBasis, LawfulBasis.publicTask.rawValue)
        try fixture.fill(RecordField.agencyReference, "MASH-30001")
        try fixture.fill(RecordField.reasoning, "Disclosure in tutor time of being hit at home.")
        fixture.press(.ctrl("s"))
        let row = try saved(fixture, pupil, after: before)
        #expect(row.entry.kind == .referral)
        #expect(row.entry.significant)
        #expect(row.entry.summary.contains("Referral to Children's social care / MASH (consent: not sought)"), "summary: \(row.entry.summary)")
        let entry = try fixture.store.entry(actor: try fixture.dsl, id: row.entry.id)
        #expect(entry.fields.contains(EntryField(label: "Consent", value: "Not sought")))
        #expect(entry.fields.contains(EntryField(label: "Consent reason", value: reason)))
        #expect(entry.fields.contains(EntryField(label: "Agency reference", value: "MASH-30001")))
        #expect(entry.awaitingDecision != nil, "no decision yet")
        #expect(fixture.noticeLine.contains("Referral to Children's social care / MASH recorded."))
        #expect(fixture.frame.line(Self.firstRow).contains("Referral"), "row: \(fixture.frame.line(Self.firstRow))")
    }

    @Test func aDecisionNotToRefer() throws {
        let (fixture, pupil, before) = try openCase()
        fixture.press(.char("r"))
        try fixture.choose(RecordField.outcome, ReferralOutcome.notReferred.rawValue)
        try fixture.choose(RecordField.agency, Agency.earlyHelp.rawValue)
        try fixture.fill(RecordField.reasoning, "Needs are met by the school's plan; reviewed with the nurse.")
        fixture.press(.ctrl("s"))
        let row = try saved(fixture, pupil, after: before)
        #expect(row.entry.kind == .referral)
        #expect(row.entry.summary.hasPrefix("Decided not to refer to Early help: Needs are met"), "summary: \(row.entry.summary)")
        let entry = try fixture.store.entry(actor: try fixture.dsl, id: row.entry.id)
        #expect(entry.fields.contains(EntryField(label: "Outcome", value: "Decided not to refer")))
        #expect(!entry.fields.contains { $0.label == "Consent" })
        #expect(fixture.noticeLine.contains("Decision not to refer to Early help recorded."))
    }

    @Test func anAction() throws {
        let (fixture, pupil, before) = try openCase()
        fixture.press(.char("a"))
        try fixture.fill(RecordField.description, "Ask the nurse for a note of the sleep advice")
        try fixture.choose(RecordField.owner, "demo.pastoral")
        fixture.press(.ctrl("s"))
        let row = try saved(fixture, pupil, after: before)
        #expect(row.entry.kind == .action)
        let actions = try fixture.store.actions(actor: try fixture.dsl, view: .all, limit: 1000)
        let action = try #require(actions.first { $0.action.description == "Ask the nurse for a note of the sleep advice" })
        #expect(action.action.owner == "demo.pastoral")
        #expect(action.action.pupil == pupil.id)
        #expect(UKDate.date(action.action.due) == "30/11/2026", "due a week from today unless changed")
        #expect(row.entry.action == action.action.id)
        #expect(fixture.noticeLine.contains("Action set, due 30/11/2026."))
        #expect(fixture.state.chronology?.header.openActions == 3, "the header counts the new open action")
    }

    /// `A`: the new text and a reason; the old text stays in the history, and the row says amended.
    @Test func anAmendment() throws {
        let (fixture, pupil, before) = try openCase()
        try fixture.selectChronologyRow { $0.entry.kind == .meeting }
        let meeting = try #require(fixture.state.chronology?.selectedRow)
        let old = try fixture.store.entry(actor: try fixture.dsl, id: meeting.entry.id).body
        fixture.press(.char("A"))
        let form = try fixture.openForm().form
        #expect(form.text(RecordField.text) == old, "the form starts from the current text")
        #expect(form.focusedFieldID == RecordField.text)
        fixture.type(" The nurse will attend the review.")
        try fixture.fill(RecordField.reason, "Left out who attends the review.")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")

        let entry = try fixture.store.entry(actor: try fixture.dsl, id: meeting.entry.id)
        #expect(entry.row.amended)
        #expect(entry.body != old && entry.body.contains("The nurse will attend the review."))
        let amendment = try #require(entry.amendments.last)
        #expect(amendment.previousText == old, "the old text is kept in the history")
        #expect(amendment.reason == "Left out who attends the review.")
        #expect(amendment.byName == "Sam Carter")
        let after = try fixture.storedChronology(of: pupil.id)
        #expect(after.count == before.count + 1, "the amendment is itself an entry")
        #expect(after.first?.entry.kind == .amendment)
        // The amended row stays selected and says so.
        #expect(fixture.state.chronology?.selectedRow?.entry.id == meeting.entry.id)
        let line = try #require(fixture.frame.text.split(separator: "\n").first { $0.hasPrefix("▸") })
        #expect(line.contains("[amended]"), "row: \(line)")
        // Opened, the entry shows the history with the old text.
        let opened = fixture.press(.enter, .pageDown)
        #expect(opened.text.contains("History (1 amendment)") || fixture.press(.pageDown).text.contains("History (1 amendment)"))
    }

    /// `F` sets a flag from today, then ends it: the header and the file show both.
    @Test func aFlagSetAndEnded() throws {
        let (fixture, pupil, before) = try openCase()
        fixture.press(.char("F"))
        try fixture.choose(RecordField.flag, "set:" + ContextFlagKind.youngCarer.rawValue)
        fixture.press(.ctrl("s"))
        try saved(fixture, pupil, after: before)
        var header = try fixture.store.pupilHeader(actor: try fixture.dsl, pupil: pupil.id)
        let set = try #require(header.flags.first { $0.kind == .youngCarer })
        #expect(set.end == nil)
        #expect(UKDate.date(set.start) == "23/11/2026")
        #expect(fixture.frame.line(3).contains("Young carer from 23/11/2026"), "header: \(fixture.frame.line(3))")

        fixture.press(.char("F"))
        try fixture.choose(RecordField.flag, "end:" + ContextFlagKind.youngCarer.rawValue)
        fixture.press(.ctrl("s"))
        let ended = try saved(fixture, pupil, after: before, added: 2)
        #expect(ended.entry.summary == "Young carer ended on 23/11/2026")
        header = try fixture.store.pupilHeader(actor: try fixture.dsl, pupil: pupil.id)
        #expect(header.flags.first { $0.kind == .youngCarer }?.end != nil)
        #expect(fixture.text.contains("Young carer ended on 23/11/2026"))
        #expect(fixture.text.contains("Young carer started on 23/11/2026"))
    }

    /// `d` on a referral waiting for the agency records its decision.
    @Test func theAgencysDecision() throws {
        let fixture = try DashboardFixture()
        let police = { (row: ChronologyRow) in row.entry.kind == .referral && row.entry.summary.contains("Police") }
        let pupil = try fixture.pupil(in: [.year10], whoseFileHas: police)
        try fixture.openChronology(of: pupil)
        try fixture.selectChronologyRow(where: police)
        let referral = try #require(fixture.state.chronology?.selectedRow)
        let before = try fixture.storedChronology(of: pupil.id)
        fixture.press(.enter, .char("d"))
        try fixture.fill(RecordField.decision, "No further police action; advice given to the family.")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        #expect(fixture.noticeLine.contains("The agency's decision is recorded."))
        let after = try fixture.storedChronology(of: pupil.id)
        let response = try #require(after.first { $0.entry.kind == .agencyResponse && !before.contains($0) })
        #expect(response.entry.summary.contains("No further police action"), "summary: \(response.entry.summary)")
        #expect(try fixture.store.entry(actor: try fixture.dsl, id: referral.entry.id).awaitingDecision == nil)
        // The entry, still open, no longer asks for a decision.
        #expect(!fixture.text.contains("d records it"), "screen:\n\(fixture.text)")
    }
}
