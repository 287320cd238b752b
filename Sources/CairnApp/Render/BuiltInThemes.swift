import Foundation

/// The themes compiled into the binary: the same as `Themes/default.toml` and
/// `Themes/monochrome.toml` without their comments (ThemeTests keeps them the same).
enum BuiltInThemes {
    static let sources: [String: String] = ["default": standard, "monochrome": monochrome]

    static let standard = """
        name = "default"
        description = "Terminal background, blue bars, red for urgent and overdue"

        [roles.normal]
        fg = "default"
        bg = "default"

        [roles.header]
        fg = "cyan"
        bold = true

        [roles.title]
        fg = "default"
        bold = true

        [roles.selected]
        fg = "cyan"
        bg = "black"
        reverse = true

        [roles.muted]
        fg = "default"
        dim = true

        [roles.urgent]
        fg = "red"
        bold = true

        [roles.overdue]
        fg = "red"
        bold = true
        underline = true

        [roles.restricted]
        fg = "magenta"
        bold = true
        underline = true

        [roles.statusLine]
        fg = "white"
        bg = "blue"

        [roles.tab]
        fg = "default"

        [roles.tabActive]
        fg = "blue"
        bg = "white"
        bold = true
        reverse = true

        [roles.key]
        fg = "yellow"
        bold = true

        [roles.label]
        fg = "cyan"

        [roles.childWords]
        fg = "green"

        [roles.warning]
        fg = "yellow"
        bg = "black"
        bold = true
        reverse = true

        [roles.border]
        fg = "blue"

        [roles.field]
        fg = "default"
        underline = true

        [roles.fieldActive]
        fg = "white"
        bg = "black"
        reverse = true
        underline = true

        [roles.match]
        fg = "yellow"
        bold = true
        underline = true
        """

    static let monochrome = """
        name = "monochrome"
        description = "No colour: bold, reverse, underline and dim carry the meaning"

        [roles.normal]

        [roles.header]
        bold = true

        [roles.title]
        bold = true

        [roles.selected]
        reverse = true

        [roles.muted]
        dim = true

        [roles.urgent]
        bold = true

        [roles.overdue]
        bold = true

        [roles.restricted]
        bold = true
        underline = true

        [roles.statusLine]
        reverse = true

        [roles.tab]

        [roles.tabActive]
        bold = true
        reverse = true

        [roles.key]
        underline = true

        [roles.label]
        bold = true

        [roles.childWords]
        underline = true

        [roles.warning]
        bold = true
        reverse = true

        [roles.border]
        dim = true

        [roles.field]
        underline = true

        [roles.fieldActive]
        reverse = true
        underline = true

        [roles.match]
        bold = true
        underline = true
        """
}
