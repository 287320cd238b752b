import ArgumentParser
import CairnDomain
import CairnExchange
import CairnStore
import Foundation

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search what was written in the records you may see, best match first.",
        discussion: """
            Finds words in concerns (every account, the child's own words, what the reporter did, where), \
            chronology entries (notes, contacts, meetings, referrals and decisions, actions and their outcomes, \
            closures and their reasons) and amendments. Every word must be there, in any order; the last word, \
            from two letters, also matches the start of a longer one ("bru" finds "bruise"). Accents do not matter ("zoe" finds \
            "Zoë"). Quotes, *, brackets, AND, OR and NEAR are searched for as plain words.

            Each result is a line of tab-separated fields: date, pupil (year), UPN, what kind of entry and \
            where in it, and a snippet with the matched words in [brackets] (in bold on a terminal). With \
            --json, the snippet is plain text and "matches" gives [start, end) offsets in Unicode code points.

            Only what you may read is searched: a pastoral lead's year groups, restricted entries only for \
            those who may see them. Every search is recorded in the audit log with its text.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The words to find.") var words: [String] = []
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "At most this many results, 1 to 200.") var limit = 20

    func validate() throws {
        if words.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
            throw ValidationError("Give the words to search for, e.g. cairn search bruise")
        }
        if !(1...200).contains(limit) { throw ValidationError("--limit must be a number from 1 to 200") }
    }

    func run() throws {
        try reported {
            let text = words.joined(separator: " ")
            let session = try Session.open(global)
            let hits = try session.store.searchRecords(actor: session.actor, text: text, limit: limit)
            if json {
                print(try SearchJSON.string(hits, schools: try session.store.schools()))
                return
            }
            if hits.isEmpty {
                print("Nothing you may see matches \"\(TextSanitiser.line(text))\".")
                return
            }
            // Bold on a terminal that can show it; otherwise brackets, which survive a pipe or a file.
            let bold = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"].map { $0 != "dumb" } == true
            for hit in hits {
                let snippet = bold ? hit.snippet.marked(open: "\u{1B}[1m", close: "\u{1B}[22m")
                                   : hit.snippet.marked(open: "[", close: "]")
                print([UKDate.date(hit.occurredAt), "\(TextSanitiser.line(hit.pupil.name)) (\(hit.pupil.yearGroup.short))",
                       hit.pupil.upn, hit.kindAndPart + (hit.restricted ? ", restricted" : ""), snippet]
                    .joined(separator: "\t"))
            }
        }
    }
}
