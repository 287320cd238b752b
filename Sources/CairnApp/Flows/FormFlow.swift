import CairnDomain
import CairnStore
import Foundation

/// What an open form is for, with what it needs to save.
public enum FormPurpose: Equatable, Sendable {
    case concern
    case note(PupilID)
    case meeting(PupilID)
    case referral(PupilID, concern: ConcernID?)
    case referralDecision(Int64)
    case action(PupilID, concern: ConcernID?)
    case amend(entry: Int64, currentText: String)
    case withhold(entry: Int64, currentText: String)
    case flag(PupilID)
    case done(Int64)
    case move(Int64)
    case reassign(Int64)
    case filter
    case triage(ConcernID)
    case close(ConcernID)
    case auditFilter
    /// Checking a record typed from paper against the paper.
    case verifyBackfill(ConcernID)
    /// The family's statement disputing an entry; with the entry's date, which the statement cannot precede.
    case dispute(entry: Int64, entryDate: Date)
    case reviewTransfer(Int64)
}

/// A form on screen: the widget, what it is for, and the state of saving it.
public struct FormSession: Equatable, Sendable {
    public var purpose: FormPurpose
    public var form: Form
    public var saving = false
    /// A problem that belongs to no one field (someone else decided first; the store refused).
    public var problem: String?
    /// The decision a triage or close form was opened on; nil once the user chose to save over
    /// someone else's.
    public var seen: Int64?
}

/// Opening, typing into, and saving forms.
enum FormFlow {
    static func open(_ purpose: FormPurpose, _ form: Form, seen: Int64? = nil, _ state: inout AppState) {
        var form = form
        form.width = FormView.innerWidth(state.size)
        state.overlay = .form(FormSession(purpose: purpose, form: form, seen: seen))
    }

    /// Keeps the form's idea of its width in step with the screen, so that nothing typed is lost
    /// or misplaced when the window is resized mid-form.
    static func resized(_ state: inout AppState) {
        guard case .form(var session) = state.overlay else { return }
        session.form.width = FormView.innerWidth(state.size)
        state.overlay = .form(session)
    }

    /// One key for the open form. The caller has taken the form out of `state.overlay` (so that
    /// the text being typed is not copied on every key); it goes back unless the form closed.
    static func key(_ key: Key, _ session: inout FormSession, _ state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        var closes = false
        switch session.form.handle(key, today: state.now) {
        case .none:
            session.problem = nil
        case .ignored:
            if key == .ctrl("c") { state.finished = true }
        case .cancel:
            closes = true
        case .query(_, let text):
            if !text.trimmingCharacters(in: .whitespaces).isEmpty { effects = [.findPupils(text, forConcern: true)] }
        case .save:
            if !session.saving { effects = FormSubmit.submit(&session, &state, closes: &closes) }
        }
        if !closes { state.overlay = .form(session) }
        return effects
    }

    /// Search results for the concern form's pupil picker, if they answer what is typed now.
    static func pupilsFound(_ text: String, _ pupils: [PupilSummary], _ session: inout FormSession) {
        guard session.form.field(FieldID.pupils)?.editor.text == text else { return }
        session.form.setOptions(fieldID: FieldID.pupils, pupils.map(FormCatalogue.option(for:)))
    }

    /// The store's problems beside their fields; any it cannot place go at the foot of the form.
    static func showProblems(_ problems: [FieldProblem], _ state: inout AppState) {
        guard case .form(var session) = state.overlay else {
            state.notice = Notice(kind: .problem, text: problems.map(\.message).joined(separator: "; "))
            return
        }
        var errors: [String: String] = [:]
        var unplaced: [String] = []
        for problem in problems {
            let id = session.form.field(problem.field) != nil ? problem.field : FormCatalogue.fieldID(for: problem.field)
            if session.form.isVisible(id) { errors[id] = errors[id] ?? problem.message } else { unplaced.append(problem.message) }
        }
        session.form.setErrors(errors)
        session.problem = unplaced.isEmpty ? nil : unplaced.joined(separator: "; ")
        session.saving = false
        state.overlay = .form(session)
    }

    /// Keeps any open form, with what was entered, and says in it what went wrong; otherwise
    /// the notice line says it.
    static func showProblem(_ text: String, clearingSeen: Bool, _ state: inout AppState) {
        guard case .form(var session) = state.overlay else {
            state.notice = Notice(kind: .problem, text: text)
            return
        }
        session.problem = text
        session.saving = false
        if clearingSeen { session.seen = nil }
        state.overlay = .form(session)
    }
}
