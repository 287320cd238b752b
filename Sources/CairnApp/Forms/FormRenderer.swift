import CairnDomain

/// Where the parts of a form go across a rect of a given width. `Form` uses it too, so that Up and
/// Down in a multi-line field move by the rows drawn.
struct FormGeometry {
    let width: Int

    /// Below 70 columns labels go above their fields.
    var stacked: Bool { width < 70 }
    /// Columns for a label (after the two-column focus marker).
    var labelWidth: Int { stacked ? max(1, width - 2) : min(32, max(16, (width - 2) * 3 / 10)) }
    var fieldX: Int { stacked ? 2 : 2 + labelWidth + 1 }
    /// Columns for a field's value; text stays at a readable measure on wide screens.
    var fieldWidth: Int { max(4, min(80, width - fieldX)) }
    /// The width multi-line text wraps at: one column is kept for the cursor.
    var editorWidth: Int { fieldWidth - 1 }
}

/// Draws a `Form` into a rect of a `Frame`: the title, then each shown field with its label (left,
/// or above on a narrow rect), its error ("! …") and hint under it, and a footer of keys. The focused
/// field has "▸" before its label (not colour alone), required fields "*". When the form is taller
/// than the rect it scrolls so that the focused field and the cursor are on screen.
public enum FormRenderer {
    public static let footerHint = "Tab next field · Ctrl-S save · Esc cancel"
    static let shortFooterHint = "Tab next · Ctrl-S save · Esc cancel"
    public static let discardQuestion = "Discard what you typed? y discard · any other key keep editing"

    /// Draws `form` in `rect`, clearing it first; the title takes the first row unless `showsTitle`
    /// is false (when the caller's box already names the form). Sets `frame.cursor` in text fields.
    public static func draw(_ form: Form, in rect: (x: Int, y: Int, width: Int, height: Int),
                            into frame: inout Frame, showsTitle: Bool = true) {
        guard rect.width >= 10, rect.height >= 3 else { return }
        let blank = String(repeating: " ", count: rect.width)
        for row in 0..<rect.height { frame.put(blank, x: rect.x, y: rect.y + row) }

        let top = showsTitle ? 1 : 0
        let problem = form.problem.map { wrap("! " + $0, width: rect.width, lines: 2) } ?? []
        let height = max(1, rect.height - top - 1 - problem.count)
        let body = layout(form, geometry: FormGeometry(width: rect.width), height: height)
        let offset = scrollOffset(body, height: height)
        for row in 0..<height where offset + row < body.rows.count {
            for piece in body.rows[offset + row] {
                let room = rect.width - piece.x
                guard room > 0 else { continue }
                let x = rect.x + piece.x
                let y = rect.y + top + row
                if let width = piece.width {
                    frame.cell(piece.text, x: x, y: y, width: min(width, room), role: piece.role)
                } else {
                    frame.put(piece.text, x: x, y: y, role: piece.role, width: room)
                }
            }
        }
        if showsTitle {
            drawTitle(form, more: (offset > 0, offset + height < body.rows.count), rect: rect, into: &frame)
        }
        let footerY = rect.y + rect.height - 1
        for (index, line) in problem.enumerated() {
            frame.put(line, x: rect.x, y: footerY - problem.count + index, role: .warning, width: rect.width)
        }
        if form.confirmingDiscard {
            frame.cell(DisplayWidth.truncate(discardQuestion, to: rect.width), x: rect.x, y: footerY,
                       width: rect.width, role: .warning)
        } else {
            frame.put(footer(for: form.focusedField, width: rect.width), x: rect.x, y: footerY, role: .muted,
                      width: rect.width)
            if let cursor = body.cursor, cursor.y >= offset, cursor.y < offset + height, cursor.x < rect.width {
                frame.cursor = Point(x: rect.x + cursor.x, y: rect.y + top + cursor.y - offset)
            }
        }
    }

    /// Wrapped to at most `lines` lines, the last cut with "…" when the text goes on.
    static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
        let all = TextLayout.wrap(text, width: width)
        guard all.count > lines, lines > 0 else { return all }
        return all.prefix(lines - 1) + [DisplayWidth.truncate(all[(lines - 1)...].joined(separator: " "), to: width)]
    }

    /// The key hints for the focused field, then the keys every form has.
    static func footer(for field: FormField?, width: Int) -> String {
        let specific: String?
        switch field?.kind {
        case .multiline: specific = "Enter new line"
        case .date: specific = "t today"
        case .choice: specific = "←/→ change"
        case .toggle: specific = "Space yes/no"
        case .multiSelect(let filter, _): specific = filter == .none ? "↑/↓ move · Space choose" : "type to search · Space choose"
        case .text, nil: specific = nil
        }
        let full = ([footerHint] + [specific].compactMap { $0 }).joined(separator: " · ")
        if DisplayWidth.of(full) <= width { return full }
        let short = ([shortFooterHint] + [specific].compactMap { $0 }).joined(separator: " · ")
        return DisplayWidth.truncate(short, to: width)
    }

    // MARK: Layout

    /// Text to draw at a column of a row; with `width`, padded or cut to exactly that many columns.
    struct Piece {
        var x: Int
        var text: String
        var role: StyleRole
        var width: Int?
    }

    /// The whole form laid out as rows, before scrolling.
    struct Body {
        var rows: [[Piece]] = []
        var focusTop = 0
        var focusBottom = 0
        /// Column and row of the cursor within the body.
        var cursor: Point?

        mutating func add(_ piece: Piece, row: Int) {
            while rows.count <= row { rows.append([]) }
            rows[row].append(piece)
        }
    }

    /// How roomy to be: blank rows between fields, short choices as lists, taller text boxes.
    struct Style {
        var spacing: Bool
        var lists: Bool
        var extraRows = 0
    }

    /// Lays out in the roomiest style that fits `height`, or the most compact one (which scrolls).
    static func layout(_ form: Form, geometry: FormGeometry, height: Int) -> Body {
        let styles = [Style(spacing: true, lists: true), Style(spacing: true, lists: false),
                      Style(spacing: false, lists: false)]
        for style in styles {
            let body = layout(form, geometry: geometry, style: style)
            guard body.rows.count <= height else { continue }
            let boxes = form.visibleFields.filter { if case .multiline = $0.kind { return true } else { return false } }
            guard style.lists, !boxes.isEmpty, body.rows.count < height else { return body }
            var roomy = style
            roomy.extraRows = min(6, (height - body.rows.count) / boxes.count)
            return roomy.extraRows > 0 ? layout(form, geometry: geometry, style: roomy) : body
        }
        return layout(form, geometry: geometry, style: styles[styles.count - 1])
    }

    static func layout(_ form: Form, geometry: FormGeometry, style: Style) -> Body {
        var body = Body()
        let shown = form.fields.indices.filter(form.isVisible(at:))
        for (number, index) in shown.enumerated() {
            let field = form.fields[index]
            let focused = index == form.focus
            let top = body.rows.count
            let content = FieldContent.rows(for: field, focused: focused, width: geometry.fieldWidth, style: style)
            let label = labelLines(field, width: geometry.labelWidth)
            let labelRole: StyleRole = focused ? .fieldActive : .label
            if focused { body.add(Piece(x: 0, text: "▸", role: .fieldActive), row: top) }
            for (line, text) in label.enumerated() {
                body.add(Piece(x: 2, text: text, role: labelRole), row: top + line)
            }
            let contentTop = geometry.stacked ? top + label.count : top
            for (line, pieces) in content.rows.enumerated() {
                for var piece in pieces {
                    piece.x += geometry.fieldX
                    body.add(piece, row: contentTop + line)
                }
            }
            if focused, let cursor = content.cursor {
                body.cursor = Point(x: geometry.fieldX + cursor.x, y: contentTop + cursor.y)
            }
            var next = geometry.stacked ? contentTop + content.rows.count : top + max(label.count, content.rows.count)
            let notes = (field.error.map { TextLayout.wrap("! " + $0, width: geometry.fieldWidth) } ?? []).map { ($0, StyleRole.warning) }
                + (field.hint.map { TextLayout.wrap($0, width: geometry.fieldWidth) } ?? []).map { ($0, StyleRole.muted) }
            for (text, role) in notes {
                body.add(Piece(x: geometry.fieldX, text: text, role: role), row: next)
                next += 1
            }
            while body.rows.count < next { body.rows.append([]) }
            if focused {
                body.focusTop = top
                body.focusBottom = next - 1
            }
            if style.spacing, number < shown.count - 1 { body.rows.append([]) }
        }
        return body
    }

    /// The label wrapped to its column, with "*" kept on the last line of a required field's label.
    static func labelLines(_ field: FormField, width: Int) -> [String] {
        guard field.isRequired else { return TextLayout.wrap(field.label, width: width) }
        var lines = TextLayout.wrap(field.label, width: max(1, width - 2))
        lines[lines.count - 1] += " *"
        return lines
    }

    /// The first body row to show: the focused field's last row on screen, but its first row before
    /// that, and the cursor before either.
    static func scrollOffset(_ body: Body, height: Int) -> Int {
        guard body.rows.count > height, height > 0 else { return 0 }
        var offset = max(0, body.focusBottom - height + 1)
        offset = min(offset, body.focusTop)
        if let cursor = body.cursor {
            if cursor.y < offset { offset = cursor.y }
            if cursor.y >= offset + height { offset = cursor.y - height + 1 }
        }
        return min(max(0, offset), body.rows.count - height)
    }

    private static func drawTitle(_ form: Form, more: (above: Bool, below: Bool), rect: (x: Int, y: Int, width: Int, height: Int),
                                  into frame: inout Frame) {
        var notes: [String] = []
        if more.above { notes.append("↑ more above") }
        if more.below { notes.append("↓ more below") }
        if form.visibleFields.contains(where: \.isRequired) { notes.append("* required") }
        var right = notes.joined(separator: " · ")
        let title = TextLayout.clean(form.title)
        if DisplayWidth.of(title) + DisplayWidth.of(right) + 2 > rect.width { right = notes.prefix(2).joined(separator: " · ") }
        let rightWidth = DisplayWidth.of(right)
        frame.put(DisplayWidth.truncate(title, to: max(1, rect.width - rightWidth - 2)), x: rect.x, y: rect.y, role: .title)
        if rightWidth > 0, rightWidth < rect.width {
            frame.put(right, x: rect.x + rect.width - rightWidth, y: rect.y, role: .muted)
        }
    }
}
