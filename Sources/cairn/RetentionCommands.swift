import ArgumentParser
import CairnDomain
import CairnStore
import Foundation

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Files due for destruction, legal holds, and the purge.",
        discussion: """
            A file is due once the pupil has left and reached date of birth plus retention_years \
            (25 unless /etc/cairn/config.toml says otherwise). A legal hold keeps it whatever the dates say.
            """,
        subcommands: [Review.self, Hold.self, Release.self, Purge.self])

    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the files due for destruction, with counts.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let review = try session.store.retentionReview(actor: session.actor, rule: Settings.current.retention)
                if json {
                    print(try retentionJSON(review))
                    return
                }
                print(describe(review.due, heading: "Due for destruction under the \(review.rule)-year rule",
                               none: "No files are due for destruction under the \(review.rule)-year rule."))
                if !review.held.isEmpty {
                    print("")
                    print(describe(review.held, heading: "Due but kept by a legal hold", none: ""))
                }
                if !review.due.isEmpty { print("\nTo destroy them: cairn retention purge (a dry run), then with --confirm.") }
            }
        }
    }

    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a pupil's file on legal hold: it is not purged until released.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The pupil's UPN.") var upn: String
        @Option(help: ArgumentHelp("Why, for example the inquiry's name.", valueName: "text")) var reason: String

        func run() throws {
            try reported {
                let pupil = try parsedUPN(upn)
                let session = try Session.open(global)
                try session.store.placeLegalHold(actor: session.actor, upn: pupil, reason: reason)
                print("\(pupil.value) is on legal hold: it will not be purged until the hold is released.")
            }
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release a legal hold; the hold stays on record.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The pupil's UPN.") var upn: String
        @Option(help: ArgumentHelp("Why the hold ends.", valueName: "text")) var reason: String

        func run() throws {
            try reported {
                let pupil = try parsedUPN(upn)
                let session = try Session.open(global)
                try session.store.releaseLegalHold(actor: session.actor, upn: pupil, reason: reason)
                print("The legal hold on \(pupil.value) is released.")
            }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Destroy the files due (a dry run unless --confirm). DSL only.",
            discussion: """
                Deletes every row about each pupil due, overwriting the deleted content, and removes their names \
                from the audit log's details. Leaves an anonymous tombstone (counts, year left, when, by whom) and an \
                audit event without personal data. Files on legal hold are kept.
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Really destroy them. Without it nothing is deleted.") var confirm = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let report = try session.store.purge(actor: session.actor, rule: Settings.current.retention, confirm: confirm)
                if json {
                    print(try retentionJSON(report))
                    return
                }
                guard !report.files.isEmpty else {
                    print("No files are due for destruction; nothing was purged.")
                    return
                }
                guard report.confirmed else {
                    print(describe(report.files, heading: "A dry run: these files would be destroyed", none: ""))
                    print("\nNothing was deleted. To destroy them: cairn retention purge --confirm")
                    return
                }
                let rows = report.rows.values.reduce(0, +)
                print("Destroyed \(report.files.count) \(report.files.count == 1 ? "file" : "files"): \(rows) rows deleted, "
                      + "\(report.auditDetailsRemoved) audit details removed. An anonymous tombstone is kept for each.")
                if !report.walCleared {
                    printError("cairn: another session is reading the database, so the deleted text may remain in its -wal file until every session closes.\n")
                }
            }
        }
    }
}

private func parsedUPN(_ raw: String) throws -> UPN {
    do {
        return try UPN(raw)
    } catch {
        throw CLIError("upn: \(error)", code: 64)
    }
}

private func describe(_ files: [RetentionFile], heading: String, none: String) -> String {
    guard !files.isEmpty else { return none }
    var lines = ["\(heading) (\(files.count)):",
                 ["UPN", "Name", "School", "Born", "Left", "Due", "Entries", "Concerns", "Actions", "Referrals"].joined(separator: "\t")]
    for file in files {
        var line = [file.upn, file.name, file.school, UKDate.date(file.dateOfBirth), UKDate.date(file.leftAt),
                    UKDate.date(file.dueAt), String(file.entries), String(file.concerns), String(file.actions),
                    String(file.referrals)].map(TextSanitiser.line).joined(separator: "\t")
        if let hold = file.hold {
            line += "\tlegal hold since \(UKDate.date(hold.placedAt)): \(TextSanitiser.line(hold.reason))"
        }
        lines.append(line)
    }
    return lines.joined(separator: "\n")
}

private func retentionJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
