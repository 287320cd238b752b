import CairnDomain
import CairnStore
import Foundation

/// Lays out the whole screen: title line, the focused pane, the hint or notice line, the status line.
public enum DashboardView {
    public static let minimumSize = Size(width: 60, height: 16)

    public static func render(_ state: AppState) -> Frame {
        var frame = Frame(size: state.size)
        let size = state.size
        guard size.width >= minimumSize.width, size.height >= minimumSize.height else {
            frame.put("Cairn needs a window of at least \(minimumSize.width)x\(minimumSize.height);", x: 0, y: 0, role: .warning)
            frame.put("this one is \(size.width)x\(size.height).", x: 0, y: 1, role: .warning)
            return frame
        }
        if let detail = state.detail {
            DetailView.draw(detail, state: state, into: &frame)
        } else {
            QueueView.draw(state, into: &frame)
        }
        drawHintLine(state, into: &frame)
        drawStatusLine(state, into: &frame)
        switch state.overlay {
        case .triage(let form): FormView.drawTriage(form, into: &frame)
        case .close(let form): FormView.drawClose(form, into: &frame)
        case .help: HelpView.draw(into: &frame)
        case nil: break
        }
        return frame
    }

    /// The top line: where you are on the left, the date and time on the right.
    static func drawTitle(_ title: String, state: AppState, into frame: inout Frame) {
        frame.fill(x: 0, y: 0, width: frame.size.width, role: .header)
        let clock = UKDate.dateTime(state.now)
        let right = frame.size.width - DisplayWidth.of(clock) - 1
        frame.put(" Cairn · " + title, x: 0, y: 0, role: .header, width: right - 1)
        frame.put(clock, x: right, y: 0, role: .header)
    }

    private static func drawHintLine(_ state: AppState, into frame: inout Frame) {
        let y = frame.size.height - 2
        if let notice = state.notice {
            let role: StyleRole = notice.kind == .problem ? .warning : .normal
            frame.put(" " + TextLayout.clean(notice.text), x: 0, y: y, role: role)
            return
        }
        var x = 1
        for hint in Keymap.hints(for: state.context) {
            let needed = DisplayWidth.of(hint.keys) + 1 + DisplayWidth.of(hint.help) + 2
            guard x + needed <= frame.size.width else { break }
            x += frame.put(hint.keys, x: x, y: y, role: .key)
            x += frame.put(" " + hint.help + "  ", x: x, y: y, role: .muted)
        }
    }

    /// User, role, school and the counts that matter; the counts carry words, not colour alone.
    private static func drawStatusLine(_ state: AppState, into frame: inout Frame) {
        let y = frame.size.height - 1
        frame.fill(x: 0, y: y, width: frame.size.width, role: .statusLine)
        let who = " \(TextLayout.clean(state.actor.displayName)) · \(state.actor.role.label) · \(TextLayout.clean(state.schoolName))"
        let counts = "\(state.counts.new) new · \(state.counts.urgent) urgent · \(state.counts.overdue) overdue "
        let countsX = frame.size.width - DisplayWidth.of(counts)
        frame.put(who, x: 0, y: y, role: .statusLine, width: max(0, countsX - 1))
        frame.put(counts, x: countsX, y: y, role: .statusLine)
    }
}
