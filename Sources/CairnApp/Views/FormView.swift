import CairnDomain
import CairnStore

/// The triage and close forms, drawn as boxes over the pane.
enum FormView {
    static func drawTriage(_ form: TriageForm, into frame: inout Frame) {
        // Wide enough for the footer's key hints in full (63 columns) on an 80-column screen.
        let width = min(68, frame.size.width - 4)
        let height = 12
        let x = (frame.size.width - width) / 2
        let y = max(1, (frame.size.height - height) / 2)
        frame.box(x: x, y: y, width: width, height: height, title: "Triage \(form.reference)")
        let holder = form.holders.indices.contains(form.holderIndex)
            ? "\(TextLayout.clean(form.holders[form.holderIndex].displayName)) (\(form.holders[form.holderIndex].role.label))" : "—"
        let rows: [(TriageForm.Field, String, String)] = [
            (.level, "Level of need", "◀ \(form.level.label) ▶"),
            (.caseHolder, "Case holder", "◀ \(holder) ▶"),
            (.restricted, "Restricted", form.restricted ? "[x] yes – safeguarding team only" : "[ ] no"),
        ]
        for (index, row) in rows.enumerated() {
            let rowY = y + 2 + index * 2
            let focused = form.focus == row.0
            frame.put((focused ? "▸ " : "  ") + row.1, x: x + 2, y: rowY, role: focused ? .fieldActive : .label, width: 17)
            frame.cell(row.2, x: x + 20, y: rowY, width: width - 22, role: focused ? .fieldActive : .field)
        }
        footer(problem: form.problem, saving: form.saving, hint: "←/→ change · Space toggle · Tab next · Enter save · Esc cancel",
               x: x, y: y, width: width, height: height, into: &frame)
    }

    static func drawClose(_ form: CloseForm, into frame: inout Frame) {
        let outcomes = OutcomeKind.allCases
        let width = min(68, frame.size.width - 4)
        let height = outcomes.count + 9
        let x = (frame.size.width - width) / 2
        let y = max(1, (frame.size.height - height) / 2)
        frame.box(x: x, y: y, width: width, height: height, title: "Close \(form.reference) with an outcome")
        let onList = form.focus == .outcome
        frame.put((onList ? "▸ " : "  ") + "Outcome", x: x + 2, y: y + 1, role: onList ? .fieldActive : .label)
        for (index, outcome) in outcomes.enumerated() {
            let chosen = index == form.outcomeIndex
            let mark = chosen ? "(•)" : "( )"
            let note = outcome.needsReason ? " – reason required" : ""
            frame.put("\(mark) \(outcome.label)\(note)", x: x + 4, y: y + 2 + index,
                      role: chosen ? (onList ? .fieldActive : .selected) : .normal, width: width - 6)
        }
        let reasonY = y + 3 + outcomes.count
        let onReason = form.focus == .reason
        let label = form.outcome.needsReason ? "Reason (required)" : "Reason"
        frame.put((onReason ? "▸ " : "  ") + label, x: x + 2, y: reasonY, role: onReason ? .fieldActive : .label)
        let fieldWidth = width - 6
        let (visible, cursorColumn) = visibleText(form.reason, width: fieldWidth - 1)
        frame.cell(visible, x: x + 4, y: reasonY + 1, width: fieldWidth, role: onReason ? .fieldActive : .field)
        if onReason, !form.confirmingDiscard { frame.cursor = Point(x: x + 4 + cursorColumn, y: reasonY + 1) }
        if form.confirmingDiscard {
            frame.put(" Discard the reason you typed? y = discard, any other key = keep editing ", x: x + 1,
                      y: y + height - 2, role: .warning, width: width - 2)
            return
        }
        footer(problem: form.problem, saving: form.saving, hint: "↑/↓ choose · Tab reason · Enter save · Esc cancel",
               x: x, y: y, width: width, height: height, into: &frame)
    }

    private static func footer(problem: String?, saving: Bool, hint: String, x: Int, y: Int, width: Int, height: Int,
                               into frame: inout Frame) {
        // Cut with an ellipsis on narrow screens, so that a clipped hint does not read as complete.
        let fit = { (text: String) in DisplayWidth.truncate(" " + text, to: width - 2) }
        if let problem {
            // A problem may take two lines (the row above the footer is always blank); never cut silently.
            var lines = TextLayout.wrap(problem, width: width - 3)
            if lines.count > 2 { lines = [lines[0], DisplayWidth.truncate(lines[1...].joined(separator: " "), to: width - 3)] }
            for (index, line) in lines.enumerated() {
                frame.put(" " + line, x: x + 1, y: y + height - 1 - lines.count + index, role: .warning, width: width - 2)
            }
        } else if saving {
            frame.put(fit("Saving…"), x: x + 1, y: y + height - 2, role: .muted, width: width - 2)
        } else {
            frame.put(fit(hint), x: x + 1, y: y + height - 2, role: .muted, width: width - 2)
        }
    }

    /// The part of a text field that fits, scrolled so that the cursor is visible.
    static func visibleText(_ field: TextField, width: Int) -> (String, Int) {
        let characters = Array(TextLayout.clean(field.text))
        var start = 0
        while DisplayWidth.of(String(characters[start..<min(field.cursor, characters.count)])) > width { start += 1 }
        let shown = DisplayWidth.truncate(String(characters[start...]), to: width + 1, ellipsis: false)
        let column = DisplayWidth.of(String(characters[start..<min(field.cursor, characters.count)]))
        return (shown, column)
    }
}
