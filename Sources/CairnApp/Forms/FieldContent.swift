import CairnDomain
import Foundation

/// The value part of one field, as rows of text relative to the field's left edge.
struct FieldContent {
    typealias Piece = FormRenderer.Piece

    var rows: [[Piece]] = []
    /// Column and row of the text cursor, for the field with focus.
    var cursor: Point?

    static func rows(for field: FormField, focused: Bool, width: Int, style: FormRenderer.Style) -> FieldContent {
        var content = FieldContent()
        let role: StyleRole = focused ? .fieldActive : .field
        switch field.kind {
        case .text:
            content.oneLine(field.editor, width: width, role: role)
        case .date:
            content.date(field.editor, width: width, role: role)
        case .multiline(let rows):
            content.box(field.editor, rows: rows + style.extraRows, width: width, role: role, focused: focused)
        case .choice:
            content.choice(field, width: width, role: role, asList: style.lists && field.options.count <= 6)
        case .toggle:
            content.rows = [[Piece(x: 0, text: field.isOn ? "[x] Yes" : "[ ] No", role: role)]]
        case .multiSelect(let filter, let rows):
            content.list(field, filter: filter, rows: rows, width: width, focused: focused)
        }
        return content
    }

    private mutating func oneLine(_ editor: TextEditor, width: Int, role: StyleRole, x: Int = 0) {
        let slice = editor.visibleSlice(width: width)
        if rows.isEmpty { rows.append([]) }
        rows[rows.count - 1].append(Piece(x: x, text: TextLayout.clean(slice.text), role: role, width: width))
        cursor = Point(x: x + slice.cursor, y: rows.count - 1)
    }

    /// dd/mm/yyyy (a placeholder while empty), then the day it names in words.
    private mutating func date(_ editor: TextEditor, width: Int, role: StyleRole) {
        let boxWidth = min(width, 11)
        if editor.isEmpty {
            rows = [[Piece(x: 0, text: "dd/mm/yyyy", role: .muted, width: boxWidth)]]
            cursor = Point(x: 0, y: 0)
        } else {
            oneLine(editor, width: boxWidth, role: role)
        }
        if let date = UKDate.parseDate(editor.text), width > boxWidth + 2 {
            rows[0].append(Piece(x: boxWidth + 1, text: Self.longDate(date), role: .muted))
        }
    }

    /// "Saturday 22 November 2026", so a mistyped day or month shows.
    static func longDate(_ date: Date) -> String {
        let parts = UKDate.calendar.dateComponents([.weekday, .day, .month, .year], from: date)
        let calendar = UKDate.calendar
        let weekday = calendar.weekdaySymbols[(parts.weekday ?? 1) - 1]
        let month = calendar.monthSymbols[(parts.month ?? 1) - 1]
        return "\(weekday) \(parts.day ?? 1) \(month) \(parts.year ?? 0)"
    }

    /// Word-wrapped text in `rows` rows, scrolled so the cursor shows, and a note when there is
    /// more text than the box shows.
    private mutating func box(_ editor: TextEditor, rows count: Int, width: Int, role: StyleRole, focused: Bool) {
        let window = editor.window(width: width - 1, rows: count, followingCursor: focused)
        for row in 0..<count {
            let text = row < window.lines.count ? TextLayout.clean(window.lines[row].text) : ""
            rows.append([Piece(x: 0, text: text, role: role, width: width)])
        }
        if let row = window.cursorRow, let column = window.lines[row].cursor {
            cursor = Point(x: column, y: row)
        }
        let more: String? = switch (window.moreAbove, window.moreBelow) {
        case (true, true): "↑↓ more text above and below"
        case (true, false): "↑ more text above"
        case (false, true): "↓ more text below"
        case (false, false): nil
        }
        if let more { rows.append([Piece(x: 0, text: more, role: .muted)]) }
    }

    /// "◀ label ▶ 2 of 5" on one row, or every option with "(•)" by the chosen one.
    private mutating func choice(_ field: FormField, width: Int, role: StyleRole, asList: Bool) {
        let chosen = field.options.firstIndex { $0.id == field.choiceID }
        if asList, !field.options.isEmpty {
            for (index, option) in field.options.enumerated() {
                let mark = index == chosen ? "(•) " : "( ) "
                rows.append([Piece(x: 0, text: mark + TextLayout.clean(option.label),
                                   role: index == chosen ? role : .normal)])
            }
            return
        }
        let label = chosen.map { TextLayout.clean(field.options[$0].label) }
            ?? (field.options.isEmpty ? "no options" : "not chosen yet")
        let count = chosen.map { " \($0 + 1) of \(field.options.count)" } ?? ""
        let text = DisplayWidth.truncate("◀ \(label) ▶", to: max(4, width - DisplayWidth.of(count)))
        rows = [[Piece(x: 0, text: text, role: role), Piece(x: DisplayWidth.of(text), text: count, role: .muted)]]
    }

    /// A search line (filtered lists), the options with "[x]"/"[ ]" and "›" at the highlight, and
    /// what is chosen, which stays even when the options change.
    private mutating func list(_ field: FormField, filter: MultiSelectFilter, rows count: Int, width: Int, focused: Bool) {
        if filter != .none {
            let prompt = "Search: "
            rows.append([Piece(x: 0, text: prompt, role: .label)])
            oneLine(field.editor, width: max(4, width - prompt.count), role: focused ? .fieldActive : .field, x: prompt.count)
        }
        let shown = field.shownOptions
        if shown.isEmpty {
            let empty = filter == .remote && field.editor.isBlank ? "Type to search" : "No matches"
            rows.append([Piece(x: 0, text: field.options.isEmpty && filter == .none ? "No options" : empty, role: .muted)])
        }
        let highlight = min(field.highlight, max(0, shown.count - 1))
        let visible = min(count, shown.count)
        let top = visible > 0 && highlight >= visible ? highlight - visible + 1 : 0
        for index in top..<(top + visible) {
            let option = shown[index]
            let here = focused && index == highlight
            let text = (here ? "› " : "  ") + (field.isChosen(option) ? "[x] " : "[ ] ") + TextLayout.clean(option.label)
            rows.append([Piece(x: 0, text: text, role: here ? .selected : .normal, width: width)])
        }
        if shown.count > visible {
            rows.append([Piece(x: 0, text: "showing \(top + 1)–\(top + visible) of \(shown.count)", role: .muted)])
        }
        let onScreen = Set(shown[top..<(top + visible)].map(\.id))
        let hiddenChoice = field.chosen.contains { !onScreen.contains($0.id) }
        if filter != .none || hiddenChoice {
            let names = field.chosen.map { TextLayout.clean($0.label) }
            let text = names.isEmpty ? "Chosen: none yet" : "Chosen (\(names.count)): " + names.joined(separator: ", ")
            for line in FormRenderer.wrap(text, width: width, lines: 2) {
                rows.append([Piece(x: 0, text: line, role: names.isEmpty ? .muted : .normal)])
            }
        }
    }
}
