import CairnDomain
import CairnStore
import Foundation
import Testing

@Suite struct AccessTests {
    @Test func staffCannotListTheQueueAndTheRefusalIsAudited() throws {
        let f = try Fixture()
        _ = try f.log()
        let before = try f.store.auditEventCount()
        let denied = #expect(throws: AccessDenied.self) { try f.store.queue(actor: f.teacher) }
        #expect(denied?.operation == .listQueue)
        #expect(try f.store.auditEventCount() == before + 1)
        let event = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(event.actor == f.teacher.username)
        #expect(event.operation == .listQueue)
        #expect(event.detail.hasPrefix("refused: "))
        // The refusal is part of the chain, not a side log.
        #expect(try f.store.verifyAuditWithoutRecording() == .intact(count: before + 1, lastHash: event.hash))
    }

    @Test func onlyTheSafeguardingTeamSeesTheQueue() throws {
        let f = try Fixture()
        _ = try f.log()
        #expect(try f.store.queue(actor: f.dsl).count == 1)
        #expect(try f.store.queue(actor: f.deputy).count == 1)
        for outsider in [f.pastoral, f.teacher, f.admin, f.auditor] {
            #expect(throws: AccessDenied.self, "\(outsider.role)") { try f.store.queue(actor: outsider) }
        }
    }

    @Test func staffSeeTheirOwnConcernsAndNobodyElses() throws {
        let f = try Fixture()
        let mineFirst = try f.log(f.teacher, about: [f.year7])
        let theirs = try f.log(f.otherTeacher, about: [f.year8])
        let mineSecond = try f.log(f.teacher, about: [f.year10])
        try f.triage(mineFirst, level: .statutory)

        let mine = try f.store.queue(actor: f.teacher, scope: .mine)
        #expect(mine.map(\.reference) == [mineSecond, mineFirst], "newest first, and only their own")
        // They can see that the DSL received it and acted...
        #expect(mine.last?.status == .inProgress)

        let own = try f.store.concern(actor: f.teacher, id: f.id(of: mineFirst))
        #expect(own.item.reference == mineFirst)
        #expect(own.accounts.count == 1)
        // ...but not what the safeguarding team decided.
        #expect(own.decisions.isEmpty)
        #expect(try f.store.concern(actor: f.dsl, id: f.id(of: mineFirst)).decisions.count == 1)

        let before = try f.store.auditEventCount()
        let denied = #expect(throws: AccessDenied.self) { try f.store.concern(actor: f.teacher, id: f.id(of: theirs)) }
        #expect(denied?.reason == "you may see only the concerns you logged and the actions given to you")
        let event = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(try f.store.auditEventCount() == before + 1)
        #expect(event.actor == f.teacher.username)
        #expect(event.operation == .readConcern)
        #expect(event.detail.hasPrefix("refused: "))
    }

    @Test func pastoralLeadsReadOnlyWithinTheirYearGroups() throws {
        let f = try Fixture()
        let inScope = try f.log(about: [f.year8])
        let outOfScope = try f.log(about: [f.year10])
        let straddling = try f.log(about: [f.year7, f.year11])

        #expect(try f.store.concern(actor: f.pastoral, id: f.id(of: inScope)).item.pupils.map(\.upn) == [f.year8.value])
        for reference in [outOfScope, straddling] {
            let denied = #expect(throws: AccessDenied.self) { try f.store.concern(actor: f.pastoral, id: f.id(of: reference)) }
            #expect(denied?.reason == "this pupil is outside your year groups")
        }
        #expect(throws: AccessDenied.self) {
            try f.store.addAction(actor: f.pastoral, pupil: f.year10, description: "Check in", owner: f.pastoral.username,
                                  due: f.clock.now().addingTimeInterval(86_400))
        }
    }

    @Test func aRestrictedConcernIsHiddenFromPastoralUnlessTheyHoldTheCase() throws {
        let f = try Fixture()
        let reference = try f.log(about: [f.year8])
        try f.triage(reference, restricted: true)
        let denied = #expect(throws: AccessDenied.self) { try f.store.concern(actor: f.pastoral, id: f.id(of: reference)) }
        #expect(denied?.reason == "this record is restricted to the safeguarding team")
        #expect(try f.store.concern(actor: f.deputy, id: f.id(of: reference)).item.restricted)
    }

    @Test func adminAndAuditorReadNoRecordContent() throws {
        let f = try Fixture()
        let reference = try f.log()
        for outsider in [f.admin, f.auditor] {
            let denied = #expect(throws: AccessDenied.self) { try f.store.concern(actor: outsider, id: f.id(of: reference)) }
            #expect(denied?.operation == .readConcern)
        }
        // The auditor may still check the chain.
        guard case .intact = try f.store.verifyAudit(actor: f.auditor) else {
            Issue.record("the auditor should be able to verify an intact chain")
            return
        }
    }

    @Test func staffCannotTriageOrImportAndNothingChanges() throws {
        let f = try Fixture()
        let reference = try f.log()
        let decision = TriageDecision(level: .universal, caseHolder: f.teacher.username, restricted: false)
        #expect(throws: AccessDenied.self) { try f.store.triage(actor: f.teacher, id: f.id(of: reference), decision: decision) }
        #expect(try f.store.concern(actor: f.dsl, id: f.id(of: reference)).item.status == .new)

        let extra = Fixture.row(UPN.make(la: 935, establishment: 4101, year: 19, serial: 50), "Hal", "Eastry",
                                dob: "01/01/2014", .year7, "7AS")
        #expect(throws: AccessDenied.self) { _ = try f.store.importPupils(actor: f.teacher, [extra]) }
        #expect(try f.store.pupilCount() == 4)
    }

    @Test func aDisabledAccountCanDoNothing() throws {
        let f = try Fixture()
        var gone = f.deputy
        gone.active = false
        let denied = #expect(throws: AccessDenied.self) { try f.store.queue(actor: gone) }
        #expect(denied?.reason == "deputy.quill's account is disabled")
    }
}
