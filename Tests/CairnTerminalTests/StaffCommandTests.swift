import CairnDomain
import Foundation
import Testing

/// `cairn staff`, `cairn schools` and `cairn pupils import --school`, driven through the real binary.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StaffCommandTests {
    /// A demo database, where `--as` chooses who acts.
    func demo() throws -> CairnBinary {
        let cairn = try CairnBinary()
        let made = try cairn.run(["demo", "--no-open"])
        #expect(made.status == 0, "\(made.errors)")
        return cairn
    }

    func run(_ cairn: CairnBinary, as username: String, _ arguments: [String]) throws -> CairnBinary.Result {
        try cairn.run(arguments + ["--as", username])
    }

    func writeRoster(_ cairn: CairnBinary, _ name: String, _ lines: [String]) throws -> String {
        let path = cairn.directory.appendingPathComponent(name).path
        try (["UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group"] + lines)
            .joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aDSLAddsChangesDisablesAndEnablesStaffAndTheHistoryIsKept() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let added = try run(cairn, as: "demo.dsl", ["staff", "add", "h.vance", "--name", "Eli Vance", "--role", "pastoral",
                                                    "--years", "10,11"])
        #expect(added.status == 0, "\(added.errors)")
        #expect(added.output == "Added h.vance as Pastoral lead (Y10,Y11) at Oakfield Academy (demo).\n")
        let years = try run(cairn, as: "demo.dsl", ["staff", "set-years", "h.vance", "9,10"])
        #expect(years.output == "h.vance now covers Y9,Y10.\n", "\(years.errors)")
        let role = try run(cairn, as: "demo.dsl", ["staff", "set-role", "h.vance", "deputy"])
        #expect(role.output == "h.vance is now Deputy DSL.\n", "\(role.errors)")
        let disabled = try run(cairn, as: "demo.dsl", ["staff", "disable", "h.vance", "--reason", "left at Easter"])
        #expect(disabled.status == 0, "\(disabled.errors)")
        #expect(disabled.output.contains("Disabled h.vance"))

        let refused = try run(cairn, as: "h.vance", ["queue"])
        #expect(refused.status == 77)
        #expect(refused.errors.contains("disabled"), "\(refused.errors)")

        let active = try run(cairn, as: "demo.admin", ["staff", "list"])
        #expect(active.status == 0, "\(active.errors)")
        #expect(active.output.hasPrefix("USERNAME"))
        #expect(!active.output.contains("h.vance"))
        let everyone = try run(cairn, as: "demo.admin", ["staff", "list", "--all"])
        let row = try #require(everyone.output.split(separator: "\n").first { $0.hasPrefix("h.vance ") })
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                == ["h.vance", "deputy", "-", "Oakfield", "Academy", "(demo)", "disabled", "Eli", "Vance"])
        let json = try run(cairn, as: "demo.admin", ["staff", "list", "--all", "--json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        let vance = try #require(objects.first { $0["username"] as? String == "h.vance" })
        #expect(vance["school"] as? String == "Oakfield Academy (demo)")
        #expect(vance["active"] as? Bool == false)

        let history = try run(cairn, as: "demo.dsl", ["staff", "history", "h.vance"])
        #expect(history.status == 0, "\(history.errors)")
        let lines = history.output.split(separator: "\n").map(String.init)
        // Moving off pastoral empties the year groups, and that is a change too.
        #expect(lines.map { $0.split(separator: " ").dropFirst(2).first.map(String.init) } == ["added", "years", "role", "years", "disabled"])
        #expect(lines[0].hasSuffix("added  pastoral (Y10,Y11) at Oakfield Academy (demo)  by demo.dsl"))
        #expect(lines[1].contains("years  10,11 → 9,10"))
        #expect(lines[2].contains("role  pastoral → deputy  by demo.dsl"))
        #expect(lines[3].contains("years  9,10 → none"))
        #expect(lines[4].hasSuffix("disabled  active → disabled: left at Easter  by demo.dsl"))

        let enabled = try run(cairn, as: "demo.dsl", ["staff", "enable", "h.vance"])
        #expect(enabled.status == 0, "\(enabled.errors)")
        #expect(try run(cairn, as: "h.vance", ["queue"]).status == 0, "enabled again, they can sign in")
    }

    @Test func refusalsSayWhatHappenedAndWhatToDo() throws {
        let cairn = try demo()
        defer { cairn.cleanUp() }
        let cases: [(as: String, arguments: [String], status: Int32, message: String)] = [
            ("demo.admin", ["staff", "add", "it.second", "--name", "Alex Morgan", "--role", "dsl"], 77,
             "cairn: Not permitted: role: only a DSL can give anyone the DSL role; ask a DSL"),
            ("demo.admin", ["staff", "set-role", "k.osei", "deputy"], 77,
             "cairn: Not permitted: role: only a DSL can give anyone the Deputy DSL role; ask a DSL"),
            ("demo.admin", ["staff", "set-years", "demo.pastoral", "7,8,9,10"], 77,
             "cairn: Not permitted: role: only a DSL can change a pastoral lead's year groups, which decide whose records they read; ask a DSL"),
            ("demo.staff", ["staff", "add", "x.y", "--name", "X Y", "--role", "staff"], 77,
             "cairn: Not permitted: the Staff role may not manage staff"),
            ("demo.dsl", ["staff", "disable", "demo.dsl"], 77,
             "cairn: Not permitted: nobody may change their own account (role, years, school, disabled or enabled); ask another DSL or admin"),
            ("demo.admin", ["staff", "disable", "demo.dsl"], 65,
             "cairn: username: demo.dsl is the last active DSL for Oakfield Academy (demo), so cannot be disabled; add another DSL first (`cairn staff add USERNAME --name NAME --role dsl`)"),
            ("demo.admin", ["staff", "set-role", "demo.dsl", "admin"], 65,
             "cairn: username: demo.dsl is the last active DSL for Oakfield Academy (demo), so cannot move to another role; add another DSL first (`cairn staff add USERNAME --name NAME --role dsl`)"),
            ("demo.dsl", ["staff", "add", "x.y", "--name", "X Y", "--role", "pastoral"], 65,
             "cairn: years: a pastoral lead needs year groups, e.g. --years 7,8,9"),
            ("demo.dsl", ["staff", "add", "x.y", "--name", "X Y", "--role", "staff", "--years", "7"], 65,
             "cairn: years: only a pastoral lead has year groups; leave them out for the Staff role"),
            ("demo.dsl", ["staff", "set-years", "demo.staff", "7"], 65,
             "cairn: years: demo.staff's role is Staff, and only a pastoral lead has year groups; to make them one: `cairn staff set-role demo.staff pastoral --years 7,8`"),
            ("demo.dsl", ["staff", "disable", "nobody"], 65,
             "cairn: username: no member of staff is called nobody; see `cairn staff list --all`"),
            ("demo.dsl", ["staff", "enable", "k.osei"], 65, "cairn: username: k.osei is already active"),
            ("demo.dsl", ["staff", "add", "x.y", "--name", "X Y", "--role", "staff", "--trust"], 77,
             "cairn: Not permitted: school: only the trust's DSL or admin can add trust-level staff; you manage staff at Oakfield Academy (demo) only"),
            ("demo.dsl", ["staff", "add", "x.y", "--name", "X Y", "--role", "staff", "--school", "Nowhere"], 65,
             "cairn: --school: there is no school called \"Nowhere\"; the schools are \"Oakfield Academy (demo)\""),
            ("demo.dsl", ["staff", "add", "x.y", "--name", "X Y", "--role", "staff", "--school", "A", "--trust"], 64,
             "cairn: --school and --trust: choose one; someone works at one school or for the whole trust"),
            ("demo.dsl", ["staff", "set-role", "k.osei", "headteacher"], 64,
             "cairn: ROLE: \"headteacher\" is not a role (dsl, deputy, pastoral, staff, admin, auditor)"),
            ("demo.dsl", ["staff", "set-years", "demo.pastoral", "7,fourteen"], 64,
             "cairn: YEARS: \"fourteen\" is not a year group (R or 1 to 13)"),
            ("demo.dsl", ["schools", "add", "Elsewhere High"], 77,
             "cairn: Not permitted: only the trust's DSL or admin can add a school; you manage staff at one school"),
        ]
        for (username, arguments, status, message) in cases {
            let result = try run(cairn, as: username, arguments)
            #expect(result.status == status, "\(arguments): \(result.errors)")
            #expect(result.errors == message + "\n", "\(arguments)")
        }
        // The school-level admin may manage roles that read no records.
        let moved = try run(cairn, as: "demo.admin", ["staff", "set-role", "k.osei", "auditor"])
        #expect(moved.status == 0, "\(moved.errors)")
        #expect(try run(cairn, as: "demo.admin", ["staff", "disable", "l.nowak"]).status == 0)
        // With a second DSL, the first may go.
        #expect(try run(cairn, as: "demo.dsl", ["staff", "add", "dsl.two", "--name", "Di Two", "--role", "dsl"]).status == 0)
        #expect(try run(cairn, as: "demo.admin", ["staff", "disable", "demo.dsl"]).status == 0)
        let audit = try run(cairn, as: "dsl.two", ["audit", "verify"])
        #expect(audit.status == 0, "\(audit.errors)")
    }

    @Test func aTrustAddsSchoolsPlacesStaffAndImportsPupilsPerSchool() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        let made = try cairn.run(["init", "--school", "Northgate Primary", "--trust", "--dsl-name", "Trust DSL"])
        #expect(made.status == 0, "\(made.errors)")
        #expect(made.output.contains("as the trust's DSL."))
        let school = try cairn.run(["schools", "add", "Southmead Academy"])
        #expect(school.status == 0, "\(school.errors)")
        #expect(try cairn.run(["schools", "list"]).output == "Northgate Primary\nSouthmead Academy\n")
        #expect(try cairn.run(["schools", "add", "southmead academy"]).status == 65)

        let unplaced = try cairn.run(["staff", "add", "x.y", "--name", "X Y", "--role", "staff"])
        #expect(unplaced.status == 65)
        #expect(unplaced.errors == "cairn: school: this database holds 2 schools (\"Northgate Primary\", \"Southmead Academy\"); say which one x.y works at with --school NAME, or make them trust-level with --trust\n")
        let south = try cairn.run(["staff", "add", "south.dsl", "--name", "Col Barr", "--role", "dsl", "--school", "southmead academy"])
        #expect(south.output == "Added south.dsl as DSL at Southmead Academy.\n", "\(south.errors)")
        let trustDeputy = try cairn.run(["staff", "add", "t.deputy", "--name", "Tam Deputy", "--role", "deputy", "--trust"])
        #expect(trustDeputy.output == "Added t.deputy as Deputy DSL at the trust.\n", "\(trustDeputy.errors)")
        let listed = try cairn.run(["staff", "list"]).output.split(separator: "\n")
        #expect(listed.first { $0.hasPrefix("t.deputy ") }?.contains(" Trust ") == true)
        #expect(listed.first { $0.hasPrefix("south.dsl ") }?.contains(" Southmead Academy ") == true)

        let upnA = UPN.make(la: 999, establishment: 4001, year: 15, serial: 1)
        let upnB = UPN.make(la: 999, establishment: 4001, year: 15, serial: 2)
        let roster = try writeRoster(cairn, "south.csv", ["\(upnA.value),Ashdown,Wren,,04/03/2016,Year 5,5A",
                                                           "\(upnB.value),Carrow,Efa,Effie,19/10/2017,Year 4,4B"])
        let unnamed = try cairn.run(["pupils", "import", roster])
        #expect(unnamed.status == 65)
        #expect(unnamed.errors == "cairn: school: this database holds 2 schools (\"Northgate Primary\", \"Southmead Academy\"); say which one the pupils are at with --school NAME\n")
        let imported = try cairn.run(["pupils", "import", roster, "--school", "Southmead Academy"])
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.hasPrefix("Added 2"))

        let north = try writeRoster(cairn, "north.csv", ["\(upnA.value),Ashdown,Wren,,04/03/2016,Year 5,5A"])
        let taken = try cairn.run(["pupils", "import", north, "--school", "Northgate Primary"])
        #expect(taken.status == 65)
        #expect(taken.errors == "cairn: upn: \(upnA.value) (Wren Ashdown) is a pupil at Southmead Academy, not Northgate Primary; take them out of the file\nfile: nothing was imported\n")
        let nowhere = try cairn.run(["pupils", "import", north, "--school", "Nowhere"])
        #expect(nowhere.status == 65)
        #expect(nowhere.errors.contains("there is no school called \"Nowhere\""))
    }
}
