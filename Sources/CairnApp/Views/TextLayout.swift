import CairnDomain

/// Word wrapping by display width, after sanitising: the only way record text reaches a Frame.
enum TextLayout {
    /// One line of database text, safe to draw.
    static func clean(_ text: String) -> String { TextSanitiser.line(text) }

    /// Wraps multi-line text into lines of at most `width` columns; long words are broken.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for paragraph in TextSanitiser.lines(text) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
                var word = word
                var wordWidth = DisplayWidth.of(word)
                if lineWidth > 0, lineWidth + 1 + wordWidth <= width {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                if lineWidth > 0 { out.append(line) }
                line = ""
                lineWidth = 0
                while wordWidth > width {
                    let head = DisplayWidth.truncate(word, to: width, ellipsis: false)
                    out.append(head)
                    word = String(word.dropFirst(head.count))
                    wordWidth = DisplayWidth.of(word)
                }
                line = word
                lineWidth = wordWidth
            }
            out.append(line)
        }
        return out
    }
}

extension Frame {
    /// Draws text padded or cut to exactly `width` columns, with an ellipsis when cut.
    mutating func cell(_ text: String, x: Int, y: Int, width: Int, role: StyleRole = .normal) {
        put(DisplayWidth.pad(text, to: width), x: x, y: y, role: role, width: width)
    }

    /// One row of a list: each value in its column, a space between columns except after the
    /// first (the one-column selection marker). Columns of width 0 are left out.
    mutating func row(_ values: [String], widths: [Int], y: Int, role: StyleRole) {
        var x = 0
        for (index, (value, width)) in zip(values, widths).enumerated() where width > 0 {
            cell(value, x: x, y: y, width: width, role: role)
            x += width + (index == 0 ? 0 : 1)
        }
    }

    /// A box with a title, for overlays: clears its inside.
    mutating func box(x: Int, y: Int, width: Int, height: Int, title: String) {
        guard width >= 4, height >= 3 else { return }
        for row in y..<(y + height) {
            put(String(repeating: " ", count: width), x: x, y: row, role: .normal)
        }
        let horizontal = String(repeating: "─", count: width - 2)
        put("┌" + horizontal + "┐", x: x, y: y, role: .border)
        put("└" + horizontal + "┘", x: x, y: y + height - 1, role: .border)
        for row in (y + 1)..<(y + height - 1) {
            put("│", x: x, y: row, role: .border)
            put("│", x: x + width - 1, y: row, role: .border)
        }
        put(" \(title) ", x: x + 2, y: y, role: .title, width: width - 4)
    }
}
