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
            pairs.append(PairDefinition(
                pair: pair,
                foreground: Self.colourNumber(style.foreground, count: count, terminalDefaults: terminalDefaults, isForeground: true),
                background: Self.colourNumber(style.background, count: count, terminalDefaults: terminalDefaults, isForeground: false)
            ))
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
    /// `use_default_colors`, else white on black); a number the terminal lacks falls back to default.
    static func colourNumber(_ colour: ThemeColour, count: Int, terminalDefaults: Bool, isForeground: Bool) -> Int16 {
        if case let .indexed(number) = colour, number >= 0, number < count, number <= Int(Int16.max) {
            return Int16(number)
        }
        if terminalDefaults { return -1 }
        return isForeground ? 7 : 0
    }
}
