/// Word wrapping of one line of grapheme clusters by display width, for `TextEditor`.
/// Works on positions rather than strings, so the editor can map its cursor to a row on screen.
enum TextWrap {
    /// The clusters `start..<end` of a line, taking `width` columns on screen.
    struct Segment: Equatable {
        var start: Int
        var end: Int
        var width: Int
    }

    /// Breaks after spaces; a word longer than the width is cut between clusters. A space that
    /// does not fit stays at the end of its row (hanging one column past the width) rather than
    /// starting the next. A line that exactly fills its last row gets an empty row after it.
    static func segments(_ line: [Character], width: Int) -> [Segment] {
        let width = max(2, width)
        var segments: [Segment] = []
        var start = 0
        var used = 0
        // The position just after the last space on this row, and the columns up to it.
        var breakAt: (index: Int, width: Int)?
        var index = 0
        while index < line.count {
            let character = line[index]
            let columns = DisplayWidth.of(character)
            if used + columns > width {
                if character == " " {
                    segments.append(Segment(start: start, end: index + 1, width: used + columns))
                    index += 1
                    start = index
                    used = 0
                    breakAt = nil
                    continue
                }
                if let last = breakAt, last.index > start {
                    segments.append(Segment(start: start, end: last.index, width: last.width))
                    start = last.index
                    used -= last.width
                } else {
                    segments.append(Segment(start: start, end: index, width: used))
                    start = index
                    used = 0
                }
                breakAt = nil
                continue
            }
            used += columns
            index += 1
            if character == " " { breakAt = (index, used) }
        }
        let end = Segment(start: line.count, end: line.count, width: 0)
        if start < line.count || segments.isEmpty {
            segments.append(Segment(start: start, end: line.count, width: used))
            if used >= width { segments.append(end) }
        } else {
            // The line ended with a hanging space: the cursor after it starts a new row.
            segments.append(end)
        }
        return segments
    }

    /// The row holding the cursor at `column`: the one it starts, or the last row at the line's end.
    static func segmentIndex(of column: Int, in segments: [Segment]) -> Int {
        segments.firstIndex { $0.start <= column && column < $0.end } ?? segments.count - 1
    }

    /// The position on `segment` nearest to, and not past, screen column `goal`.
    /// Only the last row of a line offers its end as a place for the cursor.
    static func column(atScreenColumn goal: Int, in segment: Segment, of line: [Character], isLast: Bool) -> Int {
        let limit = isLast ? segment.end : max(segment.start, segment.end - 1)
        var position = segment.start
        var used = 0
        while position < limit {
            let columns = DisplayWidth.of(line[position])
            if used + columns > goal { break }
            used += columns
            position += 1
        }
        return position
    }

    static func width(_ characters: ArraySlice<Character>) -> Int {
        characters.reduce(0) { $0 + DisplayWidth.of($1) }
    }
}

// MARK: - Drawing an editor

extension TextEditor {
    /// One row on screen after word wrapping.
    public struct VisualLine: Equatable, Sendable {
        /// The logical line this row belongs to.
        public var line: Int
        /// The grapheme clusters of that line shown on this row: `start..<end`.
        public var start: Int
        public var end: Int
        /// What to draw: already safe. May end in one space that hangs past the width.
        public var text: String
        /// Columns `text` takes on screen.
        public var width: Int
        /// The cursor's column on screen, when the cursor sits on this row.
        public var cursor: Int?
    }

    /// The rows a text box shows, and whether there is more text above or below them.
    public struct Window: Equatable, Sendable {
        public var lines: [VisualLine]
        public var moreAbove: Bool
        public var moreBelow: Bool

        /// The row of `lines` holding the cursor, if it is shown.
        public var cursorRow: Int? { lines.firstIndex { $0.cursor != nil } }
    }

    /// The text wrapped at `width` columns: breaks after spaces, cuts words longer than the
    /// width, never splits a grapheme cluster or a wide character. The row holding the cursor
    /// has `cursor` set. A line exactly filling the width is followed by an empty row, so the
    /// cursor at its end always has a place on screen; a space where a line breaks may hang one
    /// column past the width, so draw into `width + 1` columns. Wraps the whole text: to draw a
    /// box, `window` does less.
    public func wrapped(width: Int) -> [VisualLine] {
        (0..<lineCount).flatMap { visualLines(ofLine: $0, width: width) }
    }

    /// The `rows` rows a box of that height shows, wrapped at `width` (as `wrapped`). Following the
    /// cursor, the box shows the top of the text while the cursor is within its first `rows` rows,
    /// and otherwise has the cursor on its last row; not following, it shows the top. Only the lines
    /// shown (and the whole of the cursor's line) are wrapped, so a long text draws quickly.
    public func window(width: Int, rows: Int, followingCursor: Bool = true) -> Window {
        let rows = max(1, rows)
        var shown: [VisualLine] = []
        var nextLine = 0
        if followingCursor {
            let current = visualLines(ofLine: above.count, width: width)
            let cursorIndex = current.firstIndex { $0.cursor != nil } ?? 0
            var upper = Array(current[..<cursorIndex])
            var lineAbove = above.count - 1
            while upper.count < rows, lineAbove >= 0 {
                upper = visualLines(ofLine: lineAbove, width: width) + upper
                lineAbove -= 1
            }
            if upper.count >= rows {
                let lower = current[(cursorIndex + 1)...]
                return Window(lines: upper.suffix(rows - 1) + [current[cursorIndex]], moreAbove: true,
                              moreBelow: !lower.isEmpty || !below.isEmpty)
            }
            shown = upper + current[cursorIndex...]
            nextLine = above.count + 1
        }
        while shown.count < rows, nextLine < lineCount {
            shown += visualLines(ofLine: nextLine, width: width)
            nextLine += 1
        }
        return Window(lines: Array(shown.prefix(rows)), moreAbove: false,
                      moreBelow: shown.count > rows || nextLine < lineCount)
    }

    /// For one-line fields: the part of the text that fits in `width` columns, scrolled so the
    /// cursor shows, and the cursor's column in it. Costs O(width), not O(text).
    public func visibleSlice(width: Int) -> (text: String, cursor: Int) {
        let room = max(1, width - 1)
        var start = before.count
        var used = 0
        while start > 0, used + DisplayWidth.of(before[start - 1]) <= room {
            start -= 1
            used += DisplayWidth.of(before[start])
        }
        var shown = String(before[start...])
        var columns = used
        var next = after.count - 1
        while next >= 0, columns + DisplayWidth.of(after[next]) <= width {
            shown.append(after[next])
            columns += DisplayWidth.of(after[next])
            next -= 1
        }
        return (shown, used)
    }

    /// One logical line, by number.
    func characters(ofLine index: Int) -> [Character] {
        if index < above.count { return above[index] }
        if index == above.count { return currentLine }
        return below[below.count - 1 - (index - above.count - 1)]
    }

    /// The rows one logical line wraps into, the cursor marked if it is on this line.
    func visualLines(ofLine index: Int, width: Int) -> [VisualLine] {
        let line = characters(ofLine: index)
        let segments = TextWrap.segments(line, width: width)
        let column = before.count
        let cursorSegment = index == above.count ? TextWrap.segmentIndex(of: column, in: segments) : nil
        return segments.enumerated().map { number, segment in
            VisualLine(line: index, start: segment.start, end: segment.end,
                       text: String(line[segment.start..<segment.end]), width: segment.width,
                       cursor: number == cursorSegment ? TextWrap.width(line[segment.start..<column]) : nil)
        }
    }
}
