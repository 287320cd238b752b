import ArgumentParser
import CairnApp
import CairnDomain
import CairnStore
import CairnTerminal
import Foundation

/// Options every command shares: where the database is and who to act as (the service account and
/// demo databases only).
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "Database file (else $CAIRN_DB, else `database` in /etc/cairn/config.toml, else $XDG_DATA_HOME/cairn/cairn.sqlite).")
    var database: String?

    @Option(name: .customLong("as"), help: ArgumentHelp(
        "Act as this staff member: only for the service account named in /etc/cairn/config.toml, or on a demo database.",
        valueName: "username"))
    var actAs: String?

    var databasePath: String {
        if let database { return database }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CAIRN_DB"], !path.isEmpty { return path }
        if let path = Settings.current.databasePath { return path }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("cairn/cairn.sqlite")
    }
}

/// The configuration, read once a run; its problems go to standard error as it is read.
enum Settings {
    static let current: CairnConfig = {
        let config = CairnConfig.load()
        for warning in config.warnings { printError("cairn: \(warning)\n") }
        return config
    }()
}

/// The opened database and the person acting on it. Identity comes from the operating system;
/// nobody at the keyboard can choose who they are: not by flag, environment variable or file.
struct Session {
    let store: CairnStore
    let actor: Staff

    static func open(_ options: GlobalOptions, path: String? = nil) throws -> Session {
        let store = try openStore(path ?? options.databasePath)
        return Session(store: store, actor: try identify(options, store: store))
    }

    static func openStore(_ path: String) throws -> CairnStore {
        try CairnStore.open(path: path, files: Settings.current.fileAccess)
    }

    static func identify(_ options: GlobalOptions, store: CairnStore) throws -> Staff {
        guard let me = effectiveUserName() else {
            throw CLIError("your operating-system account (uid \(geteuid())) has no name, so Cairn cannot tell who you are. Ask whoever runs this server to fix the account.", code: 77)
        }
        let username: String
        if let requested = options.actAs {
            if let refusal = IdentityRule.refusalOfActAs(effectiveUser: me, config: Settings.current, isDemo: store.isDemo) {
                throw CLIError(refusal, code: 77)
            }
            username = requested
        } else if me == Settings.current.serviceAccount {
            throw CLIError("you are the service account \(me), which always acts for a named member of staff: each SSH key names its person (`cairn ssh authorize USERNAME KEYFILE`), and at this server's own prompt add --as USERNAME.", code: 77)
        } else {
            username = me
        }
        guard let staff = try store.staff(username: username) else {
            throw CLIError("\(username) is not a member of staff in this Cairn database. A DSL or admin can add them with `cairn staff add \(username) --name \"Full Name\" --role staff`.", code: 77)
        }
        guard staff.active else {
            throw CLIError("\(username)'s Cairn account is disabled. Ask the DSL or admin.", code: 77)
        }
        return staff
    }

    /// The account this process runs as, from the system's user database: never from $USER or
    /// $LOGNAME, which anyone can set.
    static func effectiveUserName() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// The same, for defaults such as `init`'s DSL; an account without a name gives a text that is
    /// not a valid username, so it is refused rather than guessed.
    static func operatingSystemUser() -> String {
        effectiveUserName() ?? "uid \(geteuid())"
    }
}

/// A failure with a message for the user and a sysexits code.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let code: Int32
    init(_ message: String, code: Int32) {
        self.message = message
        self.code = code
    }
    var description: String { message }
}

/// Runs a command: sets the umask, then turns library errors into messages and exit codes: 65 bad
/// data, 66 no database, 77 not permitted, 1 otherwise.
func reported<T>(_ body: () throws -> T) throws -> T {
    func say(_ text: String) { printError(text) }
    // Before anything is written, so that the -wal, -shm, exports and backups are born private.
    umask(Settings.current.fileAccess.umask)
    do {
        return try body()
    } catch let error as CLIError {
        say("cairn: \(error.message)\n")
        throw ExitCode(error.code)
    } catch let denied as AccessDenied {
        say("cairn: \(denied.description)\n")
        throw ExitCode(77)
    } catch let error as StoreError {
        say("cairn: \(error.description)\n")
        switch error {
        case .noDatabase: throw ExitCode(66)
        case .unsafePermissions, .cannotOpen: throw ExitCode(77)
        case .invalid, .illegal, .alreadyExists: throw ExitCode(65)
        case .notFound: throw ExitCode(65)
        case .conflict: throw ExitCode(1)
        }
    } catch let error as ExitCode {
        throw error
    } catch let error as TerminalError {
        say("cairn: \(error)\n")
        throw ExitCode(error.exitCode)
    } catch {
        say("cairn: \(error)\n")
        throw ExitCode(1)
    }
}

/// Writes to standard error without trapping: after SSH drops, the terminal is gone and a failed
/// write must not crash the process on its way out.
func printError(_ text: String) {
    try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
}
