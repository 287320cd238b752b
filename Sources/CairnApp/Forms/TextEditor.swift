import CairnDomain

/// The text inside a form field: one line or many, edited from the keyboard.
///
/// Text is held as grapheme clusters (`Character`), so the cursor never lands inside an accented
/// letter, an emoji sequence or a wide character. The line holding the cursor is a gap buffer
/// (`before` the cursor, and `after` it reversed), and the lines above and below are kept apart
/// from it, so typing or pasting costs O(1) a key however long the text is: a 20,000-character
/// paste arriving as 20,000 `.char` keys is linear. Wrapping is done only when asked, for drawing
/// (`wrapped(width:)`) or for moving up and down by screen row.
///
/// Control characters, escape sequences and bidirectional overrides are never inserted, and text
/// given from elsewhere passes through `TextSanitiser`, so whatever the editor holds is safe to draw.
public struct TextEditor: Equatable, Sendable {
    /// A place in the text: a logical line (split at line breaks) and a column counted in
    /// grapheme clusters, not bytes or columns on screen.
    public struct Position: Equatable, Comparable, Sendable {
        public var line: Int
        public var column: Int
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        public static func < (a: Position, b: Position) -> Bool {
            (a.line, a.column) < (b.line, b.column)
        }
    }

    /// Enter inserts a line break only when true; otherwise the text is one line.
    public let isMultiline: Bool
    /// The most grapheme clusters (line breaks count one) that typing may reach.
    public var maxLength: Int?

    private(set) var above: [[Character]] = []
    private(set) var before: [Character] = []
    /// The rest of the cursor's line, last character first, so that typing is an append.
    private(set) var after: [Character] = []
    /// The lines below the cursor's line, the last line first.
    private(set) var below: [[Character]] = []
    private(set) var total = 0
    /// The screen column that Up and Down aim for, kept while they repeat.
    private var goalColumn: Int?

    public init(_ text: String = "", multiline: Bool = false, maxLength: Int? = nil) {
        isMultiline = multiline
        self.maxLength = maxLength
        setText(text)
    }

    // MARK: Reading

    public var text: String { lines.joined(separator: "\n") }

    /// The logical lines, split at line breaks.
    public var lines: [String] {
        above.map { String($0) } + [String(before + after.reversed())] + below.reversed().map { String($0) }
    }

    public var lineCount: Int { above.count + 1 + below.count }

    /// Grapheme clusters in the text, line breaks counting one each.
    public var count: Int { total }

    public var isEmpty: Bool { total == 0 }

    /// True when the text is empty or only spaces and line breaks.
    public var isBlank: Bool {
        text.allSatisfy { $0 == " " || $0 == "\n" }
    }

    public var cursor: Position { Position(line: above.count, column: before.count) }

    // MARK: Changing the text

    /// Replaces the whole text (sanitised; never cut to `maxLength`, so nothing stored is lost)
    /// and puts the cursor at its end.
    public mutating func setText(_ text: String) {
        let split = isMultiline ? TextSanitiser.lines(text) : [TextSanitiser.line(text)]
        let all = split.map { Array($0) }
        above = Array(all.dropLast())
        before = all.last ?? []
        after = []
        below = []
        total = all.reduce(all.count - 1) { $0 + $1.count }
        goalColumn = nil
    }

    /// Inserts one typed or pasted character at the cursor. Line breaks start a new line (a space
    /// in a one-line editor); control characters are refused. Returns whether the text changed.
    @discardableResult
    public mutating func insert(_ character: Character) -> Bool {
        goalColumn = nil
        if Self.isLineBreak(character) {
            return isMultiline ? newline() : insert(" ")
        }
        guard !Self.isRefused(character) else { return false }
        // A combining mark or joiner typed on its own becomes part of the cluster before it.
        if let previous = before.last, let joined = Self.joined(previous, character) {
            before[before.count - 1] = joined
            return true
        }
        if let next = after.last, let joined = Self.joined(character, next) {
            after.removeLast()
            before.append(joined)
            return true
        }
        guard hasRoom else { return false }
        before.append(character)
        total += 1
        return true
    }

    /// Inserts a whole string, as a paste would.
    public mutating func insert(_ text: String) {
        for character in text { insert(character) }
    }

    /// Splits the line at the cursor (multi-line editors only).
    @discardableResult
    public mutating func newline() -> Bool {
        goalColumn = nil
        guard isMultiline, hasRoom else { return false }
        above.append(before)
        before = []
        total += 1
        return true
    }

    /// Deletes the character before the cursor, joining lines at the start of one.
    public mutating func backspace() {
        goalColumn = nil
        if before.popLast() != nil {
            total -= 1
        } else if let previous = above.popLast() {
            before = previous
            total -= 1
        }
    }

    /// Deletes the character after the cursor, joining lines at the end of one.
    public mutating func deleteForward() {
        goalColumn = nil
        if after.popLast() != nil {
            total -= 1
        } else if let next = below.popLast() {
            after = next.reversed()
            total -= 1
        }
    }

    // MARK: Moving the cursor

    public mutating func moveLeft() {
        goalColumn = nil
        if let character = before.popLast() {
            after.append(character)
        } else if let previous = above.popLast() {
            below.append(after.reversed())
            before = previous
            after = []
        }
    }

    public mutating func moveRight() {
        goalColumn = nil
        if let character = after.popLast() {
            before.append(character)
        } else if let next = below.popLast() {
            above.append(before)
            before = []
            after = next.reversed()
        }
    }

    /// Puts the cursor at a position, clamped into the text.
    public mutating func moveCursor(to position: Position) {
        goalColumn = nil
        place(line: position.line, column: position.column)
    }

    public mutating func moveToStart() { moveCursor(to: Position(line: 0, column: 0)) }

    public mutating func moveToEnd() { moveCursor(to: Position(line: .max, column: .max)) }

    /// Up one row on screen, as wrapped at `width`, keeping the column Up/Down started from.
    /// Returns false on the first row.
    @discardableResult
    public mutating func moveUp(width: Int) -> Bool {
        moveVertically(by: -1, width: width)
    }

    /// Down one row on screen, as wrapped at `width`. Returns false on the last row.
    @discardableResult
    public mutating func moveDown(width: Int) -> Bool {
        moveVertically(by: 1, width: width)
    }

    /// To the start of the row on screen the cursor is on (of the text, in a one-line editor).
    public mutating func moveHome(width: Int) {
        goalColumn = nil
        guard isMultiline else { return place(line: 0, column: 0) }
        let row = cursorRow(width: width)
        place(line: above.count, column: row.segment.start)
    }

    /// To the end of the row on screen the cursor is on (before the space a word wrap broke at);
    /// to the end of the text in a one-line editor.
    public mutating func moveEnd(width: Int) {
        goalColumn = nil
        guard isMultiline else { return place(line: 0, column: .max) }
        let row = cursorRow(width: width)
        let column = row.isLast ? row.segment.end : max(row.segment.start, row.segment.end - 1)
        place(line: above.count, column: column)
    }

    /// The editing keys: printable characters, Enter (multi-line), arrows, Home/End,
    /// Backspace/Delete. `width` is the width the text is wrapped at on screen.
    /// Returns false for keys the editor leaves to its holder (Tab, Esc, Ctrl keys, and Enter,
    /// Up and Down in a one-line editor).
    public mutating func handle(_ key: Key, width: Int) -> Bool {
        switch key {
        case .char(let character): insert(character)
        case .enter:
            guard isMultiline else { return false }
            newline()
        case .backspace: backspace()
        case .delete: deleteForward()
        case .left: moveLeft()
        case .right: moveRight()
        case .home: moveHome(width: width)
        case .end: moveEnd(width: width)
        case .up, .down:
            guard isMultiline else { return false }
            if key == .up { moveUp(width: width) } else { moveDown(width: width) }
        default: return false
        }
        return true
    }

    // MARK: Private

    private var hasRoom: Bool { maxLength.map { total < $0 } ?? true }

    var currentLine: [Character] { before + after.reversed() }

    /// Makes `line` the cursor's line, with the cursor at `column` (both clamped).
    private mutating func place(line target: Int, column: Int) {
        let target = min(max(0, target), lineCount - 1)
        var line = currentLine
        while above.count > target {
            below.append(line)
            line = above.removeLast()
        }
        while above.count < target {
            above.append(line)
            line = below.removeLast()
        }
        let column = min(max(0, column), line.count)
        before = Array(line[..<column])
        after = Array(line[column...].reversed())
    }

    private struct Row {
        var segment: TextWrap.Segment
        var index: Int
        var isLast: Bool
        var column: Int
    }

    /// The cursor's row within its own logical line, wrapped at `width`.
    private func cursorRow(width: Int) -> Row {
        let line = currentLine
        let segments = TextWrap.segments(line, width: width)
        let index = TextWrap.segmentIndex(of: before.count, in: segments)
        let segment = segments[index]
        return Row(segment: segment, index: index, isLast: index == segments.count - 1,
                   column: TextWrap.width(line[segment.start..<before.count]))
    }

    private mutating func moveVertically(by step: Int, width: Int) -> Bool {
        let row = cursorRow(width: width)
        let goal = goalColumn ?? row.column
        var lineIndex = above.count
        var segments = TextWrap.segments(currentLine, width: width)
        var target = row.index + step
        if target < 0 {
            guard lineIndex > 0 else { return false }
            lineIndex -= 1
            segments = TextWrap.segments(above[lineIndex], width: width)
            target = segments.count - 1
        } else if target >= segments.count {
            guard lineIndex < lineCount - 1 else { return false }
            lineIndex += 1
            segments = TextWrap.segments(below[below.count - 1], width: width)
            target = 0
        }
        place(line: lineIndex, column: 0)
        let column = TextWrap.column(atScreenColumn: goal, in: segments[target], of: currentLine,
                                     isLast: target == segments.count - 1)
        place(line: lineIndex, column: column)
        goalColumn = goal
        return true
    }

    private static func isLineBreak(_ character: Character) -> Bool {
        character == "\n" || character == "\r" || character == "\r\n"
            || character == "\u{2028}" || character == "\u{2029}"
    }

    /// Controls, C1 controls, bidirectional overrides and byte order marks: never typed into a record.
    static func isRefused(_ character: Character) -> Bool {
        character.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
                return true
            default:
                return false
            }
        }
    }

    /// The two characters as one grapheme cluster, when Unicode joins them.
    private static func joined(_ first: Character, _ second: Character) -> Character? {
        let combined = String(first) + String(second)
        return combined.count == 1 ? combined.first : nil
    }
}
