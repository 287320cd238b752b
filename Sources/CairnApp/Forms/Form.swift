import CairnDomain
import Foundation

/// What a key did to a form, for the screen holding it.
public enum FormEvent: Equatable, Sendable {
    /// The form used the key; redraw.
    case none
    /// Ctrl-S: validate the values and save them (or `setErrors` and keep the form open).
    case save
    /// Esc on an unchanged form, or a confirmed discard: close the form, saving nothing.
    case cancel
    /// The search text of a remote multi-select changed: search, then call `setOptions`.
    case query(fieldID: String, text: String)
    /// The form does not use this key (Ctrl-C among them): the app may.
    case ignored
}

/// The one form widget every form in the dashboard uses: a title, labelled fields in order, the
/// field with focus, and each field's value and error. A value: `handle` changes it,
/// `FormRenderer.draw` shows it.
///
/// ```swift
/// var form = Form(title: "Record a referral", fields: [
///     .choice("agency", "Agency", options: agencies, required: true),
///     .date("date", "Date of referral", required: true),
///     .choice("consent", "Consent", options: consentOptions, required: true),
///     .multiline("consentReason", "Why consent was not sought or was refused", rows: 3, required: true)
///         .shown(when: "consent", isOneOf: ["notSought", "refused"]),
/// ])
/// switch form.handle(key, today: clock.now) { case .save: ...; case .cancel: ...; default: ... }
/// ```
public struct Form: Equatable, Sendable {
    public var title: String
    public private(set) var fields: [FormField]
    /// Index in `fields` of the field with focus (always a shown field, when there is one).
    public private(set) var focus = 0
    /// Esc was pressed on a changed form: the next key decides (`y` discards).
    public private(set) var confirmingDiscard = false
    /// A sentence about the whole form rather than one field (a save that failed, a record changed
    /// by someone else), shown above the footer.
    public var problem: String?
    /// The width of the rect the form is drawn in, so that Up/Down in a multi-line field move by
    /// the rows the user sees. Keep it equal to the width given to `FormRenderer.draw`.
    public var width = 76
    /// The values when the form opened (or at the last `markClean`).
    private var initial: [[String]]

    public init(title: String, fields: [FormField]) {
        self.title = title
        self.fields = fields
        initial = fields.map(\.matchValues)
        normaliseFocus()
    }

    // MARK: Fields

    public func field(_ id: String) -> FormField? { fields.first { $0.id == id } }

    /// Replaces option labels where `relabel` gives one (privacy mode, on a copy about to be drawn).
    mutating func relabelOptions(_ relabel: (FormOption) -> String?) {
        for index in fields.indices {
            fields[index].options = fields[index].options.map { option in
                var shown = option
                shown.label = relabel(option) ?? option.label
                return shown
            }
            fields[index].chosen = fields[index].chosen.map { option in
                var shown = option
                shown.label = relabel(option) ?? option.label
                return shown
            }
        }
    }

    public var focusedField: FormField? { fields.indices.contains(focus) ? fields[focus] : nil }

    public var focusedFieldID: String? { focusedField?.id }

    /// Whether a field shows now: it exists and its condition (if any) holds.
    public func isVisible(_ id: String) -> Bool {
        guard let index = index(of: id) else { return false }
        return isVisible(at: index)
    }

    /// The fields shown now, in order.
    public var visibleFields: [FormField] { fields.indices.filter(isVisible(at:)).map { fields[$0] } }

    /// Gives the focus to a field, if it is shown.
    public mutating func focus(on id: String) {
        guard let index = index(of: id), isVisible(at: index) else { return }
        focus = index
    }

    // MARK: Values

    public func text(_ id: String) -> String { field(id)?.editor.text ?? "" }

    /// The date typed in a date field, or nil when empty or not a real dd/mm/yyyy date.
    public func date(_ id: String) -> Date? { UKDate.parseDate(text(id)) }

    /// The id of the chosen option.
    public func choice(_ id: String) -> String? { field(id)?.choiceID }

    /// The ids of the chosen options, in the order they were chosen.
    public func selected(_ id: String) -> [String] { field(id)?.chosen.map(\.id) ?? [] }

    public func selectedOptions(_ id: String) -> [FormOption] { field(id)?.chosen ?? [] }

    public func toggle(_ id: String) -> Bool { field(id)?.isOn ?? false }

    /// Whether any value differs from when the form opened.
    public var isDirty: Bool { fields.map(\.matchValues) != initial }

    /// Setting values: use before showing the form, then `markClean()`, or as a change the user sees.
    public mutating func setText(_ id: String, _ text: String) {
        update(id) { $0.editor.setText(text) }
    }

    public mutating func setDate(_ id: String, _ date: Date?) {
        update(id) { $0.editor.setText(date.map(UKDate.date) ?? "") }
    }

    public mutating func setChoice(_ id: String, _ optionID: String?) {
        update(id) { field in field.choiceID = field.options.contains { $0.id == optionID } ? optionID : nil }
    }

    public mutating func setSelected(_ id: String, _ options: [FormOption]) {
        update(id) { $0.chosen = options }
    }

    /// Chooses options of a multi-select by id, from its current options.
    public mutating func setSelected(_ id: String, ids: [String]) {
        update(id) { field in field.chosen = ids.compactMap { wanted in field.options.first { $0.id == wanted } } }
    }

    public mutating func setToggle(_ id: String, _ on: Bool) {
        update(id) { $0.isOn = on }
    }

    /// Replaces the options of a choice or multi-select (search results for a remote one).
    /// Chosen options stay chosen, shown as "Chosen: …" even when they are not among the new ones.
    public mutating func setOptions(fieldID id: String, _ options: [FormOption]) {
        update(id) { field in
            field.options = options
            field.highlight = 0
            if field.kind == .choice, !options.contains(where: { $0.id == field.choiceID }) { field.choiceID = nil }
        }
    }

    /// Takes the current values as the unchanged ones, for `isDirty`.
    public mutating func markClean() {
        initial = fields.map(\.matchValues)
    }

    // MARK: Errors

    /// Shows these errors (field id to sentence), clears the others, and moves the focus to the
    /// first shown field with an error.
    public mutating func setErrors(_ errors: [String: String]) {
        for index in fields.indices { fields[index].error = errors[fields[index].id] }
        if let first = firstErrorField { focus(on: first) }
    }

    public mutating func clearErrors() { setErrors([:]) }

    /// The first shown field, in order, with an error.
    public var firstErrorField: String? {
        fields.indices.first { isVisible(at: $0) && fields[$0].error != nil }.map { fields[$0].id }
    }

    public var errors: [String: String] {
        Dictionary(uniqueKeysWithValues: fields.compactMap { field in field.error.map { (field.id, $0) } })
    }

    /// Shown required fields left empty, each with a sentence ("Enter where it happened").
    public func requiredErrors() -> [String: String] {
        var errors: [String: String] = [:]
        for index in fields.indices where isVisible(at: index) && fields[index].isRequired && fields[index].isEmpty {
            errors[fields[index].id] = fields[index].missingMessage
        }
        return errors
    }

    /// Shown date fields whose text is not a real dd/mm/yyyy date.
    public func validateDates(today: Date) -> [String: String] {
        var errors: [String: String] = [:]
        for index in fields.indices where isVisible(at: index) && fields[index].kind == .date {
            let field = fields[index]
            if !field.editor.isBlank, UKDate.parseDate(field.editor.text) == nil {
                errors[field.id] = Self.dateFormatMessage
            }
        }
        return errors
    }

    public static let dateFormatMessage = "Enter the date as dd/mm/yyyy"

    /// `[id: message]` when the date in `id` is after today (London time), else empty.
    /// `message` is the caller's sentence: "Date of the incident cannot be in the future".
    public func futureDateError(_ id: String, today: Date, message: String) -> [String: String] {
        guard isVisible(id), let date = date(id) else { return [:] }
        let endOfToday = UKDate.calendar.date(byAdding: .day, value: 1, to: UKDate.calendar.startOfDay(for: today))!
        return date >= endOfToday ? [id: message] : [:]
    }

    /// Checks required fields and dates, adds the caller's own errors, shows them all and focuses the
    /// first. Returns true when there are none. The first error found for a field wins.
    @discardableResult
    public mutating func validate(today: Date, extra: [String: String] = [:]) -> Bool {
        let all = requiredErrors().merging(validateDates(today: today)) { first, _ in first }
            .merging(extra) { first, _ in first }
        setErrors(all)
        return all.isEmpty
    }

    // MARK: Internal

    func index(of id: String) -> Int? { fields.firstIndex { $0.id == id } }

    func isVisible(at index: Int) -> Bool {
        guard let condition = fields[index].condition else { return true }
        guard let other = field(condition.fieldID) else { return !condition.showsWhenMatching }
        let matches = other.matchValues.contains { condition.values.contains($0) }
        return matches == condition.showsWhenMatching
    }

    mutating func update(_ id: String, _ change: (inout FormField) -> Void) {
        guard let index = index(of: id) else { return }
        change(&fields[index])
        normaliseFocus()
    }

    mutating func updateFocused(_ change: (inout FormField) -> Void) {
        guard fields.indices.contains(focus) else { return }
        change(&fields[focus])
        normaliseFocus()
    }

    mutating func setConfirmingDiscard(_ value: Bool) { confirmingDiscard = value }

    /// Moves the focus `step` shown fields on; Tab wraps round, arrows stop at the ends.
    mutating func moveFocus(by step: Int, wrapping: Bool) {
        let shown = fields.indices.filter(isVisible(at:))
        guard !shown.isEmpty else { return }
        guard let here = shown.firstIndex(of: focus) else {
            focus = shown[0]
            return
        }
        var next = here + step
        if wrapping {
            next = (next % shown.count + shown.count) % shown.count
        } else {
            next = min(max(0, next), shown.count - 1)
        }
        focus = shown[next]
    }

    /// Keeps the focus on a shown field after a change hides the one it was on.
    mutating func normaliseFocus() {
        guard !fields.indices.contains(focus) || !isVisible(at: focus) else { return }
        let shown = fields.indices.filter(isVisible(at:))
        focus = shown.first { $0 > focus } ?? shown.last ?? 0
    }
}
