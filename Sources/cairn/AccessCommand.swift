import ArgumentParser
import CairnDomain
import CairnStore
import Foundation

struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Who may do what: print the access matrix, or check one thing for yourself.",
        discussion: "With no subcommand, prints the matrix.",
        subcommands: [Matrix.self, Check.self],
        defaultSubcommand: Matrix.self)

    /// What each word in the printed matrix means, and the rules that apply on top of it.
    static let legend = """
        What the words mean:
          yes              anything at their school (at every school, for trust-level staff), restricted records included
          in scope         pupils in their year groups (a pastoral lead's), at their school
          in scope or own  as "in scope", and also what is their own anywhere in the school
          own only         only what is their own
          no               never

        "Own" means a concern they logged, for reading concerns; an action given to them, for completing
        or moving actions; any of those or a case they hold, for restricted records.
        A restricted record also needs read_restricted: pastoral leads and staff see one only when it is
        their own. Another school's records are refused to everyone but trust-level staff, and a disabled
        account may do nothing at all.
        Check one thing for yourself with `cairn access check OPERATION`, e.g.
          cairn access check read_chronology --pupil UPN
        """

    struct Matrix: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the access matrix (Markdown): every operation against every role, and what each word means.")
        // Accepted so that `--db` and `--as` work here as everywhere; the matrix is the same for every database.
        @OptionGroup var global: GlobalOptions

        func run() throws {
            print(AccessMatrix.markdown)
            print()
            print(AccessCommand.legend)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Whether you may do OPERATION, on the record named: prints \"allowed\" (exit 0) or \"refused: reason\" (exit 77).",
            discussion: "Operations: \(AccessOperation.allCases.map(\.rawValue).joined(separator: ", ")). "
                + "Name at most one record. Nothing is changed and nothing is recorded in the audit log: "
                + "doing the thing itself is checked again, and recorded, allowed or refused.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The operation, e.g. read_chronology (see `cairn access matrix`).", valueName: "operation"))
        var operation: String
        @Option(help: ArgumentHelp("A pupil's file, by UPN.", valueName: "UPN")) var pupil: String?
        @Option(help: ArgumentHelp("A concern, by its reference, e.g. 2026-0042.", valueName: "reference")) var concern: String?
        @Option(help: ArgumentHelp("An action, by its number.", valueName: "id")) var action: Int64?
        @Option(help: ArgumentHelp("A chronology entry, by its number.", valueName: "id")) var entry: Int64?

        func run() throws {
            try reported {
                let (operation, upn, reference) = try parsed()
                let session = try Session.open(global)
                let store = session.store
                var pupilID: PupilID?
                var concernID: ConcernID?
                if let upn {
                    guard let found = try store.pupilID(upn: upn) else {
                        throw CLIError("--pupil: no pupil with UPN \(upn.value) in this database.", code: 65)
                    }
                    pupilID = found
                }
                if let reference {
                    guard let found = try store.concernID(reference: reference) else {
                        throw CLIError("--concern: no concern \(reference) in this database.", code: 65)
                    }
                    concernID = found
                }
                let decision: AccessDecision
                do {
                    decision = try store.permits(actor: session.actor, operation, pupil: pupilID, concern: concernID,
                                                 action: action, entry: entry)
                } catch StoreError.notFound {
                    if let action { throw CLIError("--action: no action \(action) in this database.", code: 65) }
                    if let entry { throw CLIError("--entry: no entry \(entry) in this database.", code: 65) }
                    throw CLIError("the record named is not in this database.", code: 65)
                }
                switch decision {
                case .allow:
                    print("allowed")
                case .deny(let reason):
                    print("refused: \(reason)")
                    throw ExitCode(77)
                }
            }
        }

        /// What can be checked without the database; a bad value is a usage error (64).
        func parsed() throws -> (AccessOperation, UPN?, ConcernReference?) {
            var problems: [String] = []
            let operation = AccessOperation(rawValue: self.operation.lowercased().replacingOccurrences(of: "-", with: "_"))
            if operation == nil {
                problems.append("operation: \"\(self.operation)\" is not an operation (\(AccessOperation.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var upn: UPN?
            if let pupil {
                do { upn = try UPN(pupil) } catch { problems.append("--pupil: \"\(pupil)\": \(error)") }
            }
            var reference: ConcernReference?
            if let concern {
                reference = ConcernReference(parsing: concern)
                if reference == nil { problems.append("--concern: \"\(concern)\" is not a concern reference such as 2026-0042") }
            }
            let named = [pupil != nil, concern != nil, action != nil, entry != nil].filter { $0 }.count
            if named > 1 { problems.append("name one record at most: --pupil, --concern, --action or --entry") }
            guard problems.isEmpty, let operation else { throw CLIError(problems.joined(separator: "\n"), code: 64) }
            return (operation, upn, reference)
        }
    }
}
