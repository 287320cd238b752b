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

    @Test("the shipped themes parse", arguments: ["default", "high-contrast"])
    func shippedThemesParse(name: String) throws {
        let theme = try Self.repositoryTheme(name)
        #expect(theme.name == name)
    }

    @Test("default.toml gives every role")
    func defaultGivesEveryRole() throws {
        let theme = try Self.repositoryTheme("default")
        let missing = StyleRole.allCases.filter { !theme.defines($0) }
        #expect(missing.isEmpty, "default.toml lacks \(missing.map(\.rawValue))")
    }

    @Test("the shipped themes tell selected, urgent and normal apart without colour",
          arguments: ["default", "high-contrast"])
    func shippedThemesUseAttributes(name: String) throws {
        let theme = try Self.repositoryTheme(name)
        let urgent = theme.style(for: .urgent)
        #expect(urgent.bold || urgent.reverse || urgent.underline)
        #expect(theme.style(for: .selected) != theme.style(for: .normal))
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
        #expect(error?.description.hasPrefix("roles.urgent.fg: unknown colour \"redd\"") == true)
    }

    @Test("bad files are refused with the key at fault", arguments: [
        ("[roles.urgnet]\nbold = true", "roles.urgnet"),
        ("[roles.urgent]\nbold = \"yes\"", "roles.urgent.bold"),
        ("[roles.urgent]\nbg = 256", "roles.urgent.bg"),
        ("[roles.urgent]\nbg = -1", "roles.urgent.bg"),
        ("[roles.urgent]\nfg = 1.5", "roles.urgent.fg"),
        ("[roles.urgent]\nblink = true", "roles.urgent.blink"),
        ("roles = 3", "roles"),
        ("[roles]\nurgent = \"red\"", "roles.urgent"),
        ("colour = \"red\"", "colour"),
        ("name = 4", "name"),
    ])
    func badFilesNameKey(toml: String, key: String) {
        let error = #expect(throws: ThemeError.self) { try Theme.parse(toml: toml, name: "bad") }
        #expect(error?.key == key)
        #expect(error?.description.hasPrefix("\(key): ") == true)
    }

    @Test("broken TOML is refused with its line")
    func brokenToml() {
        let error = #expect(throws: ThemeError.self) {
            try Theme.parse(toml: "[roles.urgent\nfg = 1", name: "bad")
        }
        #expect(error?.description.contains("line 1") == true)
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

    @Test("an unknown theme name says where it looked")
    func unknownTheme() {
        let error = #expect(throws: ThemeError.self) {
            try ThemeLoader.locate(named: "nope", directories: [URL(fileURLWithPath: "/nonexistent")])
        }
        #expect(error?.description.contains("/nonexistent") == true)
        #expect(throws: ThemeError.self) {
            try ThemeLoader.locate(named: "..", directories: [])
        }
    }
}
