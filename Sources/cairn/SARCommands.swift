import ArgumentParser
import CairnDomain
import CairnExchange
import CairnStore
import Foundation

struct SARCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sar",
        abstract: "Subject access requests: record one with its one-month deadline, list them, write the bundle.",
        discussion: "For the DSL and deputies. Parts of entries are withheld in the dashboard: R on an entry.",
        subcommands: [Open.self, List.self, Export.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a subject access request; sets you an action due one calendar month after it was received.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The pupil's UPN.", valueName: "UPN")) var upn: String
        @Option(help: ArgumentHelp("The day the request arrived (not in the future).", valueName: "dd/mm/yyyy")) var received: String
        @Option(help: ArgumentHelp("Who is asking.", valueName: "name")) var requester: String
        @Option(help: ArgumentHelp("Who they are to the child, e.g. mother, or the pupil themself.", valueName: "text"))
        var relationship: String

        func run() throws {
            try reported {
                var problems: [String] = []
                let pupil = try? UPN(upn)
                if let problem = AuditCommand.Log.upnProblem(upn) { problems.append("UPN \(problem)") }
                let day = UKDate.parseDate(received)
                if day == nil { problems.append("--received: \"\(received)\" is not a date as dd/mm/yyyy") }
                guard problems.isEmpty, let pupil, let day else { throw CLIError(problems.joined(separator: "\n"), code: 64) }
                let session = try Session.open(global)
                let request = try namingOptions {
                    try explainingRefusal(session.actor, .sarExport, handlers) {
                        try session.store.openSAR(actor: session.actor, pupil: pupil,
                                                  SARRequestInput(received: day, requester: requester, relationship: relationship))
                    }
                }
                print("Subject access request \(request.id) recorded for \(TextSanitiser.line(request.pupilName)) "
                      + "(\(request.yearGroup.short), UPN \(request.upn)): received \(UKDate.date(request.received)) from "
                      + "\(TextSanitiser.line(request.requester)) (\(TextSanitiser.line(request.relationship))). "
                      + "The answer is due by \(UKDate.date(request.due)); the action is yours, in the Actions pane.")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subject access requests, open ones first by due date: number, status, received, due, pupil, UPN, "
                + "requester, opened by (tab-separated).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let requests = try explainingRefusal(session.actor, .sarExport, handlers) {
                    try session.store.sarRequests(actor: session.actor)
                }
                let now = Date()
                if json {
                    print(try SARExporter.requestsJSON(requests, now: now))
                    return
                }
                if requests.isEmpty { print("No subject access requests.") }
                for request in requests {
                    let status = request.isOverdue(at: now) ? "OVERDUE" : request.status.rawValue
                    print([String(request.id), status, UKDate.date(request.received), UKDate.date(request.due),
                           "\(request.pupilName) (\(request.yearGroup.short))", request.upn,
                           "\(request.requester) (\(request.relationship))", request.openedByName]
                        .map(TextSanitiser.line).joined(separator: "\t"))
                }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the subject access bundle for a pupil: subject-access.html (A4) and subject-access.json.",
            discussion: "Every entry, restricted ones included, with withheld parts replaced by \"[withheld: reason]\", "
                + "the redaction log and who has looked at the file. DIR is made (0700) if missing; one bundle a "
                + "folder. Files are readable by you only. Recorded in the audit log.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The pupil's UPN.", valueName: "UPN")) var upn: String
        @Option(help: ArgumentHelp("The folder to write the bundle into.", valueName: "DIR")) var out: String

        func run() throws {
            try reported {
                if let problem = AuditCommand.Log.upnProblem(upn) { throw CLIError("UPN \(problem)", code: 64) }
                if out.trimmingCharacters(in: .whitespaces).isEmpty { throw CLIError("--out: name a folder", code: 64) }
                let session = try Session.open(global)
                let pupil = try findPupil(upn, option: "UPN", in: session.store)
                let bundle = try explainingRefusal(session.actor, .sarExport, handlers) {
                    try session.store.sarBundle(actor: session.actor, pupil: pupil)
                }
                let document = SARDocument(bundle)
                let files: (html: URL, json: URL)
                do {
                    files = try SARExporter.write(document, to: URL(fileURLWithPath: out, isDirectory: true))
                } catch let error as SARExportError {
                    throw CLIError(error.description, code: 73)
                } catch let error as ChronologyExportError {
                    throw CLIError(error.description, code: 73)
                }
                print("Wrote \(files.html.path)")
                print("Wrote \(files.json.path)")
                let whole = document.entries.filter { $0.withheld == .whole }.count
                let part = document.entries.filter { $0.withheld == .part }.count
                let lines = document.redactions.count
                print("\(document.entries.count) entries: \(whole) withheld whole, \(part) withheld in part; "
                      + "the redaction log has \(lines) line\(lines == 1 ? "" : "s").")
                if document.restrictedCount > 0 {
                    print("\(document.restrictedCount) restricted entr\(document.restrictedCount == 1 ? "y is" : "ies are") "
                          + "included: review them, and withhold what an exemption covers (R in the dashboard), before sending.")
                }
            }
        }
    }
}

private let handlers = "Subject access requests are handled by the DSL and deputy DSLs; ask one of them."

/// The store's problems, each naming the option it came from ("--received: …"), as bad data (65).
private func namingOptions<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch StoreError.invalid(let problems) {
        throw CLIError(problems.map { "\($0.field == SARField.upn ? "UPN" : "--" + $0.field): \($0.message)" }
            .joined(separator: "\n"), code: 65)
    }
}
