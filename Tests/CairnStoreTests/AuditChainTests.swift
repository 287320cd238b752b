import CairnDomain
import CairnStore
import Foundation
import GRDB
import Testing

@Suite struct AuditChainTests {
    /// A morning's work: concerns logged and read, triaged, an action set and done, a referral, a closure.
    static func realisticDay() throws -> Fixture {
        let f = try Fixture()
        let first = try f.log(about: [f.year7])
        let second = try f.log(f.otherTeacher, about: [f.year10, f.year11], urgent: true)
        _ = try f.store.queue(actor: f.dsl)
        _ = try f.store.concern(actor: f.dsl, id: f.id(of: second))
        try f.triage(second, level: .statutory, restricted: true)
        let action = try f.store.addAction(actor: f.dsl, pupil: f.year10, concern: f.id(of: second),
                                           description: "Phone the family support worker", owner: f.deputy.username,
                                           due: f.clock.now().addingTimeInterval(86_400))
        try f.store.completeAction(actor: f.deputy, id: action, status: .done, outcome: "Spoke to the worker; visit booked")
        try f.store.recordReferral(actor: f.dsl, pupil: f.pupilID(f.year10),
                                   ReferralInput(concern: f.id(of: second), agency: .socialCare, madeAt: f.clock.now(),
                                                 consent: .givenByParent, lawfulBasis: .publicTask, agencyReference: "MASH-0001"))
        try f.triage(first)
        try f.store.close(actor: f.dsl, id: f.id(of: first), outcome: Outcome(kind: .monitor, reason: "Coat provided"))
        _ = try f.store.verifyAudit(actor: f.auditor)
        return f
    }

    static func broken(_ result: AuditVerification) -> Int64? {
        if case .broken(let sequence, _) = result { return sequence }
        return nil
    }

    @Test func theChainVerifiesAfterARealisticSequence() throws {
        let f = try Self.realisticDay()
        let count = try f.store.auditEventCount()
        #expect(count > 20)
        guard case .intact(let verified, let lastHash) = try f.store.verifyAuditWithoutRecording() else {
            Issue.record("chain should be intact")
            return
        }
        #expect(verified == count)
        #expect(lastHash == (try f.store.recentAuditEvents(limit: 1).first?.hash))
        // Each event points at the one before it.
        let events = try f.store.recentAuditEvents(limit: count).reversed().map { $0 }
        #expect(events.first?.previousHash == AuditChain.genesis)
        for (earlier, later) in zip(events, events.dropFirst()) {
            #expect(later.previousHash == earlier.hash)
            #expect(later.sequence == earlier.sequence + 1)
        }
    }

    @Test func verifyingIsItselfRecordedButCheckingQuietlyIsNot() throws {
        let f = try Fixture()
        let before = try f.store.auditEventCount()
        _ = try f.store.verifyAuditWithoutRecording()
        #expect(try f.store.auditEventCount() == before)
        let result = try f.store.verifyAudit(actor: f.auditor)
        #expect(result == .intact(count: before, lastHash: try #require(f.store.recentAuditEvents(limit: 2).last?.hash)))
        let last = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(last.actor == f.auditor.username)
        #expect(last.operation == .verifyAudit)
    }

    @Test func anEditedRowIsNamed() throws {
        let f = try Self.realisticDay()
        try f.raw { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "UPDATE audit_events SET actor = 'someone.else' WHERE seq = 9")
        }
        let result = try f.store.verifyAuditWithoutRecording()
        #expect(Self.broken(result) == 9)
        if case .broken(_, let problem) = result { #expect(problem.contains("changed after it was written")) }
    }

    @Test func anEditedTimestampIsNamedToo() throws {
        let f = try Self.realisticDay()
        try f.raw { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "UPDATE audit_events SET at = at - 86400000 WHERE seq = 12")
        }
        #expect(Self.broken(try f.store.verifyAuditWithoutRecording()) == 12)
    }

    @Test func aDeletedRowIsNamed() throws {
        let f = try Self.realisticDay()
        try f.raw { db in
            try db.execute(sql: "DROP TRIGGER audit_no_delete")
            try db.execute(sql: "DELETE FROM audit_events WHERE seq = 7")
        }
        let result = try f.store.verifyAuditWithoutRecording()
        #expect(Self.broken(result) == 8)
        if case .broken(_, let problem) = result { #expect(problem.contains("missing")) }
    }

    @Test func twoReorderedRowsAreNamed() throws {
        let f = try Self.realisticDay()
        try f.raw { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "UPDATE audit_events SET seq = -1 WHERE seq = 10")
            try db.execute(sql: "UPDATE audit_events SET seq = 10 WHERE seq = 11")
            try db.execute(sql: "UPDATE audit_events SET seq = 11 WHERE seq = -1")
        }
        let result = try f.store.verifyAuditWithoutRecording()
        #expect(Self.broken(result) == 10)
        if case .broken(_, let problem) = result { #expect(problem.contains("does not follow")) }
    }

    @Test func theTriggersRefuseToChangeOrDeleteAuditEvents() throws {
        let f = try Self.realisticDay()
        let before = try f.store.verifyAuditWithoutRecording()
        let update = #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "UPDATE audit_events SET detail = 'nothing to see' WHERE seq = 3") }
        }
        #expect(update?.message?.contains("audit events cannot be changed") == true)
        let delete = #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "DELETE FROM audit_events WHERE seq = 3") }
        }
        #expect(delete?.message?.contains("audit events cannot be deleted") == true)
        #expect(try f.store.verifyAuditWithoutRecording() == before)
    }

    @Test func theTriggersRefuseToEditOrDeleteConcernText() throws {
        let f = try Fixture()
        let reference = try f.log(text: "Bruise on the left forearm, seen at break.")
        let id = try f.id(of: reference).rawValue
        let edit = #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "UPDATE concerns SET child_words = 'softened' WHERE id = ?", arguments: [id]) }
        }
        #expect(edit?.message?.contains("never edited in place") == true)
        #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "UPDATE concerns SET urgent = 1 WHERE id = ?", arguments: [id]) }
        }
        #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "UPDATE concern_accounts SET body = 'nothing' WHERE concern_id = ?", arguments: [id]) }
        }
        #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "DELETE FROM concerns WHERE id = ?", arguments: [id]) }
        }
        let detail = try f.store.concern(actor: f.dsl, id: ConcernID(rawValue: id))
        #expect(detail.accounts == [Account(nature: .seen, text: "Bruise on the left forearm, seen at break.")])
        #expect(detail.item.urgent == false)
    }
}
