import Testing
import CairnDomain

@Suite struct TextSanitiserTests {
    // MARK: Ordinary text passes unchanged

    @Test(arguments: [
        "Plain ASCII, with punctuation: £5 (approx.) & 100% \"quotes\" 'too'!",
        "Zoë Dŵr Ŵyn Llŷr Siân",
        "Zoe\u{0308} w\u{0302}", // decomposed accents
        "李小龍 ひらがな 한국어",
        "😀 👍🏽 👩‍👩‍👧 🇬🇧 ❤️ #️⃣",
        "🏴\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}", // Wales flag uses tag characters
        "مرحبا שלום", // right-to-left scripts without override controls
        "a\u{0301}\u{0327}\u{20DD}", // stacked combining and enclosing marks
        "",
    ])
    func ordinaryUnicodeIsUnchanged(_ text: String) {
        #expect(TextSanitiser.line(text) == text)
        #expect(TextSanitiser.lines(text) == [text])
    }

    // MARK: C0 controls and DEL

    @Test func escapeSequencesBecomeVisible() {
        #expect(TextSanitiser.line("\u{1B}[31mred\u{1B}[0m") == "␛[31mred␛[0m")
        #expect(TextSanitiser.line("\u{1B}[2J\u{1B}[H") == "␛[2J␛[H")
        #expect(TextSanitiser.line("bell\u{07}") == "bell␇")
    }

    @Test func osc52ClipboardWriteBecomesHarmlessText() {
        let hostile = "note\u{1B}]52;c;SGVsbG8=\u{07}end"
        #expect(TextSanitiser.line(hostile) == "note␛]52;c;SGVsbG8=␇end")
        // The same with the ST terminator (ESC \).
        #expect(TextSanitiser.line("\u{1B}]52;c;SGVsbG8=\u{1B}\\") == "␛]52;c;SGVsbG8=␛\\")
    }

    @Test func everyC0ControlMapsToItsControlPicture() {
        for value in UInt32(0x00)...0x1F where ![0x09, 0x0A, 0x0D].contains(value) {
            let control = String(Character(Unicode.Scalar(value)!))
            let picture = String(Character(Unicode.Scalar(0x2400 + value)!))
            #expect(TextSanitiser.line("a" + control + "b") == "a" + picture + "b", "U+\(value)")
            #expect(TextSanitiser.lines("a" + control + "b") == ["a" + picture + "b"], "U+\(value)")
        }
        #expect(TextSanitiser.line("\u{00}") == "␀")
        #expect(TextSanitiser.line("\u{0B}\u{0C}") == "␋␌") // VT and FF do not split lines
    }

    @Test func deleteMapsToItsControlPicture() {
        #expect(TextSanitiser.line("a\u{7F}b") == "a\u{2421}b")
    }

    // MARK: Line breaks and tabs

    @Test func tabsBecomeSpaces() {
        #expect(TextSanitiser.line("a\tb\t\tc") == "a b  c")
        #expect(TextSanitiser.lines("a\tb\nc\t") == ["a b", "c "])
    }

    @Test func everyKindOfBreakSplitsLines() {
        let text = "a\r\nb\rc\nd\u{2028}e\u{2029}f"
        #expect(TextSanitiser.lines(text) == ["a", "b", "c", "d", "e", "f"])
        // CRLF is one break, so one space.
        #expect(TextSanitiser.line(text) == "a b c d e f")
    }

    @Test func emptyLinesAreKept() {
        #expect(TextSanitiser.lines("") == [""])
        #expect(TextSanitiser.lines("\n") == ["", ""])
        #expect(TextSanitiser.lines("a\r\n") == ["a", ""])
        #expect(TextSanitiser.lines("a\n\nb") == ["a", "", "b"])
        #expect(TextSanitiser.lines("\r\r\n") == ["", "", ""])
        #expect(TextSanitiser.lines("\n\r") == ["", "", ""])
        #expect(TextSanitiser.line("a\n\nb") == "a  b")
    }

    // MARK: C1 controls, bidi controls, BOM

    @Test func everyC1ControlBecomesReplacementCharacter() {
        for value in UInt32(0x80)...0x9F {
            let control = String(Character(Unicode.Scalar(value)!))
            #expect(TextSanitiser.line("a" + control + "b") == "a\u{FFFD}b", "U+\(value)")
        }
        // 8-bit CSI and NEL are neither obeyed nor treated as a line break.
        #expect(TextSanitiser.lines("\u{9B}31m\u{85}x") == ["\u{FFFD}31m\u{FFFD}x"])
    }

    @Test(arguments: [
        0x200E, 0x200F, 0x061C,
        0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
        0x2066, 0x2067, 0x2068, 0x2069,
    ] as [UInt32])
    func bidiControlsBecomeReplacementCharacter(_ value: UInt32) {
        let control = String(Character(Unicode.Scalar(value)!))
        #expect(TextSanitiser.line("a" + control + "b") == "a\u{FFFD}b")
    }

    @Test func rightToLeftOverrideCannotReverseARecord() {
        // Would display as "no concerns raised" reversed after the override.
        let hostile = "Outcome: \u{202E}desiar snrecnoc on\u{202C}"
        #expect(TextSanitiser.line(hostile) == "Outcome: \u{FFFD}desiar snrecnoc on\u{FFFD}")
    }

    @Test func byteOrderMarkInTheMiddleIsReplaced() {
        #expect(TextSanitiser.line("ab\u{FEFF}cd") == "ab\u{FFFD}cd")
        #expect(TextSanitiser.lines("a\n\u{FEFF}b") == ["a", "\u{FFFD}b"])
    }

    @Test func leadingByteOrderMarkIsDropped() {
        #expect(TextSanitiser.line("\u{FEFF}hello") == "hello")
        #expect(TextSanitiser.line("\u{FEFF}\u{FEFF}x") == "\u{FFFD}x")
    }

    // MARK: Hostile corpus

    static let hostileCorpus: [String] = [
        "\u{1B}[31mred\u{1B}[0m",
        "\u{1B}]52;c;SGVsbG8=\u{07}",
        "\u{1B}]8;;https://example.invalid\u{1B}\\click\u{1B}]8;;\u{1B}\\",
        "\u{1B}P+q544e\u{1B}\\", // DCS request
        "\u{1B}[6n", // cursor position report request
        "\u{1B}[?1049h\u{1B}[2J", // switch screen and clear
        "\u{9B}2J\u{9D}0;title\u{9C}", // 8-bit CSI, OSC, ST
        "\u{90}q\u{9C}",
        "\u{202E}txet desrever\u{202C}",
        "\u{2066}isolate\u{2069}\u{2067}x\u{2068}y\u{2069}",
        "\u{200E}\u{200F}\u{061C}",
        "mid\u{FEFF}dle\u{FEFF}",
        "\u{00}\u{01}\u{7F}\u{08}\u{08}\u{08}overwrite",
        "line\rover\r\nwrite\u{2028}\u{2029}\u{0B}\u{0C}\u{85}",
        "\t\t\u{1B}\u{1B}\u{1B}",
        "e\u{1B}\u{0301}", // escape hidden inside a grapheme cluster
    ]

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F,
             0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069,
             0xFEFF, 0x2028, 0x2029:
            return true
        default:
            return false
        }
    }

    static func assertSafe(_ input: String, _ comment: Comment? = nil) {
        let line = TextSanitiser.line(input)
        #expect(!line.unicodeScalars.contains(where: isForbidden), comment)
        for part in TextSanitiser.lines(input) {
            #expect(!part.unicodeScalars.contains(where: isForbidden), comment)
        }
        // Sanitising twice changes nothing more.
        #expect(TextSanitiser.line(line) == line, comment)
    }

    // A loop rather than test arguments: the runner would print each argument raw to the
    // console, escape sequences and all.
    @Test func hostileCorpusLeavesNoForbiddenScalars() {
        for (index, input) in Self.hostileCorpus.enumerated() {
            Self.assertSafe(input, "corpus entry \(index)")
        }
    }

    @Test func everyScalarInTheForbiddenRangesIsNeutralised() {
        var all = String.UnicodeScalarView()
        for value in UInt32(0x00)...0xA0 { all.append(Unicode.Scalar(value)!) }
        for value: UInt32 in [0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                              0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x2028, 0x2029] {
            all.append(Unicode.Scalar(value)!)
        }
        Self.assertSafe(String(all))
    }

    @Test func pseudoRandomMixesStaySafe() {
        // Deterministic LCG so a failure reproduces; the pool mixes hostile and ordinary scalars.
        let pool: [UInt32] = Array(0x00...0x20) + Array(0x7E...0xA0)
            + [0x41, 0x7A, 0x301, 0x2028, 0x2029, 0x200D, 0xFE0F, 0x1F600, 0x674E, 0x175]
            + [0x200E, 0x200F, 0x061C, 0x202A, 0x202E, 0x2066, 0x2069, 0xFEFF]
        var state: UInt64 = 0x5EED
        for round in 0..<500 {
            var text = String.UnicodeScalarView()
            for _ in 0..<40 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text.append(Unicode.Scalar(pool[Int((state >> 33) % UInt64(pool.count))])!)
            }
            Self.assertSafe(String(text), "round \(round)")
        }
    }
}
