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

/// A bad theme file: names the key at fault, e.g. `roles.urgent.fg: unknown colour "redd"`.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
    /// The dotted key at fault (empty when the whole file is at fault).
    public var key: String
    public var message: String
    /// The file the theme came from, when known.
    public var file: String?

    public init(key: String, message: String, file: String? = nil) {
        self.key = key
        self.message = message
        self.file = file
    }

    public var description: String {
        let location = [file, key.isEmpty ? nil : key].compactMap { $0 }.joined(separator: ": ")
        return location.isEmpty ? message : "\(location): \(message)"
    }
}

/// Maps every `StyleRole` to colours and attributes.
public struct Theme: Sendable {
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
    /// something is told apart by an attribute, never by colour.
    public static let monochrome: Theme = {
        func attrs(bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false) -> RoleStyle {
            RoleStyle(bold: bold, reverse: reverse, underline: underline, dim: dim)
        }
        let styles: [StyleRole: RoleStyle] = [
            .normal: attrs(),
            .header: attrs(bold: true),
            .title: attrs(bold: true),
            .selected: attrs(reverse: true),
            .muted: attrs(dim: true),
            .urgent: attrs(bold: true),
            .overdue: attrs(bold: true),
            .restricted: attrs(bold: true, underline: true),
            .statusLine: attrs(reverse: true),
            .tab: attrs(),
            .tabActive: attrs(bold: true, reverse: true),
            .key: attrs(underline: true),
            .label: attrs(bold: true),
            .childWords: attrs(underline: true),
            .warning: attrs(bold: true, reverse: true),
            .border: attrs(dim: true),
            .field: attrs(underline: true),
            .fieldActive: attrs(reverse: true, underline: true),
        ]
        return Theme(name: "monochrome", styles: styles)
    }()

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
        let root: TOMLTable
        do {
            root = try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw ThemeError(key: "", message: "not valid TOML at line \(at.line), column \(at.column): \(error.description)")
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

/// Finds and parses theme files.
public enum ThemeLoader {
    /// Finds a theme file by name: the `$CAIRN_THEMES` directory, then the `Themes` folder found by
    /// walking up from the executable's directory (so `.build/debug/cairn` finds the repository's
    /// `Themes/`), then `/usr/share/cairn/themes`. A name containing "/" or ending in ".toml" is a path.
    public static func load(named name: String) throws -> Theme {
        let url = try locate(
            named: name,
            directories: searchDirectories(
                environment: ProcessInfo.processInfo.environment,
                executable: Bundle.main.executableURL
            )
        )
        return try load(file: url)
    }

    /// Parses one theme file; its name is the file name without `.toml` unless the file gives one.
    public static func load(file url: URL) throws -> Theme {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ThemeError(key: "", message: "cannot read theme file", file: url.path)
        }
        do {
            return try Theme.parse(toml: text, name: url.deletingPathExtension().lastPathComponent)
        } catch var error as ThemeError {
            error.file = url.path
            throw error
        }
    }

    /// The directories searched, in order.
    static func searchDirectories(environment: [String: String], executable: URL?) -> [URL] {
        var directories: [URL] = []
        if let custom = environment["CAIRN_THEMES"], !custom.isEmpty {
            directories.append(URL(fileURLWithPath: custom, isDirectory: true))
        }
        if let executable {
            var directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            while true {
                let candidate = directory.appendingPathComponent("Themes", isDirectory: true)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                    directories.append(candidate)
                    break
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path || directory.path == "/" { break }
                directory = parent
            }
        }
        directories.append(URL(fileURLWithPath: "/usr/share/cairn/themes", isDirectory: true))
        return directories
    }

    static func locate(named name: String, directories: [URL]) throws -> URL {
        if name.contains("/") || name.hasSuffix(".toml") {
            return URL(fileURLWithPath: name)
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ThemeError(key: "", message: "theme name \"\(name)\" may only use letters, digits, - and _")
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("\(name).toml")
            if FileManager.default.isReadableFile(atPath: candidate.path) { return candidate }
        }
        let places = directories.map(\.path).joined(separator: ", ")
        throw ThemeError(key: "", message: "theme \"\(name)\" not found (looked in \(places))")
    }
}
