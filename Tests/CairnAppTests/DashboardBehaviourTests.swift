import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// What a DSL relies on, checked through the keys and the text of the screen.
@Suite struct DashboardBehaviourTests {
    /// The text of the screen row that shows `reference` in the queue, if it is on screen.
    private func queueLine(for reference: ConcernReference, in fixture: DashboardFixture) -> String? {
        let queue = fixture.state.queue
        guard let index = queue.items.firstIndex(where: { $0.reference == reference }),
              index >= queue.top, index < queue.top + fixture.state.queueRows else { return nil }
        return fixture.frame.line(2 + index - queue.top)
    }

    /// The STATE column of a queue row: after the selection marker, the six-column badge and a space.
    private func stateColumn(_ line: String) -> String {
        String(line.dropFirst(8).prefix(5)).trimmingCharacters(in: .whitespaces)
    }

    @Test func triageThroughTheFormOpensTheConcernAndKeepsTheAuditChain() throws {
        let fixture = try DashboardFixture()
        try fixture.selectRow { $0.status == .new && !$0.restricted }
        let item = try #require(fixture.state.queue.selectedItem)
        let before = try #require(queueLine(for: item.reference, in: fixture))
        #expect(stateColumn(before) == "new", "row was: \(before)")

        fixture.press(.char("t"))
        guard let opened = fixture.state.form, case .triage = opened.purpose else {
            Issue.record("t did not open the triage form:\n\(fixture.text)")
            return
        }
        fixture.press(.right)
        let level = { (session: FormSession?) in session?.form.choice("level").flatMap(Int.init).flatMap(LevelOfNeed.init(rawValue:)) }
        let changed = try #require(level(fixture.state.form))
        #expect(changed != level(opened))
        let frame = fixture.press(.ctrl("s"))

        #expect(fixture.state.overlay == nil, "form still open:\n\(frame.text)")
        let after = try #require(queueLine(for: item.reference, in: fixture), "row left the screen:\n\(frame.text)")
        #expect(stateColumn(after) == "open", "row is now: \(after)")
        #expect(fixture.state.queue.items.first { $0.reference == item.reference }?.status == .inProgress)
        #expect(fixture.state.queue.items.first { $0.reference == item.reference }?.level == changed)
        #expect(frame.text.contains("Triage saved: level \(changed.label)"))
        // The status line's count of new concerns went down by one.
        #expect(frame.line(23).contains("\(fixture.state.counts.new) new"))

        let verification = try fixture.store.verifyAuditWithoutRecording()
        guard case .intact = verification else {
            Issue.record("audit chain broken after triage: \(verification)")
            return
        }
    }

    @Test func triageLowersTheCountOfNewConcerns() throws {
        let fixture = try DashboardFixture()
        let newBefore = fixture.state.counts.new
        try fixture.selectRow { $0.status == .new }
        fixture.press(.char("t"))
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the triage form did not save:\n\(fixture.text)")
        #expect(fixture.state.counts.new == newBefore - 1)
        #expect(fixture.frame.line(23).hasSuffix("\(newBefore - 1) new · \(fixture.state.counts.urgent) urgent · \(fixture.state.counts.overdue) overdue"))
    }

    @Test func escapeFromDetailReturnsToTheSameRow() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("j"), .char("j"), .char("j"), .pageDown, .char("k"))
        let selected = fixture.state.queue.selected
        let top = fixture.state.queue.top
        let reference = try #require(fixture.state.queue.selectedItem?.reference)
        let queueScreen = fixture.text

        fixture.press(.enter)
        #expect(fixture.state.detail?.detail.item.reference == reference)
        #expect(fixture.text.contains("Concern \(reference)"))
        fixture.press(.pageDown, .char("j"))
        let frame = fixture.press(.escape)

        #expect(fixture.state.detail == nil)
        #expect(fixture.state.queue.selected == selected)
        #expect(fixture.state.queue.top == top)
        #expect(frame.text == queueScreen)
        let row = 2 + selected - top
        #expect(frame[0, row].role == .selected)
        #expect(frame[40, row].role == .selected)
    }

    @Test(arguments: ScreenSize.allCases)
    func urgentRowsCarryTheWordUrgent(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let queue = fixture.state.queue
        let urgent = queue.items.enumerated().filter { $0.element.urgent }
        try #require(!urgent.isEmpty, "the demo queue should start with urgent concerns")
        for (index, item) in queue.items.enumerated() where index >= queue.top && index < queue.top + fixture.state.queueRows {
            let line = fixture.frame.line(2 + index - queue.top)
            if item.urgent {
                #expect(line.dropFirst().hasPrefix("URGENT "), "urgent row \(item.reference) reads: \(line)")
            } else {
                #expect(!line.contains("URGENT"), "routine row \(item.reference) reads: \(line)")
            }
        }
        // Opened, the concern says so in words too, near the top.
        fixture.press(.enter)
        #expect(fixture.state.detail?.detail.item.urgent == true)
        let urgency = try #require((0..<fixture.frame.size.height).first { fixture.frame.line($0).contains("URGENT – child at risk now") },
                                   "the opened concern does not say URGENT:\n\(fixture.text)")
        #expect(urgency < 10)
    }

    @Test(arguments: ScreenSize.allCases)
    func escapeSequencesInRecordTextAreShownNotObeyed(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try #require(fixture.state.queue.items.first?.pupils.first)
        let upn = try UPN(pupil.upn)
        let reporter = try #require(try fixture.store.staff(username: "k.osei"))
        let esc = "\u{1B}"
        let draft = ConcernDraft(
            pupils: [upn], categories: [.online],
            accounts: [Account(nature: .seen, text: "\(esc)[2J\(esc)[31mScreen cleared\(esc)[0m and \(esc)]52;c;aGk=\u{7} clipboard")],
            childWords: "\(esc)[1mI said it\(esc)[0m", reporterAction: "Told \(esc)[5mthe DSL\(esc)[0m",
            location: "Room \(esc)[7m4", urgency: .atRiskNow, occurredAt: DashboardFixture.now.addingTimeInterval(-600))
        let reference = try fixture.store.logConcern(actor: reporter, draft)

        // The queue reloads after a save; a fresh session sees the new concern at once.
        let dashboard = try Dashboard(store: fixture.store, actor: fixture.actor, clock: fixture.clock)
        var frame = dashboard.start(size: screen.size)
        var guardCount = 0
        while dashboard.state.queue.selectedItem?.reference != reference, guardCount < 200 {
            dashboard.handle(.char("j"))
            frame = dashboard.render()
            guardCount += 1
        }
        #expect(dashboard.state.queue.selectedItem?.reference == reference)
        #expect(frame.text.contains("␛["), "queue row: \(frame.text)")
        #expect(!frame.cells.contains { $0.text.unicodeScalars.contains("\u{1B}") })
        #expect(!frame.cells.contains { $0.text.unicodeScalars.contains("\u{7}") })

        dashboard.handle(.enter)
        frame = dashboard.render()
        #expect(dashboard.state.detail?.detail.item.reference == reference)
        #expect(frame.text.contains("␛[2J␛[31mScreen cleared␛[0m"), "detail: \(frame.text)")
        #expect(frame.text.contains("␛[1mI said it␛[0m"))
        #expect(frame.text.contains("Room ␛[7m4"))
        // Scroll through the whole concern: no escape byte reaches any cell on any page.
        for _ in 0..<6 {
            #expect(!frame.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
            dashboard.handle(.pageDown)
            frame = dashboard.render()
        }
    }

    @Test func keymapHasNoClashesWithinAContext() {
        for context in KeyContext.allCases {
            var seen: [Key: Command] = [:]
            for binding in Keymap.bindings(in: context) {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(key.label) is bound to both \(seen[key].map { "\($0)" } ?? "") and \(binding.command) in \(context)")
                    seen[key] = binding.command
                }
            }
        }
    }

    @Test func everyCommandIsBoundToAKey() {
        let bound = Set(Keymap.table.map(\.command))
        for command in Command.allCases {
            #expect(bound.contains(command), "\(command) has no key in the keymap")
        }
    }

    @Test(arguments: ScreenSize.allCases)
    func everyCommandCanBeFoundInTheHelpOverlay(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        // The first page has the queue's keys and those that work everywhere; Space turns to the
        // other screens' keys, and after the last page comes the first again.
        let first = fixture.press(.char("?")).text
        #expect(first.contains(KeyContext.queue.title) && first.contains(KeyContext.global.title))
        var pages = [first]
        while pages.count < 10 {
            let next = fixture.press(.char(" ")).text
            guard case .help(_, let page) = fixture.state.overlay, page > 0 else { break }
            pages.append(next)
        }
        #expect(fixture.state.overlay == .help(.queue, page: 0), "Space on the last page goes back to the first")
        let help = pages.joined(separator: "\n")
        let shownContexts = Set(KeyContext.allCases)
        for binding in Keymap.table where shownContexts.contains(binding.context) {
            if binding.context == .help {
                // Closing help is explained in the overlay's own title.
                #expect(help.contains("Esc or ? to close"))
                continue
            }
            // The key, some spaces, then the whole help text, on one line of the overlay.
            let key = NSRegularExpression.escapedPattern(for: Keymap.keyLabel(binding))
            let text = NSRegularExpression.escapedPattern(for: binding.help)
            let shown = help.split(separator: "\n").contains {
                $0.range(of: "(^|[ │])\(key) +\(text)( |│|$)", options: .regularExpression) != nil
            }
            #expect(shown, "help at \(screen.rawValue) does not show \"\(binding.help)\" for \(Keymap.keyLabel(binding)) (\(binding.command) in \(binding.context)):\n\(help)")
        }
        for context in shownContexts where context != .help {
            #expect(help.contains(context.title), "help does not show the heading \(context.title)")
        }
    }

    @Test(arguments: ScreenSize.allCases)
    func hintLineAlwaysOffersHelpAndQuit(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let hints = fixture.frame.line(screen.size.height - 2)
        // Full wording when it fits; at 80 columns each pane hint keeps its first word, and the
        // way to the help overlay and out of Cairn is always there.
        #expect(hints.contains(screen == .large ? "Enter open the concern" : "Enter open  t triage  c close"), "hints: \(hints)")
        #expect(hints.contains("? show keys"), "hints: \(hints)")
        #expect(hints.contains("q quit"), "hints: \(hints)")
    }

    @Test(arguments: ScreenSize.allCases)
    func staffAreNotOfferedKeysTheyCannotUse(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.staff", size: screen.size)
        var hints = fixture.frame.line(screen.size.height - 2)
        #expect(hints.contains("Enter open"), "hints: \(hints)")
        #expect(!hints.contains("triage") && !hints.contains("close"), "hints: \(hints)")
        fixture.press(.enter)
        hints = fixture.frame.line(screen.size.height - 2)
        #expect(fixture.state.detail != nil)
        #expect(hints.contains("Esc back"), "hints: \(hints)")
        #expect(!hints.contains("triage") && !hints.contains("close"), "hints: \(hints)")
        // Their status line counts only what is theirs to do.
        #expect(fixture.frame.line(screen.size.height - 1).hasSuffix("0 overdue actions"))
    }

    @Test func closingAnInProgressConcernRemovesItFromTheQueue() throws {
        let fixture = try DashboardFixture()
        try fixture.selectRow { $0.status == .inProgress }
        let reference = try #require(fixture.state.queue.selectedItem?.reference)
        fixture.press(.char("c"))
        fixture.type("n") // No further action
        fixture.press(.tab)
        fixture.type("Parent informed; no further concerns in school.")
        let frame = fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "form still open:\n\(frame.text)")
        #expect(frame.text.contains("Concern closed: No further action."))
        #expect(!fixture.state.queue.items.contains { $0.reference == reference })
        let verification = try fixture.store.verifyAuditWithoutRecording()
        guard case .intact = verification else {
            Issue.record("audit chain broken after closing: \(verification)")
            return
        }
    }

    @Test func escapeWithAReasonTypedAsksBeforeDiscarding() throws {
        let fixture = try DashboardFixture()
        try fixture.selectRow { $0.status == .inProgress }
        fixture.press(.char("c"), .tab)
        fixture.type("Half a reason")
        var frame = fixture.press(.escape)
        #expect(frame.text.contains("Discard what you typed?"))
        frame = fixture.press(.char("n"))
        guard let form = fixture.state.form else {
            Issue.record("the form closed without asking:\n\(frame.text)")
            return
        }
        #expect(form.form.text(RecordField.reason) == "Half a reason")
        fixture.press(.escape, .char("y"))
        #expect(fixture.state.overlay == nil)
    }

    @Test func newConcernsCannotBeClosedBeforeTriage() throws {
        let fixture = try DashboardFixture()
        try fixture.selectRow { $0.status == .new }
        let reference = try #require(fixture.state.queue.selectedItem?.reference)
        let frame = fixture.press(.char("c"))
        #expect(fixture.state.overlay == nil)
        #expect(frame.line(22).contains("Triage \(reference) (t) before closing it."))
    }

    @Test func theDemoIsQuickToMake() throws {
        let shared = try SharedDemo.database.get()
        print("DashboardFixture: demo database with \(shared.concerns) concerns made in \(String(format: "%.2f", shared.seconds)) s")
        #expect(shared.concerns > 0)
        #expect(shared.seconds < 30)
    }
}
