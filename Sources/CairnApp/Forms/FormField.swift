import CairnDomain
import Foundation

/// One entry in a choice or multi-select list: an id the app understands and a label people read.
public struct FormOption: Equatable, Hashable, Sendable {
    public var id: String
    public var label: String
    /// What privacy mode shows instead, when the label names a pupil.
    public var privateLabel: String?
    public init(id: String, label: String, privateLabel: String? = nil) {
        self.id = id
        self.label = label
        self.privateLabel = privateLabel
    }
}

/// How a multi-select list narrows as the user types.
public enum MultiSelectFilter: Equatable, Sendable {
    /// Typing jumps to the next option starting with that letter.
    case none
    /// Typing narrows the options already given (labels containing the text, any case).
    case local
    /// Typing is sent to the app as `FormEvent.query`; the app searches and calls `setOptions`.
    case remote
}

/// When a field shows: it depends on the value of another field. A choice matches its option id,
/// a toggle "yes" or "no", a multi-select any chosen id, a text field its text.
public struct FieldCondition: Equatable, Sendable {
    public var fieldID: String
    public var values: Set<String>
    /// True: shown only while the other field matches. False: hidden while it matches.
    public var showsWhenMatching: Bool

    public static func shown(when fieldID: String, isOneOf values: [String]) -> FieldCondition {
        FieldCondition(fieldID: fieldID, values: Set(values), showsWhenMatching: true)
    }

    public static func hidden(when fieldID: String, isOneOf values: [String]) -> FieldCondition {
        FieldCondition(fieldID: fieldID, values: Set(values), showsWhenMatching: false)
    }
}

/// One labelled field of a `Form`, with its value. Build fields with the static functions
/// (`.text`, `.multiline`, `.choice`, `.multiSelect`, `.date`, `.toggle`).
public struct FormField: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// One line of text.
        case text
        /// Several lines with word wrap, `rows` rows high on screen (more on a tall screen).
        case multiline(rows: Int)
        /// One of `options`, or none yet.
        case choice
        /// Any number of `options`, in a list `rows` rows high.
        case multiSelect(filter: MultiSelectFilter, rows: Int)
        /// A date typed as dd/mm/yyyy.
        case date
        /// Yes or no.
        case toggle
    }

    public let id: String
    public var label: String
    public var kind: Kind
    public var isRequired: Bool
    /// A line of guidance under the field.
    public var hint: String?
    /// What is wrong with the value, in words; shown under the field.
    public var error: String?
    /// What `requiredErrors()` says when the field is empty; a sentence made from the label if nil.
    public var requiredMessage: String?
    public var condition: FieldCondition?

    /// The options of a choice or multi-select field (for a remote multi-select: the latest results).
    public internal(set) var options: [FormOption] = []
    /// The text of text, multi-line and date fields, and the search text of a filtered multi-select.
    public internal(set) var editor: TextEditor
    var choiceID: String?
    /// Chosen options of a multi-select, in the order chosen, kept even when they leave `options`.
    var chosen: [FormOption] = []
    var highlight = 0
    var isOn = false

    init(id: String, label: String, kind: Kind, editor: TextEditor = TextEditor(), required: Bool, hint: String?) {
        self.id = id
        self.label = label
        self.kind = kind
        self.editor = editor
        self.isRequired = required
        self.hint = hint
    }

    // MARK: Building fields

    public static func text(_ id: String, _ label: String, value: String = "", required: Bool = false,
                            hint: String? = nil, maxLength: Int? = nil) -> FormField {
        FormField(id: id, label: label, kind: .text, editor: TextEditor(value, maxLength: maxLength),
                  required: required, hint: hint)
    }

    public static func multiline(_ id: String, _ label: String, rows: Int = 4, value: String = "",
                                 required: Bool = false, hint: String? = nil, maxLength: Int? = nil) -> FormField {
        FormField(id: id, label: label, kind: .multiline(rows: max(1, rows)),
                  editor: TextEditor(value, multiline: true, maxLength: maxLength), required: required, hint: hint)
    }

    public static func choice(_ id: String, _ label: String, options: [FormOption], value: String? = nil,
                              required: Bool = false, hint: String? = nil) -> FormField {
        var field = FormField(id: id, label: label, kind: .choice, required: required, hint: hint)
        field.options = options
        field.choiceID = options.contains { $0.id == value } ? value : nil
        return field
    }

    public static func multiSelect(_ id: String, _ label: String, options: [FormOption],
                                   selected: [FormOption] = [], filter: MultiSelectFilter = .none, rows: Int = 5,
                                   required: Bool = false, hint: String? = nil) -> FormField {
        var field = FormField(id: id, label: label, kind: .multiSelect(filter: filter, rows: max(1, rows)),
                              editor: TextEditor(maxLength: 100), required: required, hint: hint)
        field.options = options
        field.chosen = selected
        return field
    }

    public static func date(_ id: String, _ label: String, value: Date? = nil, required: Bool = false,
                            hint: String? = nil) -> FormField {
        FormField(id: id, label: label, kind: .date, editor: TextEditor(value.map(UKDate.date) ?? "", maxLength: 10),
                  required: required, hint: hint)
    }

    public static func toggle(_ id: String, _ label: String, value: Bool = false, hint: String? = nil) -> FormField {
        var field = FormField(id: id, label: label, kind: .toggle, required: false, hint: hint)
        field.isOn = value
        return field
    }

    /// This field, shown only while `fieldID`'s value is one of `values`.
    public func shown(when fieldID: String, isOneOf values: [String]) -> FormField {
        var copy = self
        copy.condition = .shown(when: fieldID, isOneOf: values)
        return copy
    }

    /// This field, hidden while `fieldID`'s value is one of `values`.
    public func hidden(when fieldID: String, isOneOf values: [String]) -> FormField {
        var copy = self
        copy.condition = .hidden(when: fieldID, isOneOf: values)
        return copy
    }

    /// This field with its own sentence for `requiredErrors()`.
    public func whenMissing(_ message: String) -> FormField {
        var copy = self
        copy.requiredMessage = message
        return copy
    }

    // MARK: Reading

    /// The filter of a multi-select; `.none` for other kinds.
    public var filter: MultiSelectFilter {
        if case .multiSelect(let filter, _) = kind { return filter }
        return .none
    }

    public var isTextual: Bool {
        switch kind {
        case .text, .multiline, .date: return true
        default: return false
        }
    }

    /// The options a multi-select shows now: all of them, or those matching the typed text.
    public var shownOptions: [FormOption] {
        guard filter == .local, !editor.isEmpty else { return options }
        let wanted = editor.text.lowercased()
        return options.filter { $0.label.lowercased().contains(wanted) }
    }

    public func isChosen(_ option: FormOption) -> Bool { chosen.contains { $0.id == option.id } }

    public var chosenOptions: [FormOption] { chosen }

    public var chosenOption: FormOption? { options.first { $0.id == choiceID } }

    /// True when nothing has been entered or chosen (a toggle is never empty).
    public var isEmpty: Bool {
        switch kind {
        case .text, .multiline, .date: return editor.isBlank
        case .choice: return choiceID == nil
        case .multiSelect: return chosen.isEmpty
        case .toggle: return false
        }
    }

    /// The value as the strings a `FieldCondition` matches against (and `isDirty` compares).
    var matchValues: [String] {
        switch kind {
        case .text, .multiline, .date: return [editor.text]
        case .choice: return choiceID.map { [$0] } ?? []
        case .multiSelect: return chosen.map(\.id)
        case .toggle: return [isOn ? "yes" : "no"]
        }
    }

    /// "Enter what you saw or heard", "Choose consent", "Choose at least one: pupils".
    var missingMessage: String {
        if let requiredMessage { return requiredMessage }
        let name = label.prefix(1).lowercased() + label.dropFirst()
        switch kind {
        case .text, .multiline: return "Enter \(name)"
        case .date: return "Enter \(name) as dd/mm/yyyy"
        case .choice: return "Choose \(name)"
        case .multiSelect: return "Choose at least one: \(name)"
        case .toggle: return "Choose yes or no: \(name)"
        }
    }
}
