import ArgumentParser
import CairnDomain
import CairnExchange
import CairnStore
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The tamper-evident audit log: read it, check it, acknowledge a break.",
        discussion: "Reading the log is for the DSL, deputies and auditors, and is itself recorded.",
        subcommands: [Log.self, Looked.self, Verify.self, Acknowledge.self])

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit events, newest first: when, who, what, which record, which pupil, detail (tab-separated).")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only what this member of staff did.", valueName: "username")) var staff: String?
        @Option(help: ArgumentHelp("Only events about this pupil.", valueName: "UPN")) var pupil: String?
        @Option(help: ArgumentHelp("Only this operation, e.g. read_chronology or search.", valueName: "operation"))
        var operation: String?
        @Option(help: ArgumentHelp("From the start of this day.", valueName: "dd/mm/yyyy")) var since: String?
        @Option(help: ArgumentHelp("To the end of this day.", valueName: "dd/mm/yyyy")) var until: String?
        @Option(help: "At most this many events.") var limit = 100
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try reported {
                var filter = try parsedFilter()
                let session = try Session.open(global)
                if let username = staff {
                    guard try session.store.staff(username: username) != nil else {
                        throw CLIError("--staff: \(username) is not a member of staff in this database.", code: 65)
                    }
                    filter.staff = username
                }
                if let pupil { filter.pupil = try findPupil(pupil, option: "--pupil", in: session.store) }
                let records = try explainingRefusal(session.actor, .readAudit, readers) { try allPages(session, filter) }
                if json {
                    print(try AuditJSON.string(records))
                    return
                }
                if records.isEmpty { print("No audit events match.") }
                for record in records {
                    let pupil = record.pupil.map { "\($0.name) (\($0.yearGroup.short))" } ?? ""
                    print([UKDate.dateTime(record.at), record.actor, record.operation, "\(record.recordKind) \(record.recordID)",
                           pupil, record.detail].map(TextSanitiser.line).joined(separator: "\t"))
                }
            }
        }

        /// What can be checked without the database; a bad value is a usage error (64).
        func parsedFilter() throws -> AuditFilter {
            var problems: [String] = []
            var filter = AuditFilter()
            if let operation {
                filter.operation = AccessOperation(rawValue: operation.lowercased().replacingOccurrences(of: "-", with: "_"))
                if filter.operation == nil {
                    problems.append("--operation: \"\(operation)\" is not an operation (\(AccessOperation.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            }
            if let since {
                filter.since = UKDate.parseDate(since)
                if filter.since == nil { problems.append("--since: \"\(since)\" is not a date as dd/mm/yyyy") }
            }
            if let until {
                // The whole of that day.
                filter.until = UKDate.parseDate(until).flatMap { UKDate.calendar.date(byAdding: .day, value: 1, to: $0) }
                if filter.until == nil { problems.append("--until: \"\(until)\" is not a date as dd/mm/yyyy") }
            }
            if let from = filter.since, let to = filter.until, from >= to {
                problems.append("--since \(since ?? "") is after --until \(until ?? ""): nothing could match")
            }
            if let pupil, let problem = Self.upnProblem(pupil) { problems.append("--pupil: \(problem)") }
            if limit < 1 { problems.append("--limit: must be at least 1") }
            guard problems.isEmpty else { throw CLIError(problems.joined(separator: "\n"), code: 64) }
            return filter
        }

        static func upnProblem(_ raw: String) -> String? {
            do {
                _ = try UPN(raw)
                return nil
            } catch {
                return "\"\(raw)\": \(error)"
            }
        }

        /// Pages of at most 1,000 (the store's limit) until `limit` or the end of the log.
        func allPages(_ session: Session, _ filter: AuditFilter) throws -> [AuditRecord] {
            var records: [AuditRecord] = []
            while records.count < limit {
                let wanted = min(1000, limit - records.count)
                let page = try session.store.auditLog(actor: session.actor, filter: filter, before: records.last?.sequence,
                                                      limit: wanted)
                records += page
                if page.count < wanted { break }
            }
            return records
        }
    }

    struct Looked: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who has looked at a pupil's file: username, name, role, reads, first and last (most recent first).",
            discussion: "Counts opening the chronology, entries and concerns, and exports. For subject access requests "
                + "and for noticing someone looking without a reason. Recorded in the audit log.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The pupil's UPN.", valueName: "UPN")) var upn: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try reported {
                if let problem = Log.upnProblem(upn) { throw CLIError("UPN \(problem)", code: 64) }
                let session = try Session.open(global)
                let pupil = try findPupil(upn, option: "UPN", in: session.store)
                let looks = try explainingRefusal(session.actor, .readAudit, readers) {
                    try session.store.whoHasLooked(actor: session.actor, pupil: pupil)
                }
                if json {
                    print(try AuditJSON.string(looks))
                    return
                }
                if looks.isEmpty { print("Nobody has looked at this file.") }
                for look in looks {
                    print([look.username, look.name ?? "", look.role?.label ?? "", String(look.reads), UKDate.dateTime(look.first),
                           UKDate.dateTime(look.last)].map(TextSanitiser.line).joined(separator: "\t"))
                }
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit chain: exit 0 with the count when it holds, 65 naming the first bad event when not.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try reported {
                let session = try Session.open(global)
                switch try session.store.verifyAudit(actor: session.actor) {
                case .intact(let count, let lastHash):
                    if json {
                        print(#"{"intact": true, "events": \#(count), "lastHash": "\#(lastHash)"}"#)
                    } else {
                        print("Audit chain intact: \(count) events verified.")
                    }
                case .broken(let sequence, let problem):
                    if json {
                        let escaped = problem.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                        print(#"{"intact": false, "firstBadEvent": \#(sequence), "problem": "\#(escaped)"}"#)
                    } else {
                        printError("cairn: audit chain BROKEN at event \(sequence): \(problem)\n")
                    }
                    throw ExitCode(65)
                }
            }
        }
    }

    struct Acknowledge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge the audit chain break that every session is warning about (DSL only).",
            discussion: "Sessions stop warning and later checks start from the newest event. The acknowledgement is "
                + "recorded, and `cairn audit verify` still reports the break: the chain itself is not changed.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let acknowledged = try explainingRefusal(session.actor, .acknowledgeAudit,
                                                         "Only the DSL can acknowledge a break; ask them to run this.") {
                    try session.store.acknowledgeAuditBreak(actor: session.actor)
                }
                guard let acknowledged else {
                    print("There is no audit chain break to acknowledge.")
                    return
                }
                print("Acknowledged the break at event \(acknowledged.sequence): \(TextSanitiser.line(acknowledged.problem))"
                      + " (found \(UKDate.dateTime(acknowledged.detectedAt))). Checks start again from the newest event;"
                      + " `cairn audit verify` still reports the break.")
            }
        }
    }
}

private let readers = "The DSL, deputy DSLs and auditors read the audit log; ask one of them."

/// A refusal because of the person's role says who can do it instead.
func explainingRefusal<T>(_ actor: Staff, _ operation: AccessOperation, _ instead: String,
                                  _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let denied as AccessDenied where !AccessPolicy.allowed(actor.role).contains(operation) {
        throw CLIError("\(denied.description). \(instead)", code: 77)
    }
}

/// A pupil on the roll by UPN; the caller has checked the UPN's form.
func findPupil(_ raw: String, option: String, in store: CairnStore) throws -> PupilID {
    guard let upn = try? UPN(raw), let id = try store.pupilID(upn: upn) else {
        throw CLIError("\(option): no pupil with UPN \(raw) in this database.", code: 65)
    }
    return id
}
