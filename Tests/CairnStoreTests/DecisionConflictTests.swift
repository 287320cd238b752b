import CairnDomain
import CairnStore
import Foundation
import Testing

/// Two DSLs deciding the same concern: the second save must not silently overwrite the first.
struct DecisionConflictTests {
    @Test func aSecondTriageOnAStaleViewIsRefusedAndSaysWhatTheOtherDid() throws {
        let fixture = try Fixture()
        let reference = try fixture.log()
        let id = try fixture.id(of: reference)
        let seenByBoth = try #require(try fixture.store.queue(actor: fixture.dsl).first { $0.id == id }).decisionVersion
        #expect(seenByBoth == 0)

        try fixture.store.triage(actor: fixture.deputy, id: id,
                                 decision: TriageDecision(level: .targeted, caseHolder: fixture.deputy.username, restricted: false),
                                 seen: seenByBoth)
        #expect(throws: StoreError.self) {
            try fixture.store.triage(actor: fixture.dsl, id: id,
                                     decision: TriageDecision(level: .universal, caseHolder: fixture.dsl.username, restricted: false),
                                     seen: seenByBoth)
        }
        do {
            try fixture.store.close(actor: fixture.dsl, id: id, outcome: try Outcome(kind: .monitor), seen: seenByBoth)
            Issue.record("a close on a stale view was saved")
        } catch StoreError.conflict(let message) {
            #expect(message.contains("Rowan Quill triaged this"))
            #expect(message.contains("level 3 Targeted"))
            #expect(message.contains("Ctrl-S saves yours over it"))
        }
        // The deputy's decision stands.
        let now = try #require(try fixture.store.queue(actor: fixture.dsl).first { $0.id == id })
        #expect(now.level == .targeted)
        #expect(now.caseHolder == fixture.deputy.username)
        #expect(now.decisionVersion > seenByBoth)

        // Having seen it, the DSL may still decide on the current version.
        try fixture.store.close(actor: fixture.dsl, id: id, outcome: try Outcome(kind: .monitor), seen: now.decisionVersion)
        guard case .intact = try fixture.store.verifyAuditWithoutRecording() else {
            Issue.record("the audit chain broke")
            return
        }
    }
}
