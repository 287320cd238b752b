import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

extension Fixture {
    /// Sets an action now, as the DSL, due at 00:00 on `due` ("dd/mm/yyyy").
    @discardableResult
    func action(_ upn: UPN, _ owner: Staff, due: String, _ text: String = "Check in with the pupil",
                concern: ConcernID? = nil) throws -> Int64 {
        try store.addAction(actor: dsl, pupil: pupilID(upn),
                            ActionInput(description: text, owner: owner.username, due: UKDate.parseDate(due)!, concern: concern))
    }

    /// Every page of a view, walked with the keyset cursor.
    func allActions(_ actor: Staff, _ view: ActionView, limit: Int) throws -> [ActionRow] {
        try Self.walk(limit: limit, cursor: \.cursor) { try store.actions(actor: actor, view: view, after: $0, limit: limit) }
    }
}

@Suite struct ActionListTests {
    /// Six actions set on Monday 2 March 2026, looked at on Thursday 5 March at 09:00.
    struct Week {
        let f: Fixture
        /// Due Tue 3 (DSL), Wed 4 (pastoral, Year 7), Thu 5 (pastoral, Year 10: outside their years),
        /// Fri 6 (deputy), Sun 8 (DSL), Mon 9 (pastoral, Year 8).
        let tuesday, wednesday, thursday, friday, sunday, monday: Int64

        init() throws {
            f = try Fixture()
            tuesday = try f.action(f.year11, f.dsl, due: "03/03/2026", "Phone the social worker")
            wednesday = try f.action(f.year7, f.pastoral, due: "04/03/2026", "Check in with Juniper at break")
            thursday = try f.action(f.year10, f.pastoral, due: "05/03/2026", "Return Billy's reading book")
            friday = try f.action(f.year10, f.deputy, due: "06/03/2026", "Arrange the review meeting")
            sunday = try f.action(f.year11, f.dsl, due: "08/03/2026", "Read the conference report")
            monday = try f.action(f.year8, f.pastoral, due: "09/03/2026", "Meet Otto's form tutor")
            f.clock.set(UKDate.parseDateTime("05/03/2026 09:00")!)
        }

        func ids(_ actor: Staff, _ view: ActionView) throws -> [Int64] {
            try f.store.actions(actor: actor, view: view).map(\.action.id)
        }
    }

    // MARK: Views

    @Test func eachViewListsOpenActionsByDueDate() throws {
        let w = try Week()
        let f = w.f
        #expect(try w.ids(f.dsl, .all) == [w.tuesday, w.wednesday, w.thursday, w.friday, w.sunday, w.monday])
        #expect(try w.ids(f.deputy, .all) == w.ids(f.dsl, .all))
        #expect(try w.ids(f.dsl, .mine) == [w.tuesday, w.sunday])
        #expect(try w.ids(f.pastoral, .mine) == [w.wednesday, w.thursday, w.monday])
        // Overdue: open after the end of the due day. Everyone's for the team, their own for others.
        #expect(try w.ids(f.dsl, .overdue) == [w.tuesday, w.wednesday])
        #expect(try w.ids(f.deputy, .overdue) == [w.tuesday, w.wednesday])
        #expect(try w.ids(f.pastoral, .overdue) == [w.wednesday])
        // Due this week: today to the end of Sunday.
        #expect(try w.ids(f.dsl, .dueThisWeek) == [w.thursday, w.friday, w.sunday])
        #expect(try w.ids(f.pastoral, .dueThisWeek) == [w.thursday])
        #expect(try w.ids(f.teacher, .mine).isEmpty)
        #expect(try w.ids(f.teacher, .overdue).isEmpty)

        // Done or cancelled actions leave every view.
        try f.store.completeAction(actor: f.pastoral, id: w.wednesday, status: .done, outcome: "Seemed fine")
        try f.store.completeAction(actor: f.dsl, id: w.sunday, status: .cancelled, outcome: "Report withdrawn")
        #expect(try w.ids(f.dsl, .all) == [w.tuesday, w.thursday, w.friday, w.monday])
        #expect(try w.ids(f.pastoral, .overdue).isEmpty)
    }

    @Test func rowsSayWhoWhatWhenAndWhetherOverdue() throws {
        let w = try Week()
        let f = w.f
        let reference = try f.log(about: [f.year8])
        let linked = try f.action(f.year8, f.pastoral, due: "10/03/2026", "Talk to Otto about the coat", concern: f.id(of: reference))
        let rows = try f.store.actions(actor: f.pastoral, view: .mine)
        let overdue = try #require(rows.first { $0.action.id == w.wednesday })
        #expect(overdue.overdue)
        #expect(overdue.action.owner == f.pastoral.username)
        #expect(overdue.action.status == .open)
        #expect(overdue.ownerName == "Tamsin Lowe")
        #expect(overdue.pupilName == "Juniper Ashdown")
        #expect(overdue.upn == f.year7.value)
        #expect(overdue.yearGroup == .year7)
        #expect(overdue.createdByName == "Petra Marsh")
        #expect(overdue.createdAt == Fixture.start)
        #expect(overdue.concernReference == nil)
        #expect(overdue.referralLabel == nil)
        #expect(UKDate.date(overdue.action.due) == "04/03/2026")
        let today = try #require(rows.first { $0.action.id == w.thursday })
        #expect(!today.overdue, "due today is not overdue until the day ends")
        #expect(today.pupilName == "Billy Carrow")
        let withConcern = try #require(rows.first { $0.action.id == linked })
        #expect(withConcern.concernReference == reference)
        #expect(withConcern.action.concern == (try f.id(of: reference)))
    }

    @Test func everyonesActionsAreForTheTeamOnlyAndEveryListIsAudited() throws {
        let w = try Week()
        let f = w.f
        var count = try f.store.auditEventCount()
        _ = try f.store.actions(actor: f.pastoral, view: .mine)
        #expect(try f.lastEvent().operation == .completeAction)
        #expect(try f.lastEvent().detail == "3 rows")
        _ = try f.store.actions(actor: f.dsl, view: .overdue)
        #expect(try f.lastEvent().operation == .manageActions)
        #expect(try f.lastEvent().recordID == "overdue")
        _ = try f.store.actions(actor: f.dsl, view: .mine)
        #expect(try f.lastEvent().operation == .completeAction)
        count += 3
        #expect(try f.store.auditEventCount() == count)

        for actor in [f.pastoral, f.teacher] {
            let denied = #expect(throws: AccessDenied.self) { try f.store.actions(actor: actor, view: .all) }
            #expect(denied?.operation == .manageActions)
            #expect(try f.lastEvent().detail.hasPrefix("refused: "))
        }
        for actor in [f.admin, f.auditor] {
            #expect(throws: AccessDenied.self) { try f.store.actions(actor: actor, view: .mine) }
        }
        var elsewhere = f.dsl
        elsewhere.school = SchoolID(rawValue: f.school.id.rawValue + 1)
        #expect(try f.store.actions(actor: elsewhere, view: .all).isEmpty, "another school's actions are not listed")
        var trust = f.dsl
        trust.school = nil
        #expect(try f.store.actions(actor: trust, view: .all).count == 6, "trust staff see every school's")
    }

    @Test(arguments: [ActionView.mine, .all], [1, 4, 7, 100])
    func keysetPagingReturnsEveryActionOnceInOrder(view: ActionView, limit: Int) throws {
        let f = try Fixture()
        for index in 0..<17 {
            // Several share a due date, so the id breaks the tie.
            let due = Fixture.start.addingTimeInterval(Double((index * 7) % 5) * 86_400)
            try f.store.addAction(actor: f.dsl, pupil: f.pupilID(index % 2 == 0 ? f.year7 : f.year10),
                                  ActionInput(description: "Synthetic action \(index)", owner: index % 3 == 0 ? f.deputy.username : f.dsl.username,
                                              due: due))
        }
        let expected = try f.raw { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM actions WHERE status = 'open' AND (? OR owner = ?) ORDER BY due_at, id",
                               arguments: [view == .all, f.dsl.username])
        }
        #expect(try f.allActions(f.dsl, view, limit: limit).map(\.action.id) == expected)
    }

    // MARK: Counts and owners

    @Test func countsCoverWhatTheActorMayList() throws {
        let w = try Week()
        let f = w.f
        #expect(try f.store.actionCounts(actor: f.dsl) == (open: 6, overdue: 2))
        #expect(try f.store.actionCounts(actor: f.deputy) == (open: 6, overdue: 2))
        #expect(try f.store.actionCounts(actor: f.pastoral) == (open: 3, overdue: 1))
        #expect(try f.store.actionCounts(actor: f.teacher) == (open: 0, overdue: 0))
        let events = try f.store.auditEventCount()
        _ = try f.store.actionCounts(actor: f.dsl)
        #expect(try f.store.auditEventCount() == events, "counts are not record content")
    }

    @Test func ownersAreActiveStaffWhoCanDoThingsByName() throws {
        let f = try Fixture()
        try f.store.addStaff(actor: f.dsl, Staff(username: "t.gone", displayName: "Aaron Gone", role: .staff, school: f.school.id,
                                                 active: false))
        let owners = try f.store.actionOwners(actor: f.dsl)
        #expect(owners.map(\.displayName) == ["Ada Fenn", "Ned Birch", "Petra Marsh", "Rowan Quill", "Tamsin Lowe"])
    }

    // MARK: Setting, moving, reassigning, completing

    @Test func anActionIsSetForAnActiveMemberOfStaffWithItsEntry() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year8)
        let before = try f.tally()
        let id = try f.store.addAction(actor: f.pastoral, pupil: pupil, ActionInput(
            description: "Ask Otto how the weekend went\nand note anything said", owner: f.otherTeacher.username,
            due: Fixture.start.addingTimeInterval(86_400)))
        #expect(try f.tally() == f.tally(before, plus: ["actions": 1, "chronology_entries": 1, "audit_events": 1]))
        #expect(try f.lastEvent().operation == .addAction)
        #expect(try f.lastEvent().recordID == String(id))
        let row = try #require(f.store.chronology(actor: f.pastoral, pupil: pupil).first)
        #expect(row.entry.kind == .action)
        #expect(row.entry.action == id)
        #expect(row.entry.summary == "Action for Ada Fenn, due 03/03/2026: Ask Otto how the weekend went")
        let detail = try f.store.entry(actor: f.dsl, id: row.entry.id)
        #expect(detail.body == "Ask Otto how the weekend went\nand note anything said")
        #expect(detail.fields == [EntryField(label: "Owner", value: "Ada Fenn"), EntryField(label: "Due", value: "03/03/2026"),
                                  EntryField(label: "Status", value: "Open")])
        #expect(try f.store.pupilHeader(actor: f.dsl, pupil: pupil).openActions == 1)
    }

    @Test func badActionsChangeNothing() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year8)
        let before = try f.tally()
        let due = f.clock.now()
        for owner in ["nobody", f.admin.username, f.auditor.username] {
            #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.owner, message: "Choose an active member of staff at this school")])) {
                try f.store.addAction(actor: f.dsl, pupil: pupil, ActionInput(description: "x", owner: owner, due: due))
            }
        }
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.due, message: "The due date cannot be in the past")])) {
            try f.store.addAction(actor: f.dsl, pupil: pupil, ActionInput(description: "x", owner: f.dsl.username,
                                                                          due: due.addingTimeInterval(-86_400)))
        }
        let other = try f.log(about: [f.year7])
        let afterLog = try f.tally()
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.concern, message: "That concern is not about this pupil")])) {
            try f.store.addAction(actor: f.dsl, pupil: pupil, ActionInput(description: "x", owner: f.dsl.username, due: due,
                                                                          concern: f.id(of: other)))
        }
        #expect(try f.tally() == afterLog)
        #expect(afterLog["actions"] == before["actions"])
        #expect(throws: AccessDenied.self) {
            try f.store.addAction(actor: f.teacher, pupil: pupil, ActionInput(description: "x", owner: f.teacher.username, due: due))
        }
    }

    @Test func anOwnerMovesTheirOwnActionWithAReason() throws {
        let w = try Week()
        let f = w.f
        // The pastoral lead's action on a Year 10 pupil, outside their years: theirs to move.
        let before = try f.tally()
        try f.store.moveAction(actor: f.pastoral, id: w.thursday, due: UKDate.parseDate("12/03/2026")!, reason: "Billy is off sick")
        #expect(try f.tally() == f.tally(before, plus: ["action_changes": 1, "chronology_entries": 1, "audit_events": 1]))
        let event = try f.lastEvent()
        #expect(event.operation == .addAction)
        #expect(event.detail == "Action moved from 05/03/2026 to 12/03/2026")
        #expect(try w.ids(f.pastoral, .mine) == [w.wednesday, w.monday, w.thursday])
        let change = try #require(try f.raw { db in
            try Row.fetchOne(db, sql: "SELECT old_due_at, new_due_at, reason, by FROM action_changes WHERE action_id = ?",
                             arguments: [w.thursday])
        })
        #expect(change[0] as Int64 == Millis.from(UKDate.parseDate("05/03/2026")!))
        #expect(change[1] as Int64 == Millis.from(UKDate.parseDate("12/03/2026")!))
        #expect(change[2] as String == "Billy is off sick")
        #expect(change[3] as String == f.pastoral.username)
        let entry = try #require(f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year10)).first)
        #expect(entry.entry.summary == "Action moved from 05/03/2026 to 12/03/2026: Billy is off sick")
        #expect(entry.entry.action == w.thursday)
        #expect(entry.authorName == "Tamsin Lowe")

        // Someone else's action is the team's to move.
        let denied = #expect(throws: AccessDenied.self) {
            try f.store.moveAction(actor: f.pastoral, id: w.friday,
                                   due: UKDate.parseDate("13/03/2026")!, reason: "x")
        }
        #expect(denied?.operation == .manageActions)
        try f.store.moveAction(actor: f.dsl, id: w.friday, due: UKDate.parseDate("13/03/2026")!, reason: "Chair unavailable")
        #expect(try f.lastEvent().operation == .manageActions)
        #expect(throws: DatabaseError.self) { try f.raw { db in try db.execute(sql: "UPDATE action_changes SET reason = ''") } }
        #expect(throws: DatabaseError.self) { try f.raw { db in try db.execute(sql: "DELETE FROM action_changes") } }
    }

    @Test func badMovesChangeNothing() throws {
        let w = try Week()
        let f = w.f
        let before = try f.tally()
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.due, message: "The due date cannot be in the past"),
                                            FieldProblem(field: RecordField.reason, message: "Say why the due date is changing")])) {
            try f.store.moveAction(actor: f.dsl, id: w.sunday, due: UKDate.parseDate("04/03/2026")!, reason: " ")
        }
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.due, message: "The action is already due on 08/03/2026")])) {
            try f.store.moveAction(actor: f.dsl, id: w.sunday, due: UKDate.parseDateTime("08/03/2026 15:00")!, reason: "Same")
        }
        try f.store.completeAction(actor: f.dsl, id: w.tuesday, status: .done, outcome: "Spoke to the social worker")
        let afterDone = try f.tally()
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.status, message: "This action is already done")])) {
            try f.store.moveAction(actor: f.dsl, id: w.tuesday, due: UKDate.parseDate("10/03/2026")!, reason: "Late")
        }
        #expect(try f.tally() == afterDone)
        #expect(afterDone["action_changes"] == before["action_changes"])
        #expect(throws: StoreError.notFound("Action 999")) {
            try f.store.moveAction(actor: f.dsl, id: 999, due: UKDate.parseDate("10/03/2026")!, reason: "Late")
        }
    }

    @Test func theTeamReassignsWithAReason() throws {
        let w = try Week()
        let f = w.f
        try f.store.reassignAction(actor: f.deputy, id: w.friday, owner: f.pastoral.username, reason: "Tamsin knows the family")
        let event = try f.lastEvent()
        #expect(event.operation == .manageActions)
        #expect(try w.ids(f.pastoral, .mine).contains(w.friday))
        #expect(try !w.ids(f.deputy, .mine).contains(w.friday))
        let entry = try #require(f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year10)).first)
        #expect(entry.entry.summary == "Action reassigned from Rowan Quill to Tamsin Lowe: Tamsin knows the family")
        let change = try f.raw { db in
            try Row.fetchOne(db, sql: "SELECT old_owner, new_owner, old_due_at FROM action_changes WHERE action_id = ?", arguments: [w.friday])
        }
        #expect(change?[0] as String? == f.deputy.username)
        #expect(change?[1] as String? == f.pastoral.username)
        #expect(change?[2] as Int64? == nil)

        let before = try f.tally()
        let denied = #expect(throws: AccessDenied.self) {
            try f.store.reassignAction(actor: f.pastoral, id: w.friday, owner: f.teacher.username, reason: "Busy")
        }
        #expect(denied?.operation == .manageActions)
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.owner, message: "The action is already with Tamsin Lowe")])) {
            try f.store.reassignAction(actor: f.dsl, id: w.friday, owner: f.pastoral.username, reason: "Again")
        }
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.owner, message: "Choose an active member of staff at this school")])) {
            try f.store.reassignAction(actor: f.dsl, id: w.friday, owner: f.admin.username, reason: "IT")
        }
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.owner, message: "Choose who will do it"),
                                            FieldProblem(field: RecordField.reason, message: "Say why the action is being reassigned")])) {
            try f.store.reassignAction(actor: f.dsl, id: w.friday, owner: "", reason: "")
        }
        #expect(try f.tally() == f.tally(before, plus: ["audit_events": 1]), "only the refusal is on record")
    }

    @Test func completingNeedsAnOutcomeAndIsAnEntry() throws {
        let w = try Week()
        let f = w.f
        let before = try f.tally()
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.outcome, message: "Say what was done")])) {
            try f.store.completeAction(actor: f.pastoral, id: w.thursday, status: .done, outcome: "  ")
        }
        #expect(try f.tally() == before)
        #expect(throws: AccessDenied.self) {
            try f.store.completeAction(actor: f.pastoral, id: w.friday, status: .done, outcome: "Not mine, outside my years")
        }
        try f.store.completeAction(actor: f.pastoral, id: w.thursday, status: .done, outcome: "Book returned\nwith thanks")
        let entry = try #require(f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year10)).first)
        #expect(entry.entry.summary == "Action done: Book returned")
        #expect(try f.store.entry(actor: f.dsl, id: entry.entry.id).fields.suffix(2)
            == [EntryField(label: "Status", value: "Done"), EntryField(label: "Outcome", value: "Book returned\nwith thanks")])
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.status, message: "This action is already done")])) {
            try f.store.completeAction(actor: f.pastoral, id: w.thursday, status: .cancelled, outcome: "Again")
        }
    }

    // MARK: Query plans

    @Test func everyActionsListUsesAnIndexForItsOrder() throws {
        let w = try Week()
        let f = w.f
        var trust = f.dsl
        trust.school = nil
        let cursor = ActionCursor(due: Fixture.start, id: 3)
        var plans: [String: String] = [:]
        for actor in [f.dsl, f.pastoral, trust] {
            for view in ActionView.allCases {
                for everyone in [false, true] {
                    for after in [nil, cursor] {
                        let plan = try f.queryPlan(CairnStore.actionsQuery(actor: actor, view: view, everyone: everyone,
                                                                           now: f.clock.now(), after: after, limit: 50))
                        let label = "\(actor.username) school \(actor.school?.rawValue ?? 0) \(view) everyone \(everyone) after \(after != nil)"
                        #expect(plan.contains("INDEX actions_"), "\(label): \(plan)")
                        // Trust staff's list of everything open walks the partial index in order (SCAN … USING
                        // INDEX actions_open_due, stopped by LIMIT); a bare SCAN would read the whole table.
                        let tableScans = plan.split(separator: "\n").filter { $0.hasPrefix("SCAN") && !$0.contains(" INDEX ") }
                        #expect(tableScans.isEmpty, "no table scan, \(label): \(plan)")
                        #expect(!plan.contains("TEMP B-TREE"), "the index gives the order, \(label): \(plan)")
                        plans[label] = plan
                    }
                }
            }
        }
        #expect(plans.count == 3 * ActionView.allCases.count * 4)
        #expect(plans["hoy.lowe school 1 mine everyone false after false"]?.contains("actions_owner_due") == true)
        #expect(plans["dsl.marsh school 1 all everyone true after false"]?.contains("actions_school_open_due") == true)
    }
}
