import Foundation
import TOMLKit

/// Finds and parses theme files.
public enum ThemeLoader {
    /// The theme to draw with, and a short warning for standard error when the one asked for
    /// could not be used. Never fails: whatever goes wrong, the dashboard still opens.
    ///
    /// - `NO_COLOR` set (to any value) gives `Theme.monochrome`, whatever else is asked for.
    /// - Otherwise the theme is `option` (from `--theme`), else `$CAIRN_THEME`, else `default`.
    /// - A theme that is not found or does not parse gives the default theme (the file, else the
    ///   built-in one) and a warning naming the file, line and key, or listing the themes there are.
    public static func resolve(
        option: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL
    ) -> (theme: Theme, warning: String?) {
        resolve(option: option, environment: environment,
                directories: searchDirectories(environment: environment, executable: executable))
    }

    static func resolve(option: String?, environment: [String: String], directories: [URL]) -> (theme: Theme, warning: String?) {
        if wantsMonochrome(environment: environment) { return (.monochrome, nil) }
        let name: String
        let source: String?
        if let option, !option.isEmpty {
            (name, source) = (option, "--theme")
        } else if let chosen = environment["CAIRN_THEME"], !chosen.isEmpty {
            (name, source) = (chosen, "$CAIRN_THEME")
        } else {
            (name, source) = ("default", nil)
        }
        do {
            return (try load(named: name, directories: directories), nil)
        } catch {
            var fallback = Theme.standard
            var which = "built-in default"
            if name != "default", let file = try? locate(named: "default", directories: directories),
               let theme = try? load(file: file) {
                fallback = theme
                which = "default"
            }
            let from = source.map { " (from \($0))" } ?? ""
            return (fallback, "Theme \"\(name)\"\(from): \(error). Using the \(which) theme.")
        }
    }

    /// Whether `NO_COLOR` asks for no colour: set, to any value (https://no-color.org).
    public static func wantsMonochrome(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["NO_COLOR"] != nil
    }

    /// Finds a theme file by name: the `$CAIRN_THEMES` directory, then the `Themes` folder found by
    /// walking up from the executable's directory (so `.build/debug/cairn` finds the repository's
    /// `Themes/`), then `/usr/share/cairn/themes`, then the themes built into the binary. A name
    /// containing "/" or ending in ".toml" is a path.
    public static func load(named name: String) throws -> Theme {
        try load(named: name, directories: searchDirectories(
            environment: ProcessInfo.processInfo.environment, executable: Bundle.main.executableURL))
    }

    static func load(named name: String, directories: [URL]) throws -> Theme {
        let url: URL
        do {
            url = try locate(named: name, directories: directories)
        } catch {
            if let builtIn = Theme.builtIn(named: name) { return builtIn }
            throw error
        }
        return try load(file: url)
    }

    /// Parses one theme file; its name is the file name without `.toml` unless the file gives one.
    public static func load(file url: URL) throws -> Theme {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ThemeError(key: "", message: "cannot read the theme file", file: url.path)
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

    static func isPath(_ name: String) -> Bool {
        name.contains("/") || name.hasSuffix(".toml")
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// The theme file for a name, from the first directory that has one.
    static func locate(named name: String, directories: [URL]) throws -> URL {
        if isPath(name) {
            return URL(fileURLWithPath: name)
        }
        guard isValidName(name) else {
            throw ThemeError(key: "", message: "a theme name may only use letters, digits, - and _")
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("\(name).toml")
            if FileManager.default.isReadableFile(atPath: candidate.path) { return candidate }
        }
        let available = availableNames(directories: directories).joined(separator: ", ")
        let places = directories.map(\.path).joined(separator: ", ")
        throw ThemeError(key: "", message: "no such theme; the themes are \(available) (looked in \(places))")
    }

    /// Every theme that can be chosen by name: the files in the directories and the built-in ones.
    static func availableNames(directories: [URL]) -> [String] {
        var names = Set(Theme.builtInNames)
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files where file.hasSuffix(".toml") {
                let name = String(file.dropLast(".toml".count))
                if isValidName(name) { names.insert(name) }
            }
        }
        return names.sorted()
    }
}

/// Finds where a key sits in a TOML text, to name the line of a bad value (TOMLKit's tables do not
/// keep source positions). Understands table headers, dotted keys, quoted keys and comments: enough
/// for theme files, not a TOML parser.
enum TOMLLines {
    /// The first line (from 1) that defines `key` ("roles.urgent.fg"), or, failing that, the line
    /// of its nearest enclosing table or inline table.
    static func line(of key: String, in text: String) -> Int? {
        let target = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty else { return nil }
        var best: (line: Int, length: Int)?
        for (index, path) in keyPaths(in: text).enumerated() {
            guard let path, !path.isEmpty, path.count <= target.count,
                  Array(target.prefix(path.count)) == path else { continue }
            if path.count == target.count { return index + 1 }
            if best == nil || path.count > best!.length { best = (index + 1, path.count) }
        }
        return best?.line
    }

    /// The dotted key a line defines (or the table its header opens), if any.
    static func key(atLine line: Int, in text: String) -> String? {
        let paths = keyPaths(in: text)
        guard line >= 1, line <= paths.count, let path = paths[line - 1], !path.isEmpty else { return nil }
        return path.joined(separator: ".")
    }

    /// For each line: the full key path it defines, the path of the table its header opens, or nil.
    static func keyPaths(in text: String) -> [[String]?] {
        var table: [String] = []
        var result: [[String]?] = []
        for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = withoutComment(String(String.UnicodeScalarView(rawLine)))
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("[") {
                let double = line.hasPrefix("[[")
                let body = line.dropFirst(double ? 2 : 1)
                guard let close = body.firstIndex(of: "]") else {
                    result.append(nil)
                    continue
                }
                table = dottedKey(String(body[..<close]))
                result.append(table)
            } else if let equals = indexOutsideQuotes(of: "=", in: line) {
                result.append(table + dottedKey(String(line[..<equals])))
            } else {
                result.append(nil)
            }
        }
        return result
    }

    /// The line up to a `#` that is not inside a string.
    private static func withoutComment(_ line: String) -> String {
        guard let hash = indexOutsideQuotes(of: "#", in: line) else { return line }
        return String(line[..<hash])
    }

    private static func indexOutsideQuotes(of wanted: Character, in line: String) -> String.Index? {
        var quote: Character?
        var escaped = false
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == wanted {
                return index
            }
        }
        return nil
    }

    /// `roles . "urgent"` as ["roles", "urgent"].
    private static func dottedKey(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                current.append(character)
            } else if character == "\"" || character == "'" {
                quote = character
                current.append(character)
            } else if character == "." {
                parts.append(unquoted(current))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(unquoted(current))
        return parts
    }

    private static func unquoted(_ piece: String) -> String {
        let trimmed = piece.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first {
            return String(trimmed.dropFirst().dropLast())
        }
        return trimmed
    }
}
