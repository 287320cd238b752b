import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// Finding the demo's pupils and records, and driving the panes, for the tests that need them.
/// Lookups go through the store as the demo DSL, so that the answer does not depend on the role
/// the fixture signed in as; everything a test asserts about the screen is reached by keys.
extension DashboardFixture {
    func staff(_ username: String) throws -> Staff {
        try #require(try store.staff(username: username), "no demo staff member \(username)")
    }

    var dsl: Staff { get throws { try staff("demo.dsl") } }

    /// The hint line, or the notice when there is one.
    var noticeLine: String { frame.line(frame.size.height - 2) }
    var statusLine: String { frame.line(frame.size.height - 1) }

    /// The terminal changed size: lay out again and draw.
    @discardableResult
    func resize(to size: Size) -> Frame {
        dashboard.resize(to: size)
        return redraw()
    }

    @discardableResult
    func redraw() -> Frame {
        press([])
    }

    /// One idle tick of the terminal loop, then the frame it would draw.
    @discardableResult
    func tick() -> Bool {
        let changed = dashboard.tick()
        redraw()
        return changed
    }

    /// Every pupil in a year group (forms "8A" and "8B"), as the DSL finds them.
    func pupils(in year: YearGroup) throws -> [PupilSummary] {
        let dsl = try dsl
        var found: [PupilSummary] = []
        for form in ["\(year.rawValue)A", "\(year.rawValue)B"] {
            found += try store.findPupils(actor: dsl, matching: form, limit: 200).filter { $0.yearGroup == year }
        }
        return found
    }

    func pupil(_ id: PupilID) throws -> PupilSummary {
        let header = try store.pupilHeader(actor: try dsl, pupil: id)
        return PupilSummary(id: header.id, upn: header.upn, name: header.name, yearGroup: header.yearGroup,
                            form: header.form, dateOfBirth: header.dateOfBirth)
    }

    /// The whole chronology of a pupil as `reader` (the DSL unless told) sees it, newest first.
    func storedChronology(of pupil: PupilID, as reader: Staff? = nil) throws -> [ChronologyRow] {
        try store.chronology(actor: try reader ?? dsl, pupil: pupil, limit: 1000)
    }

    /// The first pupil of these year groups whose file, as the DSL sees it, has a row matching `matches`.
    func pupil(in years: [YearGroup], whoseFileHas matches: (ChronologyRow) -> Bool) throws -> PupilSummary {
        for year in years {
            for pupil in try pupils(in: year) where try storedChronology(of: pupil.id).contains(where: matches) {
                return pupil
            }
        }
        Issue.record("no pupil in \(years) has a matching entry")
        throw FixtureError.notFound
    }

    /// The Year 8 pupil of the demo's showcase: a call home later corrected, a meeting, an early help
    /// flag, a decision not to refer, and two actions for the pastoral lead.
    func earlyHelpPupil() throws -> PupilSummary {
        let pastoral = try staff("demo.pastoral")
        let actions = try store.actions(actor: pastoral, view: .mine, limit: 100)
        let checkIn = try #require(actions.first { $0.action.description.hasPrefix("Weekly check-in") },
                                   "the demo has no weekly check-in action for the pastoral lead")
        return try pupil(checkIn.action.pupil)
    }

    /// Opens a pupil's chronology the way a user does: `/`, their UPN, Enter.
    @discardableResult
    func openChronology(of pupil: PupilSummary) throws -> Frame {
        if state.overlay != nil { press(.escape) }
        press(.char("/"))
        type(pupil.upn)
        let opened = press(.enter)
        let chronology = try #require(state.chronology, "the finder did not open \(pupil.name):\n\(opened.text)")
        try #require(chronology.header.id == pupil.id, "opened \(chronology.header.name), not \(pupil.name)")
        return opened
    }

    /// Moves the chronology selection with `j` until `matches` holds for the selected row.
    func selectChronologyRow(where matches: (ChronologyRow) -> Bool) throws {
        let count = state.chronology?.rows.count ?? 0
        for _ in 0...count {
            if let row = state.chronology?.selectedRow, matches(row) { return }
            press(.char("j"))
        }
        Issue.record("no chronology row matches")
        throw FixtureError.notFound
    }

    /// Moves the actions selection with `j` until `matches` holds for the selected row.
    func selectActionRow(where matches: (ActionRow) -> Bool) throws {
        for _ in 0...state.actions.items.count {
            if let row = state.actions.selectedItem, matches(row) { return }
            press(.char("j"))
        }
        Issue.record("no action row matches")
        throw FixtureError.notFound
    }

    /// The open form, or a recorded issue showing the screen.
    func openForm(sourceLocation: SourceLocation = #_sourceLocation) throws -> FormSession {
        try #require(state.form, "no form is open:\n\(text)", sourceLocation: sourceLocation)
    }

    /// Presses Tab until the field `id` has the focus.
    func focus(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let count = try openForm(sourceLocation: sourceLocation).form.fields.count
        for _ in 0...count {
            if state.form?.form.focusedFieldID == id { return }
            press(.tab)
        }
        Issue.record("Tab never reached the field \(id):\n\(text)", sourceLocation: sourceLocation)
        throw FixtureError.notFound
    }

    /// Focuses a field and types into it.
    @discardableResult
    func fill(_ id: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Frame {
        try focus(id, sourceLocation: sourceLocation)
        return type(text)
    }

    /// Focuses a choice field and presses → until the option `optionID` is chosen.
    @discardableResult
    func choose(_ id: String, _ optionID: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Frame {
        try focus(id, sourceLocation: sourceLocation)
        let options = try #require(state.form?.form.field(id)?.options, sourceLocation: sourceLocation)
        for _ in 0...options.count {
            if state.form?.form.choice(id) == optionID { return frame }
            press(.right)
        }
        Issue.record("→ never chose \(optionID) in \(id)", sourceLocation: sourceLocation)
        throw FixtureError.notFound
    }
}

/// The concern form's field ids, as the app names them.
typealias ConcernForm = FieldID

enum FixtureError: Error {
    case notFound
}
