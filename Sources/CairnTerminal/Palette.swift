import CairnApp
import CCurses

/// What the terminal can show, as far as colour goes.
public enum ColourSupport: Equatable, Sendable {
    /// `NO_COLOR` is set or the terminal has no colour: attributes only.
    case none
    /// `count` colours and `pairs` colour pairs; `terminalDefaults` when `use_default_colors` worked.
    case colours(count: Int, pairs: Int, terminalDefaults: Bool)
}

/// How one role is drawn in curses terms.
struct CursesStyle: Equatable {
    var attributes: attr_t
    /// The colour pair (0 is the terminal's default pair).
    var pair: Int16
}

/// A colour pair to set up with `init_pair`.
struct PairDefinition: Equatable {
    var pair: Int16
    var foreground: Int16
    var background: Int16
}

/// Maps every role to attributes and a colour pair. Pure: building it calls no curses function
/// beyond the attribute constants, so it is tested without a terminal.
struct Palette {
    private(set) var styles: [StyleRole: CursesStyle] = [:]
    /// The pairs `init_pair` must define before drawing (none in monochrome).
    private(set) var pairs: [PairDefinition] = []

    init(theme: Theme, support: ColourSupport) {
        guard case let .colours(count, pairLimit, terminalDefaults) = support else {
            for role in StyleRole.allCases {
                styles[role] = CursesStyle(attributes: Self.attributes(Theme.monochrome.style(for: role)), pair: 0)
            }
            return
        }
        for (index, role) in StyleRole.allCases.enumerated() {
            let style = theme.style(for: role)
            let pair = Int16(index + 1)
            guard Int(pair) < pairLimit else {
                // Too few pairs: attributes still carry the meaning.
                styles[role] = CursesStyle(attributes: Self.attributes(style), pair: 0)
                continue
            }
            var foreground = Self.colourNumber(style.foreground, count: count, terminalDefaults: terminalDefaults, isForeground: true)
            let background = Self.colourNumber(style.background, count: count, terminalDefaults: terminalDefaults, isForeground: false)
            if foreground == background, foreground >= 0, style.foreground != style.background {
                // Two different theme colours became the same basic colour: keep the text readable.
                foreground = [0, 1, 4, 5].contains(background) ? 7 : 0
            }
            pairs.append(PairDefinition(pair: pair, foreground: foreground, background: background))
            styles[role] = CursesStyle(attributes: Self.attributes(style), pair: pair)
        }
    }

    subscript(role: StyleRole) -> CursesStyle {
        styles[role] ?? CursesStyle(attributes: cairn_a_normal(), pair: 0)
    }

    /// The curses attribute bits for a role's bold/reverse/underline/dim.
    static func attributes(_ style: RoleStyle) -> attr_t {
        var bits = cairn_a_normal()
        if style.bold { bits |= cairn_a_bold() }
        if style.reverse { bits |= cairn_a_reverse() }
        if style.underline { bits |= cairn_a_underline() }
        if style.dim { bits |= cairn_a_dim() }
        return bits
    }

    /// The colour number for `init_pair`: -1 is the terminal's default (only with
    /// `use_default_colors`, else white on black). A number the terminal lacks becomes the nearest
    /// of the eight basic colours (a 256-colour theme on an 8-colour terminal), or, on a terminal
    /// with fewer than eight, the default.
    static func colourNumber(_ colour: ThemeColour, count: Int, terminalDefaults: Bool, isForeground: Bool) -> Int16 {
        if case let .indexed(number) = colour, (0...255).contains(number) {
            if number < count { return Int16(number) }
            if count >= 8 { return Int16(basicColour(number)) }
        }
        if terminalDefaults { return -1 }
        return isForeground ? 7 : 0
    }

    /// The nearest of the eight basic colours (0 black, 1 red, 2 green, 3 yellow, 4 blue,
    /// 5 magenta, 6 cyan, 7 white) to an xterm 256-colour number: 8-15 are the bright basics,
    /// 16-231 a 6x6x6 colour cube, 232-255 greys. Greys go to black or white by lightness; other
    /// colours keep the components stronger than the midpoint of their own range, so that a dark
    /// red stays red rather than turning black.
    static func basicColour(_ number: Int) -> Int {
        let red, green, blue: Int
        switch number {
        case ..<8:
            return max(number, 0)
        case 8..<16:
            return number - 8
        case 16..<232:
            let levels = [0, 95, 135, 175, 215, 255]
            let cube = number - 16
            (red, green, blue) = (levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6])
        case 232..<256:
            let grey = 8 + 10 * (number - 232)
            (red, green, blue) = (grey, grey, grey)
        default:
            return 7
        }
        let highest = max(red, green, blue), lowest = min(red, green, blue)
        if highest - lowest < 64 {
            return (red + green + blue) / 3 >= 128 ? 7 : 0
        }
        let middle = (highest + lowest) / 2
        return (red > middle ? 1 : 0) | (green > middle ? 2 : 0) | (blue > middle ? 4 : 0)
    }
}
