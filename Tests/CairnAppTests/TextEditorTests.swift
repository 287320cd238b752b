import Testing
@testable import CairnApp

/// The editor inside every text field: typing, deleting, wrapping and moving, in full UTF-8.
@Suite struct TextEditorTests {
    private func typed(_ text: String, multiline: Bool = true, maxLength: Int? = nil) -> TextEditor {
        var editor = TextEditor(multiline: multiline, maxLength: maxLength)
        for character in text {
            _ = editor.handle(character == "\n" ? .enter : .char(character), width: 20)
        }
        return editor
    }

    private func rows(_ editor: TextEditor, width: Int) -> [String] {
        editor.wrapped(width: width).map(\.text)
    }

    // MARK: Inserting and deleting

    @Test func typingAndEnterMakeLines() {
        let editor = typed("first\nsecond")
        #expect(editor.text == "first\nsecond")
        #expect(editor.lines == ["first", "second"])
        #expect(editor.cursor == .init(line: 1, column: 6))
        #expect(editor.count == 12)
    }

    @Test func backspaceAtTheStartOfALineJoinsItToTheOneAbove() {
        var editor = typed("ab\ncd")
        editor.moveCursor(to: .init(line: 1, column: 0))
        editor.backspace()
        #expect(editor.text == "abcd")
        #expect(editor.cursor == .init(line: 0, column: 2))
        editor.backspace()
        #expect(editor.text == "acd")
    }

    @Test func deleteAtTheEndOfALineJoinsTheNextOne() {
        var editor = typed("ab\ncd\nef")
        editor.moveCursor(to: .init(line: 0, column: 2))
        _ = editor.handle(.delete, width: 20)
        #expect(editor.text == "abcd\nef")
        #expect(editor.cursor == .init(line: 0, column: 2))
        _ = editor.handle(.delete, width: 20)
        #expect(editor.text == "abd\nef")
    }

    @Test func insertingInTheMiddleOfALineAndSplittingIt() {
        var editor = typed("hello world")
        editor.moveCursor(to: .init(line: 0, column: 5))
        _ = editor.handle(.enter, width: 20)
        editor.insert("there")
        #expect(editor.text == "hello\nthere world")
        #expect(editor.cursor == .init(line: 1, column: 5))
    }

    @Test func leftAndRightCrossLineBreaks() {
        var editor = typed("ab\ncd")
        editor.moveCursor(to: .init(line: 1, column: 0))
        editor.moveLeft()
        #expect(editor.cursor == .init(line: 0, column: 2))
        editor.moveRight()
        #expect(editor.cursor == .init(line: 1, column: 0))
        editor.moveToEnd()
        editor.moveRight()
        #expect(editor.cursor == .init(line: 1, column: 2))
        editor.moveToStart()
        editor.moveLeft()
        #expect(editor.cursor == .init(line: 0, column: 0))
        #expect(editor.text == "ab\ncd")
    }

    @Test func controlCharactersAreNotInserted() {
        var editor = TextEditor(multiline: true)
        for character: Character in ["\u{1B}", "\u{07}", "\u{7F}", "\u{9B}", "\u{202E}", "\u{2066}", "\u{FEFF}", "\0", "\t"] {
            let changed = editor.insert(character)
            #expect(!changed)
        }
        editor.insert("a\u{1B}[31mb")
        #expect(editor.text == "a[31mb")
    }

    @Test func textFromElsewhereIsSanitised() {
        let editor = TextEditor("red \u{1B}[31m\u{202E}text\r\nnext", multiline: true)
        #expect(editor.lines == ["red ␛[31m\u{FFFD}text", "next"])
        let oneLine = TextEditor("a\nb")
        #expect(oneLine.text == "a b")
    }

    @Test func singleLineModeKeepsOneLine() {
        var editor = TextEditor()
        var changed = editor.handle(.enter, width: 20)
        #expect(!changed)
        changed = editor.handle(.up, width: 20)
        #expect(!changed)
        editor.insert("one\ntwo")
        #expect(editor.text == "one two")
        _ = editor.handle(.home, width: 3)
        #expect(editor.cursor.column == 0)
        _ = editor.handle(.end, width: 3)
        #expect(editor.cursor.column == 7)
    }

    @Test func maxLengthStopsTyping() {
        let editor = typed("abcdefgh", maxLength: 5)
        #expect(editor.text == "abcde")
        #expect(TextEditor("longer than five", maxLength: 5).text == "longer than five", "stored text is never cut")
    }

    // MARK: UTF-8

    @Test func combiningMarksJoinTheLetterBeforeThem() {
        var editor = typed("Zoe\u{0308}")
        #expect(editor.count == 3)
        #expect(editor.text == "Zoe\u{0308}")
        editor.backspace()
        #expect(editor.text == "Zo", "backspace removes the whole grapheme cluster")
        editor.insert("e")
        editor.insert("\u{0301}")
        editor.moveLeft()
        #expect(editor.cursor.column == 2, "the cursor never sits inside a cluster")
    }

    @Test func emojiSequencesStayWhole() {
        var editor = TextEditor()
        for scalar in ["👩", "\u{200D}", "💻", "🇬", "🇧"] { editor.insert(Character(scalar)) }
        #expect(editor.count == 2)
        #expect(editor.text == "👩‍💻🇬🇧")
        editor.moveLeft()
        editor.backspace()
        #expect(editor.text == "🇬🇧")
    }

    @Test func wideCharactersAreNeverSplitWhenWrapping() {
        let editor = typed("李小龍李小龍李")
        let wrapped = editor.wrapped(width: 5)
        #expect(wrapped.map(\.text) == ["李小", "龍李", "小龍", "李"])
        #expect(wrapped.allSatisfy { $0.width <= 5 })
        let emoji = typed("ab😀😀😀")
        #expect(rows(emoji, width: 4) == ["ab😀", "😀😀", ""])
    }

    @Test func combiningMarksAreNeverSplitWhenWrapping() {
        let editor = typed("e\u{0301}e\u{0301}e\u{0301}e\u{0301}e\u{0301}")
        let wrapped = editor.wrapped(width: 3)
        #expect(wrapped.map(\.text) == ["e\u{0301}e\u{0301}e\u{0301}", "e\u{0301}e\u{0301}"])
        #expect(wrapped.map(\.width) == [3, 2])
    }

    // MARK: Wrapping

    @Test func wrapsAtSpaces() {
        let editor = typed("the quick brown fox jumps")
        #expect(rows(editor, width: 10) == ["the quick ", "brown fox ", "jumps"])
        #expect(editor.wrapped(width: 10).allSatisfy { $0.line == 0 })
    }

    @Test func wordsLongerThanTheWidthAreCut() {
        let editor = typed("a safeguardingconcern here")
        #expect(rows(editor, width: 8) == ["a ", "safeguar", "dingconc", "ern here", ""], "a full last row is followed by one for the cursor")
    }

    @Test func aSpaceAtTheBreakHangsAndALineFillingTheRowGetsARowForTheCursor() {
        let editor = typed("abcd efgh")
        #expect(rows(editor, width: 4) == ["abcd ", "efgh", ""])
        let last = editor.wrapped(width: 4).last!
        #expect(last.cursor == 0)
    }

    @Test func emptyLinesAndTheCursorRow() {
        var editor = typed("one\n\nthree four five")
        editor.moveCursor(to: .init(line: 2, column: 13))
        let wrapped = editor.wrapped(width: 10)
        #expect(wrapped.map(\.text) == ["one", "", "three four ", "five"])
        #expect(wrapped.map(\.line) == [0, 1, 2, 2])
        #expect(wrapped.compactMap(\.cursor) == [2])
        #expect(wrapped.firstIndex { $0.cursor != nil } == 3)
    }

    // MARK: Moving by rows on screen

    @Test func upAndDownMoveByWrappedRowsKeepingTheColumn() {
        var editor = typed("aaaa bbbb cccc\nx\ndddd eeee")
        editor.moveCursor(to: .init(line: 0, column: 2))
        // Second and third rows of the first line; a short line takes the cursor to its end; the
        // column comes back after it.
        let downs: [(line: Int, column: Int)] = [(0, 7), (0, 12), (1, 1), (2, 2), (2, 7)]
        for expected in downs {
            let moved = editor.moveDown(width: 5)
            #expect(moved)
            #expect(editor.cursor == .init(line: expected.line, column: expected.column))
        }
        var moved = editor.moveDown(width: 5)
        #expect(!moved, "the last row goes no further")
        for _ in 0..<3 { editor.moveUp(width: 5) }
        #expect(editor.cursor == .init(line: 0, column: 12))
        editor.moveToStart()
        moved = editor.moveUp(width: 5)
        #expect(!moved, "nor does the first")
    }

    @Test func upAndDownKeepTheColumnOnScreenAcrossWideCharacters() {
        var editor = typed("abcdef\n李小龍李")
        editor.moveCursor(to: .init(line: 0, column: 5))
        editor.moveDown(width: 20)
        #expect(editor.cursor == .init(line: 1, column: 2), "column 5 on screen lands before the third wide character")
        editor.moveUp(width: 20)
        #expect(editor.cursor == .init(line: 0, column: 5))
    }

    @Test func homeAndEndGoToTheEndsOfTheRowOnScreen() {
        var editor = typed("aaaa bbbb cccc")
        editor.moveCursor(to: .init(line: 0, column: 7))
        editor.moveHome(width: 5)
        #expect(editor.cursor.column == 5)
        editor.moveEnd(width: 5)
        #expect(editor.cursor.column == 9, "before the space the row broke at")
        editor.moveCursor(to: .init(line: 0, column: 11))
        _ = editor.handle(.end, width: 5)
        #expect(editor.cursor.column == 14)
        _ = editor.handle(.home, width: 5)
        #expect(editor.cursor.column == 10)
    }

    // MARK: Paste

    @Test func aLongPasteArrivesExactly() {
        var expected = ""
        let words = ["Ms", "Okafor", "heard", "Zoë", "say", "李小龍", "🙂", "that", "her", "brother", "shouted."]
        var index = 0
        while expected.count < 20_000 {
            expected += words[index % words.count]
            expected += index % 17 == 16 ? "\n" : " "
            index += 1
        }
        expected = String(expected.prefix(20_000))
        var editor = TextEditor(multiline: true)
        for character in expected {
            let changed = editor.handle(character == "\n" ? .enter : .char(character), width: 60)
            #expect(changed)
        }
        #expect(editor.text == expected)
        #expect(editor.count == 20_000)
        #expect(editor.wrapped(width: 60).allSatisfy { $0.width <= 61 })

        // Pasted into the middle of a line, the rest of the line follows the paste.
        var middle = TextEditor("before after", multiline: true)
        middle.moveCursor(to: .init(line: 0, column: 7))
        for character in expected { _ = middle.handle(character == "\n" ? .enter : .char(character), width: 60) }
        #expect(middle.text == "before " + expected + "after")
    }

    @Test func visibleSliceOfAOneLineFieldFollowsTheCursor() {
        var editor = TextEditor("abcdefghijklmnopqrstuvwxyz")
        var slice = editor.visibleSlice(width: 10)
        #expect(slice.text == "rstuvwxyz")
        #expect(slice.cursor == 9)
        editor.moveToStart()
        slice = editor.visibleSlice(width: 10)
        #expect(slice.text == "abcdefghij")
        #expect(slice.cursor == 0)
    }
}
