/// The `?` overlay, generated from the keymap table.
///
/// Sections (one per key context) are kept whole and flowed into as many columns as the height
/// needs, on as many pages as the screen needs; each column's keys line up with its longest key
/// name, so that at 80x24 every key and its full help text fit in two columns.
enum HelpView {
    static let title = "Keys – Esc or ? to close"

    struct Entry {
        var keys: String
        var help: String
        var isHeading: Bool
    }

    /// Keys for the screen help was opened from come first, then those that work everywhere, then
    /// the other screens' keys on as many pages as they need (Space or PgDn turns the page).
    static func draw(from context: KeyContext, page: Int, into frame: inout Frame) {
        let pages = pages(from: context, size: frame.size)
        let sections = pages[page % pages.count]
        let rows = max(1, frame.size.height - 5)
        let title = pages.count > 1 ? "\(Self.title) – page \(page % pages.count + 1) of \(pages.count), Space for more" : Self.title
        let columns = flow(sections, rows: rows)
        let keyWidths = columns.map(keyWidth)
        // Each column is as wide as its widest line; columns are separated by three spaces.
        var widths = zip(columns, keyWidths).map(width)
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
            let keyWidth = keyWidths[column]
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

    /// The sections in order, grouped into pages that each fit the screen's columns; the first page
    /// always holds the screen's own keys and those that work everywhere.
    static func pages(from context: KeyContext, size: Size) -> [[[Entry]]] {
        let order = [context, .global] + KeyContext.allCases.filter { $0 != context && $0 != .global && $0 != .help }
        var sections: [[Entry]] = []
        for context in order where context != .help {
            let bindings = Keymap.bindings(in: context)
            guard !bindings.isEmpty else { continue }
            sections.append([Entry(keys: context.title, help: "", isHeading: true)]
                + bindings.map { Entry(keys: Keymap.keyLabel($0), help: $0.help, isHeading: false) })
        }
        let rows = max(1, size.height - 5)
        let maxColumns = size.width >= 120 ? 3 : 2
        var pages: [[[Entry]]] = [Array(sections.prefix(2))]
        for section in sections.dropFirst(2) {
            if !fits(pages[pages.count - 1] + [section], rows: rows, columns: maxColumns, width: size.width) {
                pages.append([section])
            } else {
                pages[pages.count - 1].append(section)
            }
        }
        return pages
    }

    /// Whether these sections fit in `columns` columns without cutting any help text.
    static func fits(_ sections: [[Entry]], rows: Int, columns: Int, width: Int) -> Bool {
        let flowed = flow(sections, rows: rows)
        let used = flowed.map { self.width($0, keyWidth($0)) }.reduce(0, +) + 3 * max(0, flowed.count - 1)
        return flowed.count <= columns && used <= width - 6
    }

    /// A column's keys line up: as wide as its longest key name.
    static func keyWidth(_ column: [Entry]) -> Int {
        column.filter { !$0.isHeading }.map { DisplayWidth.of($0.keys) }.max() ?? 0
    }

    /// The widest line of a column.
    static func width(_ column: [Entry], _ keyWidth: Int) -> Int {
        column.map { $0.isHeading ? DisplayWidth.of($0.keys) : keyWidth + 2 + DisplayWidth.of($0.help) }.max() ?? 0
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
