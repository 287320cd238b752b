import ArgumentParser
import CairnDomain
import CairnExchange
import CairnStore
import Foundation

struct ConcernCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "concern", abstract: "Log and look at concerns.",
                                                    subcommands: [Log.self, Verify.self])

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Log a concern about one or more pupils; prints its reference.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("pupil"), help: "UPN of a pupil concerned (repeat for more).") var pupils: [String] = []
        @Option(name: .customLong("category"), help: ArgumentHelp("Category (repeat for more): \(ConcernCategory.allCases.map(\.rawValue).joined(separator: ", ")).")) var categories: [String] = []
        @Option(help: "Nature of the account: seen, disclosed, reported or opinion.") var nature: String
        @Option(help: "What was seen or heard; - reads it from standard input.") var text: String
        @Option(help: "The child's own words, verbatim.") var childWords: String?
        @Option(help: "What you did about it.") var action: String?
        @Flag(help: "The child is at risk now.") var urgent = false
        @Option(help: "When it happened, \"dd/mm/yyyy HH:MM\" (default: now).") var occurredAt: String?
        @Option(help: "Where it happened.") var location: String?
        @Flag(help: "Typed from a paper form: give --written-at, --written-by and --occurred-at as on the paper.") var fromPaper = false
        @Option(help: "With --from-paper: when the paper was written, \"dd/mm/yyyy HH:MM\".") var writtenAt: String?
        @Option(help: "With --from-paper: who wrote the paper, the name as on it.") var writtenBy: String?

        func run() throws {
            try reported {
                var problems: [String] = []
                var upns: [UPN] = []
                for raw in pupils {
                    do { upns.append(try UPN(raw)) } catch { problems.append("--pupil \(raw): \(error)") }
                }
                var parsedCategories: [ConcernCategory] = []
                for raw in categories {
                    if let category = ConcernCategory(parsing: raw) { parsedCategories.append(category) } else {
                        problems.append("--category: \"\(raw)\" is not a category (\(ConcernCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                }
                let parsedNature = Nature(rawValue: nature.lowercased())
                if parsedNature == nil { problems.append("--nature: \"\(nature)\" must be seen, disclosed, reported or opinion") }
                var occurred = Date()
                if let occurredAt {
                    if let parsed = UKDate.parseDateTime(occurredAt) { occurred = parsed } else {
                        problems.append("--occurred-at: \"\(occurredAt)\" is not a date and time as dd/mm/yyyy HH:MM")
                    }
                }
                let paper = paperInput(&problems)
                let body = text == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : text
                guard problems.isEmpty, let parsedNature else { throw CLIError(problems.joined(separator: "\n"), code: 65) }
                let draft = ConcernDraft(pupils: upns, categories: parsedCategories,
                                         accounts: [Account(nature: parsedNature, text: body)], childWords: childWords,
                                         reporterAction: action, location: location, urgency: urgent ? .atRiskNow : .routine,
                                         occurredAt: occurred)
                let session = try Session.open(global)
                let reference = try session.store.logConcern(actor: session.actor, draft, paper: paper)
                print(reference.description)
                if paper != nil {
                    printError("Typed from paper: \(reference) awaits a check against the paper by someone else (`cairn concern verify \(reference)`).\n")
                }
            }
        }

        /// The paper original's options: all three together, or none of them.
        private func paperInput(_ problems: inout [String]) -> PaperInput? {
            guard fromPaper else {
                if writtenAt != nil { problems.append("--written-at: only with --from-paper") }
                if writtenBy != nil { problems.append("--written-by: only with --from-paper") }
                return nil
            }
            if occurredAt == nil { problems.append("--occurred-at: required with --from-paper (when it happened, as the paper says)") }
            if writtenBy == nil { problems.append("--written-by: required with --from-paper (who wrote the paper, as on it)") }
            guard let writtenAt else {
                problems.append("--written-at: required with --from-paper (when the paper was written, as dd/mm/yyyy HH:MM)")
                return nil
            }
            guard let written = UKDate.parseDateTime(writtenAt) else {
                problems.append("--written-at: \"\(writtenAt)\" is not a date and time as dd/mm/yyyy HH:MM")
                return nil
            }
            return writtenBy.map { PaperInput(writtenAt: written, writtenBy: $0) }
        }
    }
}

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "The incoming queue as you may see it (staff see the concerns they logged).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "At most this many rows.") var limit = 500

    func run() throws {
        try reported {
            let session = try Session.open(global)
            let scope: QueueScope = AccessPolicy.decide(session.actor, .listQueue).isAllowed ? .open : .mine
            let items = try session.store.queue(actor: session.actor, scope: scope, limit: limit)
            if json {
                print(try QueueJSON.string(items))
                return
            }
            // Files received from other schools wait above every concern until someone reviews them.
            let reviews = AccessPolicy.decide(session.actor, .transfer).isAllowed && scope == .open
                ? try session.store.transfersToReview(actor: session.actor) : []
            for review in reviews {
                print(["FILE", "to review", "from \(TextSanitiser.line(review.fromSchool))", UKDate.dateTime(review.importedAt),
                       "\(TextSanitiser.line(review.pupil.name)) (\(review.pupil.yearGroup.short))",
                       counted(review.entries, "entry", "entries")].joined(separator: "\t"))
            }
            if items.isEmpty { print(scope == .open ? "No open concerns." : "You have not logged any concerns.") }
            for item in items {
                let pupils = item.pupils.map { "\(TextSanitiser.line($0.name)) (\($0.yearGroup.short))" }.joined(separator: ", ")
                print([item.reference.description, item.urgent ? "URGENT" : "routine", item.status.label,
                       UKDate.dateTime(item.recordedAt), pupils, item.categories.map(\.rawValue).joined(separator: ","),
                       TextSanitiser.line(item.reporterName)].joined(separator: "\t"))
            }
        }
    }
}
