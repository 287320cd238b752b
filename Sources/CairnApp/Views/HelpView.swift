/// The `?` overlay, generated from the keymap table.
///
/// Sections (one per key context) are kept whole and flowed into as many columns as the height
/// needs; the key column is as wide as the longest key name, so that at 80x24 every key and its
/// full help text fit in two columns.
enum HelpView {
    static let title = "Keys – Esc or ? to close"

    struct Entry {
        var keys: String
        var help: String
        var isHeading: Bool
    }

    /// Keys for the screen help was opened from come first, then those that work everywhere, then
    /// the other screens' keys as far as they fit (all of them from 120 columns).
    static func draw(from context: KeyContext, into frame: inout Frame) {
        let order = [context, .global] + KeyContext.allCases.filter { $0 != context && $0 != .global && $0 != .help }
        var sections: [[Entry]] = []
        for context in order where context != .help {
            let bindings = Keymap.bindings(in: context)
            guard !bindings.isEmpty else { continue }
            sections.append([Entry(keys: context.title, help: "", isHeading: true)]
                + bindings.map { Entry(keys: Keymap.keyLabel($0), help: $0.help, isHeading: false) })
        }
        // Rows 1 to height-3: the hint line below the box keeps saying how to close it.
        let rows = max(1, frame.size.height - 5)
        let maxColumns = frame.size.width >= 120 ? 3 : 2
        while sections.count > 2, flow(sections, rows: rows).count > maxColumns { sections.removeLast() }
        let keyWidth = sections.joined().filter { !$0.isHeading }.map { DisplayWidth.of($0.keys) }.max() ?? 0
        let columns = flow(sections, rows: rows)

        // Each column is as wide as its widest line; columns are separated by three spaces.
        let lineWidth = { (entry: Entry) in
            entry.isHeading ? DisplayWidth.of(entry.keys) : keyWidth + 2 + DisplayWidth.of(entry.help)
        }
        var widths = columns.map { $0.map(lineWidth).max() ?? 0 }
        let gap = 3
        let available = frame.size.width - 2 - 4 - gap * max(0, columns.count - 1)
        if widths.reduce(0, +) > available {
            // Too narrow for everything: columns that need less than an even share keep what they
            // need; the rest share what is left, and only their help text is cut (with an ellipsis).
            var left = available
            var open = Array(widths.indices)
            while !open.isEmpty {
                let share = max(8, left / open.count)
                let fitting = open.filter { widths[$0] <= share }
                if fitting.isEmpty {
                    for index in open { widths[index] = share }
                    break
                }
                for index in fitting { left -= widths[index] }
                open.removeAll { fitting.contains($0) }
            }
        }
        let inner = max(widths.reduce(0, +) + gap * max(0, columns.count - 1), DisplayWidth.of(title) + 4)
        let width = min(frame.size.width - 2, inner + 4)
        let height = min(frame.size.height - 3, (columns.map(\.count).max() ?? 0) + 2)
        let x = (frame.size.width - width) / 2
        frame.box(x: x, y: 1, width: width, height: height, title: title)

        var columnX = x + 2
        for (column, entries) in columns.enumerated() {
            let columnWidth = widths[column]
            for (row, entry) in entries.enumerated() where row < height - 2 {
                let y = 2 + row
                if entry.isHeading {
                    frame.put(DisplayWidth.truncate(entry.keys, to: columnWidth), x: columnX, y: y, role: .title, width: columnWidth)
                } else if !entry.keys.isEmpty {
                    let used = frame.put(entry.keys, x: columnX, y: y, role: .key, width: min(keyWidth, columnWidth))
                    let helpX = columnX + max(used, keyWidth) + 2
                    let helpWidth = columnX + columnWidth - helpX
                    if helpWidth > 0 {
                        frame.put(DisplayWidth.truncate(entry.help, to: helpWidth), x: helpX, y: y, role: .normal, width: helpWidth)
                    }
                }
            }
            columnX += columnWidth + gap
        }
    }

    /// Places whole sections into columns of at most `rows` lines, with a blank line between
    /// sections; a section longer than a column is split.
    static func flow(_ sections: [[Entry]], rows: Int) -> [[Entry]] {
        var columns: [[Entry]] = [[]]
        for section in sections {
            let spacer = columns[columns.count - 1].isEmpty ? 0 : 1
            if columns[columns.count - 1].count + spacer + section.count > rows, !columns[columns.count - 1].isEmpty {
                columns.append([])
            }
            for entry in section {
                if columns[columns.count - 1].count >= rows { columns.append([]) }
                if entry.isHeading, !columns[columns.count - 1].isEmpty {
                    columns[columns.count - 1].append(Entry(keys: "", help: "", isHeading: false))
                }
                columns[columns.count - 1].append(entry)
            }
        }
        return columns
    }
}
