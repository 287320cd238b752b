import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

/// A family's request to correct a record: tracked by an action due a calendar month later, and
/// entries they dispute marked with their statement wherever the entry is read.
@Suite struct RectificationStoreTests {
    static let statement = "We do not accept that Juniper \"seemed frightened\".\n\nShe was upset about a lost PE kit.\n"
    static let received = UKDate.parseDate("02/03/2026")!

    static func dispute(_ text: String = statement, by: String = "Mother, Jo Ashdown", on day: Date = received) -> DisputeInput {
        DisputeInput(statement: text, madeBy: by, receivedAt: day)
    }

    /// The concern entry of a concern about Year 7, logged by the teacher.
    func concernEntry(_ f: Fixture, restricted: Bool = false) throws -> Int64 {
        let reference = try f.log(text: "Seemed frightened to go home at the end of the day.")
        if restricted { try f.triage(reference, restricted: true) }
        return try #require(f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year7)).first { $0.entry.kind == .concern }).entry.id
    }

    // MARK: Disputes

    @Test func aDisputeMarksTheEntryAndKeepsTheStatementWordForWord() throws {
        let f = try Fixture()
        let entry = try concernEntry(f)
        let before = try f.lifecycleTally()
        let id = try f.store.recordDispute(actor: f.deputy, entry: entry, Self.dispute())
        #expect(try f.lifecycleTally() == f.tally(before, plus: ["entry_disputes": 1, "chronology_entries": 1, "audit_events": 1]))
        let event = try f.lastEvent()
        #expect(event.operation == .rectify && event.recordKind == "entry" && event.recordID == String(entry))

        let rows = try f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year7))
        let disputed = try #require(rows.first { $0.entry.id == entry })
        #expect(disputed.disputed && disputed.disputes == 1)
        let note = try #require(rows.first { $0.entry.kind == .dispute })
        #expect(note.entry.summary == "Entry of 02/03/2026 disputed by Mother, Jo Ashdown: We do not accept that Juniper \"seemed frightened\".")
        #expect(note.entry.occurredAt == Self.received)
        #expect(!note.disputed)

        let detail = try f.store.entry(actor: f.dsl, id: entry)
        #expect(detail.disputes == [Dispute(id: id, entryID: entry,
                                            statement: "We do not accept that Juniper \"seemed frightened\".\n\nShe was upset about a lost PE kit.",
                                            madeBy: "Mother, Jo Ashdown", receivedAt: Self.received, recordedBy: f.deputy.username,
                                            recordedByName: "Rowan Quill", recordedAt: f.clock.now())])
        #expect(detail.body == "neglect: Seemed frightened to go home at the end of the day.", "the entry itself is unchanged")
        #expect(!detail.row.amended)
        let recorded = try f.store.entry(actor: f.dsl, id: note.entry.id)
        #expect(recorded.fields.map(\.label) == ["Disputed entry", "Statement made by", "Received"])
        #expect(recorded.body == detail.disputes[0].statement)

        // Everywhere the entry is read: the concern itself, the export, and the API other parts share.
        let concern = try #require(disputed.entry.concern)
        #expect(try f.store.concern(actor: f.dsl, id: concern).disputes == detail.disputes)
        let export = try f.store.chronologyExport(actor: f.dsl, pupil: f.pupilID(f.year7))
        #expect(export.entries.first { $0.row.entry.id == entry }?.disputes == detail.disputes)
        let shared = try f.raw { db in try CairnStore.disputes(db, forEntries: [entry, note.entry.id]) }
        #expect(shared == [entry: detail.disputes])

        // A second statement is added, never replacing the first.
        f.clock.advance(by: 86_400)
        try f.store.recordDispute(actor: f.dsl, entry: entry, Self.dispute("Father agrees with mother.", by: "Father, Lee Ashdown",
                                                                           on: f.clock.now()))
        #expect(try f.store.entry(actor: f.dsl, id: entry).disputes.map(\.madeBy) == ["Mother, Jo Ashdown", "Father, Lee Ashdown"])
    }

    @Test func aDisputeOfARestrictedEntryIsRestrictedToo() throws {
        let f = try Fixture()
        let entry = try concernEntry(f, restricted: true)
        try f.store.recordDispute(actor: f.dsl, entry: entry, Self.dispute())
        #expect(try f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year7)).first { $0.entry.kind == .dispute }?.entry.restricted == true)
        #expect(try f.store.chronology(actor: f.pastoral, pupil: f.pupilID(f.year7)).contains { $0.entry.kind == .dispute } == false)
    }

    @Test(arguments: [
        (RectificationStoreTests.dispute(" \n "), RecordField.statement),
        (RectificationStoreTests.dispute(by: ""), RecordField.madeBy),
        (RectificationStoreTests.dispute(on: UKDate.parseDate("03/03/2026")!), RecordField.received),
        (RectificationStoreTests.dispute(on: UKDate.parseDate("01/03/2026")!), RecordField.received),
    ])
    func aDisputeThatCannotBeRightChangesNothing(_ input: DisputeInput, _ field: String) throws {
        let f = try Fixture()
        let entry = try concernEntry(f)
        let before = try f.lifecycleTally()
        let thrown = #expect(throws: StoreError.self) { try f.store.recordDispute(actor: f.dsl, entry: entry, input) }
        guard case .invalid(let problems) = thrown else { Issue.record("expected invalid, got \(String(describing: thrown))"); return }
        #expect(problems.map(\.field) == [field])
        #expect(try f.lifecycleTally() == before)
    }

    @Test func aFamilysStatementIsNotItselfDisputedAndAMissingEntryIsNamed() throws {
        let f = try Fixture()
        try f.store.recordDispute(actor: f.dsl, entry: concernEntry(f), Self.dispute())
        let note = try #require(f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year7)).first { $0.entry.kind == .dispute })
        let before = try f.lifecycleTally()
        #expect(throws: StoreError.self) { try f.store.recordDispute(actor: f.dsl, entry: note.entry.id, Self.dispute()) }
        #expect(throws: StoreError.notFound("Entry 9999")) { try f.store.recordDispute(actor: f.dsl, entry: 9999, Self.dispute()) }
        #expect(try f.lifecycleTally() == before)
    }

    /// rectify is the DSL's and the deputy's alone; a refusal writes only its audit event.
    @Test func onlyTheSafeguardingTeamRecordsADispute() throws {
        let f = try Fixture()
        let entry = try concernEntry(f)
        for outsider in [f.pastoral, f.teacher, f.admin, f.auditor] {
            let before = try f.lifecycleTally()
            #expect(throws: AccessDenied.self) { try f.store.recordDispute(actor: outsider, entry: entry, Self.dispute()) }
            #expect(try f.lifecycleTally() == f.tally(before, plus: ["audit_events": 1]))
            #expect(try f.lastEvent().detail.hasPrefix("refused:"))
            #expect(throws: AccessDenied.self) {
                try f.store.openRectification(actor: outsider, RectificationInput(pupil: f.year7, receivedAt: Self.received))
            }
            #expect(throws: AccessDenied.self) { try f.store.rectifications(actor: outsider) }
        }
    }

    @Test func theDatabaseKeepsEveryStatement() throws {
        let f = try Fixture()
        try f.store.recordDispute(actor: f.dsl, entry: concernEntry(f), Self.dispute())
        for sql in ["UPDATE entry_disputes SET statement = 'changed'", "DELETE FROM entry_disputes"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try f.raw { db in try db.execute(sql: sql) } }
        }
    }

    // MARK: Rectification requests

    @Test func aRequestSetsTheDSLAnActionDueACalendarMonthLater() throws {
        let f = try Fixture()
        let before = try f.lifecycleTally()
        let request = try f.store.openRectification(actor: f.dsl, RectificationInput(
            pupil: f.year7, receivedAt: UKDate.parseDate("27/02/2026")!, requester: "Jo Ashdown", relationship: "mother"))
        // An action and its chronology entry, the request, and an audit event each for the action and the request.
        #expect(try f.lifecycleTally() == f.tally(before, plus: ["rectification_requests": 1, "actions": 1,
                                                                 "chronology_entries": 1, "audit_events": 2]))
        #expect(UKDate.date(request.due) == "27/03/2026")
        #expect(request.upn == f.year7.value && request.pupilName == "Juniper Ashdown" && request.from == "Jo Ashdown (mother)")
        #expect(request.ownerName == "Petra Marsh" && request.status == .open)
        let event = try f.lastEvent()
        #expect(event.operation == .rectify && event.recordKind == "rectification")
        #expect(event.detail == "request from Jo Ashdown (mother) received 27/02/2026, due 27/03/2026")

        let action = try #require(f.store.actions(actor: f.dsl, view: .mine).first { $0.action.id == request.action })
        #expect(action.action.description.hasPrefix("Answer the rectification request from Jo Ashdown (mother), received 27/02/2026"))
        #expect(UKDate.date(action.action.due) == "27/03/2026")
        #expect(try f.store.rectifications(actor: f.deputy) == [request])
    }

    @Test func aRequestReceivedLongAgoIsOverdueAtOnce() throws {
        let f = try Fixture()
        let request = try f.store.openRectification(actor: f.deputy, RectificationInput(pupil: f.year10,
                                                                                         receivedAt: UKDate.parseDate("05/01/2026")!))
        #expect(UKDate.date(request.due) == "05/02/2026" && request.from == "the family")
        #expect(try f.store.actions(actor: f.deputy, view: .overdue).contains { $0.action.id == request.action })
    }

    @Test func aRequestThatCannotBeRightChangesNothing() throws {
        let f = try Fixture()
        let before = try f.lifecycleTally()
        let unknown = UPN.make(la: 935, establishment: 4101, year: 19, serial: 99)
        #expect(throws: StoreError.invalid([FieldProblem(field: "pupil", message: "no pupil with UPN \(unknown.value)")])) {
            try f.store.openRectification(actor: f.dsl, RectificationInput(pupil: unknown, receivedAt: Self.received))
        }
        let future = #expect(throws: StoreError.self) {
            try f.store.openRectification(actor: f.dsl, RectificationInput(pupil: f.year7, receivedAt: UKDate.parseDate("03/03/2026")!))
        }
        #expect(future == .invalid([FieldProblem(field: RecordField.received, message: "The date received cannot be in the future")]))
        #expect(try f.lifecycleTally() == before)
        // Once recorded, a request is never changed or taken away.
        try f.store.openRectification(actor: f.dsl, RectificationInput(pupil: f.year7, receivedAt: Self.received))
        for sql in ["UPDATE rectification_requests SET requester = 'x'", "DELETE FROM rectification_requests"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try f.raw { db in try db.execute(sql: sql) } }
        }
    }
}
