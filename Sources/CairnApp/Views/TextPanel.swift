/// Lines of text in a pane or panel that scrolls: a concern, a chronology entry, a preview.
enum TextPanel {
    struct Line {
        var text: String
        var role: StyleRole
        var indent = 0
    }

    /// Draws from row 1 down to the row above the hint line; when the text is longer than that,
    /// the last row says in words where the reader is, so that what is below the fold (the
    /// child's words, the decisions, the history) never looks like the end of the record.
    static func draw(_ content: [Line], scroll: Int, noun: String, into frame: inout Frame) {
        let height = viewHeight(lines: content.count, size: frame.size)
        let scroll = min(scroll, max(0, content.count - height))
        for (offset, line) in content.dropFirst(scroll).prefix(height).enumerated() {
            frame.put(line.text, x: 1 + line.indent, y: 1 + offset, role: line.role, width: frame.size.width - 2 - line.indent)
        }
        if content.count > height {
            let shown = min(content.count, scroll + height)
            let position = "lines \(scroll + 1)–\(shown) of \(content.count)"
            let more = shown < content.count ? "more below: PgDn or ↓ · \(position)" : "end of \(noun) · \(position)"
            frame.put(" " + more, x: 0, y: frame.size.height - 3, role: .muted)
        }
    }

    /// Rows for text: all above the hint line, less one for the position line when it scrolls.
    static func viewHeight(lines: Int, size: Size) -> Int {
        let rows = size.height - 3
        return lines > rows ? rows - 1 : rows
    }

    /// Moves a scroll position for a scrolling command; false for any other command.
    static func scroll(_ command: Command, _ scroll: inout Int, page: Int) -> Bool {
        switch command {
        case .moveDown: scroll += 1
        case .moveUp: scroll = max(0, scroll - 1)
        case .pageDown: scroll += page
        case .pageUp: scroll = max(0, scroll - page)
        default: return false
        }
        return true
    }

    static func maxScroll(lines: Int, size: Size) -> Int {
        max(0, lines - viewHeight(lines: lines, size: size))
    }

    /// A labelled value wrapped under its label: "Owner          Tom Hughes".
    static func field(_ label: String, _ value: String, width: Int, labelWidth: Int = 15) -> [Line] {
        let wrapped = TextLayout.wrap(TextLayout.clean(value), width: max(10, width - labelWidth - 3))
        return wrapped.enumerated().map { index, part in
            Line(text: (index == 0 ? DisplayWidth.pad(label, to: labelWidth) : String(repeating: " ", count: labelWidth)) + part,
                 role: .normal)
        }
    }

    /// Paragraph text wrapped to the panel, indented under a heading.
    static func paragraph(_ text: String, width: Int, role: StyleRole = .normal, indent: Int = 2) -> [Line] {
        TextLayout.wrap(text, width: max(10, width - 4 - indent)).map { Line(text: TextLayout.clean($0), role: role, indent: indent) }
    }

    static func heading(_ text: String) -> [Line] {
        [Line(text: "", role: .normal), Line(text: text, role: .title)]
    }
}
