import Foundation
import Testing
@testable import CairnApp

@Suite("Themes")
struct ThemeTests {
    /// The repository's `Themes/` folder, found from this file's path.
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // CairnAppTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository
        .appendingPathComponent("Themes", isDirectory: true)

    static func repositoryTheme(_ name: String) throws -> Theme {
        try ThemeLoader.load(file: themesDirectory.appendingPathComponent("\(name).toml"))
    }

    static let shipped = ["default", "high-contrast", "light", "monochrome"]

    @Test("the Themes folder holds exactly the shipped themes")
    func shippedThemesListed() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory.path)
            .filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files == Self.shipped.map { "\($0).toml" })
        #expect(ThemeLoader.availableNames(directories: [Self.themesDirectory]) == Self.shipped)
    }

    @Test("each shipped theme parses, under its own name, and gives every role", arguments: shipped)
    func shippedThemesParse(name: String) throws {
        let theme = try Self.repositoryTheme(name)
        #expect(theme.name == name)
        let missing = StyleRole.allCases.filter { !theme.defines($0) }
        #expect(missing.isEmpty, "\(name).toml lacks \(missing.map(\.rawValue))")
    }

    /// The roles that mean something, and what monochrome shows them with.
    static let meaningfulRoles: [StyleRole] = [.selected, .urgent, .overdue, .restricted, .warning, .tabActive, .fieldActive]

    @Test("each shipped theme gives the roles that mean something monochrome's attributes too",
          arguments: shipped)
    func shippedThemesUseAttributes(name: String) throws {
        let theme = try Self.repositoryTheme(name)
        for role in Self.meaningfulRoles {
            let style = theme.style(for: role), needed = Theme.monochrome.style(for: role)
            #expect(!needed.bold || style.bold, "\(name): \(role) is not bold")
            #expect(!needed.reverse || style.reverse, "\(name): \(role) is not reverse")
            #expect(!needed.underline || style.underline, "\(name): \(role) is not underlined")
            #expect(!needed.dim || style.dim, "\(name): \(role) is not dim")
        }
        #expect(theme.style(for: .selected).reverse && !theme.style(for: .normal).reverse)
        #expect(theme.style(for: .urgent).bold && theme.style(for: .overdue).bold)
    }

    @Test("the built-in themes equal their files", arguments: ["default", "monochrome"])
    func builtInEqualsFile(name: String) throws {
        let builtIn = try #require(Theme.builtIn(named: name))
        let file = try Self.repositoryTheme(name)
        #expect(builtIn == file)
        #expect(Theme.builtInNames == ["default", "monochrome"])
        let monochrome = try Self.repositoryTheme("monochrome"), standard = try Self.repositoryTheme("default")
        #expect(Theme.monochrome == monochrome)
        #expect(Theme.standard == standard)
    }

    @Test("monochrome.toml has no colours")
    func monochromeFileHasNoColours() throws {
        let theme = try Self.repositoryTheme("monochrome")
        for role in StyleRole.allCases {
            #expect(theme.style(for: role).foreground == .terminalDefault)
            #expect(theme.style(for: role).background == .terminalDefault)
        }
    }

    @Test("light paints dark text on a light background of its own")
    func lightIsDarkOnLight() throws {
        let theme = try Self.repositoryTheme("light")
        // Not the terminal's default (which may be dark) nor white text.
        let normal = theme.style(for: .normal)
        #expect(normal.background != .terminalDefault)
        #expect(normal.foreground != .terminalDefault)
        for role in StyleRole.allCases {
            let style = theme.style(for: role)
            #expect(style.background != .terminalDefault, "light: \(role) shows the terminal's background")
            #expect(style.foreground != .terminalDefault, "light: \(role) uses the terminal's text colour")
            // Text is drawn in the foreground unless reversed; that colour must be dark.
            let text = style.reverse ? style.background : style.foreground
            let paper = style.reverse ? style.foreground : style.background
            if paper == normal.background {
                #expect(Self.isDark(text), "light: \(role) is light text on the white background")
            }
        }
    }

    /// Whether an indexed colour is dark (black, a basic dark colour, or a dark 256-colour shade).
    static func isDark(_ colour: ThemeColour) -> Bool {
        guard case let .indexed(number) = colour else { return false }
        switch number {
        case 0...6: return true  // black and the basic colours; not 7 (white)
        case 16...231:
            let levels = [0, 95, 135, 175, 215, 255], cube = number - 16
            let (r, g, b) = (levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6])
            return (299 * r + 587 * g + 114 * b) / 1000 < 128
        case 232...255: return 8 + 10 * (number - 232) < 128
        default: return false
        }
    }

    @Test("colours, numbers and attributes are read")
    func parsesColoursAndAttributes() throws {
        let theme = try Theme.parse(toml: """
            name = "Test"
            [roles.normal]
            fg = "White"
            bg = 236
            [roles.urgent]
            fg = "red"
            bold = true
            underline = true
            """, name: "file-name")
        #expect(theme.name == "Test")
        #expect(theme.style(for: .normal) == RoleStyle(foreground: .indexed(7), background: .indexed(236)))
        // urgent keeps normal's background, since it gives none.
        #expect(theme.style(for: .urgent) == RoleStyle(
            foreground: .indexed(1), background: .indexed(236), bold: true, underline: true))
        // A role the file leaves out looks like normal.
        #expect(theme.style(for: .selected) == theme.style(for: .normal))
        #expect(!theme.defines(.selected))
    }

    @Test("the file name is the theme's name unless it gives one")
    func nameFallsBackToFileName() throws {
        #expect(try Theme.parse(toml: "", name: "plain").name == "plain")
        #expect(try Theme.parse(toml: "", name: "plain").style(for: .urgent) == .plain)
    }

    @Test("a bad colour is named with its key")
    func badColourNamesKey() {
        let error = #expect(throws: ThemeError.self) {
            try Theme.parse(toml: "[roles.urgent]\nfg = \"redd\"\n", name: "bad")
        }
        #expect(error?.key == "roles.urgent.fg")
        #expect(error?.line == 2)
        #expect(error?.description.hasPrefix("line 2: roles.urgent.fg: unknown colour \"redd\"") == true)
    }

    @Test("bad files are refused with the line and key at fault", arguments: [
        ("[roles.urgnet]\nbold = true", "roles.urgnet", 1),
        ("[roles.urgent]\nbold = \"yes\"", "roles.urgent.bold", 2),
        ("[roles.urgent]\nbg = 256", "roles.urgent.bg", 2),
        ("[roles.urgent]\nbg = -1", "roles.urgent.bg", 2),
        ("[roles.urgent]\nfg = 1.5", "roles.urgent.fg", 2),
        ("[roles.urgent]\nblink = true", "roles.urgent.blink", 2),
        ("roles = 3", "roles", 1),
        ("[roles]\nurgent = \"red\"", "roles.urgent", 2),
        ("colour = \"red\"", "colour", 1),
        ("name = 4", "name", 1),
        ("# comment = 1\nname = \"x\"\n\n[roles.normal] # fg = 1\nfg = \"red\"\n[ roles . 'urgent' ]\nbold = true\nfg = \"pink\"",
         "roles.urgent.fg", 8),
        ("[roles]\nnormal = { fg = \"red\" }\nurgent = { fg = \"pink\", bold = true }", "roles.urgent.fg", 3),
        ("roles.urgent.fg = \"pink\"", "roles.urgent.fg", 1),
    ] as [(String, String, Int)])
    func badFilesNameKey(toml: String, key: String, line: Int) {
        let error = #expect(throws: ThemeError.self) { try Theme.parse(toml: toml, name: "bad") }
        #expect(error?.key == key)
        #expect(error?.line == line)
        #expect(error?.description.hasPrefix("line \(line): \(key): ") == true)
    }

    @Test("broken TOML is refused with its line")
    func brokenToml() {
        let error = #expect(throws: ThemeError.self) {
            try Theme.parse(toml: "[roles.urgent\nfg = 1", name: "bad")
        }
        #expect(error?.line == 1)
        #expect(error?.description.hasPrefix("line 1: not valid TOML") == true)
        let second = #expect(throws: ThemeError.self) {
            try Theme.parse(toml: "name = \"x\"\n[roles.urgent]\nfg = \"red\nbold = true\n", name: "bad")
        }
        #expect(second?.line == 3)
        #expect(second?.key == "roles.urgent.fg")
    }

    @Test("a bad file is named with its line and key")
    func badFileNamesFileLineAndKey() throws {
        let directory = try Self.temporaryThemes(["broken": "name = \"broken\"\n\n[roles.urgent]\nbold = true\nfg = \"redd\"\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.toml")
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.load(file: file) }
        #expect(error?.file == file.path)
        #expect(error?.line == 5)
        #expect(error?.description.hasPrefix("\(file.path), line 5: roles.urgent.fg: unknown colour \"redd\"") == true)
    }

    @Test("monochrome tells selected, urgent and normal apart by attributes alone")
    func monochromeDistinguishes() {
        let mono = Theme.monochrome
        let normal = mono.style(for: .normal)
        let selected = mono.style(for: .selected)
        let urgent = mono.style(for: .urgent)
        #expect(normal == .plain)
        #expect(selected.reverse)
        #expect(urgent.bold)
        #expect(Set([normal, selected, urgent].map { "\($0)" }).count == 3)
        for role in StyleRole.allCases {
            let style = mono.style(for: role)
            #expect(style.foreground == .terminalDefault && style.background == .terminalDefault)
        }
        #expect(mono.style(for: .tabActive).bold && mono.style(for: .tabActive).reverse)
        #expect(mono.style(for: .fieldActive).underline && mono.style(for: .fieldActive).reverse)
        #expect(mono.style(for: .muted).dim)
        #expect(mono.style(for: .key).underline)
    }

    @Test("the loader looks in CAIRN_THEMES, then up from the executable, then /usr/share")
    func searchOrder() throws {
        let executable = Self.themesDirectory.deletingLastPathComponent()
            .appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug/cairn")
        let directories = ThemeLoader.searchDirectories(
            environment: ["CAIRN_THEMES": "/tmp/my-themes"], executable: executable)
        #expect(directories.map(\.path) == [
            "/tmp/my-themes",
            Self.themesDirectory.path,
            "/usr/share/cairn/themes",
        ])
        let found = try ThemeLoader.locate(named: "high-contrast", directories: directories)
        #expect(found.path == Self.themesDirectory.appendingPathComponent("high-contrast.toml").path)
    }

    @Test("an unknown theme name says where it looked and what there is")
    func unknownTheme() {
        let error = #expect(throws: ThemeError.self) {
            try ThemeLoader.locate(named: "nope", directories: [URL(fileURLWithPath: "/nonexistent"), Self.themesDirectory])
        }
        #expect(error?.description.contains("/nonexistent") == true)
        #expect(error?.description.contains("default, high-contrast, light, monochrome") == true)
        #expect(throws: ThemeError.self) {
            try ThemeLoader.locate(named: "..", directories: [])
        }
    }

    // MARK: Choosing a theme

    /// A fresh directory holding `name.toml` files, for `$CAIRN_THEMES`.
    static func temporaryThemes(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cairn-themes-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent("\(name).toml"), atomically: true, encoding: .utf8)
        }
        return directory
    }

    static let blue = "[roles.normal]\nfg = \"blue\"\n"
    static let green = "[roles.normal]\nfg = \"green\"\n"

    @Test("--theme wins over $CAIRN_THEME, which wins over default")
    func choiceOrder() throws {
        let directory = try Self.temporaryThemes(["default": Self.green, "blue": Self.blue, "other": Self.green])
        defer { try? FileManager.default.removeItem(at: directory) }
        let themes = directory.path
        let byOption = ThemeLoader.resolve(option: "blue", environment: ["CAIRN_THEMES": themes, "CAIRN_THEME": "other"], executable: nil)
        #expect(byOption.theme.name == "blue" && byOption.warning == nil)
        let byEnvironment = ThemeLoader.resolve(option: nil, environment: ["CAIRN_THEMES": themes, "CAIRN_THEME": "blue"], executable: nil)
        #expect(byEnvironment.theme.name == "blue" && byEnvironment.warning == nil)
        let neither = ThemeLoader.resolve(option: nil, environment: ["CAIRN_THEMES": themes, "CAIRN_THEME": ""], executable: nil)
        #expect(neither.theme.name == "default" && neither.warning == nil)
        #expect(neither.theme.style(for: .normal).foreground == .indexed(2))
        let path = ThemeLoader.resolve(option: directory.appendingPathComponent("blue.toml").path, environment: [:], executable: nil)
        #expect(path.theme.name == "blue" && path.warning == nil)
    }

    @Test("NO_COLOR, set to anything, forces monochrome")
    func noColour() throws {
        for value in ["1", ""] {
            let chosen = ThemeLoader.resolve(option: "light", environment: ["NO_COLOR": value, "CAIRN_THEME": "nope"], executable: nil)
            #expect(chosen.theme == Theme.monochrome && chosen.warning == nil)
            #expect(ThemeLoader.wantsMonochrome(environment: ["NO_COLOR": value]))
        }
        #expect(!ThemeLoader.wantsMonochrome(environment: [:]))
    }

    @Test("an unknown name falls back to the default theme, listing the themes there are")
    func unknownNameFallsBack() throws {
        let directory = try Self.temporaryThemes(["default": Self.green, "blue": Self.blue])
        defer { try? FileManager.default.removeItem(at: directory) }
        let chosen = ThemeLoader.resolve(option: nil, environment: ["CAIRN_THEMES": directory.path, "CAIRN_THEME": "nope"], executable: nil)
        #expect(chosen.theme.name == "default")
        #expect(chosen.theme.style(for: .normal).foreground == .indexed(2))
        let warning = try #require(chosen.warning)
        #expect(warning.hasPrefix("Theme \"nope\" (from $CAIRN_THEME): no such theme; the themes are blue, default, monochrome"))
        #expect(warning.hasSuffix("Using the default theme."))
        #expect(!warning.contains("\n"))
    }

    @Test("a bad theme file falls back to the default theme, naming file, line and key")
    func badFileFallsBack() throws {
        let directory = try Self.temporaryThemes([
            "default": Self.green,
            "broken": "[roles.normal]\nfg = \"blue\"\n\n[roles.urgent]\nfg = \"redd\"\n",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let chosen = ThemeLoader.resolve(option: "broken", environment: ["CAIRN_THEMES": directory.path], executable: nil)
        #expect(chosen.theme.name == "default")
        let file = directory.appendingPathComponent("broken.toml").path
        #expect(chosen.warning?.hasPrefix("Theme \"broken\" (from --theme): \(file), line 5: roles.urgent.fg: unknown colour \"redd\"") == true)
        #expect(chosen.warning?.hasSuffix("Using the default theme.") == true)
    }

    @Test("a bad default.toml falls back to the built-in default")
    func badDefaultFallsBackToBuiltIn() throws {
        let directory = try Self.temporaryThemes(["default": "[roles.normal\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        for option in [nil, "default", "nope"] {
            let chosen = ThemeLoader.resolve(option: option, environment: ["CAIRN_THEMES": directory.path], executable: nil)
            #expect(chosen.theme == Theme.standard)
            #expect(chosen.warning?.hasSuffix("Using the built-in default theme.") == true)
        }
        let warning = ThemeLoader.resolve(option: nil, environment: ["CAIRN_THEMES": directory.path], executable: nil).warning
        #expect(warning?.hasPrefix("Theme \"default\": \(directory.appendingPathComponent("default.toml").path), line 1") == true)
    }

    @Test("without a Themes folder the built-in default and monochrome still work")
    func noThemesFolder() {
        let nowhere = [URL(fileURLWithPath: "/nonexistent/themes")]
        let standard = ThemeLoader.resolve(option: nil, environment: [:], directories: nowhere)
        #expect(standard.theme == Theme.standard && standard.warning == nil)
        let mono = ThemeLoader.resolve(option: "monochrome", environment: [:], directories: nowhere)
        #expect(mono.theme == Theme.monochrome && mono.warning == nil)
        let light = ThemeLoader.resolve(option: "light", environment: [:], directories: nowhere)
        #expect(light.theme == Theme.standard)
        #expect(light.warning?.contains("the themes are default, monochrome") == true)
        #expect(light.warning?.hasSuffix("Using the built-in default theme.") == true)
    }

    @Test("a theme in $CAIRN_THEMES comes before the built-in one of the same name")
    func directoryBeforeBuiltIn() throws {
        let directory = try Self.temporaryThemes(["monochrome": Self.blue])
        defer { try? FileManager.default.removeItem(at: directory) }
        let chosen = ThemeLoader.resolve(option: "monochrome", environment: ["CAIRN_THEMES": directory.path], executable: nil)
        #expect(chosen.theme.style(for: .normal).foreground == .indexed(4))
    }

    @Test("the line of a key is found past comments, quotes and inline tables")
    func keyLines() {
        let text = """
            # [roles.urgent] in a comment
            name = "a # not a comment"
            [roles.urgent]
            fg = "red" # bold = true
            "bold" = true
            [roles]
            normal = { fg = "x" }
            """
        #expect(TOMLLines.line(of: "roles.urgent", in: text) == 3)
        #expect(TOMLLines.line(of: "roles.urgent.fg", in: text) == 4)
        #expect(TOMLLines.line(of: "roles.urgent.bold", in: text) == 5)
        #expect(TOMLLines.line(of: "roles.normal.fg", in: text) == 7)
        #expect(TOMLLines.line(of: "roles.urgent.dim", in: text) == 3)
        #expect(TOMLLines.line(of: "name", in: text) == 2)
        #expect(TOMLLines.line(of: "missing", in: text) == nil)
        #expect(TOMLLines.line(of: "", in: text) == nil)
        #expect(TOMLLines.key(atLine: 4, in: text) == "roles.urgent.fg")
        #expect(TOMLLines.key(atLine: 1, in: text) == nil)
    }
}
