import CairnDomain
import CairnStore
import Foundation

/// Lays out the whole screen: title line, the focused pane, the hint or notice line, the status line.
public enum DashboardView {
    public static let minimumSize = Size(width: 60, height: 16)

    public static func render(_ unmasked: AppState) -> Frame {
        let state = PrivacyMask.apply(unmasked)
        var frame = Frame(size: state.size)
        let size = state.size
        guard size.width >= minimumSize.width, size.height >= minimumSize.height else {
            // Wrapped, so that even a very small window shows the whole message.
            var y = 0
            for (text, role) in [("Cairn needs a window of at least \(minimumSize.width)x\(minimumSize.height); this one is \(size.width)x\(size.height).", StyleRole.warning),
                                 ("Make the window larger, or press q to quit.", .normal)] {
                for line in TextLayout.wrap(text, width: size.width) {
                    frame.put(line, x: 0, y: y, role: role)
                    y += 1
                }
                y += 1
            }
            return frame
        }
        if let lock = state.lock {
            LockView.draw(lock, actor: state.actor, into: &frame)
            return frame
        }
        drawTabLine(state, into: &frame)
        PaneView.draw(state, into: &frame)
        drawHintLine(state, into: &frame)
        drawStatusLine(state, into: &frame)
        switch state.overlay {
        case .form(let session): FormView.draw(session, into: &frame)
        case .finder(let finder): FinderView.draw(finder, state: state, into: &frame)
        case .help(let context, let page): HelpView.draw(from: context, page: page, into: &frame)
        case nil: break
        }
        return frame
    }

    /// The top line: the panes the user may open, numbered, the focused one in brackets and
    /// carrying what it shows; the date and time on the right.
    static func drawTabLine(_ state: AppState, into frame: inout Frame) {
        frame.fill(x: 0, y: 0, width: frame.size.width, role: .header)
        let clock = UKDate.dateTime(state.now)
        let right = frame.size.width - DisplayWidth.of(clock) - 1
        let panes = Pane.available(to: state.actor)
        var tabs = panes.filter { $0 != state.pane }.map { " \($0.number) \($0.title) " }
        if panes.count == 1 { tabs.append(" l Log a concern ") }
        var others = tabs.reduce(0) { $0 + DisplayWidth.of($1) }
        var x = frame.put(" Cairn ", x: 0, y: 0, role: .header)
        let activeIndex = panes.firstIndex(of: state.pane) ?? 0
        // Four panes at 80 columns: when the focused tab would be cut, the others show only their numbers.
        let wanted = DisplayWidth.of("\(state.pane.number) " + TextLayout.clean(PaneView.title(state))) + 2
        if panes.count > 3, right - 1 - x - others - 2 < wanted {
            tabs = panes.filter { $0 != state.pane }.map { " \($0.number) " }
            others = tabs.reduce(0) { $0 + DisplayWidth.of($1) }
        }
        let room = max(8, right - 1 - x - others - 2)
        let active = "[" + DisplayWidth.truncate("\(state.pane.number) " + TextLayout.clean(PaneView.title(state)), to: room) + "]"
        for (index, tab) in tabs.enumerated() {
            if index == activeIndex { x += frame.put(active, x: x, y: 0, role: .header, width: right - 1 - x) }
            x += frame.put(tab, x: x, y: 0, role: .header, width: max(0, right - 1 - x))
        }
        if activeIndex >= tabs.count { frame.put(active, x: x, y: 0, role: .header, width: max(0, right - 1 - x)) }
        frame.put(clock, x: right, y: 0, role: .header)
    }

    private static func drawHintLine(_ state: AppState, into frame: inout Frame) {
        let y = frame.size.height - 2
        if let notice = state.notice {
            let role: StyleRole = notice.kind == .problem ? .warning : .normal
            frame.put(" " + TextLayout.clean(notice.text), x: 0, y: y, role: role)
            return
        }
        if let broken = state.auditBreak {
            let ask = AccessPolicy.decide(state.actor, .acknowledgeAudit).isAllowed ? "! acknowledges it" : "tell the DSL"
            frame.fill(x: 0, y: y, width: frame.size.width, role: .warning)
            // What to do comes before the detail, so that 80 columns still say it.
            frame.put(" AUDIT LOG BROKEN at event \(broken.sequence) (\(ask)): \(TextLayout.clean(broken.problem))",
                      x: 0, y: y, role: .warning)
            return
        }
        var x = 1
        for hint in hints(for: state, width: frame.size.width) {
            x += frame.put(hint.keys, x: x, y: y, role: .key)
            x += frame.put(" " + hint.help + "  ", x: x, y: y, role: .muted)
        }
    }

    /// The hints that fit. Keys the user may not use are left out; "? show keys" and "q quit" always
    /// stay. When the full wording is too long (80 columns), each hint says its short form
    /// ("n note  r referral"); if that is still too long, hints go from the end, "/" and "l" first.
    static func hints(for state: AppState, width: Int) -> [(keys: String, help: String)] {
        let usable = Keymap.hintBindings(for: state.context).filter { PaneView.mayUse($0.command, state) && PaneView.applies($0.command, state) }
        let kept: Set<Command> = [.help, .quit]
        func fits(_ hints: [(keys: String, help: String)]) -> Bool {
            1 + hints.reduce(0) { $0 + DisplayWidth.of($1.keys) + 1 + DisplayWidth.of($1.help) + 2 } - 2 <= width
        }
        let full = usable.map { (Keymap.keyLabel($0), $0.help) }
        if fits(full) { return full }
        var compact = usable.map { binding in
            (binding: binding, hint: (Keymap.keyLabel(binding), kept.contains(binding.command)
                ? binding.help : binding.short ?? String(binding.help.split(separator: " ").first ?? "")))
        }
        while !fits(compact.map(\.hint)), let last = compact.lastIndex(where: { !kept.contains($0.binding.command) }) {
            compact.remove(at: last)
        }
        return compact.map(\.hint)
    }

    /// User, role, school and the counts that matter; the counts carry words, not colour alone.
    private static func drawStatusLine(_ state: AppState, into frame: inout Frame) {
        let y = frame.size.height - 1
        frame.fill(x: 0, y: y, width: frame.size.width, role: .statusLine)
        // Privacy mode leads, so that a narrow screen cuts the school's name rather than the warning.
        let who = (state.privacy ? " privacy mode ·" : "")
            + " \(TextLayout.clean(state.actor.displayName)) · \(state.actor.role.label) · \(TextLayout.clean(state.schoolName))"
        // New and urgent are counted over the whole queue, which only the safeguarding team sees;
        // anyone else would read "0 new" about a concern they logged this morning.
        let counts = state.queueScope == .open
            ? "\(state.counts.new) new · \(state.counts.urgent) urgent · \(state.counts.overdue) overdue "
            : "\(state.counts.overdue) overdue \(state.counts.overdue == 1 ? "action" : "actions") "
        let countsX = frame.size.width - DisplayWidth.of(counts)
        frame.put(who, x: 0, y: y, role: .statusLine, width: max(0, countsX - 1))
        frame.put(counts, x: countsX, y: y, role: .statusLine)
    }
}
