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

    @Test("colours a terminal lacks fall back to its default")
    func colourFallback() {
        #expect(Palette.colourNumber(.indexed(236), count: 8, terminalDefaults: true, isForeground: false) == -1)
        #expect(Palette.colourNumber(.indexed(236), count: 8, terminalDefaults: false, isForeground: false) == 0)
        #expect(Palette.colourNumber(.terminalDefault, count: 8, terminalDefaults: false, isForeground: true) == 7)
        #expect(Palette.colourNumber(.indexed(3), count: 8, terminalDefaults: false, isForeground: true) == 3)
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
