import CairnDomain
import CairnStore
import Foundation
import GRDB
import Testing

/// The roster sync against a real SQLite file: the Fixture's school has Juniper (Y7), Otto (Y8),
/// Wilf (Y10, "Billy") and Maud (Y11) on roll on Monday 2 March 2026.
@Suite struct RosterSyncTests {
    static func day(_ text: String) -> Date { UKDate.parseDate(text)! }

    /// The Fixture's four pupils as the MIS has them, unchanged.
    static func roster(_ f: Fixture) -> [PupilRow] {
        [Fixture.row(f.year7, "Juniper", "Ashdown", dob: "14/05/2014", .year7, "7AS"),
         Fixture.row(f.year8, "Otto", "Brackley", dob: "02/11/2012", .year8, "8BR"),
         Fixture.row(f.year10, "Wilf", "Carrow", dob: "30/01/2011", .year10, "10CA", preferred: "Billy"),
         Fixture.row(f.year11, "Maud", "Dunmore", dob: "09/09/2009", .year11, "11DU")]
    }

    /// Every table but the audit log, row by row: what a dry run or a refused import must leave alone.
    static func contents(_ f: Fixture) throws -> [String: [String]] {
        try f.raw { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name NOT LIKE 'concern_fts%' AND name <> 'audit_events' ORDER BY name
                """)
            var contents: [String: [String]] = [:]
            for table in tables {
                contents[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description)
            }
            return contents
        }
    }

    static func leftAt(_ f: Fixture, _ upn: UPN) throws -> (Date?, String?) {
        try f.raw { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT left_at, destination FROM pupils WHERE upn = ?",
                                                    arguments: [upn.value]))
            return ((row["left_at"] as Int64?).map { Date(timeIntervalSince1970: Double($0) / 1000) }, row["destination"])
        }
    }

    static func actions(_ f: Fixture) throws -> [ActionRow] { try f.store.actions(actor: f.dsl, view: .all) }

    @Test func aFullRosterAddsUpdatesAndMarksLeaversWithoutDeletingAnyone() throws {
        let f = try Fixture()
        let newcomer = UPN.make(la: 935, establishment: 4101, year: 20, serial: 40)
        var rows = Self.roster(f)
        rows[0].form = "7CH"
        rows[2].leftOn = Self.day("27/02/2026")
        rows[2].destination = "Larkfield Academy"
        rows[3] = Fixture.row(newcomer, "Hal", "Eastry", dob: "01/01/2014", .year7, "7AS")
        let sync = try f.store.importPupils(actor: f.dsl, rows, coverage: .full)
        #expect(sync.added == [RosterPupil(upn: newcomer.value, name: "Hal Eastry", yearGroup: .year7, form: "7AS")])
        #expect(sync.updated == [RosterUpdate(upn: f.year7.value, name: "Juniper Ashdown",
                                              changes: [RosterChange(field: "form", old: "7AS", new: "7CH")])])
        #expect(sync.left == [
            RosterLeaver(upn: f.year10.value, name: "Billy Carrow", leftOn: Self.day("27/02/2026"), destination: "Larkfield Academy"),
            RosterLeaver(upn: f.year11.value, name: "Maud Dunmore", leftOn: Self.day("02/03/2026"), destination: nil),
        ])
        #expect(sync.unchanged == 1)
        #expect(sync.actions.isEmpty, "neither leaver has a safeguarding file")
        #expect(try f.store.pupilCount() == 5)
        #expect(try Self.leftAt(f, f.year10) == (Self.day("27/02/2026"), "Larkfield Academy"))
        #expect(try Self.leftAt(f, f.year11) == (Self.day("02/03/2026"), nil))
        #expect(try Self.leftAt(f, f.year8) == (nil, nil))
    }

    @Test func aPartialFileMarksNobodyLeftForBeingAbsent() throws {
        let f = try Fixture()
        let sync = try f.store.importPupils(actor: f.dsl, [Self.roster(f)[0]], coverage: .partial)
        #expect(sync.left.isEmpty)
        #expect(sync.unchanged == 1)
        #expect(try Self.leftAt(f, f.year11) == (nil, nil))
    }

    @Test func aLeaverWithAFileGetsATransferActionForTheDSLDueInFiveSchoolDays() throws {
        let f = try Fixture()
        try f.log(about: [f.year7])
        var rows = Self.roster(f)
        rows[0].leftOn = Self.day("27/02/2026")   // a Friday
        rows[0].destination = "Larkfield Academy"
        let sync = try f.store.importPupils(actor: f.admin, rows, coverage: .full)
        #expect(sync.actions.isEmpty && sync.actionsWithheld, "an admin is not told who has a file")
        let action = try #require(try Self.actions(f).first)
        #expect(action.action.description == "Transfer the safeguarding file to Larkfield Academy")
        #expect(action.action.owner == f.dsl.username)
        #expect(UKDate.date(action.action.due) == "06/03/2026", "Monday to Friday of the next week")
        #expect(action.upn == f.year7.value)
        let lines = try f.store.chronology(actor: f.dsl, pupil: #require(try f.store.pupilID(upn: f.year7)))
            .map(\.entry.summary)
        #expect(lines.contains("Left Hollin Vale Academy on 27/02/2026: Destination: Larkfield Academy"))
        #expect(lines.contains { $0.hasPrefix("Action for Petra Marsh, due 06/03/2026: Transfer the safeguarding file") })
        // Set by the import, so audited as the import, by the admin who ran it.
        let events = try f.store.recentAuditEvents(limit: 5)
        #expect(events.contains { $0.recordKind == "action" && $0.operation == .importPupils && $0.actor == f.admin.username })
    }

    @Test func anUnknownDestinationIsSaidAndTheDueDateSkipsBankHolidays() throws {
        let f = try Fixture()
        try f.log(about: [f.year8])
        // Thursday 2 April 2026: Good Friday and Easter Monday are not school days.
        f.clock.set(Self.day("08/04/2026").addingTimeInterval(9 * 3600))
        var rows = Self.roster(f)
        rows[1].leftOn = Self.day("02/04/2026")
        let sync = try f.store.importPupils(actor: f.dsl, rows, coverage: .full)
        #expect(sync.actions == [LeaverAction(
            upn: f.year8.value, pupilName: "Otto Brackley", owner: f.dsl.username, ownerName: "Petra Marsh",
            due: Self.day("13/04/2026"),
            description: "Transfer the safeguarding file: destination unknown — find out where Otto Brackley has gone")])
        #expect(try Self.actions(f).map(\.action.description) == sync.actions.map(\.description))
    }

    @Test func theSameRosterTwiceSetsOneActionAndTheLeaverStaysLeft() throws {
        let f = try Fixture()
        try f.log(about: [f.year11])
        let rows = Array(Self.roster(f).prefix(3))
        let first = try f.store.importPupils(actor: f.dsl, rows, coverage: .full)
        #expect(first.left.map(\.upn) == [f.year11.value])
        #expect(first.actions.count == 1)
        f.clock.advance(by: 86_400)
        let second = try f.store.importPupils(actor: f.dsl, rows, coverage: .full)
        #expect(second.left.isEmpty)
        #expect(second.actions.isEmpty)
        #expect(second.unchanged == 3)
        #expect(try Self.actions(f).count == 1)
        #expect(try Self.leftAt(f, f.year11).0 == Self.day("02/03/2026"), "the leaving date is not moved on")
    }

    @Test func aLeaverOnTheRosterAgainIsBackOnRoll() throws {
        let f = try Fixture()
        try f.log(about: [f.year11])
        try f.store.importPupils(actor: f.dsl, Array(Self.roster(f).prefix(3)), coverage: .full)
        f.clock.advance(by: 7 * 86_400)
        let sync = try f.store.importPupils(actor: f.dsl, Self.roster(f), coverage: .full)
        #expect(sync.updated == [RosterUpdate(upn: f.year11.value, name: "Maud Dunmore", changes: [
            RosterChange(field: "on roll", old: "left 02/03/2026", new: "back on roll"),
        ])])
        #expect(try Self.leftAt(f, f.year11) == (nil, nil))
        let lines = try f.store.chronology(actor: f.dsl, pupil: #require(try f.store.pupilID(upn: f.year11))).map(\.entry.summary)
        #expect(lines.first == "Back on roll at Hollin Vale Academy: Had left on 02/03/2026; on the school's roster again.")
    }

    @Test func aDryRunReportsEverythingAndWritesOnlyItsAuditEvent() throws {
        let f = try Fixture()
        try f.log(about: [f.year11])
        let before = try Self.contents(f)
        let events = try f.store.auditEventCount()
        var rows = Array(Self.roster(f).prefix(3))
        rows[1].yearGroup = .year9
        rows.append(Fixture.row(UPN.make(la: 935, establishment: 4101, year: 20, serial: 41), "Hal", "Eastry",
                                dob: "01/01/2014", .year7, "7AS"))
        let sync = try f.store.importPupils(actor: f.deputy, rows, coverage: .full, dryRun: true)
        #expect(sync.dryRun)
        #expect(sync.added.count == 1)
        #expect(sync.updated.map(\.changes) == [[RosterChange(field: "year group", old: "Year 8", new: "Year 9")]])
        #expect(sync.left.map(\.upn) == [f.year11.value])
        #expect(sync.actions.map(\.owner) == [f.dsl.username], "the DSL, not the deputy who ran it")
        #expect(try Self.contents(f) == before)
        #expect(try f.store.auditEventCount() == events + 1)
        let event = try #require(try f.store.recentAuditEvents(limit: 1).first)
        #expect(event.detail == "dry run of a full roster: 1 added, 1 updated, 1 left, 1 transfer action, 2 unchanged")
    }

    @Test func aFileThatWouldEmptyTheSchoolIsRefusedAndChangesNothing() throws {
        let f = try Fixture()
        let extra = (50..<56).map { Fixture.row(UPN.make(la: 935, establishment: 4101, year: 19, serial: $0), "Pupil",
                                                 "Number\($0)", dob: "01/01/2014", .year7, "7AS") }
        try f.store.importPupils(actor: f.dsl, extra)
        let before = try Self.contents(f)
        let events = try f.store.auditEventCount()
        #expect(throws: StoreError.invalid([FieldProblem(field: "file", message: """
            leaves out 9 of the 10 pupils on roll at Hollin Vale Academy, who would all be marked as left; if it lists \
            only some pupils, import it with --partial (pupils who really have left can be given a leaving date in the \
            file); nothing was imported
            """)])) {
            try f.store.importPupils(actor: f.dsl, [Self.roster(f)[0]], coverage: .full)
        }
        #expect(try Self.contents(f) == before)
        #expect(try f.store.auditEventCount() == events)
    }

    @Test func aPupilWhoLeftBeforeCairnKnewThemIsNotAddedAndALaterDestinationIsRecorded() throws {
        let f = try Fixture()
        var rows = Self.roster(f)
        rows[3].leftOn = Self.day("20/02/2026")
        var ghost = Fixture.row(UPN.make(la: 935, establishment: 4101, year: 15, serial: 60), "Ivo", "Fairlie",
                                dob: "05/05/2009", .year11, "11DU")
        ghost.leftOn = Self.day("19/12/2025")
        let first = try f.store.importPupils(actor: f.dsl, rows + [ghost], coverage: .full)
        #expect(first.notAdded.map(\.upn) == [ghost.upn.value])
        #expect(first.left.map(\.destination) == [nil])
        rows[3].destination = "Brook College"
        let second = try f.store.importPupils(actor: f.dsl, rows, coverage: .full)
        #expect(second.updated == [RosterUpdate(upn: f.year11.value, name: "Maud Dunmore", changes: [
            RosterChange(field: "destination", old: "not known", new: "Brook College"),
        ])])
        #expect(try Self.leftAt(f, f.year11) == (Self.day("20/02/2026"), "Brook College"))
        #expect(try f.store.pupilCount() == 4)
    }

    @Test func theImportingDSLOwnsTheActionsElseTheLongestServingDSL() throws {
        let f = try Fixture()
        let second = Staff(username: "dsl.okoro", displayName: "Femi Okoro", role: .dsl, school: f.school.id)
        f.clock.advance(by: 60)
        try f.store.addStaff(actor: f.dsl, second)
        try f.log(about: [f.year10, f.year11])
        let mine = try f.store.importPupils(actor: second, Array(Self.roster(f).prefix(3)), coverage: .full)
        #expect(mine.actions.map(\.owner) == [second.username])
        let theirs = try f.store.importPupils(actor: f.admin, Array(Self.roster(f).prefix(2)) + [Self.roster(f)[3]],
                                              coverage: .full)
        #expect(theirs.left.map(\.upn) == [f.year10.value])
        #expect(try Self.actions(f).first { $0.upn == f.year10.value }?.action.owner == f.dsl.username)
    }

    @Test func aSchoolWithoutADSLHasItsLeaversFilesSentOnByTheTrustDSL() throws {
        let t = try TrustFixture()
        let west = try t.store.addSchool(actor: t.trustDSL, name: "Westfield Infants")
        let pip = Fixture.row(UPN.make(la: 935, establishment: 4103, year: 21, serial: 1), "Pip", "Ferrand",
                              dob: "30/06/2021", .reception, "RA")
        let kit = Fixture.row(UPN.make(la: 935, establishment: 4103, year: 21, serial: 2), "Kit", "Lowry",
                              dob: "01/07/2021", .reception, "RA")
        try t.store.importPupils(actor: t.trustAdmin, [pip, kit], school: west.id)
        _ = try t.store.logConcern(actor: t.trustDSL, ConcernDraft(
            pupils: [pip.upn], categories: [.neglect], accounts: [Account(nature: .seen, text: "No coat in the snow.")],
            occurredAt: t.clock.now()))
        let sync = try t.store.importPupils(actor: t.trustAdmin, [kit], coverage: .full, school: west.id)
        #expect(sync.left.map(\.upn) == [pip.upn.value])
        #expect(try t.store.actions(actor: t.trustDSL, view: .all).map(\.action.owner) == [t.trustDSL.username])
    }
}
