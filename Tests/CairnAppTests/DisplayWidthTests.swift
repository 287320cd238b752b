import Testing
@testable import CairnApp

@Suite struct DisplayWidthTests {
    // MARK: Measuring

    @Test func ascii() {
        #expect(DisplayWidth.of("") == 0)
        #expect(DisplayWidth.of(" ") == 1)
        #expect(DisplayWidth.of("hello, world") == 12)
        #expect(DisplayWidth.of(Character("A")) == 1)
    }

    @Test func precomposedAndDecomposedAccentsMeasureTheSame() {
        let precomposed = "Zo\u{00EB}"
        let decomposed = "Zoe\u{0308}"
        #expect(precomposed.unicodeScalars.count == 3)
        #expect(decomposed.unicodeScalars.count == 4)
        #expect(DisplayWidth.of(precomposed) == 3)
        #expect(DisplayWidth.of(decomposed) == 3)
        #expect(DisplayWidth.of("café") == 4)
        #expect(DisplayWidth.of("Dŵr") == 3)
        #expect(DisplayWidth.of("Dw\u{0302}r") == 3)
    }

    @Test func eastAsianWide() {
        #expect(DisplayWidth.of("李小龍") == 6)
        #expect(DisplayWidth.of(Character("李")) == 2)
        #expect(DisplayWidth.of("한국어") == 6) // Hangul syllables
        #expect(DisplayWidth.of("\u{1100}\u{1161}") == 2) // conjoining jamo form one cluster
        #expect(DisplayWidth.of("ひらがな") == 8)
        #expect(DisplayWidth.of("カタカナ") == 8)
        #expect(DisplayWidth.of("ＡＢ") == 4) // fullwidth Latin
        #expect(DisplayWidth.of("\u{3000}") == 2) // ideographic space
        #expect(DisplayWidth.of("\u{20000}") == 2) // CJK extension B
        #expect(DisplayWidth.of("ｱ") == 1) // halfwidth katakana stays narrow
        #expect(DisplayWidth.of("a李b") == 4)
    }

    @Test func emoji() {
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.of("🚀") == 2) // Emoji_Presentation outside the listed blocks
        #expect(DisplayWidth.of("👍🏽") == 2) // skin tone modifier
        #expect(DisplayWidth.of("👩‍👩‍👧") == 2) // ZWJ family is one cluster
        #expect(DisplayWidth.of("🇬🇧") == 2) // regional indicator pair
        #expect(DisplayWidth.of("🏴\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}") == 2) // Wales
        #expect(DisplayWidth.of("\u{2764}\u{FE0F}") == 2) // heart with emoji presentation selector
        #expect(DisplayWidth.of("\u{2764}") == 1) // text presentation by default
        #expect(DisplayWidth.of("#\u{FE0F}\u{20E3}") == 2) // keycap
        #expect(DisplayWidth.of("A\u{FE0F}") == 1) // a selector does not make a letter an emoji
        #expect(DisplayWidth.of("ok 👍") == 5)
    }

    @Test func zeroWidth() {
        #expect(DisplayWidth.of("\u{200B}") == 0) // zero width space
        #expect(DisplayWidth.of("\u{200D}") == 0)
        #expect(DisplayWidth.of("\u{0301}") == 0) // lone combining mark
        #expect(DisplayWidth.of("\u{20DD}") == 0) // enclosing mark
        #expect(DisplayWidth.of("\u{FE0F}") == 0)
        #expect(DisplayWidth.of("\u{FE00}") == 0)
        #expect(DisplayWidth.of("\u{00AD}") == 0) // soft hyphen is a format character
        #expect(DisplayWidth.of("a\u{200B}b") == 2)
    }

    @Test func clusterIsMeasuredByItsFirstVisibleScalar() {
        // U+0600 (Arabic number sign, a format character) prepends to the digit that follows.
        let cluster = "\u{0600}1"
        #expect(cluster.count == 1)
        #expect(DisplayWidth.of(cluster) == 1)
        #expect(DisplayWidth.of("a\u{0301}\u{0327}") == 1)
        #expect(DisplayWidth.of("李\u{0301}") == 2)
    }

    @Test func textWidthIsTheSumOfCharacterWidths() {
        for text in ["Zoë 李小龍 👩‍👩‍👧", "e\u{0301}\u{200B}x", "🇬🇧🇬🇧abc"] {
            #expect(DisplayWidth.of(text) == text.reduce(0) { $0 + DisplayWidth.of($1) })
        }
    }

    // MARK: Truncating

    @Test func truncateLeavesShortTextAlone() {
        #expect(DisplayWidth.truncate("hello", to: 10) == "hello")
        #expect(DisplayWidth.truncate("hello", to: 5) == "hello") // exact fit: no ellipsis
        #expect(DisplayWidth.truncate("李小龍", to: 6) == "李小龍")
        #expect(DisplayWidth.truncate("", to: 3) == "")
    }

    @Test func truncateWithEllipsis() {
        #expect(DisplayWidth.truncate("hello world", to: 8) == "hello w…")
        #expect(DisplayWidth.truncate("hello", to: 4) == "hel…")
        #expect(DisplayWidth.truncate("hello", to: 1) == "…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("hello world", to: 8)) == 8)
    }

    @Test func truncateWithoutEllipsis() {
        #expect(DisplayWidth.truncate("hello world", to: 8, ellipsis: false) == "hello wo")
        #expect(DisplayWidth.truncate("hello", to: 1, ellipsis: false) == "h")
    }

    @Test func truncateNeverSplitsAWideCharacter() {
        // With an ellipsis, 4 columns leave 3 for text: 李 (2) fits, 小 (2 more) does not.
        #expect(DisplayWidth.truncate("李小龍", to: 4) == "李…")
        #expect(DisplayWidth.truncate("李小龍", to: 5) == "李小…")
        #expect(DisplayWidth.truncate("李小龍", to: 2) == "…")
        #expect(DisplayWidth.truncate("李小龍", to: 4, ellipsis: false) == "李小")
        #expect(DisplayWidth.truncate("李小龍", to: 5, ellipsis: false) == "李小")
        #expect(DisplayWidth.truncate("李小龍", to: 3, ellipsis: false) == "李")
        #expect(DisplayWidth.truncate("李小龍", to: 1, ellipsis: false) == "")
        #expect(DisplayWidth.truncate("a😀b", to: 2, ellipsis: false) == "a")
    }

    @Test func truncateKeepsCombiningMarksWithTheirBase() {
        #expect(DisplayWidth.truncate("Zoe\u{0308}y", to: 3, ellipsis: false) == "Zoe\u{0308}")
        #expect(DisplayWidth.truncate("Zoe\u{0308}yz", to: 4) == "Zoe\u{0308}…")
        #expect(DisplayWidth.truncate("Zoe\u{0308}y", to: 3) == "Zo…")
    }

    @Test func truncateToNothing() {
        #expect(DisplayWidth.truncate("hello", to: 0) == "")
        #expect(DisplayWidth.truncate("hello", to: -3) == "")
        #expect(DisplayWidth.truncate("hello", to: 0, ellipsis: false) == "")
    }

    @Test func truncateNeverExceedsWidth() {
        let samples = ["", "a", "hello world", "李小龍", "a李b小c", "👩‍👩‍👧🇬🇧x", "Zoe\u{0308} Dŵr", "\u{200B}\u{0301}ab"]
        for text in samples {
            for width in 0...14 {
                for ellipsis in [true, false] {
                    let cut = DisplayWidth.truncate(text, to: width, ellipsis: ellipsis)
                    #expect(DisplayWidth.of(cut) <= width, "\(text) to \(width)")
                    if DisplayWidth.of(text) <= width {
                        #expect(cut == text)
                    } else if width == 0 {
                        #expect(cut.isEmpty)
                    } else if !ellipsis {
                        #expect(text.hasPrefix(cut))
                    } else {
                        #expect(cut.hasSuffix("…"))
                        #expect(text.hasPrefix(String(cut.dropLast())))
                    }
                }
            }
        }
    }

    // MARK: Padding

    @Test func pad() {
        #expect(DisplayWidth.pad("ab", to: 5) == "ab   ")
        #expect(DisplayWidth.pad("李", to: 3) == "李 ")
        #expect(DisplayWidth.pad("李小龍", to: 6) == "李小龍")
        #expect(DisplayWidth.pad("李小龍", to: 5) == "李小…")
        #expect(DisplayWidth.pad("李小龍", to: 4) == "李… ") // the wide char that did not fit leaves a gap
        #expect(DisplayWidth.pad("Zoe\u{0308}", to: 4) == "Zoe\u{0308} ")
        #expect(DisplayWidth.pad("hello", to: 0) == "")
        #expect(DisplayWidth.pad("", to: 2) == "  ")
    }

    @Test func padAlwaysGivesExactWidth() {
        for text in ["", "x", "hello world", "李小龍", "a李b", "😀😀😀", "Zoe\u{0308}"] {
            for width in 0...12 {
                #expect(DisplayWidth.of(DisplayWidth.pad(text, to: width)) == width, "\(text) to \(width)")
            }
        }
    }

    // MARK: In a Frame

    @Test func frameUsesDisplayWidthForWideAndCombiningCharacters() {
        var frame = Frame(size: Size(width: 8, height: 2))
        #expect(frame.put("李小龍", x: 0, y: 0) == 6)
        #expect(frame[1, 0].isContinuation)
        #expect(frame.line(0) == "李小龍")
        #expect(frame.put("Zoe\u{0308}李", x: 0, y: 1, width: 4) == 3)
        #expect(frame.line(1) == "Zoe\u{0308}")
    }
}
