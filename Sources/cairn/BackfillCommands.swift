import ArgumentParser
import CairnDomain
import CairnExchange
import CairnStore
import Foundation

extension ConcernCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that a concern typed from paper matches its paper original.",
            discussion: "Someone other than the person who typed it checks every part against the paper, then runs this.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The concern's reference, e.g. 2026-0042.") var reference: String

        func run() throws {
            try reported {
                guard let parsed = ConcernReference(parsing: reference) else {
                    throw CLIError("reference: \"\(reference)\" is not a concern reference such as 2026-0042", code: 65)
                }
                let session = try Session.open(global)
                guard let id = try session.store.concernID(reference: parsed) else {
                    throw CLIError("reference: there is no concern \(parsed)", code: 65)
                }
                let paper = try session.store.verifyBackfill(actor: session.actor, concern: id)
                print("Checked \(parsed) against the paper: \(TextSanitiser.line(paper.provenance)).")
            }
        }
    }
}

struct FormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form",
        abstract: "Write a blank concern form to print, for when Cairn cannot be reached.",
        discussion: "The form asks what the dashboard's concern form asks, in the same order. Type a filled-in form back in "
            + "with `cairn concern log --from-paper` or the dashboard's \"Typed from a paper form\"; then someone else checks it "
            + "against the paper (`cairn concern verify`). Needs no database: print some while Cairn is up.")
    @Option(help: ArgumentHelp("Where to write it; - writes to standard output.", valueName: "file"))
    var out = PaperConcernForm.defaultFileName
    @Flag(help: "Replace the file if it is there already.") var force = false

    func run() throws {
        try reported {
            if out == "-" {
                print(PaperConcernForm.html(), terminator: "")
                return
            }
            do {
                try PaperConcernForm.write(to: out, replacing: force)
            } catch let error as PaperFormExists {
                throw CLIError("--out: \(error)", code: 73)
            } catch let error as ChronologyExportError {
                throw CLIError("--out: \(error)", code: 73)
            }
            print("Wrote a blank concern form to \(out). Open it in a browser and print it on A4.")
        }
    }
}

struct RectifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rectify", abstract: "A family's request to correct a pupil's record, and entries they dispute.",
        discussion: "Facts that are wrong are amended in the dashboard (A on the entry, reason \"rectification request\"). "
            + "An opinion the family disputes stays as written, marked disputed, with their statement beside it.",
        subcommands: [Open.self, List.self, Dispute.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a rectification request; sets you an action due a calendar month after it was received.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The pupil's UPN.") var upn: String
        @Option(help: "The day the request was received, dd/mm/yyyy.") var received: String
        @Option(help: "Who made the request.") var requester: String?
        @Option(help: "Their relationship to the pupil, e.g. mother.") var relationship: String?

        func run() throws {
            try reported {
                var problems: [String] = []
                var pupil: UPN?
                do { pupil = try UPN(upn) } catch { problems.append("upn: \(upn): \(error)") }
                let day = UKDate.parseDate(received)
                if day == nil { problems.append("--received: \"\(received)\" is not a date as dd/mm/yyyy") }
                guard problems.isEmpty, let pupil, let day else { throw CLIError(problems.joined(separator: "\n"), code: 65) }
                let session = try Session.open(global)
                let request = try session.store.openRectification(
                    actor: session.actor, RectificationInput(pupil: pupil, receivedAt: day, requester: requester, relationship: relationship))
                print("Rectification request \(request.id) for \(TextSanitiser.line(request.pupilName)) from "
                      + "\(TextSanitiser.line(request.from)), received \(UKDate.date(request.receivedAt)). "
                      + "Action \(request.action) for \(TextSanitiser.line(request.ownerName)), due \(UKDate.date(request.due)).")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rectification requests, newest first, with their actions.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let requests = try session.store.rectifications(actor: session.actor)
                if json {
                    print(try RectificationJSON.string(requests, now: Date()))
                    return
                }
                if requests.isEmpty { print("No rectification requests.") }
                for request in requests {
                    let overdue = request.status == .open && ActionRules.isOverdue(due: request.due, at: Date())
                    print([String(request.id), UKDate.date(request.receivedAt), request.upn, TextSanitiser.line(request.pupilName),
                           TextSanitiser.line(request.from), "due \(UKDate.date(request.due))",
                           overdue ? "OVERDUE" : request.status.rawValue, TextSanitiser.line(request.ownerName)].joined(separator: "\t"))
                }
            }
        }
    }

    struct Dispute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach the family's statement to an entry they dispute; the entry is marked disputed wherever it appears.",
            discussion: "The entry number is shown when the entry is opened in the dashboard (Enter on the chronology).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The entry's number.") var entry: Int64
        @Option(help: ArgumentHelp("A UTF-8 text file holding their statement, kept word for word; - reads standard input.",
                                   valueName: "file")) var statementFile: String
        @Option(help: "Who made the statement, e.g. \"Mother, Jo Testwood\".") var madeBy: String
        @Option(help: "The day the statement was received, dd/mm/yyyy.") var received: String

        func run() throws {
            try reported {
                var problems: [String] = []
                var statement: String?
                do { statement = try Self.read(statementFile) } catch { problems.append("--statement-file: \(error)") }
                let day = UKDate.parseDate(received)
                if day == nil { problems.append("--received: \"\(received)\" is not a date as dd/mm/yyyy") }
                guard problems.isEmpty, let statement, let day else { throw CLIError(problems.joined(separator: "\n"), code: 65) }
                let session = try Session.open(global)
                try session.store.recordDispute(actor: session.actor, entry: entry,
                                                DisputeInput(statement: statement, madeBy: madeBy, receivedAt: day))
                print("Entry \(entry) is marked disputed, with the statement from \(TextSanitiser.line(madeBy)) received \(UKDate.date(day)).")
            }
        }

        /// The whole file, which must be UTF-8 text.
        static func read(_ path: String) throws -> String {
            let data: Data
            if path == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                    throw CLIError("\(path) does not exist", code: 66)
                }
                guard !isFolder.boolValue, let read = FileManager.default.contents(atPath: path) else {
                    throw CLIError("cannot read \(path): it is a folder or not readable by you", code: 66)
                }
                data = read
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CLIError("\(path) is not UTF-8 text", code: 65)
            }
            return text
        }
    }
}
