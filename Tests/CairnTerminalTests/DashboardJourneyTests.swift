import CairnDomain
import Foundation
import Testing

/// A morning in the real binary, on the demo school: a pastoral lead, a member of staff and the
/// DSL, each driving Cairn from the keyboard in tmux. Every expectation waits for the screen.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DashboardJourneyTests {
    /// The demo school, made once per test in its own directory.
    private func demo() throws -> CairnBinary {
        let cairn = try CairnBinary()
        let made = try cairn.run(["demo", "--no-open", "--seed", "7"])
        #expect(made.status == 0, "\(made.errors)")
        return cairn
    }

    private func dashboard(_ cairn: CairnBinary, as user: String, width: Int = 100, height: Int = 30) throws -> TmuxSession {
        try TmuxSession(command: [CairnBinary.path, "--db", cairn.database, "--as", user], width: width, height: height)
    }

    @Test func aPastoralLeadReviewsAYear8ChronologyAndCompletesAnAction() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let tmux = try dashboard(cairn, as: "demo.pastoral")
        defer { tmux.kill() }
        try tmux.waitFor("Tom Hughes · Pastoral lead")
        // A pastoral lead has no incoming queue: their own concerns, the chronology and their actions.
        try tmux.waitFor("Concerns you have logged")
        try tmux.waitFor("3 Actions")

        try tmux.send("/")
        try tmux.waitFor("Find a pupil")
        try tmux.type("8")
        try tmux.waitFor("· Y8 ·")
        try tmux.send("Enter")
        try tmux.waitFor("Chronology ·")
        try tmux.waitFor("Year 8 · form 8")
        try tmux.send("s")
        try tmux.waitFor("significant only")

        try tmux.send("3")
        try tmux.waitFor("Actions · Mine")
        try tmux.waitFor("OVERDUE")
        try tmux.send("d")
        try tmux.waitFor("Mark done")
        try tmux.send("C-s")
        try tmux.waitFor("Record the outcome")  // the outcome is required: nothing saved yet
        try tmux.type("Met mother after school; attendance plan agreed.")
        try tmux.send("C-s")
        try tmux.waitFor("Action marked done.")
        try tmux.send("q")
        #expect(tmux.waitForExit())

        let audit = try cairn.run(["audit", "verify", "--as", "demo.dsl"])
        #expect(audit.status == 0, "\(audit.errors)")
    }

    @Test func anUrgentConcernLoggedByStaffReachesTheDSLQueueAtOnce() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let dsl = try dashboard(cairn, as: "demo.dsl")
        defer { dsl.kill() }
        try dsl.waitFor("Incoming queue")
        let staff = try dashboard(cairn, as: "demo.staff", width: 80, height: 24)
        defer { staff.kill() }
        try staff.waitFor("Jo Bennett · Staff")
        try staff.waitFor("l Log a concern")

        try staff.send("l")
        try staff.waitFor("Log a concern")
        try staff.type("8")  // the pupil picker searches as you type
        try staff.waitFor("· Y8 ·")
        try staff.send("Space")
        try staff.waitFor("[x]")
        try staff.send("Tab")  // date, prefilled with today
        try staff.send("Tab")  // time, prefilled with now
        try staff.send("Tab")
        try staff.type("Year 8 corridor")
        try staff.send("Tab")
        try staff.type("Saw a bruise on the left cheek when the pupil took off a scarf.")
        try staff.send("Tab")
        try staff.type("My uncle did it because I was late home.")
        try staff.send("Tab")
        try staff.type("d")  // nature: disclosed by the child
        try staff.waitFor("Disclosed by the child")
        try staff.send("Tab")
        try staff.type("Reassured the pupil and came straight to write this.")
        try staff.send("Tab")
        try staff.type("phys")  // categories, filtered as you type
        try staff.waitFor("Physical abuse")
        try staff.send("Space")
        try staff.send("Tab")
        try staff.type("y")  // at risk now: yes
        try staff.waitFor("URGENT")
        try staff.send("C-s")
        let saved = try staff.waitFor("logged as URGENT")
        #expect(saved.split(separator: " ").contains { ConcernReference(parsing: String($0)) != nil }, "no reference:\n\(saved)")
        let started = Date()

        // The DSL's queue shows it at the top, without a key press.
        let screen = try dsl.waitFor("Saw a bruise", timeout: 6)
        #expect(Date().timeIntervalSince(started) < 4, "the DSL's dashboard took too long to notice")
        let firstRow = screen.split(separator: "\n").dropFirst(2).first.map(String.init) ?? ""
        #expect(firstRow.contains("URGENT") && firstRow.contains("Saw a bruise"), "not at the top:\n\(screen)")
    }

    @Test func theDSLRecordsAReferralWithoutConsentAndItIsInTheChronology() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let tmux = try dashboard(cairn, as: "demo.dsl")
        defer { tmux.kill() }
        try tmux.waitFor("Incoming queue")
        try tmux.send("/")
        try tmux.type("9")
        try tmux.waitFor("· Y9 ·")
        try tmux.send("Enter")
        try tmux.waitFor("Chronology ·")

        try tmux.send("r")
        try tmux.waitFor("Record a referral")
        try tmux.send("Tab")  // outcome stays "Referral made"
        try tmux.type("p")  // agency: Police
        try tmux.waitFor("Police")
        try tmux.send("Tab")  // date: today
        try tmux.send("Tab")
        try tmux.type("n")  // consent: not sought
        try tmux.waitFor("Not sought")
        try tmux.waitFor("Why without consent")
        try tmux.send("C-s")
        try tmux.waitFor("Say why consent was not sought")  // refused until the reason is given
        // The failed save put the cursor in the first field with a problem: the reason.
        try tmux.type("Seeking consent would place the pupil at risk of further harm.")
        try tmux.send("Tab")
        try tmux.type("p")  // lawful basis: public task
        try tmux.waitFor("Public task")
        try tmux.send("C-s")
        try tmux.waitFor("Referral to Police recorded.")
        try tmux.waitFor("Referral")
        try tmux.send("g")
        try tmux.send("Enter")
        try tmux.waitFor("Not sought")
        try tmux.waitFor("Seeking consent would place the pupil at risk")
    }

    @Test func resizingMidFormLosesNothing() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let tmux = try dashboard(cairn, as: "demo.dsl", width: 132, height: 43)
        defer { tmux.kill() }
        try tmux.waitFor("Incoming queue")
        try tmux.send("l")
        try tmux.waitFor("Log a concern")
        try tmux.send("Tab", "Tab", "Tab")
        try tmux.type("Library, by the windows")
        try tmux.send("Tab")
        try tmux.type("Crying and would not say why.")
        try tmux.waitFor("Crying and would not say why.")

        try tmux.resize(width: 80, height: 24)
        // At 80 columns the label is on two lines: the form has been laid out again.
        try tmux.waitFor("│   heard *")
        try tmux.waitFor("Library, by the windows")
        try tmux.waitFor("Crying and would not say why.")
        try tmux.type(" Later said home was difficult.")
        try tmux.waitFor("difficult.")
        try tmux.resize(width: 132, height: 43)
        try tmux.waitFor("What you saw or heard *")
        try tmux.waitFor("Library, by the windows")
        try tmux.waitFor("Crying and would not say why. Later said home was difficult.")

        // Esc asks before throwing typed text away; any other key keeps it.
        try tmux.send("Escape")
        try tmux.waitFor("Discard what you typed?")
        try tmux.send("n")
        try tmux.waitFor("Crying and would not say why. Later said home was difficult.")
    }
}
