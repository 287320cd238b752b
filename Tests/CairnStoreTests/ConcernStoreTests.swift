import CairnDomain
import CairnStore
import Foundation
import Testing

@Suite struct ConcernStoreTests {
    // MARK: Life cycle

    @Test func triageMovesANewConcernToInProgressWithItsDecision() throws {
        let f = try Fixture()
        let reference = try f.log()
        let id = try f.id(of: reference)
        #expect(try f.store.concern(actor: f.dsl, id: id).item.status == .new)
        try f.triage(reference, level: .targeted, restricted: true)
        let detail = try f.store.concern(actor: f.dsl, id: id)
        #expect(detail.item.status == .inProgress)
        #expect(detail.item.level == .targeted)
        #expect(detail.item.caseHolder == f.deputy.username)
        #expect(detail.item.restricted)
        #expect(detail.decisions.map(\.kind) == ["triage"])
        #expect(detail.decisions.first?.decidedBy == f.dsl.username)
    }

    @Test func closingNeedsTriageFirstAndAClosedConcernCannotBeTriaged() throws {
        let f = try Fixture()
        let reference = try f.log()
        let id = try f.id(of: reference)
        let monitor = try Outcome(kind: .monitor)
        let early = #expect(throws: StoreError.self) { try f.store.close(actor: f.dsl, id: id, outcome: monitor) }
        guard case .illegal(let transition) = early else {
            Issue.record("expected an illegal transition, got \(String(describing: early))")
            return
        }
        #expect(transition.from == .new)
        #expect(transition.description == "a new concern must be triaged before it is closed")
        #expect(try f.store.concern(actor: f.dsl, id: id).item.status == .new)

        try f.triage(reference)
        try f.store.close(actor: f.dsl, id: id, outcome: Outcome(kind: .noFurtherAction, reason: "Coat was in a friend's bag"))
        let closed = try f.store.concern(actor: f.dsl, id: id)
        #expect(closed.item.status == .closed)
        #expect(closed.decisions.last?.outcome == .noFurtherAction)
        #expect(closed.decisions.last?.reason == "Coat was in a friend's bag")

        let decision = TriageDecision(level: .universal, caseHolder: f.dsl.username, restricted: false)
        let retriage = #expect(throws: StoreError.self) { try f.store.triage(actor: f.dsl, id: id, decision: decision) }
        let reclose = #expect(throws: StoreError.self) { try f.store.close(actor: f.dsl, id: id, outcome: monitor) }
        for error in [retriage, reclose] {
            guard case .illegal(let transition) = error else {
                Issue.record("expected an illegal transition, got \(String(describing: error))")
                continue
            }
            #expect(transition.from == .closed)
        }
        #expect(try f.store.concern(actor: f.dsl, id: id).decisions.count == 2)
    }

    @Test func noFurtherActionWithoutAReasonIsRefusedBeforeReachingTheStore() {
        #expect(throws: FieldProblem(field: "reason", message: "a reason is required for no further action")) {
            _ = try Outcome(kind: .noFurtherAction, reason: "   ")
        }
        #expect(throws: FieldProblem.self) { _ = try Outcome(kind: .noFurtherAction) }
    }

    @Test func triageNeedsAnActiveCaseHolderAndChangesNothingOtherwise() throws {
        let f = try Fixture()
        let reference = try f.log()
        let id = try f.id(of: reference)
        let decision = TriageDecision(level: .earlyHelp, caseHolder: "nobody.here", restricted: false)
        #expect(throws: StoreError.self) { try f.store.triage(actor: f.dsl, id: id, decision: decision) }
        #expect(try f.store.concern(actor: f.dsl, id: id).item.status == .new)
    }

    // MARK: Queue

    @Test func theQueueShowsTheNewestUrgentFirstThenRoutineOldestFirst() throws {
        let f = try Fixture()
        let routineOld = try f.log()
        let urgentOld = try f.log(about: [f.year8], urgent: true)
        let routineNew = try f.log(about: [f.year10])
        let urgentNew = try f.log(about: [f.year11], urgent: true)
        let closed = try f.log(about: [f.year7])
        try f.triage(closed)
        try f.store.close(actor: f.dsl, id: f.id(of: closed), outcome: Outcome(kind: .unfounded))

        let queue = try f.store.queue(actor: f.dsl)
        // A child at risk now must not wait behind an older urgent concern the DSL has already seen.
        #expect(queue.map(\.reference) == [urgentNew, urgentOld, routineOld, routineNew])
        #expect(queue.first?.pupils.map(\.upn) == [f.year11.value])
        #expect(queue.first?.reportedBy == f.teacher.username)
        #expect(queue.first?.reporterName == "Ned Birch")
    }

    @Test func keysetPagingReturnsEveryOpenConcernExactlyOnce() throws {
        let f = try Fixture()
        var open: [ConcernReference] = []
        let pupils = [f.year7, f.year8, f.year10, f.year11]
        for n in 0..<23 {
            open.append(try f.log(about: [pupils[n % 4]], urgent: n % 5 == 0))
        }
        // Some concerns share a timestamp, so the id must break ties across page boundaries.
        for _ in 0..<3 {
            open.append(try f.store.logConcern(actor: f.teacher, ConcernDraft(
                pupils: [f.year8], categories: [.bullying], accounts: [Account(nature: .reported, text: "Name-calling")],
                occurredAt: f.clock.now())))
        }
        let closed = open.removeFirst()
        try f.triage(closed)
        try f.store.close(actor: f.dsl, id: f.id(of: closed), outcome: Outcome(kind: .monitor))

        let unpaged = try f.store.queue(actor: f.dsl, limit: 100)
        for size in [1, 4, 7, 25, 100] {
            let paged = try f.allPages(actor: f.dsl, scope: .open, limit: size)
            #expect(paged.map(\.reference) == unpaged.map(\.reference), "page size \(size)")
            #expect(Set(paged.map(\.reference)) == Set(open), "page size \(size)")
            #expect(paged.count == open.count, "page size \(size)")
        }
        #expect(!unpaged.contains { $0.reference == closed })
    }

    @Test func countsAreWhatTheStatusLineShows() throws {
        let f = try Fixture()
        let a = try f.log()
        _ = try f.log(about: [f.year8], urgent: true)
        _ = try f.log(about: [f.year10])
        let d = try f.log(about: [f.year11], urgent: true)
        try f.triage(a)
        try f.triage(d)
        try f.store.close(actor: f.dsl, id: f.id(of: d), outcome: Outcome(kind: .monitor))
        // One action due yesterday (overdue), one due tomorrow (not yet). A due date cannot be set in
        // the past, so both are set two days ago and the clock moves on.
        f.clock.advance(by: -2 * 86_400)
        try f.store.addAction(actor: f.dsl, pupil: f.year7, description: "Check in with Juniper", owner: f.pastoral.username,
                              due: f.clock.now().addingTimeInterval(86_400))
        try f.store.addAction(actor: f.dsl, pupil: f.year8, description: "Speak to Otto's form tutor", owner: f.deputy.username,
                              due: f.clock.now().addingTimeInterval(3 * 86_400))
        f.clock.advance(by: 2 * 86_400)

        #expect(try Self.counts(f, f.dsl) == [2, 1, 1])
        // Staff who cannot see the queue see only their own overdue actions.
        #expect(try Self.counts(f, f.pastoral) == [0, 0, 1])
        #expect(try Self.counts(f, f.deputy) == [2, 1, 1])
        #expect(try Self.counts(f, f.teacher) == [0, 0, 0])
    }

    /// New, urgent, overdue.
    static func counts(_ f: Fixture, _ actor: Staff) throws -> [Int] {
        let counts = try f.store.counts(actor: actor)
        return [counts.new, counts.urgent, counts.overdue]
    }

    // MARK: Writes that must leave nothing behind, reads that must leave a trace

    @Test func logConcernWithAnUnknownUPNWritesNothing() throws {
        let f = try Fixture()
        let unknown = UPN.make(la: 935, establishment: 4101, year: 20, serial: 999)
        let events = try f.store.auditEventCount()
        let draft = ConcernDraft(pupils: [f.year7, unknown], categories: [.online],
                                 accounts: [Account(nature: .disclosed, text: "Was sent messages by an adult online")],
                                 occurredAt: f.clock.now())
        #expect(throws: StoreError.invalid([FieldProblem(field: "pupil", message: "no pupil with UPN \(unknown.value)")])) {
            try f.store.logConcern(actor: f.teacher, draft)
        }
        #expect(try f.store.auditEventCount() == events)
        #expect(try f.store.queue(actor: f.dsl).isEmpty)
        let rows = try f.raw { db in
            try ["concerns", "concern_pupils", "concern_accounts", "chronology_entries"].map {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1
            }
        }
        #expect(rows == [0, 0, 0, 0])
        // The next concern still gets the first number of the year.
        #expect(try f.log() == ConcernReference(year: 2026, number: 1))
    }

    @Test func readingAConcernWritesAReadEventNamingTheActor() throws {
        let f = try Fixture()
        let reference = try f.log(about: [f.year10])
        let before = try f.store.auditEventCount()
        _ = try f.store.concern(actor: f.deputy, id: f.id(of: reference))
        #expect(try f.store.auditEventCount() == before + 1)
        let event = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(event.actor == f.deputy.username)
        #expect(event.operation == .readConcern)
        #expect(event.recordKind == "concern")
        #expect(event.recordID == reference.description)
    }

    @Test func referencesRunOnWithinTheYear() throws {
        let f = try Fixture()
        #expect(try f.log() == ConcernReference(year: 2026, number: 1))
        #expect(try f.log() == ConcernReference(year: 2026, number: 2))
        #expect(ConcernReference(year: 2026, number: 42).description == "2026-0042")
    }
}
