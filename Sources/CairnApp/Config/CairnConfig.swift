import CairnDomain
import CairnStore
import Foundation
import TOMLKit

/// The settings for one run of Cairn: the server's file, `/etc/cairn/config.toml`, then the user's
/// own. The server's file may grant (a service account, a group for the files); the user's file
/// is theirs to edit, so it may only choose a theme and make the idle times shorter.
public struct CairnConfig: Equatable, Sendable {
    /// A constant on purpose: a flag or environment variable naming another file would let the
    /// person at the keyboard choose who they are.
    public static let systemPath = "/etc/cairn/config.toml"

    /// The shared account whose SSH keys each carry `cairn --as NAME`. Set only from a system file
    /// that nobody but root can change.
    public var serviceAccount: String?
    /// Why a service account named in the system file was ignored.
    public var serviceAccountRefusal: String?
    public var databasePath: String?
    public var idleLockMinutes: Double = 5
    public var idleExitMinutes: Double = 30
    /// `[files] group`: the database and what Cairn writes are shared with this group (mode 0660).
    public var filesGroup: String?
    public var filesGroupID: UInt32?
    public var theme: String?
    /// `retention_years`: files are kept until date of birth plus this many years (system file only:
    /// it is the organisation's policy, not a person's preference).
    public var retention = RetentionRule()
    /// Problems met while reading the files, each naming the file (and line where there is one).
    public var warnings: [String] = []

    public init() {}

    public var idleLock: TimeInterval { idleLockMinutes * 60 }
    public var idleExit: TimeInterval { idleExitMinutes * 60 }

    /// How the store creates and checks files.
    public var fileAccess: FileAccess { filesGroupID.map(FileAccess.group) ?? .ownerOnly }

    /// The user's file: `$XDG_CONFIG_HOME/cairn/config.toml`, else `~/.config/cairn/config.toml`.
    public static func userPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".config")
        return (base as NSString).appendingPathComponent("cairn/config.toml")
    }

    /// Reads both files. Never fails: whatever is wrong is a warning, and the defaults stand in.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> CairnConfig {
        load(systemPath: systemPath, userPath: userPath(environment: environment))
    }

    static func load(systemPath: String, userPath: String) -> CairnConfig {
        var warnings: [String] = []
        var system: ConfigFile?
        var distrust: String?
        if FileFacts.of(systemPath, followingLinks: false) != nil {
            distrust = ConfigTrust.distrust(systemFileAt: systemPath)
            system = read(systemPath, &warnings)
        }
        var user: ConfigFile?
        if let facts = FileFacts.of(userPath) {
            if facts.ownerUID == geteuid() {
                user = read(userPath, &warnings)
            } else {
                warnings.append("\(userPath) is not yours (it belongs to \(facts.ownerName)), so Cairn ignores it. Move it aside and write your own there.")
            }
        }
        var config = merge(system: system, distrust: distrust, user: user, userPath: userPath)
        config.warnings = warnings + config.warnings
        if let group = config.filesGroup {
            if let entry = getgrnam(group) {
                config.filesGroupID = entry.pointee.gr_gid
            } else {
                config.warnings.append("[files] group = \"\(group)\" in \(systemPath): there is no such group on this server, so Cairn keeps its files to their owner only. Create it with: groupadd \(group)")
            }
        }
        return config
    }

    private static func read(_ path: String, _ warnings: inout [String]) -> ConfigFile? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            warnings.append("cannot read \(path), so Cairn ignores it. Make it readable: chmod 644 \(path)")
            return nil
        }
        let (file, problems) = ConfigFile.parse(text, path: path)
        warnings += problems
        return file
    }

    /// Combines the two files. Pure: the trust decision and the parsed files are its inputs.
    static func merge(system: ConfigFile?, distrust: String?, user: ConfigFile?, userPath: String) -> CairnConfig {
        var config = CairnConfig()
        if let system {
            config.databasePath = system.database
            config.theme = system.theme
            if let minutes = system.idleLockMinutes { config.idleLockMinutes = minutes }
            if let minutes = system.idleExitMinutes { config.idleExitMinutes = minutes }
            if let years = system.retentionYears { config.retention = RetentionRule(years: years) }
            if let distrust {
                // Both would widen who may act or read; neither is taken from a file others can change.
                if system.serviceAccount != nil {
                    config.serviceAccountRefusal = distrust
                    config.warnings.append("service_account is ignored: \(distrust)")
                }
                if system.filesGroup != nil {
                    config.warnings.append("[files] group is ignored: \(distrust)")
                }
            } else {
                config.serviceAccount = system.serviceAccount
                config.filesGroup = system.filesGroup
            }
        }
        guard let user else { return config }
        if user.retentionYears != nil {
            config.warnings.append("retention_years in \(userPath) is ignored: the retention rule is set for everyone in /etc/cairn/config.toml")
        }
        for (key, value) in [("service_account", user.serviceAccount), ("database", user.database),
                             ("[files] group", user.filesGroup)] where value != nil {
            config.warnings.append("\(key) in \(userPath) is ignored: only \(systemPath) may set it, because you can change your own file. Remove it from \(userPath).")
        }
        if let theme = user.theme { config.theme = theme }
        config.idleLockMinutes = shorter(user.idleLockMinutes, than: config.idleLockMinutes, key: "idle_lock_minutes",
                                         userPath: userPath, &config.warnings)
        config.idleExitMinutes = shorter(user.idleExitMinutes, than: config.idleExitMinutes, key: "idle_exit_minutes",
                                         userPath: userPath, &config.warnings)
        return config
    }

    private static func shorter(_ mine: Double?, than server: Double, key: String, userPath: String,
                                _ warnings: inout [String]) -> Double {
        guard let mine else { return server }
        if mine <= server { return mine }
        warnings.append("\(key) = \(minutes(mine)) in \(userPath) is longer than this server allows, so \(minutes(server)) is used. Your own file may only make it shorter.")
        return server
    }

    static func minutes(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// What one file says, before the two are combined; nil where it says nothing.
struct ConfigFile: Equatable, Sendable {
    var serviceAccount: String?
    var database: String?
    var idleLockMinutes: Double?
    var idleExitMinutes: Double?
    var filesGroup: String?
    var theme: String?
    var retentionYears: Int?

    static let knownKeys = ["service_account", "database", "idle_lock_minutes", "idle_exit_minutes", "theme",
                            "retention_years", "[files] group"]

    /// Parses one file. Bad TOML gives nothing from the file; a bad value is skipped. Each problem
    /// is a message naming the file, line and key.
    static func parse(_ text: String, path: String) -> (ConfigFile?, [String]) {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            return (nil, ["\(path) line \(at.line): not valid TOML (column \(at.column)): \(error.description). Cairn ignores the file and uses its defaults."])
        } catch {
            return (nil, ["\(path): not valid TOML: \(error). Cairn ignores the file and uses its defaults."])
        }
        var file = ConfigFile()
        var problems: [String] = []
        func problem(_ key: String, _ message: String) {
            let line = TOMLLines.line(of: key, in: text).map { " line \($0)" } ?? ""
            problems.append("\(path)\(line): \(key.replacingOccurrences(of: "files.", with: "[files] ")) \(message)")
        }
        func string(_ key: String, _ value: any TOMLValueConvertible) -> String? {
            guard let text = value.string, !text.isEmpty else {
                problem(key, "must be a non-empty string in quotes; it is ignored.")
                return nil
            }
            return text
        }
        func minutes(_ key: String, _ value: any TOMLValueConvertible) -> Double? {
            guard let number = value.double ?? value.int.map(Double.init), number > 0, number.isFinite else {
                problem(key, "must be a number of minutes above 0 (e.g. 5 or 0.5); it is ignored.")
                return nil
            }
            return number
        }
        for key in root.keys.sorted() {
            guard let value = root[key] else { continue }
            switch key {
            case "service_account":
                file.serviceAccount = string(key, value)
                if let name = file.serviceAccount, let bad = Staff.validateUsername(name) {
                    problem(key, "is not an account name (\(bad)); it is ignored.")
                    file.serviceAccount = nil
                }
            case "database":
                file.database = string(key, value)
                if let path = file.database, !path.hasPrefix("/") {
                    problem(key, "must be an absolute path, starting with /; it is ignored.")
                    file.database = nil
                }
            case "idle_lock_minutes": file.idleLockMinutes = minutes(key, value)
            case "idle_exit_minutes": file.idleExitMinutes = minutes(key, value)
            case "theme": file.theme = string(key, value)
            case "retention_years":
                if let years = value.int, RetentionRule.problem(years: years) == nil {
                    file.retentionYears = years
                } else {
                    problem(key, "must be a whole number of years from \(RetentionRule.allowedYears.lowerBound) to \(RetentionRule.allowedYears.upperBound); the rule stays at \(RetentionRule.toolkitYears).")
                }
            case "files":
                guard let table = value.table else {
                    problem(key, "must be a table: [files]; it is ignored.")
                    continue
                }
                for inner in table.keys.sorted() {
                    if inner == "group", let group = table[inner] {
                        file.filesGroup = string("files.group", group)
                    } else {
                        problem("files.\(inner)", "is not a setting Cairn knows (known: \(knownKeys.joined(separator: ", "))); it is ignored.")
                    }
                }
            default:
                problem(key, "is not a setting Cairn knows (known: \(knownKeys.joined(separator: ", "))); it is ignored.")
            }
        }
        return (file, problems)
    }
}
