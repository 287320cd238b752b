import CairnDomain
import Foundation
import Testing

/// The real binary, driven as a DSL would drive it. Serialised: tmux sessions and the CPU are shared.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct EndToEndTests {
    let upnA = UPN.make(la: 999, establishment: 4001, year: 15, serial: 1)
    let upnB = UPN.make(la: 999, establishment: 4001, year: 15, serial: 2)

    @Test func triageFromTheDashboardIsSavedAndAudited() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        // No --as: identity is the operating-system user, who becomes the DSL.
        let initialised = try cairn.run(["init", "--school", "Brookside Primary (test)", "--dsl-name", "Test DSL"])
        #expect(initialised.status == 0, "\(initialised.errors)")

        let csv = """
        UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group
        \(upnA.value),Ashdown,Wren,,04/03/2016,Year 5,5A
        \(upnB.value),Carrow,Efa,Effie,19/10/2017,Year 4,4B
        """
        let csvPath = cairn.directory.appendingPathComponent("roster.csv").path
        try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
        let imported = try cairn.run(["pupils", "import", csvPath])
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("Added 2"))

        let first = try cairn.run(["concern", "log", "--pupil", upnA.value, "--category", "neglect", "--nature", "seen",
                                   "--text", "Arrived without a coat for the third day running."])
        #expect(first.status == 0, "\(first.errors)")
        let second = try cairn.run(["concern", "log", "--pupil", upnB.value, "--category", "self-harm", "--nature", "disclosed",
                                    "--text", "-", "--child-words", "I don't want to go home."], input: "Showed marks on her wrist.\n")
        #expect(second.status == 0, "\(second.errors)")
        let reference = second.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(ConcernReference(parsing: reference) != nil, "not a reference: \(reference)")

        let tmux = try TmuxSession(command: [CairnBinary.path, "--db", cairn.database])
        defer { tmux.kill() }
        try tmux.waitFor("Incoming queue")
        try tmux.waitFor("Wren Ashdown")
        try tmux.waitFor("Effie Carrow")
        try tmux.waitFor("2 new · 0 urgent · 0 overdue")

        try tmux.send("j")
        try tmux.send("Enter")
        try tmux.waitFor("Concern \(reference)")
        try tmux.waitFor("I don't want to go home.")
        try tmux.waitFor("Disclosed by the child")

        try tmux.send("Escape")
        try tmux.waitFor("Incoming queue")
        try tmux.send("t")
        try tmux.waitFor("Triage \(reference)")
        try tmux.send("Right")  // level of need: 2 -> 3
        try tmux.send("C-s")
        try tmux.waitFor("Triage saved")
        try tmux.waitFor("1 new")

        // Someone else logs a concern while the dashboard is open: it appears without a key press.
        let third = try cairn.run(["concern", "log", "--pupil", upnA.value, "--category", "bullying", "--nature", "reported",
                                   "--urgent", "--text", "Older pupils took his lunch money at the gate."])
        #expect(third.status == 0, "\(third.errors)")
        try tmux.waitFor("2 new · 1 urgent", timeout: 10)
        try tmux.waitFor("URGENT")

        // Find the pupil and open her chronology: both concerns and the triage are in it.
        try tmux.send("/")
        try tmux.waitFor("Find a pupil")
        try tmux.send("Ashd")
        try tmux.waitFor("Wren Ashdown · Y5")
        try tmux.send("Enter")
        try tmux.waitFor("Chronology · Wren Ashdown")
        try tmux.waitFor("Year 5 · form 5A")
        try tmux.waitFor("Arrived without a coat")
        try tmux.waitFor("Older pupils took his lunch")
        try tmux.send("Escape")
        try tmux.waitFor("Incoming queue")
        try tmux.send("q")
        #expect(tmux.waitForExit(), "q did not quit the dashboard")

        let json = try cairn.run(["queue", "--json"])
        #expect(json.status == 0, "\(json.errors)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        let triaged = try #require(rows.first { $0["reference"] as? String == reference })
        #expect(triaged["status"] as? String == "in_progress")
        #expect(triaged["level"] as? Int == 3)

        let verified = try cairn.run(["audit", "verify"])
        #expect(verified.status == 0, "\(verified.errors)")
        #expect(verified.output.contains("intact"))
    }

    @Test func demoOpensOnTheQueueWithUrgentBadges() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        let made = try cairn.run(["demo", "--no-open", "--seed", "7"])
        #expect(made.status == 0, "\(made.errors)")
        let tmux = try TmuxSession(command: [CairnBinary.path, "demo", "--db", cairn.database], width: 80, height: 24)
        defer { tmux.kill() }
        try tmux.waitFor("Incoming queue")
        try tmux.waitFor("URGENT")
        try tmux.waitFor("Sam Carter · DSL · Oakfield Academy")
        try tmux.send("?")
        try tmux.waitFor("Keys")
        try tmux.send("Escape")
        try tmux.send("C-c")
        #expect(tmux.waitForExit(), "Ctrl-C did not quit the dashboard")
    }

    @Test func aLocaleThatIsNotUTF8IsExplainedNotDrawnAsJunk() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["init", "--school", "Brookside Primary (test)"]).status == 0)
        let result = try CairnBinary.exec("/usr/bin/env", ["LC_ALL=C", "LANG=C", CairnBinary.path, "--db", cairn.database])
        #expect(result.status == 1)
        #expect(result.errors.contains("UTF-8"))
        #expect(result.errors.contains("LANG=C.UTF-8"))
    }

    @Test func theDSLAddsAndListsStaff() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["init", "--school", "Brookside Primary (test)"]).status == 0)
        let noYears = try cairn.run(["staff", "add", "h.yearlead", "--name", "Hal Yearlead", "--role", "pastoral"])
        #expect(noYears.status == 65)
        #expect(noYears.errors.contains("years"))
        let badRole = try cairn.run(["staff", "add", "h.yearlead", "--name", "Hal Yearlead", "--role", "headteacher"])
        #expect(badRole.status == 64)
        let added = try cairn.run(["staff", "add", "h.yearlead", "--name", "Hal Yearlead", "--role", "pastoral", "--years", "7,8"])
        #expect(added.status == 0, "\(added.errors)")
        let listed = try cairn.run(["staff", "list", "--json"])
        let staff = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        let lead = try #require(staff.first { $0["username"] as? String == "h.yearlead" })
        #expect(lead["role"] as? String == "pastoral")
        #expect(lead["years"] as? [Int] == [7, 8])
        let again = try cairn.run(["staff", "add", "h.yearlead", "--name", "Someone Else", "--role", "staff"])
        #expect(again.status == 65, "an existing username must not be overwritten")
    }

    @Test func identityCannotBeChosenOnARealDatabase() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["init", "--school", "Brookside Primary (test)", "--dsl", "someone.else"]).status == 0)
        let impersonating = try cairn.run(["queue", "--as", "someone.else"])
        #expect(impersonating.status == 77)
        #expect(impersonating.errors.contains("--as is refused"))
        let stranger = try cairn.run(["queue"])
        #expect(stranger.status == 77)
        #expect(stranger.errors.contains("cairn staff add"))
    }

    @Test func badInputIsRefusedWithTheFieldNamedAndChangesNothing() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["init", "--school", "Brookside Primary (test)"]).status == 0)
        let badCSV = "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group\n\(upnA.value),Ashdown,Wren,31/02/2016,5,5A\n"
        let path = cairn.directory.appendingPathComponent("bad.csv").path
        try badCSV.write(toFile: path, atomically: true, encoding: .utf8)
        let imported = try cairn.run(["pupils", "import", path])
        #expect(imported.status == 65)
        #expect(imported.errors.contains("line 2, date of birth"))
        let logged = try cairn.run(["concern", "log", "--pupil", "A12345678901X", "--category", "nonsense",
                                    "--nature", "guess", "--text", "x"])
        #expect(logged.status == 65)
        #expect(logged.errors.contains("--category"))
        #expect(logged.errors.contains("--nature"))
        let queue = try cairn.run(["queue", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(queue.output.utf8)) as? [Any])
        #expect(rows.isEmpty, "a refused concern must not be written")
        let missing = try CairnBinary.exec(CairnBinary.path, ["queue", "--db", cairn.directory.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 66)
    }
}
