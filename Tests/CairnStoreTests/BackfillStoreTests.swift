import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

extension Fixture {
    static let lifecycleTables = ["concerns", "concern_pupils", "paper_originals", "entry_disputes", "rectification_requests",
                                  "chronology_entries", "actions", "audit_events"]

    /// Rows in every table a backfill, a dispute or a rectification request writes.
    func lifecycleTally() throws -> [String: Int] {
        try raw { db in
            var counts: [String: Int] = [:]
            for table in Self.lifecycleTables { counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            counts["verified"] = try Int.fetchOne(db, sql: "SELECT count(*) FROM paper_originals WHERE verified_at IS NOT NULL") ?? 0
            return counts
        }
    }

    /// A concern about `pupil` (Year 7 unless told) written on paper by Ann Lee at 09:55 this morning
    /// about 09:40, typed by `typist` (the teacher unless told).
    @discardableResult
    func logFromPaper(by typist: Staff? = nil, about pupil: UPN? = nil) throws -> ConcernReference {
        let reference = try store.logConcern(actor: typist ?? teacher, Self.paperDraft(about: pupil ?? year7),
                                             paper: PaperInput(writtenAt: Self.paperWritten, writtenBy: "Ann Lee"))
        clock.advance(by: 60)
        return reference
    }

    /// 02/03/2026: it happened at 07:40 and was written up on paper at 07:55 (the clock starts at 08:30).
    static let paperHappened = UKDate.parseDateTime("02/03/2026 07:40")!
    static let paperWritten = UKDate.parseDateTime("02/03/2026 07:55")!

    static func paperDraft(about pupil: UPN) -> ConcernDraft {
        ConcernDraft(pupils: [pupil], categories: [.physical], accounts: [Account(nature: .seen, text: "Bruise on the left cheek at the gate.")],
                     childWords: "I walked into a door.", occurredAt: paperHappened)
    }
}

/// Concerns typed from paper: the paper original is stored with the concern, and someone other than
/// the typist checks it against the paper, once.
@Suite struct BackfillStoreTests {
    @Test func aConcernTypedFromPaperKeepsItsPaperOriginal() throws {
        let f = try Fixture()
        let before = try f.lifecycleTally()
        let reference = try f.logFromPaper()
        #expect(try f.lifecycleTally() == f.tally(before, plus: ["concerns": 1, "concern_pupils": 1, "paper_originals": 1,
                                                                 "chronology_entries": 1, "audit_events": 1]))
        let item = try #require(f.store.queue(actor: f.dsl).first { $0.reference == reference })
        let paper = try #require(item.paper)
        #expect(paper == PaperOriginal(writtenAt: Fixture.paperWritten, writtenBy: "Ann Lee", typedBy: f.teacher.username,
                                       typedByName: "Ned Birch", typedAt: Fixture.start))
        #expect(item.occurredAt == Fixture.paperHappened, "what happened stays when the paper says")
        #expect(item.reportedBy == f.teacher.username, "the typist is the reporter")
        let event = try #require(f.store.recentAuditEvents(limit: 2).first { $0.operation == .logConcern })
        #expect(event.detail == "typed from paper")

        let row = try #require(f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year7)).first { $0.entry.kind == .concern })
        #expect(row.paper == paper)
        let detail = try f.store.entry(actor: f.dsl, id: row.entry.id)
        #expect(detail.row.paper == paper)
        #expect(try f.store.concern(actor: f.dsl, id: item.id).item.paper == paper)

        // A concern logged in the ordinary way has none, nor do the entries that follow a backfill.
        try f.log()
        try f.triage(reference)
        let rows = try f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year7))
        #expect(rows.filter { $0.paper != nil }.map(\.entry.id) == [row.entry.id])
    }

    @Test(arguments: [
        (PaperInput(writtenAt: UKDate.parseDateTime("02/03/2026 07:30")!, writtenBy: "Ann Lee"), RecordField.writtenAt),
        (PaperInput(writtenAt: UKDate.parseDateTime("03/03/2026 07:30")!, writtenBy: "Ann Lee"), RecordField.writtenAt),
        (PaperInput(writtenAt: UKDate.parseDateTime("02/03/2026 08:00")!, writtenBy: "  "), RecordField.writtenBy),
    ])
    func aPaperThatCannotBeRightChangesNothing(_ paper: PaperInput, _ field: String) throws {
        let f = try Fixture()
        let before = try f.lifecycleTally()
        let thrown = #expect(throws: StoreError.self) {
            try f.store.logConcern(actor: f.teacher, Fixture.paperDraft(about: f.year7), paper: paper)
        }
        guard case .invalid(let problems) = thrown else { Issue.record("expected invalid, got \(String(describing: thrown))"); return }
        #expect(problems.map(\.field) == [field])
        #expect(try f.lifecycleTally() == before)
    }

    @Test func theTypistCannotCheckTheirOwnTypingAndTheRefusalIsOnRecord() throws {
        let f = try Fixture()
        let reference = try f.logFromPaper(by: f.dsl)
        let id = try f.id(of: reference)
        let before = try f.lifecycleTally()
        let denied = #expect(throws: AccessDenied.self) { try f.store.verifyBackfill(actor: f.dsl, concern: id) }
        #expect(denied?.description == "Not permitted: you typed \(reference) from the paper, so a different member of staff must check it against the paper")
        #expect(try f.lifecycleTally() == f.tally(before, plus: ["audit_events": 1]), "only the refusal is written")
        let event = try f.lastEvent()
        #expect(event.operation == .verifyBackfill && event.actor == f.dsl.username)
        #expect(event.detail.hasPrefix("refused: you typed \(reference)"))
        #expect(try f.store.queue(actor: f.dsl).first { $0.reference == reference }?.paper?.isVerified == false)
    }

    @Test func someoneElseChecksItOnceAndASecondCheckIsRefused() throws {
        let f = try Fixture()
        let reference = try f.logFromPaper(about: f.year8)
        let id = try f.id(of: reference)
        let version = try f.store.queueVersion()
        f.clock.advance(by: 600)
        let before = try f.lifecycleTally()
        let checked = try f.store.verifyBackfill(actor: f.deputy, concern: id)
        #expect(checked.verifiedBy == f.deputy.username && checked.verifiedByName == "Rowan Quill")
        #expect(checked.verifiedAt == f.clock.now())
        #expect(try f.lifecycleTally() == f.tally(before, plus: ["verified": 1, "audit_events": 1]))
        let event = try f.lastEvent()
        #expect(event.operation == .verifyBackfill && event.recordID == reference.description)
        #expect(event.detail == "checked against the paper written 02/03/2026 07:55")
        #expect(try f.store.queueVersion() != version, "other dashboards see the check")
        let item = try #require(f.store.queue(actor: f.dsl).first { $0.reference == reference })
        #expect(item.paper == checked)
        #expect(checked.provenance.hasSuffix("verified by Rowan Quill on 02/03/2026 08:41"))

        let again = try f.lifecycleTally()
        let thrown = #expect(throws: StoreError.self) { try f.store.verifyBackfill(actor: f.dsl, concern: id) }
        #expect(thrown == .invalid([FieldProblem(field: RecordField.reference,
                                                 message: "\(reference) was already checked against the paper by Rowan Quill on 02/03/2026 08:41")]))
        #expect(try f.lifecycleTally() == again)
    }

    @Test func aConcernNotTypedFromPaperHasNothingToCheck() throws {
        let f = try Fixture()
        let reference = try f.log()
        let before = try f.lifecycleTally()
        let thrown = #expect(throws: StoreError.self) { try f.store.verifyBackfill(actor: f.dsl, concern: f.id(of: reference)) }
        #expect(thrown == .invalid([FieldProblem(field: RecordField.reference,
                                                 message: "\(reference) was not typed from paper, so there is nothing to check")]))
        #expect(try f.lifecycleTally() == before)
    }

    /// verify_backfill is "yes" for the DSL and deputy, "in scope" for a pastoral lead, "no" for everyone else.
    @Test func whoMayCheckFollowsTheMatrix() throws {
        let f = try Fixture()
        let inYears = try f.id(of: f.logFromPaper(about: f.year8))
        let outOfYears = try f.id(of: f.logFromPaper(about: f.year10))
        for outsider in [f.otherTeacher, f.admin, f.auditor] {
            #expect(throws: AccessDenied.self) { try f.store.verifyBackfill(actor: outsider, concern: inYears) }
        }
        #expect(throws: AccessDenied.self) { try f.store.verifyBackfill(actor: f.pastoral, concern: outOfYears) }
        #expect(try f.lifecycleTally()["verified"] == 0)
        try f.store.verifyBackfill(actor: f.pastoral, concern: inYears)
        try f.store.verifyBackfill(actor: f.deputy, concern: outOfYears)
        #expect(try f.lifecycleTally()["verified"] == 2)
    }

    @Test func theDatabaseRefusesToRewriteAPaperOriginalOrCheckItTwice() throws {
        let f = try Fixture()
        let id = try f.id(of: f.logFromPaper())
        try f.store.verifyBackfill(actor: f.dsl, concern: id)
        for sql in ["UPDATE paper_originals SET written_by = 'Someone Else'",
                    "UPDATE paper_originals SET verified_by = 't.birch', verified_at = 0",
                    "DELETE FROM paper_originals"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try f.raw { db in try db.execute(sql: sql) } }
        }
    }
}
