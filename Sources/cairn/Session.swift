import ArgumentParser
import CairnDomain
import CairnStore
import CairnTerminal
import Foundation

/// Options every command shares: where the database is and (on a demo database only) who to act as.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "Database file (else $CAIRN_DB, else $XDG_DATA_HOME/cairn/cairn.sqlite).")
    var database: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this staff member; only on a demo database.", valueName: "username"))
    var actAs: String?

    var databasePath: String {
        if let database { return database }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CAIRN_DB"], !path.isEmpty { return path }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("cairn/cairn.sqlite")
    }
}

/// The opened database and the person acting on it. Identity comes from the operating system;
/// nobody at the keyboard can choose who they are, except on a demo database.
struct Session {
    let store: CairnStore
    let actor: Staff

    static func open(_ options: GlobalOptions, path: String? = nil) throws -> Session {
        let store = try openStore(path ?? options.databasePath)
        return Session(store: store, actor: try identify(options, store: store))
    }

    static func openStore(_ path: String) throws -> CairnStore {
        do {
            return try CairnStore.open(path: path)
        } catch let error as StoreError {
            throw CLIError(error.description, code: 66)
        }
    }

    static func identify(_ options: GlobalOptions, store: CairnStore) throws -> Staff {
        let username: String
        if let requested = options.actAs {
            guard store.isDemo else {
                throw CLIError("--as is refused: identity comes from your operating-system account on a real database.", code: 77)
            }
            username = requested
        } else {
            username = operatingSystemUser()
        }
        guard let staff = try store.staff(username: username) else {
            throw CLIError("\(username) is not a member of staff in this Cairn database. A DSL or admin can add them with `cairn staff add \(username) --name \"Full Name\" --role staff`.", code: 77)
        }
        guard staff.active else {
            throw CLIError("\(username)'s Cairn account is disabled. Ask the DSL or admin.", code: 77)
        }
        return staff
    }

    static func operatingSystemUser() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
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

/// Turns library errors into messages and exit codes: 65 bad data, 77 not permitted, 1 otherwise.
func reported<T>(_ body: () throws -> T) throws -> T {
    func say(_ text: String) { printError(text) }
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
