/// What a cell means, not what colour it is: the terminal maps roles to a theme,
/// and monochrome terminals to bold/reverse/underline.
public enum StyleRole: String, Sendable, CaseIterable, Codable {
    case normal, header, title, selected, muted, urgent, overdue, restricted
    case statusLine, tab, tabActive, key, label, childWords, warning, border, field, fieldActive
    /// The words a search matched, in a result's snippet.
    case match
}

/// One terminal cell. A wide character occupies its cell and marks the next as a continuation.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var role: StyleRole
    public var isContinuation: Bool

    public static let blank = Cell(text: " ", role: .normal, isContinuation: false)

    public init(text: String, role: StyleRole, isContinuation: Bool = false) {
        self.text = text
        self.role = role
        self.isContinuation = isContinuation
    }
}

public struct Point: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

public struct Size: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// A grid of cells: what `view` returns and what the terminal draws. Tests read it as text.
public struct Frame: Equatable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Where the terminal should show its cursor (inside a text field), if anywhere.
    public var cursor: Point?

    public init(size: Size) {
        self.size = size
        self.cells = Array(repeating: .blank, count: max(0, size.width * size.height))
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * size.width + x]
    }

    /// Writes `text` from (x, y), clipped to `width` columns (default: to the right edge).
    /// Text must already be sanitised; wide characters take two cells and never straddle the edge.
    /// Returns the number of columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole = .normal, width: Int? = nil) -> Int {
        guard y >= 0, y < size.height, x >= 0, x < size.width else { return 0 }
        let limit = min(width ?? (size.width - x), size.width - x)
        var column = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if w == 0 {
                // Combining marks join the previous cell.
                if column > 0 {
                    let index = y * size.width + x + column - 1
                    var target = index
                    while target > y * size.width, cells[target].isContinuation { target -= 1 }
                    cells[target].text.append(character)
                }
                continue
            }
            if column + w > limit { break }
            let index = y * size.width + x + column
            cells[index] = Cell(text: String(character), role: role)
            if w == 2 { cells[index + 1] = Cell(text: "", role: role, isContinuation: true) }
            column += w
        }
        return column
    }

    /// Paints a run of cells with a role, keeping their text (selection bars, status lines).
    public mutating func fill(x: Int, y: Int, width: Int, role: StyleRole) {
        guard y >= 0, y < size.height else { return }
        let start = max(0, x)
        let end = min(size.width, x + width)
        guard start < end else { return }
        for column in start..<end {
            cells[y * size.width + column].role = role
        }
    }

    /// The text of one row, trailing blanks removed.
    public func line(_ y: Int) -> String {
        var out = ""
        for x in 0..<size.width where !self[x, y].isContinuation {
            out += self[x, y].text
        }
        while out.last == " " { out.removeLast() }
        return out
    }

    /// The whole frame as text, one line per row: what snapshot tests compare.
    public var text: String {
        (0..<size.height).map(line).joined(separator: "\n")
    }

    /// Copies rows `rows` of `other` into this frame with its left edge at `x`: panes are drawn in
    /// frames of their own and set side by side. The other frame's cursor comes too.
    public mutating func blit(_ other: Frame, x: Int, rows: Range<Int>) {
        for y in rows where y >= 0 && y < size.height && y < other.size.height {
            for column in 0..<other.size.width where x + column < size.width {
                cells[y * size.width + x + column] = other[column, y]
            }
        }
        if let point = other.cursor, rows.contains(point.y) { cursor = Point(x: x + point.x, y: point.y) }
    }
}
