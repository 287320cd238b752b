import CairnDomain
import CairnStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `cairn form`, `cairn concern log --from-paper`, `cairn concern verify` and `cairn rectify` with
/// the real binary, on a demo school (where `--as` chooses who is acting). Bad input changes nothing.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct BackfillCommandTests {
    func demo() throws -> (CairnBinary, upn: String) {
        let cairn = try CairnBinary()
        let made = try cairn.run(["demo", "--no-open", "--seed", "11"])
        #expect(made.status == 0, "\(made.errors)")
        let queue = try json(cairn.run(["queue", "--json", "--as", "demo.dsl"]))
        let pupils = try #require(queue.first?["pupils"] as? [[String: Any]])
        return (cairn, try #require(pupils.first?["upn"] as? String))
    }

    func json(_ result: CairnBinary.Result) throws -> [[String: Any]] {
        #expect(result.status == 0, "\(result.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    }

    /// "dd/mm/yyyy HH:MM" yesterday, London time, at the hour and minute given.
    func yesterday(_ time: String) -> String {
        let day = UKDate.calendar.date(byAdding: .day, value: -1, to: Date())!
        return "\(UKDate.date(day)) \(time)"
    }

    var today: String { UKDate.date(Date()) }
    var tomorrow: String { UKDate.date(UKDate.calendar.date(byAdding: .day, value: 1, to: Date())!) }

    // MARK: cairn form

    @Test func theBlankFormIsWrittenOnceAndNeedsNoDatabase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-form-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("form.html").path

        let written = try CairnBinary.exec(CairnBinary.path, ["form", "--out", path])
        #expect(written.status == 0, "\(written.errors)")
        #expect(written.output.contains("Wrote a blank concern form to \(path)"))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("<h1>Safeguarding concern</h1>") && html.contains("size: A4;"))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o644)

        try "kept".write(toFile: path, atomically: false, encoding: .utf8)
        let again = try CairnBinary.exec(CairnBinary.path, ["form", "--out", path])
        #expect(again.status == 73)
        #expect(again.errors.contains("--out: \(path) already exists; choose another --out, or add --force to replace it"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "kept")
        let forced = try CairnBinary.exec(CairnBinary.path, ["form", "--out", path, "--force"])
        #expect(forced.status == 0, "\(forced.errors)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == html)

        let printed = try CairnBinary.exec(CairnBinary.path, ["form", "--out", "-"])
        #expect(printed.status == 0 && printed.output == html)
        let nowhere = try CairnBinary.exec(CairnBinary.path, ["form", "--out", folder.appendingPathComponent("none/form.html").path])
        #expect(nowhere.status == 73 && nowhere.errors.contains("--out: Cannot write to"))
    }

    // MARK: Typed from paper, then checked

    @Test func aPaperConcernIsTypedThenCheckedBySomeoneElse() throws {
        let (cairn, upn) = try demo()
        defer { cairn.cleanUp() }
        let common = ["concern", "log", "--pupil", upn, "--category", "neglect", "--nature", "seen",
                      "--text", "No coat again; said the heating is off.", "--as", "demo.deputy"]
        let count = try json(cairn.run(["queue", "--json", "--as", "demo.dsl"])).count

        for (extra, message) in [
            (["--from-paper", "--occurred-at", yesterday("09:00")],
             "--written-by: required with --from-paper (who wrote the paper, as on it)"),
            (["--from-paper", "--written-by", "Ann Lee", "--written-at", yesterday("09:30")],
             "--occurred-at: required with --from-paper (when it happened, as the paper says)"),
            (["--written-at", yesterday("09:30"), "--occurred-at", yesterday("09:00")], "--written-at: only with --from-paper"),
            (["--from-paper", "--occurred-at", yesterday("09:00"), "--written-by", "Ann Lee", "--written-at", "yesterday"],
             "--written-at: \"yesterday\" is not a date and time as dd/mm/yyyy HH:MM"),
            (["--from-paper", "--occurred-at", yesterday("09:00"), "--written-by", "Ann Lee", "--written-at", yesterday("08:30")],
             "written-at: The paper cannot have been written before what it describes happened (\(yesterday("09:00")))"),
            (["--from-paper", "--occurred-at", yesterday("09:00"), "--written-by", " ", "--written-at", yesterday("09:30")],
             "written-by: Give the name of whoever wrote the paper, as it is on the paper"),
        ] {
            let refused = try cairn.run(common + extra)
            #expect(refused.status == 65, "\(extra): \(refused.errors)")
            #expect(refused.errors.contains(message), "\(extra): \(refused.errors)")
        }
        #expect(try json(cairn.run(["queue", "--json", "--as", "demo.dsl"])).count == count, "nothing was logged")

        let logged = try cairn.run(common + ["--from-paper", "--occurred-at", yesterday("09:00"), "--written-at", yesterday("09:30"),
                                             "--written-by", "Ann Lee"])
        #expect(logged.status == 0, "\(logged.errors)")
        let reference = logged.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(logged.errors.contains("\(reference) awaits a check against the paper by someone else (`cairn concern verify \(reference)`)"))
        let row = try #require(try json(cairn.run(["queue", "--json", "--as", "demo.dsl"])).first { $0["reference"] as? String == reference })
        let paper = try #require(row["paper"] as? [String: Any])
        #expect(paper["writtenBy"] as? String == "Ann Lee" && paper["verifiedBy"] is NSNull)
        #expect(row["reportedBy"] as? String == "demo.deputy")

        let typist = try cairn.run(["concern", "verify", reference, "--as", "demo.deputy"])
        #expect(typist.status == 77)
        #expect(typist.errors.contains("Not permitted: you typed \(reference) from the paper, so a different member of staff must check it against the paper"))
        let staff = try cairn.run(["concern", "verify", reference, "--as", "demo.staff"])
        #expect(staff.status == 77 && staff.errors.contains("may not verify typed-up paper records"), "\(staff.errors)")
        for (bad, message) in [("2026-x", "reference: \"2026-x\" is not a concern reference such as 2026-0042"),
                               ("2026-9999", "reference: there is no concern 2026-9999")] {
            let refused = try cairn.run(["concern", "verify", bad, "--as", "demo.dsl"])
            #expect(refused.status == 65 && refused.errors.contains(message), "\(refused.errors)")
        }

        let checked = try cairn.run(["concern", "verify", reference, "--as", "demo.dsl"])
        #expect(checked.status == 0, "\(checked.errors)")
        #expect(checked.output.contains("Checked \(reference) against the paper: from paper written \(yesterday("09:30")) by Ann Lee"))
        #expect(checked.output.contains("verified by Sam Carter"))
        let twice = try cairn.run(["concern", "verify", reference, "--as", "demo.deputy"])
        #expect(twice.status == 65 && twice.errors.contains("reference: \(reference) was already checked against the paper by Sam Carter"),
                "\(twice.errors)")

        let events = try json(cairn.run(["audit", "log", "--as", "demo.auditor", "--operation", "verify_backfill", "--json"]))
        #expect(events.map { $0["actor"] as? String } == ["demo.dsl", "demo.staff", "demo.deputy"], "the check and both refusals")
    }

    /// The real dashboard in tmux: the queue says PAPER, and `v`, Space, Ctrl-S records the check.
    @Test func theDashboardChecksAPaperConcern() throws {
        let (cairn, upn) = try demo()
        defer { cairn.cleanUp() }
        let logged = try cairn.run(["concern", "log", "--pupil", upn, "--category", "bullying", "--nature", "reported",
                                    "--text", "Pushed over on the field at lunch.", "--as", "demo.deputy", "--from-paper",
                                    "--occurred-at", yesterday("12:30"), "--written-at", yesterday("13:10"), "--written-by", "Ann Lee"])
        #expect(logged.status == 0, "\(logged.errors)")
        let reference = logged.output.trimmingCharacters(in: .whitespacesAndNewlines)

        let tmux = try TmuxSession(command: [CairnBinary.path, "--db", cairn.database, "--as", "demo.dsl"], width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.waitFor("Incoming queue")
        // The newest routine concern is at the foot of the queue.
        try tmux.send("G")
        try tmux.waitFor("▸PAPER")
        try tmux.send("v")
        try tmux.waitFor("Check \(reference) against its paper original")
        try tmux.send("Space")
        try tmux.send("C-s")
        try tmux.waitFor("Checked against the paper written \(yesterday("13:10")) by Ann Lee.")
        #expect(try !tmux.screen().contains("PAPER"))
        try tmux.send("q")
        #expect(tmux.waitForExit(), "q did not quit the dashboard")
        let row = try #require(try json(cairn.run(["queue", "--json", "--as", "demo.dsl"])).first { $0["reference"] as? String == reference })
        #expect((row["paper"] as? [String: Any])?["verifiedBy"] as? String == "demo.dsl")
    }

    // MARK: Rectification

    @Test func aRectificationRequestSetsAnActionAndADisputeMarksTheEntry() throws {
        let (cairn, upn) = try demo()
        defer { cairn.cleanUp() }
        for (arguments, status, message) in [
            (["--received", tomorrow], 65, "received: The date received cannot be in the future"),
            (["--received", "31/02/2026"], 65, "--received: \"31/02/2026\" is not a date as dd/mm/yyyy"),
            (["--received", today, "--requester", ""], 65, "requester: is empty; leave it out if it is not known"),
        ] as [([String], Int32, String)] {
            let refused = try cairn.run(["rectify", "open", upn, "--as", "demo.dsl"] + arguments)
            #expect(refused.status == status && refused.errors.contains(message), "\(arguments): \(refused.errors)")
        }
        let badUPN = try cairn.run(["rectify", "open", "A12345", "--received", today, "--as", "demo.dsl"])
        #expect(badUPN.status == 65 && badUPN.errors.contains("upn: A12345"), "\(badUPN.errors)")
        let pastoral = try cairn.run(["rectify", "open", upn, "--received", today, "--as", "demo.pastoral"])
        #expect(pastoral.status == 77, "\(pastoral.errors)")
        let empty = try cairn.run(["rectify", "list", "--as", "demo.dsl"])
        #expect(empty.output == "No rectification requests.\n", "nothing was recorded: \(empty.output)")

        let opened = try cairn.run(["rectify", "open", upn, "--received", today, "--requester", "Jo Testwood",
                                    "--relationship", "mother", "--as", "demo.dsl"])
        #expect(opened.status == 0, "\(opened.errors)")
        let due = UKDate.date(RectificationInput.due(received: Date()))
        #expect(opened.output.contains("from Jo Testwood (mother), received \(today). Action"))
        #expect(opened.output.contains("for Sam Carter, due \(due)."))
        let listed = try json(cairn.run(["rectify", "list", "--json", "--as", "demo.deputy"]))
        #expect(listed.count == 1)
        #expect(listed.first?["upn"] as? String == upn && listed.first?["due"] as? String == due)
        #expect(listed.first?["status"] as? String == "open" && listed.first?["overdue"] as? Bool == false)

        // The entry to dispute: the pupil's concern, by its number as the dashboard shows it.
        let store = try CairnStore.open(path: cairn.database)
        let dsl = try #require(try store.staff(username: "demo.dsl"))
        let pupil = try #require(try store.pupilID(upn: UPN(upn)))
        let entry = try #require(try store.chronology(actor: dsl, pupil: pupil, limit: 500).first { $0.entry.kind == .concern }).entry
        let statementPath = cairn.directory.appendingPathComponent("statement.txt").path
        let statement = "We disagree with \"seemed withdrawn\".\n\nShe was tired after a late swimming gala.\n"
        try statement.write(toFile: statementPath, atomically: true, encoding: .utf8)
        let blankPath = cairn.directory.appendingPathComponent("blank.txt").path
        try "\n  \n".write(toFile: blankPath, atomically: true, encoding: .utf8)
        let binaryPath = cairn.directory.appendingPathComponent("scan.pdf").path
        try Data([0x25, 0x50, 0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: binaryPath))

        let dispute = ["rectify", "dispute", String(entry.id), "--made-by", "Mother, Jo Testwood"]
        for (arguments, status, message) in [
            (["--statement-file", statementPath, "--received", tomorrow, "--as", "demo.dsl"], 65,
             "received: The date received cannot be in the future"),
            (["--statement-file", blankPath, "--received", today, "--as", "demo.dsl"], 65,
             "statement: Write the family's statement, exactly as they gave it"),
            (["--statement-file", binaryPath, "--received", today, "--as", "demo.dsl"], 65, "--statement-file: \(binaryPath) is not UTF-8 text"),
            (["--statement-file", statementPath + ".missing", "--received", today, "--as", "demo.dsl"], 65,
             "--statement-file: \(statementPath).missing does not exist"),
            (["--statement-file", statementPath, "--received", "today", "--as", "demo.dsl"], 65,
             "--received: \"today\" is not a date as dd/mm/yyyy"),
            (["--statement-file", statementPath, "--received", today, "--as", "demo.pastoral"], 77, "Not permitted"),
        ] as [([String], Int32, String)] {
            let refused = try cairn.run(dispute + arguments)
            #expect(refused.status == status && refused.errors.contains(message), "\(arguments): \(refused.errors)")
        }
        let missing = try cairn.run(["rectify", "dispute", "999999", "--made-by", "Father", "--statement-file", statementPath,
                                     "--received", today, "--as", "demo.dsl"])
        #expect(missing.status == 65 && missing.errors.contains("Entry 999999 was not found."), "\(missing.errors)")
        #expect(try store.entry(actor: dsl, id: entry.id).disputes.isEmpty, "nothing was recorded")

        let recorded = try cairn.run(dispute + ["--statement-file", statementPath, "--received", today, "--as", "demo.deputy"])
        #expect(recorded.status == 0, "\(recorded.errors)")
        #expect(recorded.output.contains("Entry \(entry.id) is marked disputed"))
        let detail = try store.entry(actor: dsl, id: entry.id)
        #expect(detail.disputes.map(\.statement) == ["We disagree with \"seemed withdrawn\".\n\nShe was tired after a late swimming gala."])
        #expect(detail.disputes.first?.madeBy == "Mother, Jo Testwood" && detail.disputes.first?.recordedBy == "demo.deputy")
    }
}
