/// Every command the dashboard understands.
public enum Command: String, Sendable, CaseIterable {
    case moveDown, moveUp, pageDown, pageUp, top, bottom
    case open, back, triage, close, help, quit, forceQuit
    case nextField, previousField, choose, today, newLine, save
    case find, nextPupil, flipOrder, significantOnly, filter
    case nextPane, previousPane, queuePane, chronologyPane, actionsPane
    case logConcern, addNote, addReferral, addMeeting, addAction, amend, setFlag, export, markSignificant
    case recordDecision, markDone, changeDue, reassign, changeView, privacy, acknowledgeAudit
    case auditPane, clearFilter, whoHasLooked, withhold, markReviewed
    case verifyBackfill, dispute
}

/// Where a binding applies. `global` bindings work everywhere that does not capture typing.
public enum KeyContext: String, Sendable, CaseIterable {
    // Audit follows Chronology so that the help overlay's sections still fit three columns at 132x43.
    case global, queue, detail, chronology, audit, entry, actions, finder, form, help

    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .queue: "Queue"
        case .detail: "Concern"
        case .chronology: "Chronology"
        case .entry: "Chronology entry"
        case .actions: "Actions"
        case .audit: "Audit"
        case .finder: "Finder and search"
        case .form: "Forms"
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
    /// One or two words for the hint line when the full help does not fit (80 columns).
    public let short: String?

    public init(keys: [Key], command: Command, context: KeyContext, help: String, hint: Bool, short: String? = nil) {
        self.keys = keys
        self.command = command
        self.context = context
        self.help = help
        self.hint = hint
        self.short = short
    }
}

/// The one table of keys: key handling, the help overlay, the hint line and the README's key
/// reference are all generated from it.
public enum Keymap {
    private static func list(_ context: KeyContext, _ noun: String) -> [KeyBinding] {
        [
            KeyBinding(keys: [.char("j"), .down], command: .moveDown, context: context, help: "next \(noun)", hint: false),
            KeyBinding(keys: [.char("k"), .up], command: .moveUp, context: context, help: "previous \(noun)", hint: false),
            KeyBinding(keys: [.pageDown, .ctrl("f")], command: .pageDown, context: context, help: "page down", hint: false),
            KeyBinding(keys: [.pageUp, .ctrl("b")], command: .pageUp, context: context, help: "page up", hint: false),
            KeyBinding(keys: [.char("g"), .home], command: .top, context: context, help: "first \(noun)", hint: false),
            KeyBinding(keys: [.char("G"), .end], command: .bottom, context: context, help: "last \(noun)", hint: false),
        ]
    }

    private static func scrolling(_ context: KeyContext) -> [KeyBinding] {
        [
            KeyBinding(keys: [.char("j"), .down], command: .moveDown, context: context, help: "scroll down", hint: false),
            KeyBinding(keys: [.char("k"), .up], command: .moveUp, context: context, help: "scroll up", hint: false),
            KeyBinding(keys: [.pageDown, .char(" ")], command: .pageDown, context: context, help: "page down", hint: false),
            KeyBinding(keys: [.pageUp], command: .pageUp, context: context, help: "page up", hint: false),
        ]
    }

    public static let table: [KeyBinding] = list(.queue, "concern") + [
        KeyBinding(keys: [.enter], command: .open, context: .queue, help: "open the concern", hint: true),
        KeyBinding(keys: [.char("t")], command: .triage, context: .queue, help: "triage the concern", hint: true),
        KeyBinding(keys: [.char("c")], command: .close, context: .queue, help: "close with an outcome", hint: true),
        KeyBinding(keys: [.char("v")], command: .verifyBackfill, context: .queue, help: "check against paper", hint: false),
        KeyBinding(keys: [.char("r")], command: .markReviewed, context: .queue, help: "review a received file", hint: true,
                   short: "reviewed"),
    ] + scrolling(.detail) + [
        KeyBinding(keys: [.char("t")], command: .triage, context: .detail, help: "triage this concern", hint: true),
        KeyBinding(keys: [.char("c")], command: .close, context: .detail, help: "close with an outcome", hint: true),
        KeyBinding(keys: [.char("v")], command: .verifyBackfill, context: .detail, help: "check against paper", hint: false),
        KeyBinding(keys: [.char("n")], command: .nextPupil, context: .detail, help: "next pupil of the concern", hint: false),
        KeyBinding(keys: [.enter], command: .open, context: .detail, help: "open the pupil's chronology", hint: true),
        KeyBinding(keys: [.escape], command: .back, context: .detail, help: "back to the queue", hint: true),
    ] + list(.chronology, "entry") + [
        KeyBinding(keys: [.enter], command: .open, context: .chronology, help: "open the whole entry", hint: true, short: "open"),
        KeyBinding(keys: [.char("n")], command: .addNote, context: .chronology, help: "add a note or contact", hint: true, short: "note"),
        KeyBinding(keys: [.char("r")], command: .addReferral, context: .chronology, help: "referral, or not to refer", hint: true, short: "referral"),
        KeyBinding(keys: [.char("m")], command: .addMeeting, context: .chronology, help: "record a meeting", hint: true, short: "meeting"),
        KeyBinding(keys: [.char("a")], command: .addAction, context: .chronology, help: "add an action", hint: true, short: "action"),
        KeyBinding(keys: [.char("A")], command: .amend, context: .chronology, help: "amend the selected entry", hint: false),
        KeyBinding(keys: [.char("F")], command: .setFlag, context: .chronology, help: "set or end a context flag", hint: false),
        KeyBinding(keys: [.char("*")], command: .markSignificant, context: .chronology, help: "mark significant, or not", hint: false),
        KeyBinding(keys: [.char("f")], command: .filter, context: .chronology, help: "filter by kind or category", hint: true, short: "filter"),
        KeyBinding(keys: [.char("s")], command: .significantOnly, context: .chronology, help: "significant only, or all", hint: true, short: "significant"),
        KeyBinding(keys: [.char("o")], command: .flipOrder, context: .chronology, help: "newest or oldest first", hint: false),
        KeyBinding(keys: [.char("x")], command: .export, context: .chronology, help: "export as text and HTML", hint: false),
        KeyBinding(keys: [.escape], command: .back, context: .chronology, help: "back", hint: false),
        KeyBinding(keys: [.char("w")], command: .whoHasLooked, context: .chronology, help: "who has looked", hint: false),
        KeyBinding(keys: [.char("R")], command: .withhold, context: .chronology, help: "withhold from a SAR", hint: false),
        KeyBinding(keys: [.char("D")], command: .dispute, context: .chronology, help: "the family disputes it", hint: false),
        KeyBinding(keys: [.char("v")], command: .verifyBackfill, context: .chronology, help: "check against paper", hint: false),
    ] + scrolling(.entry) + [
        KeyBinding(keys: [.char("A")], command: .amend, context: .entry, help: "amend this entry", hint: true, short: "amend"),
        KeyBinding(keys: [.char("d")], command: .recordDecision, context: .entry, help: "the agency's decision", hint: true, short: "decision"),
        KeyBinding(keys: [.char("D")], command: .dispute, context: .entry, help: "the family disputes it", hint: false),
        KeyBinding(keys: [.char("v")], command: .verifyBackfill, context: .entry, help: "check against paper", hint: true, short: "check paper"),
        KeyBinding(keys: [.char("*")], command: .markSignificant, context: .entry, help: "mark significant, or not", hint: false),
        KeyBinding(keys: [.char("R")], command: .withhold, context: .entry, help: "withhold from a SAR", hint: false),
        KeyBinding(keys: [.escape], command: .back, context: .entry, help: "back to the chronology", hint: true, short: "back"),
    ] + list(.actions, "action") + [
        KeyBinding(keys: [.enter], command: .open, context: .actions, help: "chronology at this action", hint: true, short: "chronology"),
        KeyBinding(keys: [.char("d")], command: .markDone, context: .actions, help: "mark done, with the outcome", hint: true, short: "done"),
        KeyBinding(keys: [.char("e")], command: .changeDue, context: .actions, help: "change due date, say why", hint: true, short: "due date"),
        KeyBinding(keys: [.char("o")], command: .reassign, context: .actions, help: "reassign to someone else", hint: true, short: "reassign"),
        KeyBinding(keys: [.char("v")], command: .changeView, context: .actions, help: "mine, all, overdue, week", hint: true, short: "view"),
    ] + list(.audit, "event") + [
        KeyBinding(keys: [.enter], command: .open, context: .audit, help: "open event or reader", hint: true, short: "open"),
        KeyBinding(keys: [.char("f")], command: .filter, context: .audit, help: "filter the log", hint: true, short: "filter"),
        KeyBinding(keys: [.char("c")], command: .clearFilter, context: .audit, help: "clear filter, reload", hint: true, short: "clear"),
        KeyBinding(keys: [.char("w")], command: .whoHasLooked, context: .audit, help: "who has looked at file", hint: true, short: "who looked"),
        KeyBinding(keys: [.escape], command: .back, context: .audit, help: "back", hint: true),

        KeyBinding(keys: [.down, .tab], command: .moveDown, context: .finder, help: "next result", hint: false),
        KeyBinding(keys: [.up, .backTab], command: .moveUp, context: .finder, help: "previous result", hint: false),
        KeyBinding(keys: [.enter], command: .open, context: .finder, help: "open file (at the entry)", hint: true),
        KeyBinding(keys: [.escape], command: .back, context: .finder, help: "close the finder", hint: true),

        KeyBinding(keys: [.tab], command: .nextField, context: .form, help: "next field", hint: true),
        KeyBinding(keys: [.backTab], command: .previousField, context: .form, help: "previous field", hint: false),
        KeyBinding(keys: [.char(" ")], command: .choose, context: .form, help: "choose, or tick a box", hint: false),
        KeyBinding(keys: [.char("t")], command: .today, context: .form, help: "today, in a date field", hint: false),
        KeyBinding(keys: [.enter], command: .newLine, context: .form, help: "new line, in a text box", hint: false),
        KeyBinding(keys: [.ctrl("s")], command: .save, context: .form, help: "save", hint: true),
        KeyBinding(keys: [.escape], command: .back, context: .form, help: "cancel (asks first)", hint: true),

        KeyBinding(keys: [.escape, .char("?"), .char("q")], command: .back, context: .help, help: "close help", hint: true),
        KeyBinding(keys: [.char(" "), .pageDown], command: .pageDown, context: .help, help: "more keys", hint: true),

        KeyBinding(keys: [.tab], command: .nextPane, context: .global, help: "next pane", hint: false),
        KeyBinding(keys: [.backTab], command: .previousPane, context: .global, help: "previous pane", hint: false),
        KeyBinding(keys: [.char("1")], command: .queuePane, context: .global, help: "the queue", hint: false),
        KeyBinding(keys: [.char("2")], command: .chronologyPane, context: .global, help: "the chronology", hint: false),
        KeyBinding(keys: [.char("3")], command: .actionsPane, context: .global, help: "the actions", hint: false),
        KeyBinding(keys: [.char("4")], command: .auditPane, context: .global, help: "the audit log", hint: false),
        KeyBinding(keys: [.char("l")], command: .logConcern, context: .global, help: "log a concern", hint: true, short: "log concern"),
        KeyBinding(keys: [.char("/")], command: .find, context: .global, help: "find or search", hint: true, short: "find"),
        KeyBinding(keys: [.char("p")], command: .privacy, context: .global, help: "privacy: initials only", hint: false),
        KeyBinding(keys: [.char("!")], command: .acknowledgeAudit, context: .global, help: "acknowledge audit break", hint: false),
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
    public static func hintBindings(for context: KeyContext) -> [KeyBinding] {
        var shown = bindings(in: context).filter(\.hint)
        if ![.form, .help, .finder].contains(context) { shown += bindings(in: .global).filter(\.hint) }
        return shown
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
