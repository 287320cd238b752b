/// Every command the dashboard understands.
public enum Command: String, Sendable, CaseIterable {
    case moveDown, moveUp, pageDown, pageUp, top, bottom
    case open, back, triage, close, help, quit, forceQuit
    case nextField, previousField, toggle, increase, decrease, save
    case find, nextPupil, flipOrder, significantOnly
}

/// Where a binding applies. `global` bindings work everywhere that does not capture typing.
public enum KeyContext: String, Sendable, CaseIterable {
    case global, queue, detail, chronology, finder, form, help

    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .queue: "Queue"
        case .detail: "Concern"
        case .chronology: "Chronology"
        case .finder: "Pupil finder"
        case .form: "Triage and close forms"
        case .help: "Help"
        }
    }
}

public struct KeyBinding: Sendable {
    public let keys: [Key]
    public let command: Command
    public let context: KeyContext
    public let help: String
    /// Shown in the hint line of its context.
    public let hint: Bool
}

/// The one table of keys: key handling, the help overlay, the hint line and the README's key
/// reference are all generated from it.
public enum Keymap {
    public static let table: [KeyBinding] = [
        KeyBinding(keys: [.char("j"), .down], command: .moveDown, context: .queue, help: "next concern", hint: false),
        KeyBinding(keys: [.char("k"), .up], command: .moveUp, context: .queue, help: "previous concern", hint: false),
        KeyBinding(keys: [.pageDown, .ctrl("f")], command: .pageDown, context: .queue, help: "page down", hint: false),
        KeyBinding(keys: [.pageUp, .ctrl("b")], command: .pageUp, context: .queue, help: "page up", hint: false),
        KeyBinding(keys: [.char("g"), .home], command: .top, context: .queue, help: "first concern", hint: false),
        KeyBinding(keys: [.char("G"), .end], command: .bottom, context: .queue, help: "last concern", hint: false),
        KeyBinding(keys: [.enter], command: .open, context: .queue, help: "open the concern", hint: true),
        KeyBinding(keys: [.char("t")], command: .triage, context: .queue, help: "triage the concern", hint: true),
        KeyBinding(keys: [.char("c")], command: .close, context: .queue, help: "close with an outcome", hint: true),

        KeyBinding(keys: [.char("j"), .down], command: .moveDown, context: .detail, help: "scroll down", hint: false),
        KeyBinding(keys: [.char("k"), .up], command: .moveUp, context: .detail, help: "scroll up", hint: false),
        KeyBinding(keys: [.pageDown, .char(" ")], command: .pageDown, context: .detail, help: "page down", hint: false),
        KeyBinding(keys: [.pageUp], command: .pageUp, context: .detail, help: "page up", hint: false),
        KeyBinding(keys: [.char("t")], command: .triage, context: .detail, help: "triage this concern", hint: true),
        KeyBinding(keys: [.char("c")], command: .close, context: .detail, help: "close with an outcome", hint: true),
        KeyBinding(keys: [.tab], command: .nextPupil, context: .detail, help: "next pupil of the concern", hint: false),
        KeyBinding(keys: [.enter], command: .open, context: .detail, help: "open the pupil's chronology", hint: true),
        KeyBinding(keys: [.escape], command: .back, context: .detail, help: "back to the queue", hint: true),

        KeyBinding(keys: [.char("j"), .down], command: .moveDown, context: .chronology, help: "next entry", hint: false),
        KeyBinding(keys: [.char("k"), .up], command: .moveUp, context: .chronology, help: "previous entry", hint: false),
        KeyBinding(keys: [.pageDown, .ctrl("f")], command: .pageDown, context: .chronology, help: "page down", hint: false),
        KeyBinding(keys: [.pageUp, .ctrl("b")], command: .pageUp, context: .chronology, help: "page up", hint: false),
        KeyBinding(keys: [.char("g"), .home], command: .top, context: .chronology, help: "first entry", hint: false),
        KeyBinding(keys: [.char("G"), .end], command: .bottom, context: .chronology, help: "last entry", hint: false),
        KeyBinding(keys: [.char("o")], command: .flipOrder, context: .chronology, help: "flip the order, newest or oldest first", hint: true),
        KeyBinding(keys: [.char("s")], command: .significantOnly, context: .chronology, help: "significant events only, or all", hint: true),
        KeyBinding(keys: [.escape], command: .back, context: .chronology, help: "back", hint: true),

        KeyBinding(keys: [.down, .tab], command: .moveDown, context: .finder, help: "next pupil", hint: false),
        KeyBinding(keys: [.up, .backTab], command: .moveUp, context: .finder, help: "previous pupil", hint: false),
        KeyBinding(keys: [.enter], command: .open, context: .finder, help: "open the pupil's chronology", hint: true),
        KeyBinding(keys: [.escape], command: .back, context: .finder, help: "close the finder", hint: true),

        KeyBinding(keys: [.tab, .down], command: .nextField, context: .form, help: "next field", hint: true),
        KeyBinding(keys: [.backTab, .up], command: .previousField, context: .form, help: "previous field", hint: false),
        KeyBinding(keys: [.right], command: .increase, context: .form, help: "next choice", hint: false),
        KeyBinding(keys: [.left], command: .decrease, context: .form, help: "previous choice", hint: false),
        KeyBinding(keys: [.char(" ")], command: .toggle, context: .form, help: "toggle yes/no", hint: false),
        KeyBinding(keys: [.enter], command: .save, context: .form, help: "save", hint: true),
        KeyBinding(keys: [.escape], command: .back, context: .form, help: "cancel", hint: true),

        KeyBinding(keys: [.escape, .char("?"), .char("q")], command: .back, context: .help, help: "close help", hint: true),

        KeyBinding(keys: [.char("/")], command: .find, context: .global, help: "find a pupil", hint: true),
        KeyBinding(keys: [.char("?")], command: .help, context: .global, help: "show keys", hint: true),
        KeyBinding(keys: [.char("q")], command: .quit, context: .global, help: "quit", hint: true),
        KeyBinding(keys: [.ctrl("c")], command: .forceQuit, context: .global, help: "quit at once", hint: false),
    ]

    /// The command a key means in a context; context bindings win over global ones.
    public static func command(for key: Key, in context: KeyContext) -> Command? {
        if let binding = table.first(where: { $0.context == context && $0.keys.contains(key) }) {
            return binding.command
        }
        // Forms and the finder capture typing, so only Ctrl-C reaches the global table from there.
        if context == .form || context == .finder { return key == .ctrl("c") ? .forceQuit : nil }
        return table.first(where: { $0.context == .global && $0.keys.contains(key) })?.command
    }

    public static func bindings(in context: KeyContext) -> [KeyBinding] {
        table.filter { $0.context == context }
    }

    /// "Enter open · t triage · ..." for the hint line.
    public static func hints(for context: KeyContext) -> [(keys: String, help: String)] {
        var shown = bindings(in: context).filter(\.hint)
        if ![.form, .help, .finder].contains(context) { shown += bindings(in: .global).filter(\.hint) }
        return shown.map { (keyLabel($0), $0.help) }
    }

    public static func keyLabel(_ binding: KeyBinding) -> String {
        binding.keys.map(\.label).joined(separator: "/")
    }

    /// The key reference in Markdown, as the README carries it.
    public static var markdownReference: String {
        var out: [String] = []
        for context in KeyContext.allCases {
            let rows = bindings(in: context)
            guard !rows.isEmpty else { continue }
            out.append("#### \(context.title)")
            out.append("")
            out.append("| keys | does |")
            out.append("|---|---|")
            for binding in rows {
                out.append("| \(binding.keys.map { "`\($0.label)`" }.joined(separator: " ")) | \(binding.help) |")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }
}
