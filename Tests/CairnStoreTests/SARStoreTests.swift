import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

extension Fixture {
    /// The record tables' rows with the subject access tables', to show what a call wrote.
    func sarTally() throws -> [String: Int] {
        try tally().merging(raw { db in
            ["sar_requests": try Int.fetchOne(db, sql: "SELECT count(*) FROM sar_requests") ?? 0,
             "sar_withholdings": try Int.fetchOne(db, sql: "SELECT count(*) FROM sar_withholdings") ?? 0]
        }) { $1 }
    }

    /// Received on the day the fixture starts, from Year 7's mother.
    func openSAR(_ received: String = "02/03/2026", actor: Staff? = nil) throws -> SARRequest {
        try store.openSAR(actor: actor ?? dsl, pupil: year7,
                          SARRequestInput(received: UKDate.parseDate(received)!, requester: "Ms R. Example", relationship: "mother"))
    }
}

/// Subject access requests in the store: the one-month action, withholding and lifting, who may,
/// and bad input changing nothing.
@Suite struct SARStoreTests {
    static let text = "Mum rang. Her partner, Mr K. Example, shouted at Juniper on Saturday. Juniper was upset but is safe now."

    @Test func aRequestSetsTheDSLAnActionDueInOneMonthAndANote() throws {
        let f = try Fixture()
        f.clock.set(UKDate.parseDateTime("02/02/2026 09:00")!)
        let before = try f.sarTally()
        let request = try f.openSAR("31/01/2026")
        #expect(try f.sarTally() == f.tally(before, plus: ["sar_requests": 1, "actions": 1, "chronology_entries": 2, "audit_events": 2]))
        #expect(UKDate.date(request.received) == "31/01/2026")
        #expect(UKDate.date(request.due) == "28/02/2026", "one calendar month, clamped to February's end")
        #expect(request.requester == "Ms R. Example" && request.relationship == "mother")
        #expect(request.status == .open && request.openedBy == f.dsl.username && request.openedByName == "Petra Marsh")
        let events = try f.store.recentAuditEvents(limit: 2)
        #expect(events.map(\.operation) == [.sarExport, .addAction])
        #expect(events[0].detail == "opened subject access request: received 31/01/2026, due 28/02/2026")
        #expect(try f.raw { db in try Int64.fetchOne(db, sql: "SELECT pupil_id FROM audit_events ORDER BY seq DESC LIMIT 1") }
                == f.pupilID(f.year7).rawValue)

        let mine = try f.store.actions(actor: f.dsl, view: .mine)
        let action = try #require(mine.first { $0.action.id == request.action })
        #expect(action.action.owner == f.dsl.username)
        #expect(UKDate.date(action.action.due) == "28/02/2026")
        #expect(action.action.description.hasPrefix("Answer the subject access request from Ms R. Example (mother), received 31/01/2026"))

        let rows = try f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year7))
        let note = try #require(rows.first { $0.entry.summary.hasPrefix("Subject access request received") })
        #expect(note.entry.summary == "Subject access request received: From Ms R. Example (mother). The answer is due by 28/02/2026.")
        #expect(UKDate.date(note.entry.occurredAt) == "31/01/2026", "on the day it was received")
        let detail = try f.store.entry(actor: f.dsl, id: note.entry.id)
        #expect(detail.fields.map(\.label) == ["Requester", "Relationship", "Received", "Owner", "Due", "Status"])


        #expect(try f.store.sarRequests(actor: f.deputy) == [request])
    }

    @Test func theRequestClosesWhenItsActionIsDone() throws {
        let f = try Fixture()
        let request = try f.openSAR()
        f.clock.advance(by: 86_400)
        try f.store.completeAction(actor: f.dsl, id: request.action, status: .done, outcome: "Bundle sent by recorded post.")
        let closed = try #require(try f.store.sarRequests(actor: f.dsl).first)
        #expect(closed.status == .closed && closed.closedAt == f.clock.now())
        #expect(throws: (any Error).self) {
            try f.raw { db in try db.execute(sql: "UPDATE sar_requests SET status = 'open' WHERE id = ?", arguments: [request.id]) }
        }
        #expect(throws: (any Error).self) {
            try f.raw { db in try db.execute(sql: "UPDATE sar_requests SET requester = 'someone else'") }
        }
    }

    @Test func badRequestsAreRefusedNamingTheFieldAndChangeNothing() throws {
        let f = try Fixture()
        let before = try f.sarTally()
        let cases: [(SARRequestInput, [String])] = [
            (SARRequestInput(received: Fixture.start.addingTimeInterval(86_400), requester: "Ms R. Example", relationship: "mother"),
             [SARField.received]),
            (SARRequestInput(received: Fixture.start, requester: "  ", relationship: "\n"), [SARField.requester, SARField.relationship]),
        ]
        for (input, fields) in cases {
            #expect(throws: StoreError.self) { try f.store.openSAR(actor: f.dsl, pupil: f.year7, input) }
            do {
                try f.store.openSAR(actor: f.dsl, pupil: f.year7, input)
            } catch StoreError.invalid(let problems) {
                #expect(problems.map(\.field) == fields)
            }
        }
        let unknown = UPN.make(la: 999, establishment: 1, year: 1, serial: 1)
        #expect(throws: StoreError.invalid([FieldProblem(field: SARField.upn, message: "No pupil with UPN \(unknown.value) in this database")])) {
            try f.store.openSAR(actor: f.dsl, pupil: unknown,
                                SARRequestInput(received: Fixture.start, requester: "Ms R. Example", relationship: "mother"))
        }
        #expect(try f.sarTally() == before)
    }

    @Test func onlyTheSafeguardingTeamHandlesRequests() throws {
        let f = try Fixture()
        let request = try f.openSAR()
        let entry = try f.note(f.dsl, f.year7, Self.text)
        let held = try f.store.withhold(actor: f.dsl, entry: entry, WithholdingInput(part: .wholeEntry, reason: .seriousHarm))
        let pupil = try f.pupilID(f.year7)
        for outsider in [f.pastoral, f.teacher, f.admin, f.auditor] {
            let before = try f.sarTally()
            #expect(throws: AccessDenied.self) { try f.openSAR(actor: outsider) }
            #expect(throws: AccessDenied.self) {
                try f.store.withhold(actor: outsider, entry: entry, WithholdingInput(part: .wholeEntry, reason: .thirdParty))
            }
            #expect(throws: AccessDenied.self) { try f.store.liftWithholding(actor: outsider, id: held[0]) }
            #expect(throws: AccessDenied.self) { try f.store.sarBundle(actor: outsider, pupil: pupil) }
            #expect(throws: AccessDenied.self) { try f.store.sarRequests(actor: outsider) }
            // Each refusal is on record, and nothing else was written.
            #expect(try f.sarTally() == f.tally(before, plus: ["audit_events": 5]))
        }
        // The pastoral lead reads Year 7's file, but sees no sign of what is withheld from it.
        let row = try f.entryRow(entry, as: f.pastoral)
        #expect(!row.withheld)
        #expect(try f.store.entry(actor: f.pastoral, id: entry).withholdings.isEmpty)
        #expect(try f.entryRow(entry).withheld)
        #expect(try f.store.sarRequests(actor: f.deputy).map(\.id) == [request.id])
    }

    @Test func wholeEntriesAndPassagesAreWithheldAndLiftedKeepingHistory() throws {
        let f = try Fixture()
        let entry = try f.note(f.dsl, f.year7, Self.text)
        #expect(!(try f.entryRow(entry).withheld))

        let before = try f.sarTally()
        let passages = try f.store.withhold(actor: f.deputy, entry: entry, WithholdingInput(
            part: .passages(["Mr K. Example", " shouted at Juniper on Saturday. "]), reason: .thirdParty))
        #expect(passages.count == 2)
        #expect(try f.sarTally() == f.tally(before, plus: ["sar_withholdings": 2, "audit_events": 1]))
        let event = try f.lastEvent()
        #expect(event.operation == .sarExport && event.recordKind == "entry" && event.recordID == String(entry))
        #expect(event.detail == "withheld 2 passages (13, 31 characters) from subject access: third-party information")
        #expect(!event.detail.contains("Example"), "the audit log never holds the withheld words")
        #expect(try f.entryRow(entry).withheld)

        f.clock.advance(by: 60)
        let whole = try f.store.withhold(actor: f.dsl, entry: entry,
                                         WithholdingInput(part: .wholeEntry, reason: .other, otherReason: " legal privilege "))
        var detail = try f.store.entry(actor: f.dsl, id: entry)
        #expect(detail.withholdings.map(\.passage) == ["Mr K. Example", "shouted at Juniper on Saturday.", nil])
        #expect(detail.withholdings.map(\.byName) == ["Rowan Quill", "Rowan Quill", "Petra Marsh"])
        #expect(detail.withholdings[2].phrase == "legal privilege")
        #expect(detail.withholdings.allSatisfy { $0.isActive })

        f.clock.advance(by: 60)
        try f.store.liftWithholding(actor: f.dsl, id: passages[0])
        let lifted = try f.lastEvent()
        #expect(lifted.detail == "lifted withholding \(passages[0]) (a passage: third-party information)")
        detail = try f.store.entry(actor: f.dsl, id: entry)
        #expect(detail.withholdings.count == 3, "a lifted withholding stays on file")
        #expect(!detail.withholdings[0].isActive && detail.withholdings[0].liftedByName == "Petra Marsh")
        #expect(detail.withholdings[0].liftedAt == f.clock.now())
        try f.store.liftWithholding(actor: f.dsl, id: passages[1])
        #expect(try f.entryRow(entry).withheld, "the whole entry is still withheld")
        try f.store.liftWithholding(actor: f.dsl, id: whole[0])
        #expect(!(try f.entryRow(entry).withheld))
        // Withheld again after lifting: a new decision, a new row.
        _ = try f.store.withhold(actor: f.dsl, entry: entry, WithholdingInput(part: .passages(["Mr K. Example"]), reason: .seriousHarm))
        #expect(try f.store.entry(actor: f.dsl, id: entry).withholdings.filter(\.isActive).map(\.reason) == [.seriousHarm])
        #expect(try f.raw { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sar_withholdings") } == 7, "4 decisions, 3 liftings")
    }

    @Test func badWithholdingsAreRefusedAndChangeNothing() throws {
        let f = try Fixture()
        let entry = try f.note(f.dsl, f.year7, Self.text)
        let held = try f.store.withhold(actor: f.dsl, entry: entry, WithholdingInput(part: .passages(["Mr K. Example"]), reason: .thirdParty))
        _ = try f.store.withhold(actor: f.dsl, entry: entry, WithholdingInput(part: .wholeEntry, reason: .seriousHarm))
        try f.store.liftWithholding(actor: f.dsl, id: held[0])
        let before = try f.sarTally()
        let refused: [(WithholdingInput, String)] = [
            (WithholdingInput(part: .passages(["Mr X. Example"]), reason: .thirdParty), SARField.passage),
            (WithholdingInput(part: .passages(["Mum rang."]), reason: nil), SARField.reason),
            (WithholdingInput(part: .passages(["Mum rang."]), reason: .other, otherReason: ""), SARField.otherReason),
            (WithholdingInput(part: nil, reason: .thirdParty), SARField.part),
            (WithholdingInput(part: .wholeEntry, reason: .thirdParty), SARField.part),
        ]
        for (input, field) in refused {
            do {
                try f.store.withhold(actor: f.dsl, entry: entry, input)
                Issue.record("\(input) was accepted")
            } catch StoreError.invalid(let problems) {
                #expect(problems.map(\.field) == [field], "\(input): \(problems)")
            }
        }
        // The same passage twice while it stands; a lifted one may be withheld again (see above).
        _ = try f.store.withhold(actor: f.dsl, entry: entry, WithholdingInput(part: .passages(["Mum rang."]), reason: .thirdParty))
        let afterOne = try f.sarTally()
        #expect(throws: StoreError.invalid([FieldProblem(field: SARField.passage, message: "“Mum rang.” is already withheld")])) {
            try f.store.withhold(actor: f.dsl, entry: entry, WithholdingInput(part: .passages(["Mum rang."]), reason: .seriousHarm))
        }
        #expect(try f.sarTally() == afterOne)
        #expect(afterOne == f.tally(before, plus: ["sar_withholdings": 1, "audit_events": 1]))
        #expect(throws: StoreError.self) { try f.store.liftWithholding(actor: f.dsl, id: held[0]) }
        #expect(throws: StoreError.notFound("Withholding 999")) { try f.store.liftWithholding(actor: f.dsl, id: 999) }
        #expect(try f.sarTally() == afterOne)

        // Nobody edits or deletes a decision behind the store's back.
        #expect(throws: (any Error).self) { try f.raw { db in try db.execute(sql: "UPDATE sar_withholdings SET reason = 'other'") } }
        #expect(throws: (any Error).self) { try f.raw { db in try db.execute(sql: "DELETE FROM sar_withholdings") } }
    }

    @Test func aPassageMustBeInTheTextAsAmended() throws {
        let f = try Fixture()
        let entry = try f.note(f.dsl, f.year7, Self.text)
        try f.store.amendEntry(actor: f.dsl, entry: entry, AmendmentInput(newText: "Mum rang. Juniper is safe.", reason: "Hearsay removed"))
        #expect(throws: StoreError.self) {
            try f.store.withhold(actor: f.dsl, entry: entry, WithholdingInput(part: .passages(["Mr K. Example"]), reason: .thirdParty))
        }
        #expect(try f.store.withhold(actor: f.dsl, entry: entry,
                                     WithholdingInput(part: .passages(["Juniper is safe."]), reason: .seriousHarm)).count == 1)
    }

    @Test func theBundleHoldsTheWholeFileDisputesAndWhoHasLooked() throws {
        let f = try Fixture()
        let request = try f.openSAR()
        let reference = try f.log(text: "Juniper said a neighbour hit her.")
        try f.triage(reference, restricted: true)
        let restricted = try f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year7)).filter(\.entry.restricted)
        #expect(!restricted.isEmpty)
        let entry = try f.note(f.dsl, f.year7, Self.text)
        try f.raw { db in
            try db.execute(sql: """
                INSERT INTO entry_disputes (entry_id, statement, made_by, received_at, recorded_by, recorded_at)
                VALUES (?, 'We were not told about this call.', 'Ms R. Example (mother)', ?, ?, ?)
                """, arguments: [entry, Millis.from(Fixture.start), f.dsl.username, Millis.from(Fixture.start)])
        }
        _ = try f.store.pupilHeader(actor: f.pastoral, pupil: f.pupilID(f.year7))
        let before = try f.sarTally()
        let bundle = try f.store.sarBundle(actor: f.dsl, pupil: f.pupilID(f.year7))
        #expect(try f.sarTally() == f.tally(before, plus: ["audit_events": 1]))
        let event = try f.lastEvent()
        #expect(event.operation == .sarExport && event.recordKind == "pupil")
        #expect(event.detail == "exported subject access bundle: \(bundle.entries.count) entries, 0 withheld whole, 0 passages withheld")

        #expect(bundle.schoolName == "Hollin Vale Academy" && bundle.header.upn == f.year7.value)
        #expect(bundle.request == request)
        let ids = bundle.entries.map(\.row.entry.id)
        #expect(Set(restricted.map(\.entry.id)).isSubset(of: Set(ids)), "restricted entries are included")
        #expect(bundle.entries.map(\.row.entry.occurredAt) == bundle.entries.map(\.row.entry.occurredAt).sorted(), "oldest first")
        #expect(bundle.disputes.map(\.entry) == [entry])
        #expect(bundle.disputes.first?.statement == "We were not told about this call.")
        #expect(bundle.disputes.first?.recordedByName == "Petra Marsh")
        #expect(bundle.looks.map(\.username).contains(f.pastoral.username))
    }
}
