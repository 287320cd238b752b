import CairnDomain
import Foundation
import Testing

/// `cairn audit` with the real binary on a demo school (where `--as` chooses who is acting).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AuditCommandTests {
    /// A demo school, and the UPN of the first pupil of the first concern in the queue.
    func demo() throws -> (CairnBinary, String, reference: String) {
        let cairn = try CairnBinary()
        let made = try cairn.run(["demo", "--no-open", "--seed", "7"])
        #expect(made.status == 0, "\(made.errors)")
        let queue = try cairn.run(["queue", "--json", "--as", "demo.dsl"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(queue.output.utf8)) as? [[String: Any]])
        let pupils = try #require(rows.first?["pupils"] as? [[String: Any]])
        return (cairn, try #require(pupils.first?["upn"] as? String), try #require(rows.first?["reference"] as? String))
    }

    func json(_ result: CairnBinary.Result) throws -> [[String: Any]] {
        #expect(result.status == 0, "\(result.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    }

    @Test func theLogIsReadableFilteredAndItsReadingRecorded() throws {
        let (cairn, upn, _) = try demo()
        defer { cairn.cleanUp() }
        let log = try cairn.run(["audit", "log", "--as", "demo.auditor", "--limit", "5"])
        #expect(log.status == 0, "\(log.errors)")
        let lines = log.output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.count == 5)
        for fields in lines {
            #expect(fields.count == 6, "when, who, what, record, pupil, detail: \(fields)")
            #expect(UKDate.parseDateTime(String(fields[0])) != nil, "\(fields[0])")
        }

        let triages = try json(cairn.run(["audit", "log", "--as", "demo.auditor", "--staff", "demo.deputy",
                                          "--operation", "triage", "--limit", "3", "--json"]))
        #expect(triages.count == 3)
        for event in triages {
            #expect(event["actor"] as? String == "demo.deputy" && event["actorName"] as? String == "Priya Shah")
            #expect(event["operation"] as? String == "triage" && event["recordKind"] as? String == "concern")
            #expect((event["pupil"] as? [String: Any])?["school"] as? String == "Oakfield Academy (demo)")
        }
        let sequences = triages.compactMap { $0["sequence"] as? Int }
        #expect(sequences == sequences.sorted(by: >), "newest first")

        let aboutOne = try json(cairn.run(["audit", "log", "--as", "demo.dsl", "--pupil", upn, "--json"]))
        #expect(!aboutOne.isEmpty)
        #expect(aboutOne.allSatisfy { ($0["pupil"] as? [String: Any])?["upn"] as? String == upn })

        // The dates are whole days in London: nothing from today is before the start of today.
        let today = UKDate.date(Date())
        let yesterday = UKDate.date(Date().addingTimeInterval(-86_400))
        let untilYesterday = try cairn.run(["audit", "log", "--as", "demo.auditor", "--until", yesterday, "--limit", "50"])
        #expect(untilYesterday.status == 0 && !untilYesterday.output.isEmpty)
        #expect(!untilYesterday.output.split(separator: "\n").contains { $0.hasPrefix(today) }, "\(untilYesterday.output)")
        let sinceToday = try cairn.run(["audit", "log", "--as", "demo.auditor", "--since", today, "--limit", "50"])
        #expect(sinceToday.output.split(separator: "\n").allSatisfy { $0.hasPrefix(today) }, "\(sinceToday.output)")

        // Reading the log is in the log, with what was asked for.
        let newest = try #require(try json(cairn.run(["audit", "log", "--as", "demo.auditor", "--limit", "1", "--json"])).first)
        #expect(newest["actor"] as? String == "demo.auditor" && newest["operation"] as? String == "read_audit")
        #expect((newest["detail"] as? String)?.hasPrefix("since \(today) 00:00") == true, "\(newest)")
    }

    @Test func badOptionsAreNamedAndOnlyTheAuditRolesMayLook() throws {
        let (cairn, upn, _) = try demo()
        defer { cairn.cleanUp() }
        for (arguments, option, status) in [
            (["--since", "31/02/2026"], "--since", 64), (["--until", "2026-03-01"], "--until", 64),
            (["--operation", "peek"], "--operation", 64), (["--pupil", "not-a-upn"], "--pupil", 64),
            (["--since", "02/03/2026", "--until", "01/03/2026"], "--since", 64), (["--limit", "0"], "--limit", 64),
            (["--pupil", UPN.make(la: 999, establishment: 1, year: 1, serial: 1).value], "--pupil", 65),
            (["--staff", "nobody.here"], "--staff", 65),
        ] as [([String], String, Int32)] {
            let refused = try cairn.run(["audit", "log", "--as", "demo.auditor"] + arguments)
            #expect(refused.status == status, "\(arguments): \(refused.errors)")
            #expect(refused.errors.contains(option), "\(arguments): \(refused.errors)")
        }
        for outsider in ["demo.staff", "demo.pastoral", "demo.admin"] {
            let log = try cairn.run(["audit", "log", "--as", outsider])
            #expect(log.status == 77 && log.errors.contains("may not read the audit log"), "\(outsider): \(log.errors)")
            #expect(log.errors.contains("ask one of them"))
            #expect(try cairn.run(["audit", "looked", upn, "--as", outsider]).status == 77)
        }
        let refusals = try json(cairn.run(["audit", "log", "--as", "demo.dsl", "--operation", "read_audit", "--limit", "6", "--json"]))
        #expect(refusals.filter { ($0["detail"] as? String)?.hasPrefix("refused: ") == true }.count == 6, "every refusal is on record")

        #expect(try cairn.run(["audit", "acknowledge", "--as", "demo.deputy"]).status == 77)
        let nothing = try cairn.run(["audit", "acknowledge", "--as", "demo.dsl"])
        #expect(nothing.status == 0 && nothing.output.contains("no audit chain break to acknowledge"))
    }

    @Test func whoHasLookedShowsTheDSLWhoOpenedTheConcern() throws {
        let (cairn, upn, reference) = try demo()
        defer { cairn.cleanUp() }
        let before = try json(cairn.run(["audit", "looked", upn, "--as", "demo.auditor", "--json"]))
        #expect(before.isEmpty, "the demo's work is writing, not looking")

        let tmux = try TmuxSession(command: [CairnBinary.path, "--db", cairn.database, "--as", "demo.deputy"])
        defer { tmux.kill() }
        try tmux.waitFor("Incoming queue")
        try tmux.send("Enter")
        try tmux.waitFor("Concern \(reference)")
        try tmux.send("Escape")
        try tmux.waitFor("Incoming queue")
        try tmux.send("q")
        #expect(tmux.waitForExit(), "q did not quit the dashboard")

        let looks = try json(cairn.run(["audit", "looked", upn, "--as", "demo.auditor", "--json"]))
        #expect(looks.map { $0["username"] as? String } == ["demo.deputy"])
        #expect(looks.first?["reads"] as? Int == 1 && looks.first?["role"] as? String == "deputy")
        let text = try cairn.run(["audit", "looked", upn, "--as", "demo.dsl"])
        #expect(text.output.hasPrefix("demo.deputy\tPriya Shah\tDeputy DSL\t1\t"), "\(text.output)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func theDSLAcknowledgesABreakAndSaysWhichOne() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["demo", "--no-open", "--seed", "7"]).status == 0)
        // Someone with the file changes an event; the next session's check at start finds it.
        let sql = "DROP TRIGGER audit_no_update; DROP TRIGGER audit_detail_only_redacted; UPDATE audit_events SET detail = 'nothing to see' WHERE seq = 40;"
        #expect(try CairnBinary.exec("/usr/bin/sqlite3", [cairn.database, sql]).status == 0)
        let tmux = try TmuxSession(command: [CairnBinary.path, "--db", cairn.database, "--as", "demo.deputy"])
        defer { tmux.kill() }
        try tmux.waitFor("AUDIT LOG BROKEN at event 40")
        try tmux.send("q")
        #expect(tmux.waitForExit(), "q did not quit the dashboard")

        #expect(try cairn.run(["audit", "acknowledge", "--as", "demo.deputy"]).status == 77)
        let acknowledged = try cairn.run(["audit", "acknowledge", "--as", "demo.dsl"])
        #expect(acknowledged.status == 0, "\(acknowledged.errors)")
        #expect(acknowledged.output.contains("Acknowledged the break at event 40: its contents do not match its hash"))
        #expect(try cairn.run(["audit", "acknowledge", "--as", "demo.dsl"]).output.contains("no audit chain break"))

        let events = try json(cairn.run(["audit", "log", "--as", "demo.auditor", "--operation", "acknowledge_audit", "--json"]))
        let done = try #require(events.first { ($0["detail"] as? String)?.hasPrefix("acknowledged") == true })
        #expect(done["actor"] as? String == "demo.dsl" && done["recordID"] as? String == "40")
        let verified = try cairn.run(["audit", "verify", "--as", "demo.auditor"])
        #expect(verified.status == 65 && verified.errors.contains("BROKEN at event 40"), "the chain still tells the truth")
    }
}
