import Foundation
import TOMLKit

/// A terminal colour: the terminal's own default, or a palette index
/// (0-7 are black, red, green, yellow, blue, magenta, cyan, white; up to 255 on 256-colour terminals).
public enum ThemeColour: Equatable, Sendable {
    case terminalDefault
    case indexed(Int)

    /// The eight basic curses colour names, in palette order.
    public static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Reads "default", one of the basic names (any case), or nil.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "default" {
            self = .terminalDefault
        } else if let index = Self.basicNames.firstIndex(of: lowered) {
            self = .indexed(index)
        } else {
            return nil
        }
    }
}

/// How one `StyleRole` is drawn.
public struct RoleStyle: Equatable, Sendable {
    public var foreground: ThemeColour
    public var background: ThemeColour
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(
        foreground: ThemeColour = .terminalDefault, background: ThemeColour = .terminalDefault,
        bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    public static let plain = RoleStyle()
}

/// A bad theme file: names the file, line and key at fault, e.g.
/// `Themes/light.toml, line 12: roles.urgent.fg: unknown colour "redd" (…)`.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
    /// The dotted key at fault (empty when the whole file is at fault).
    public var key: String
    public var message: String
    /// The file the theme came from, when known.
    public var file: String?
    /// The line (from 1) at fault, when known.
    public var line: Int?

    public init(key: String, message: String, file: String? = nil, line: Int? = nil) {
        self.key = key
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        var location = file ?? ""
        if let line { location += location.isEmpty ? "line \(line)" : ", line \(line)" }
        return [location, key, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}

/// Maps every `StyleRole` to colours and attributes.
public struct Theme: Sendable, Equatable {
    public var name: String
    private var styles: [StyleRole: RoleStyle]

    /// Roles not given fall back to the `normal` style (or plain, if `normal` is not given either).
    public init(name: String, styles: [StyleRole: RoleStyle]) {
        self.name = name
        self.styles = styles
    }

    public func style(for role: StyleRole) -> RoleStyle {
        styles[role] ?? styles[.normal] ?? .plain
    }

    /// Whether the theme itself gives this role (rather than falling back to `normal`).
    public func defines(_ role: StyleRole) -> Bool {
        styles[role] != nil
    }

    /// Attributes only, for `NO_COLOR` and terminals without colour. Every role that means
    /// something is told apart by an attribute, never by colour. The same as `Themes/monochrome.toml`.
    public static let monochrome = builtIn(named: "monochrome")!

    /// The default theme as built in, for when no `Themes/default.toml` is found or it is unusable.
    /// The same as `Themes/default.toml`.
    public static let standard = builtIn(named: "default")!

    /// A theme compiled into the binary, so that Cairn draws even when no `Themes` folder is found.
    public static func builtIn(named name: String) -> Theme? {
        guard let source = BuiltInThemes.sources[name] else { return nil }
        do {
            return try parse(toml: source, name: name)
        } catch {
            // ThemeTests parse every built-in theme, so this cannot happen in a tested build.
            preconditionFailure("built-in theme \(name) is broken: \(error)")
        }
    }

    /// The names of the built-in themes.
    public static var builtInNames: [String] { BuiltInThemes.sources.keys.sorted() }

    /// Parses a theme file:
    ///
    /// ```toml
    /// name = "Default"            # optional
    /// [roles.urgent]
    /// fg = "red"                  # "default", a basic colour name, or 0-255
    /// bg = "default"
    /// bold = true                 # also reverse, underline, dim; all default to false
    /// ```
    ///
    /// A role's missing `fg`/`bg` take `normal`'s colours; roles missing entirely fall back to `normal`.
    public static func parse(toml: String, name: String) throws -> Theme {
        do {
            return try parseTables(toml: toml, name: name)
        } catch var error as ThemeError {
            if error.line == nil, !error.key.isEmpty {
                error.line = TOMLLines.line(of: error.key, in: toml)
            }
            throw error
        }
    }

    private static func parseTables(toml: String, name: String) throws -> Theme {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw ThemeError(
                key: TOMLLines.key(atLine: at.line, in: toml) ?? "",
                message: "not valid TOML (column \(at.column)): \(error.description)",
                line: at.line)
        }
        var themeName = name
        var rolesTable: TOMLTable?
        for key in root.keys.sorted() {
            guard let value = root[key] else { continue }
            switch key {
            case "name":
                guard let text = value.string else { throw typeError(key, "a string", value) }
                themeName = text
            case "description":
                guard value.string != nil else { throw typeError(key, "a string", value) }
            case "roles":
                guard let table = value.table else { throw typeError(key, "a table", value) }
                rolesTable = table
            default:
                throw ThemeError(key: key, message: "unknown key (expected name, description or roles)")
            }
        }
        guard let rolesTable else { return Theme(name: themeName, styles: [:]) }

        var raw: [StyleRole: RawRole] = [:]
        for roleName in rolesTable.keys.sorted() {
            let key = "roles.\(roleName)"
            guard let role = StyleRole(rawValue: roleName) else {
                throw ThemeError(key: key, message: "unknown role (known roles: \(StyleRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let table = rolesTable[roleName]?.table else {
                throw typeError(key, "a table", rolesTable[roleName])
            }
            raw[role] = try RawRole(table: table, key: key)
        }
        let normal = raw[.normal]?.resolved(base: .plain) ?? .plain
        var styles: [StyleRole: RoleStyle] = [:]
        for (role, value) in raw {
            styles[role] = value.resolved(base: normal)
        }
        return Theme(name: themeName, styles: styles)
    }

    fileprivate static func typeError(_ key: String, _ expected: String, _ value: TOMLValueConvertible?) -> ThemeError {
        let found = value.map { "\($0.type)" } ?? "nothing"
        return ThemeError(key: key, message: "expected \(expected), found \(found)")
    }
}

/// One `[roles.x]` table before `normal`'s colours fill its gaps.
private struct RawRole {
    var foreground: ThemeColour?
    var background: ThemeColour?
    var bold = false, reverse = false, underline = false, dim = false

    init(table: TOMLTable, key: String) throws {
        for field in table.keys.sorted() {
            let fieldKey = "\(key).\(field)"
            guard let value = table[field] else { continue }
            switch field {
            case "fg": foreground = try Self.colour(value, key: fieldKey)
            case "bg": background = try Self.colour(value, key: fieldKey)
            case "bold": bold = try Self.flag(value, key: fieldKey)
            case "reverse": reverse = try Self.flag(value, key: fieldKey)
            case "underline": underline = try Self.flag(value, key: fieldKey)
            case "dim": dim = try Self.flag(value, key: fieldKey)
            default:
                throw ThemeError(key: fieldKey, message: "unknown key (expected fg, bg, bold, reverse, underline or dim)")
            }
        }
    }

    func resolved(base: RoleStyle) -> RoleStyle {
        RoleStyle(
            foreground: foreground ?? base.foreground, background: background ?? base.background,
            bold: bold, reverse: reverse, underline: underline, dim: dim
        )
    }

    static func colour(_ value: TOMLValueConvertible, key: String) throws -> ThemeColour {
        if let text = value.string {
            guard let colour = ThemeColour(name: text) else {
                throw ThemeError(key: key, message: "unknown colour \"\(text)\" (use default, \(ThemeColour.basicNames.joined(separator: ", ")) or 0-255)")
            }
            return colour
        }
        if let number = value.int {
            guard (0...255).contains(number) else {
                throw ThemeError(key: key, message: "colour number \(number) is out of range 0-255")
            }
            return .indexed(number)
        }
        throw Theme.typeError(key, "a colour name or a number 0-255", value)
    }

    static func flag(_ value: TOMLValueConvertible, key: String) throws -> Bool {
        guard let flag = value.bool else { throw Theme.typeError(key, "true or false", value) }
        return flag
    }
}
