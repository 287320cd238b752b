import CCurses
import Testing
@testable import CairnApp
@testable import CairnTerminal

@Suite("Palette and cell text")
struct PaletteTests {
    static let colourTheme = try! Theme.parse(toml: """
        [roles.normal]
        fg = "white"
        [roles.urgent]
        fg = "red"
        bg = 236
        bold = true
        [roles.selected]
        fg = "black"
        bg = "cyan"
        """, name: "test")
    static let colour256 = ColourSupport.colours(count: 256, pairs: 256, terminalDefaults: true)

    @Test("attributes follow the role's flags")
    func attributes() {
        #expect(Palette.attributes(.plain) == cairn_a_normal())
        #expect(Palette.attributes(RoleStyle(bold: true, reverse: true)) == cairn_a_bold() | cairn_a_reverse())
        #expect(Palette.attributes(RoleStyle(underline: true, dim: true)) == cairn_a_underline() | cairn_a_dim())
    }

    @Test("monochrome uses attributes only, whatever the theme")
    func monochrome() {
        let palette = Palette(theme: Self.colourTheme, support: .none)
        #expect(palette.pairs.isEmpty)
        for role in StyleRole.allCases { #expect(palette[role].pair == 0) }
        #expect(palette[.normal].attributes == cairn_a_normal())
        #expect(palette[.selected].attributes == cairn_a_reverse())
        #expect(palette[.urgent].attributes == cairn_a_bold())
        #expect(palette[.tabActive].attributes == cairn_a_bold() | cairn_a_reverse())
    }

    @Test("colour gives each role its own pair from the theme")
    func colourPairs() {
        let palette = Palette(theme: Self.colourTheme, support: Self.colour256)
        #expect(palette.pairs.count == StyleRole.allCases.count)
        let urgent = palette[.urgent]
        #expect(urgent.attributes == cairn_a_bold())
        let definition = palette.pairs.first { $0.pair == urgent.pair }
        #expect(definition == PairDefinition(pair: urgent.pair, foreground: 1, background: 236))
        let normal = palette.pairs.first { $0.pair == palette[.normal].pair }
        #expect(normal?.foreground == 7 && normal?.background == -1)
        #expect(Set(StyleRole.allCases.map { palette[$0].pair }).count == StyleRole.allCases.count)
        #expect(!StyleRole.allCases.contains { palette[$0].pair == 0 })
    }

    @Test("a colour number a terminal lacks becomes the nearest basic colour")
    func colourFallback() {
        #expect(Palette.colourNumber(.indexed(236), count: 8, terminalDefaults: true, isForeground: false) == 0)
        #expect(Palette.colourNumber(.indexed(160), count: 8, terminalDefaults: false, isForeground: true) == 1)
        #expect(Palette.colourNumber(.indexed(160), count: 256, terminalDefaults: true, isForeground: true) == 160)
        #expect(Palette.colourNumber(.indexed(12), count: 8, terminalDefaults: true, isForeground: true) == 4)
        #expect(Palette.colourNumber(.indexed(12), count: 16, terminalDefaults: true, isForeground: true) == 12)
        #expect(Palette.colourNumber(.terminalDefault, count: 8, terminalDefaults: false, isForeground: true) == 7)
        #expect(Palette.colourNumber(.terminalDefault, count: 8, terminalDefaults: true, isForeground: true) == -1)
        #expect(Palette.colourNumber(.indexed(3), count: 8, terminalDefaults: false, isForeground: true) == 3)
        // Fewer than eight colours: nothing to map to, so the terminal's default.
        #expect(Palette.colourNumber(.indexed(5), count: 4, terminalDefaults: true, isForeground: true) == -1)
        #expect(Palette.colourNumber(.indexed(5), count: 4, terminalDefaults: false, isForeground: false) == 0)
    }

    @Test("256-colour numbers map to a basic colour of the same hue", arguments: [
        (0, 0), (7, 7), (9, 1), (15, 7),
        (16, 0), (231, 7), (232, 0), (243, 0), (245, 7), (255, 7),
        (52, 1), (160, 1), (196, 1),      // dark red, red, bright red
        (22, 2), (46, 2),                 // greens
        (18, 4), (26, 4), (61, 4),        // navy, blue, slate blue
        (90, 5), (201, 5),                // purple, magenta
        (30, 6), (51, 6),                 // teal, cyan
        (220, 3), (229, 3), (208, 3),     // gold, pale yellow, orange
    ])
    func basicColours(number: Int, basic: Int) {
        #expect(Palette.basicColour(number) == basic)
    }

    @Test("two theme colours that become the same basic colour keep the text readable")
    func fallbackKeepsContrast() throws {
        let theme = try Theme.parse(toml: """
            [roles.normal]
            fg = 250
            bg = 255
            [roles.selected]
            fg = 21
            bg = 19
            [roles.urgent]
            fg = 4
            bg = 4
            """, name: "close")
        let palette = Palette(theme: theme, support: .colours(count: 8, pairs: 64, terminalDefaults: true))
        func pair(_ role: StyleRole) -> PairDefinition? { palette.pairs.first { $0.pair == palette[role].pair } }
        #expect(pair(.normal)?.foreground == 0 && pair(.normal)?.background == 7)
        #expect(pair(.selected)?.foreground == 7 && pair(.selected)?.background == 4)
        // The same colour twice was asked for; it is kept.
        #expect(pair(.urgent)?.foreground == 4 && pair(.urgent)?.background == 4)
    }

    @Test("too few pairs keeps the attributes")
    func fewPairs() {
        let palette = Palette(theme: Self.colourTheme, support: .colours(count: 8, pairs: 4, terminalDefaults: true))
        #expect(palette.pairs.count == 3)
        #expect(palette[.urgent].attributes == cairn_a_bold())
    }

    @Test("cell text is terminated, limited and cleaned")
    func cellText() {
        #expect(CellText.wideCharacters("a") == [97, 0])
        #expect(CellText.wideCharacters("") == [32, 0])
        #expect(CellText.wideCharacters("\u{1B}") == [32, 0])
        #expect(CellText.wideCharacters("\u{202E}x") == [120, 0])
        #expect(CellText.wideCharacters("界") == [0x754C, 0])
        #expect(CellText.wideCharacters("e\u{301}") == [101, 0x301, 0])
        let many = "e" + String(repeating: "\u{301}", count: 9)
        #expect(CellText.wideCharacters(many).count == CellText.maximumCharacters + 1)
    }
}
