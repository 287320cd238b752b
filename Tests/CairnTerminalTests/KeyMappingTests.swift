import CCurses
import Testing
@testable import CairnApp
@testable import CairnTerminal

@Suite("Key mapping")
struct KeyMappingTests {
    static func fn(_ code: Int32) -> Key? { KeyMapping.key(code: code, isFunctionKey: true) }
    static func ch(_ code: Int32) -> Key? { KeyMapping.key(code: code, isFunctionKey: false) }
    static func ch(_ scalar: Unicode.Scalar) -> Key? { ch(Int32(scalar.value)) }

    @Test("function keys", arguments: [
        (KEY_UP, Key.up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
        (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_HOME, .home), (KEY_END, .end),
        (KEY_ENTER, .enter), (KEY_BTAB, .backTab), (KEY_BACKSPACE, .backspace), (KEY_DC, .delete),
        (KEY_A1, .home), (KEY_C1, .end), (KEY_FIND, .home), (KEY_SELECT, .end),
    ])
    func functionKeys(code: Int32, key: Key) {
        #expect(Self.fn(code) == key)
    }

    @Test("the curses codes are the ones ncurses documents")
    func cursesCodes() {
        #expect(KEY_UP == 0o403 && KEY_PPAGE == 0o523 && KEY_BTAB == 0o541 && KEY_DC == 0o512)
        #expect(cairn_key_btab() == KEY_BTAB)
        #expect(cairn_key_code_yes() == 0o400)
    }

    @Test("function keys the app has no use for, and resize, give nothing")
    func ignoredFunctionKeys() {
        #expect(Self.fn(cairn_key_resize()) == nil)
        #expect(Self.fn(KEY_IC) == nil)
        #expect(Self.fn(0o410 + 1) == nil)  // F1
    }

    @Test("Enter, Esc, Tab and Backspace as characters", arguments: [
        (Int32(10), Key.enter), (13, .enter), (27, .escape), (9, .tab), (127, .backspace), (8, .backspace),
    ])
    func controlKeys(code: Int32, key: Key) {
        #expect(Self.ch(code) == key)
    }

    @Test("the same numbers as function-key codes are not characters")
    func functionFlagMatters() {
        // KEY_UP (259) as a character is U+0103 "ă".
        #expect(Self.ch(KEY_UP) == .char("ă"))
        #expect(Self.fn(10) == nil)
    }

    @Test("control characters 1-26 are Ctrl plus a lower-case letter")
    func controlLetters() {
        #expect(Self.ch(1) == .ctrl("a"))
        #expect(Self.ch(3) == .ctrl("c"))
        #expect(Self.ch(17) == .ctrl("q"))
        #expect(Self.ch(26) == .ctrl("z"))
        for code: Int32 in 1...26 where ![8, 9, 10, 13].contains(code) {
            guard case .ctrl(let letter)? = Self.ch(code) else {
                Issue.record("code \(code) is not a Ctrl key")
                continue
            }
            #expect(letter.isLowercase && letter.isASCII)
        }
        #expect(Key.ctrl("c").label == "Ctrl-C")
    }

    @Test("other control codes give nothing", arguments: [Int32(0), 28, 29, 30, 31, 0x80, 0x9b, 0x9f, -1])
    func otherControls(code: Int32) {
        #expect(Self.ch(code) == nil)
    }

    @Test("printable characters, wide ones included")
    func printable() {
        #expect(Self.ch("a") == .char("a"))
        #expect(Self.ch(" ") == .char(" "))
        #expect(Self.ch("Q") == .char("Q"))
        #expect(Self.ch("?") == .char("?"))
        #expect(Self.ch("é") == .char("é"))
        #expect(Self.ch("£") == .char("£"))
        #expect(Self.ch("界") == .char("界"))
        #expect(Self.ch("🙂") == .char("🙂"))
    }

    @Test("bidirectional overrides, surrogates and out-of-range codes give nothing")
    func unprintable() {
        #expect(Self.ch(0x202E) == nil)
        #expect(Self.ch(0x2066) == nil)
        #expect(Self.ch(0xD800) == nil)
        #expect(Self.ch(0x110000) == nil)
        #expect(Self.ch(0x2028) == nil)
    }
}
