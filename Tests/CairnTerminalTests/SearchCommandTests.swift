import CairnDomain
import Foundation
import Testing

/// `cairn search` with the real binary on a demo school (where `--as` chooses who is acting).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SearchCommandTests {
    func demo() throws -> CairnBinary {
        let cairn = try CairnBinary()
        let made = try cairn.run(["demo", "--no-open", "--seed", "7"])
        #expect(made.status == 0, "\(made.errors)")
        return cairn
    }

    func json(_ result: CairnBinary.Result) throws -> [[String: Any]] {
        #expect(result.status == 0, "\(result.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    }

    /// The sequence number of the newest audit event (reading it adds one, the read itself).
    func newestEvent(_ cairn: CairnBinary) throws -> Int {
        try #require(try json(cairn.run(["audit", "log", "--as", "demo.auditor", "--limit", "1", "--json"])).first?["sequence"] as? Int)
    }

    @Test func resultsArePrintedBestFirstWithTheMatchInBrackets() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let result = try cairn.run(["search", "bruise", "--as", "demo.dsl"])
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.count == 20, "the default limit")
        for fields in lines {
            #expect(fields.count == 5, "date, pupil, UPN, kind, snippet: \(fields)")
            #expect(UKDate.parseDate(String(fields[0])) != nil, "\(fields[0])")
            #expect((try? UPN(String(fields[2]))) != nil, "\(fields[2])")
            #expect(fields[4].lowercased().contains("[bruise"), "\(fields[4])")
            #expect(!fields[4].contains("\u{1B}"), "no escapes when the output is not a terminal")
        }
        #expect(try cairn.run(["search", "bruise", "on", "the", "--limit", "3", "--as", "demo.dsl"]).output
            .split(separator: "\n").count == 3)
        let nothing = try cairn.run(["search", "zzyzx", "--as", "demo.dsl"])
        #expect(nothing.status == 0 && nothing.output == "Nothing you may see matches \"zzyzx\".\n")

        // Recorded, with the text and how many were found.
        let logged = try json(cairn.run(["audit", "log", "--as", "demo.auditor", "--operation", "search", "--limit", "3", "--json"]))
        #expect(logged.contains { $0["actor"] as? String == "demo.dsl" && $0["detail"] as? String == "search \"zzyzx\": 0 found" })
        #expect(logged.contains { $0["detail"] as? String == "search \"bruise on the\": 3 found" })
    }

    @Test func jsonGivesPlainSnippetsWithMatchOffsets() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let hits = try json(cairn.run(["search", "bruise", "--json", "--limit", "5", "--as", "demo.dsl"]))
        #expect(hits.map { $0["rank"] as? Int } == [1, 2, 3, 4, 5])
        for hit in hits {
            let snippet = try #require(hit["snippet"] as? String)
            let matches = try #require(hit["matches"] as? [[Int]])
            #expect(!matches.isEmpty && !snippet.contains("["), "\(snippet)")
            let scalars = Array(snippet.unicodeScalars)
            for match in matches {
                let word = String(String.UnicodeScalarView(scalars[match[0]..<match[1]]))
                #expect(word.lowercased().hasPrefix("bruise"), "\(match) in \(snippet)")
            }
            let pupil = try #require(hit["pupil"] as? [String: Any])
            #expect((try? UPN(pupil["upn"] as? String ?? "")) != nil)
            #expect(hit["school"] as? String == "Oakfield Academy (demo)")
            #expect(hit["kind"] as? String == "concern" && hit["part"] as? String == "account" && hit["nature"] as? String == "seen")
            #expect(UKDate.parseDate(hit["date"] as? String ?? "") != nil && hit["entry"] is Int && hit["restricted"] is Bool)
        }
        // A pastoral lead's results are their year groups only.
        let theirs = try json(cairn.run(["search", "bruise", "--json", "--limit", "200", "--as", "demo.pastoral"]))
        #expect(!theirs.isEmpty)
        #expect(theirs.allSatisfy { [7, 8, 9].contains(($0["pupil"] as? [String: Any])?["yearGroup"] as? Int ?? -1) })
        #expect(theirs.allSatisfy { $0["restricted"] as? Bool == false })
    }

    @Test func staffAdminAndAuditorAreRefusedOnRecord() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        for outsider in ["demo.staff", "demo.admin", "demo.auditor"] {
            let refused = try cairn.run(["search", "bruise", "--as", outsider])
            #expect(refused.status == 77, "\(outsider): \(refused.errors)")
            #expect(refused.errors.contains("Not permitted") && refused.output.isEmpty, "\(outsider): \(refused.errors)")
        }
        let logged = try json(cairn.run(["audit", "log", "--as", "demo.auditor", "--operation", "search", "--limit", "3", "--json"]))
        #expect(Set(logged.compactMap { $0["actor"] as? String }) == ["demo.staff", "demo.admin", "demo.auditor"])
        #expect(logged.allSatisfy { ($0["detail"] as? String)?.hasPrefix("refused") == true })
    }

    @Test func badInputIsNamedAndChangesNothing() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let before = try newestEvent(cairn)
        for (arguments, says, status) in [
            ([], "words", 64), (["  "], "words", 64), (["bruise", "--limit", "0"], "--limit", 64),
            (["bruise", "--limit", "201"], "--limit", 64), (["bruise", "--limit", "lots"], "--limit", 64),
            (["((("], "search text", 65), (["*", "\""], "search text", 65),
            ([String(repeating: "word ", count: 41)], "search text", 65),
        ] as [([String], String, Int32)] {
            let refused = try cairn.run(["search"] + arguments + ["--as", "demo.dsl"])
            #expect(refused.status == status, "\(arguments): \(refused.errors)")
            #expect(refused.errors.contains(says) && refused.output.isEmpty, "\(arguments): \(refused.errors)")
        }
        #expect(try newestEvent(cairn) == before + 1, "nothing was read or written but the auditor's second look")
        // Search syntax typed by accident is only text: no error.
        for text in ["\"bruise", "bruise AND (arm", "NEAR(bruise", "bruise*", "'; DROP TABLE pupils; --"] {
            let run = try cairn.run(["search", text, "--as", "demo.dsl"])
            #expect(run.status == 0, "\(text): \(run.errors)")
        }
    }

    /// The same search from the dashboard over a terminal: typed fast, searched once when typing
    /// pauses, and Enter on a hit opens that pupil's file.
    @Test func theDashboardFinderSearchesOnceTypingPauses() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let tmux = try TmuxSession(command: [CairnBinary.path, "--db", cairn.database, "--as", "demo.dsl"])
        defer { tmux.kill() }
        try tmux.waitFor("Incoming queue")
        try tmux.send("/")
        try tmux.waitFor("Find a pupil, or search")
        try tmux.type("bruise")
        try tmux.waitFor("In their records")
        let screen = try tmux.waitFor("Noticed a bruise")
        #expect(screen.contains("0 pupils · best 20 of more records"), "\(screen)")
        try tmux.send("Down")
        try tmux.send("Enter")
        try tmux.waitFor("Chronology ·")
        try tmux.send("q")
        #expect(tmux.waitForExit(), "q did not quit the dashboard")
        let searches = try json(cairn.run(["audit", "log", "--as", "demo.auditor", "--operation", "search", "--json"]))
        let details = searches.compactMap { $0["detail"] as? String }.filter { $0.hasPrefix("find") }
        #expect(details == ["find \"bruise\": 0 pupils and 20+ records found"], "one event for the word, not one a key")
    }
}
