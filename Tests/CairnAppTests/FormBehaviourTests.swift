import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// The form widget inside the dashboard: errors beside their fields and nothing written while a
/// form is invalid; Esc asks before discarding; resizing mid-form keeps every value.
@Suite struct FormBehaviourTests {
    /// Every value a form holds, as text, so that two moments can be compared whole.
    private func values(_ form: Form) -> [String: String] {
        var out: [String: String] = [:]
        for field in form.fields {
            switch field.kind {
            case .text, .multiline, .date: out[field.id] = form.text(field.id)
            case .choice: out[field.id] = form.choice(field.id) ?? "-"
            case .multiSelect: out[field.id] = form.selected(field.id).joined(separator: ",")
            case .toggle: out[field.id] = form.toggle(field.id) ? "yes" : "no"
            }
        }
        return out
    }

    /// The rows of the screen, to find where an error sits relative to its field's label.
    private func row(containing text: String, in fixture: DashboardFixture) -> Int? {
        (0..<fixture.frame.size.height).first { fixture.frame.line($0).contains(text) }
    }

    /// A staff member's concern, filled in through the keys (the pupil found by typing).
    private func fillConcern(_ fixture: DashboardFixture) throws {
        fixture.press(.char("l"))
        fixture.type("Orms")
        fixture.press(.char(" "))
        try fixture.fill(ConcernForm.location, "Year 8 corridor")
        try fixture.fill(ConcernForm.account, "Finn had a cut lip and said he fell.")
        fixture.press(.enter)
        fixture.type("He would not look at me.")
        try fixture.fill(ConcernForm.childWords, "Don't tell my dad I told you.")
        try fixture.choose(RecordField.nature, Nature.seen.rawValue)
        try fixture.fill(ConcernForm.reporterAction, "Took him to first aid; told the DSL at once.")
        try fixture.focus(ConcernForm.categories)
        fixture.type("phys")
        fixture.press(.char(" "))
        try fixture.choose(ConcernForm.atRisk, Urgency.atRiskNow.rawValue)
    }

    @Test func theNoteFormShowsTheErrorUnderItsFieldAndWritesNothing() throws {
        let fixture = try DashboardFixture()
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        let before = try fixture.storedChronology(of: pupil.id).count
        let shown = fixture.state.chronology?.rows.count
        fixture.press(.char("n"), .ctrl("s"))
        let form = try fixture.openForm().form
        #expect(form.errors == [RecordField.summary: "Write what was said or done"])
        #expect(form.focusedFieldID == RecordField.summary, "the focus goes to the first field with an error")
        let label = try #require(row(containing: "Summary *", in: fixture))
        let error = try #require(row(containing: "! Write what was said or done", in: fixture), "no error on screen:\n\(fixture.text)")
        let next = try #require(row(containing: "Nature", in: fixture))
        #expect(label <= error && error < next, "the error is not beside its field:\n\(fixture.text)")
        #expect(try fixture.storedChronology(of: pupil.id).count == before)
        #expect(fixture.state.chronology?.rows.count == shown)
    }

    /// Consent "not sought" with no reason: refused beside the reason field, nothing written.
    @Test func aReferralWithoutConsentNeedsItsReason() throws {
        let fixture = try DashboardFixture()
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        let before = try fixture.storedChronology(of: pupil.id).count
        fixture.press(.char("r"))
        try fixture.choose(RecordField.agency, Agency.police.rawValue)
        try fixture.choose(RecordField.consent, ConsentBasis.notSought.rawValue)
        try fixture.choose(RecordField.lawfulBasis, LawfulBasis.publicTask.rawValue)
        fixture.press(.ctrl("s"))
        let form = try fixture.openForm().form
        #expect(form.errors.keys.sorted() == [RecordField.consentReason])
        #expect(form.focusedFieldID == RecordField.consentReason)
        let label = try #require(row(containing: "Why without consent", in: fixture))
        let error = try #require(row(containing: "! Say why consent was not sought", in: fixture), "no error on screen:\n\(fixture.text)")
        #expect(label < error && error <= label + 6)
        #expect(try fixture.storedChronology(of: pupil.id).count == before)
    }

    /// A concern dated tomorrow is refused in words beside the date, and nothing reaches the queue.
    @Test func aConcernDatedInTheFutureIsRefused() throws {
        let fixture = try DashboardFixture(as: "demo.staff")
        let logged = fixture.state.queue.items.count
        try fillConcern(fixture)
        try fixture.focus(ConcernForm.date)
        fixture.press(Array(repeating: Key.backspace, count: 10))
        fixture.type("24/11/2026")
        fixture.press(.ctrl("s"))
        let form = try fixture.openForm().form
        #expect(form.errors[ConcernForm.date] == "Date of the incident cannot be in the future", "errors: \(form.errors)")
        #expect(fixture.text.contains("! Date of the incident cannot be in the future"))
        #expect(try fixture.store.queue(actor: fixture.actor, scope: .mine, limit: 1000).count == logged)
    }

    /// A contact saved empty says, for each missing part, what to do, in the domain's own words.
    @Test func aContactsMissingPartsAreExplainedInWords() throws {
        let fixture = try DashboardFixture()
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        fixture.press(.char("n"), .right, .ctrl("s"))
        let errors = try fixture.openForm().form.errors
        #expect(errors[RecordField.party] == "Say who the contact was with", "errors: \(errors)")
        #expect(errors[RecordField.who] == "Name the person, and their relationship to the child", "errors: \(errors)")
        #expect(errors[RecordField.method] == "Say how the contact was made", "errors: \(errors)")
    }

    @Test func escapeOnATypedFormAsksAndYDiscards() throws {
        let fixture = try DashboardFixture()
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        let before = try fixture.storedChronology(of: pupil.id).count
        fixture.press(.char("n"))
        try fixture.fill(RecordField.summary, "Half a note")
        var frame = fixture.press(.escape)
        #expect(frame.text.contains("Discard what you typed? y discard · any other key keep editing"))
        #expect(fixture.state.form != nil)
        frame = fixture.press(.char("n"))
        #expect(fixture.state.form?.form.text(RecordField.summary) == "Half a note", "any other key keeps editing")
        #expect(!frame.text.contains("Discard what you typed?"))
        fixture.press(.escape, .char("y"))
        #expect(fixture.state.overlay == nil)
        #expect(fixture.state.context == .chronology, "back to the file the form was opened from")
        #expect(try fixture.storedChronology(of: pupil.id).count == before)
    }

    @Test func escapeOnAnUntouchedFormClosesIt() throws {
        let fixture = try DashboardFixture()
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        fixture.press(.char("m"))
        #expect(fixture.state.form != nil)
        let frame = fixture.press(.escape)
        #expect(fixture.state.overlay == nil)
        #expect(!frame.text.contains("Discard what you typed?"))
    }

    /// The journey (4): resize from 132x43 to 80x24 and back mid-form; nothing is lost,
    /// and what is saved is what was typed.
    @Test func resizingMidFormKeepsEveryValue() throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: ScreenSize.large.size)
        try fillConcern(fixture)
        try fixture.focus(ConcernForm.account)
        fixture.press(.up)
        fixture.type(" (left cheek)")
        let typed = values(try fixture.openForm().form)
        #expect(typed[ConcernForm.account]?.contains("(left cheek)") == true)
        #expect(typed[ConcernForm.account]?.contains("\nHe would not look at me.") == true)

        for size in [ScreenSize.small.size, Size(width: 100, height: 30), ScreenSize.large.size, ScreenSize.small.size] {
            let frame = fixture.resize(to: size)
            let form = try fixture.openForm().form
            #expect(values(form) == typed, "values changed at \(size.width)x\(size.height)")
            #expect(form.focusedFieldID == ConcernForm.account, "the focus moved at \(size.width)x\(size.height)")
            #expect(frame.cursor != nil, "no cursor at \(size.width)x\(size.height):\n\(frame.text)")
            #expect(frame.text.contains("Log a concern"))
        }
        fixture.type("!")
        let frame = fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the concern did not save:\n\(frame.text)")
        #expect(fixture.noticeLine.contains("logged as URGENT"), "notice: \(fixture.noticeLine)")

        let item = try #require(try fixture.store.queue(actor: fixture.actor, scope: .mine, limit: 1).first)
        let detail = try fixture.store.concern(actor: fixture.actor, id: item.id)
        #expect(item.urgent)
        #expect(item.pupils.map(\.upn) == [typed[ConcernForm.pupils]])
        #expect(item.categories == [.physical])
        #expect(detail.location == "Year 8 corridor")
        #expect(detail.childWords == "Don't tell my dad I told you.")
        #expect(detail.reporterAction == "Took him to first aid; told the DSL at once.")
        #expect(detail.accounts.first?.nature == .seen)
        #expect(detail.accounts.first?.text.contains("(left cheek)") == true)
        #expect(detail.accounts.first?.text.contains("!") == true)
        #expect(detail.accounts.first?.text.contains("\nHe would not look at me.") == true)
    }
}
