import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

extension Fixture {
    /// A referral to the police about the Year 10 pupil, made now by `actor` (the deputy unless told).
    @discardableResult
    func refer(_ actor: Staff? = nil, _ upn: UPN? = nil, agency: Agency = .police) throws -> Int64 {
        try store.recordReferral(actor: actor ?? deputy, pupil: pupilID(upn ?? year10),
                                 ReferralInput(agency: agency, madeAt: clock.now(), consent: .givenByParent,
                                               lawfulBasis: .publicTask, agencyReference: "PC-0042"))
    }

    func followUps() throws -> [(owner: String, description: String, due: Int64, status: String, referral: Int64)] {
        try raw { db in
            try Row.fetchAll(db, sql: "SELECT owner, description, due_at, status, referral_id FROM actions WHERE follow_up = 1 ORDER BY id")
                .map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
        }
    }
}

@Suite struct ReferralStoreTests {
    static func at(_ text: String) -> Date { UKDate.parseDateTime(text)! }

    // MARK: Recording

    @Test func aReferralWithoutConsentKeepsItsReasonAndLawfulBasis() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year10)
        let reference = try f.log(about: [f.year10])
        let before = try f.tally()
        let id = try f.store.recordReferral(actor: f.dsl, pupil: pupil, ReferralInput(
            concern: f.id(of: reference), agency: .socialCare, madeAt: f.clock.now(), consent: .notSought,
            consentReason: "The father is the alleged source of harm.", lawfulBasis: .publicTask, agencyReference: " MASH-1 ",
            reasoning: "Bruising seen on both arms.\nAccount changed twice."))
        #expect(try f.tally() == f.tally(before, plus: ["referrals": 1, "chronology_entries": 1, "audit_events": 1]))
        let event = try f.lastEvent()
        #expect(event.operation == .addReferral)
        #expect(event.recordKind == "referral")
        #expect(event.recordID == String(id))

        let stored = try #require(try f.raw { db in
            try Row.fetchOne(db, sql: "SELECT consent, consent_reason, lawful_basis, outcome, agency_reference, made_by FROM referrals WHERE id = ?",
                             arguments: [id])
        })
        #expect(stored[0] as String == "not_sought")
        #expect(stored[1] as String == "The father is the alleged source of harm.")
        #expect(stored[2] as String == "public_task")
        #expect(stored[3] as String == "referred")
        #expect(stored[4] as String == "MASH-1")
        #expect(stored[5] as String == f.dsl.username)

        let row = try #require(f.store.chronology(actor: f.dsl, pupil: pupil).first { $0.entry.kind == .referral })
        #expect(row.entry.summary == "Referral to Children's social care / MASH (consent: not sought): Bruising seen on both arms.")
        #expect(row.entry.significant)
        #expect(row.entry.concern == (try f.id(of: reference)))
        let detail = try f.store.entry(actor: f.dsl, id: row.entry.id)
        #expect(detail.body == "Bruising seen on both arms.\nAccount changed twice.")
        #expect(detail.fields == [
            EntryField(label: "Agency", value: "Children's social care / MASH"),
            EntryField(label: "Outcome", value: "Referral made"),
            EntryField(label: "Date", value: "02/03/2026"),
            EntryField(label: "Consent", value: "Not sought"),
            EntryField(label: "Consent reason", value: "The father is the alleged source of harm."),
            EntryField(label: "Lawful basis", value: "Public task – UK GDPR art. 6(1)(e)"),
            EntryField(label: "Agency reference", value: "MASH-1"),
        ])
        #expect(detail.awaitingDecision == id)
    }

    @Test func aDecisionNotToReferIsRecordedWithItsReasoning() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year8)
        let id = try f.store.recordReferral(actor: f.deputy, pupil: pupil, ReferralInput(
            agency: .camhs, outcome: .notReferred, madeAt: f.clock.now(),
            reasoning: "Threshold not met; the school nurse will see her weekly."))
        let row = try #require(f.store.chronology(actor: f.dsl, pupil: pupil).first)
        #expect(row.entry.kind == .referral)
        #expect(row.entry.summary == "Decided not to refer to CAMHS: Threshold not met; the school nurse will see her weekly.")
        #expect(row.entry.significant)
        let detail = try f.store.entry(actor: f.dsl, id: row.entry.id)
        #expect(detail.awaitingDecision == nil)
        #expect(detail.fields.map(\.label) == ["Agency", "Outcome", "Date"])
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.decision,
                                                         message: "No referral was made, so there is no decision to record")])) {
            try f.store.recordReferralDecision(actor: f.dsl, referral: id, decision: "n/a", decidedOn: f.clock.now())
        }
        let consent = try f.raw { db in try String.fetchOne(db, sql: "SELECT consent FROM referrals WHERE id = ?", arguments: [id]) }
        #expect(consent == "")
    }

    @Test func invalidReferralsChangeNothingAndOnlyTheTeamRefers() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year8)
        let before = try f.tally()
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.consentReason, message: "Say why consent was not sought"),
                                            FieldProblem(field: RecordField.lawfulBasis, message: "Record the lawful basis for sharing")])) {
            try f.store.recordReferral(actor: f.dsl, pupil: pupil, ReferralInput(agency: .police, madeAt: f.clock.now(), consent: .notSought))
        }
        let other = try f.log(about: [f.year7])
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.concern, message: "That concern is not about this pupil")])) {
            try f.store.recordReferral(actor: f.dsl, pupil: pupil, ReferralInput(concern: f.id(of: other), agency: .police,
                                                                                 madeAt: f.clock.now(), consent: .givenByParent,
                                                                                 lawfulBasis: .publicTask))
        }
        let afterLog = try f.tally()
        #expect(afterLog["referrals"] == before["referrals"])
        for actor in [f.pastoral, f.teacher] {
            let denied = #expect(throws: AccessDenied.self) { try f.refer(actor, f.year8) }
            #expect(denied?.operation == .addReferral)
        }
        #expect(try f.tally() == f.tally(afterLog, plus: ["audit_events": 2]))
    }

    // MARK: Decisions

    @Test func theAgencysDecisionIsRecordedOnceAsItsOwnEntry() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year10)
        let id = try f.refer()
        f.clock.advance(by: 2 * 86_400)
        let decided = Fixture.start.addingTimeInterval(86_400)
        try f.store.recordReferralDecision(actor: f.dsl, referral: id, decision: "  No further police action; advice given.  ",
                                           decidedOn: decided)
        let rows = try f.store.chronology(actor: f.dsl, pupil: pupil, order: .oldestFirst)
        #expect(rows.map(\.entry.kind) == [.referral, .agencyResponse])
        #expect(rows[1].entry.summary == "Decision from Police: No further police action; advice given.")
        #expect(rows[1].entry.occurredAt == decided)
        #expect(rows[1].entry.significant)
        let referral = try f.store.entry(actor: f.dsl, id: rows[0].entry.id)
        #expect(referral.awaitingDecision == nil)
        #expect(referral.fields.suffix(2) == [EntryField(label: "Decision", value: "No further police action; advice given."),
                                              EntryField(label: "Decided on", value: "03/03/2026")])
        #expect(try f.store.entry(actor: f.dsl, id: rows[1].entry.id).fields.map(\.label) == ["Agency", "Referral of", "Decided on"])

        let before = try f.tally()
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.decision,
                                                         message: "The agency's decision was already recorded, on 03/03/2026")])) {
            try f.store.recordReferralDecision(actor: f.dsl, referral: id, decision: "Changed", decidedOn: f.clock.now())
        }
        #expect(try f.tally() == before)
        #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "UPDATE referrals SET decision = 'softened' WHERE id = ?", arguments: [id]) }
        }
        #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "UPDATE referrals SET consent = 'given_parent'") }
        }
        #expect(throws: DatabaseError.self) { try f.raw { db in try db.execute(sql: "DELETE FROM referrals") } }
    }

    @Test func aDecisionNeedsTextAndADateNoEarlierThanTheReferral() throws {
        let f = try Fixture()
        let id = try f.refer()
        let before = try f.tally()
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.decision, message: "Write the agency's decision"),
                                            FieldProblem(field: RecordField.decidedOn, message: "Date of the decision cannot be in the future")])) {
            try f.store.recordReferralDecision(actor: f.dsl, referral: id, decision: " ", decidedOn: f.clock.now().addingTimeInterval(86_400))
        }
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.decidedOn, message: "The decision cannot come before the referral")])) {
            try f.store.recordReferralDecision(actor: f.dsl, referral: id, decision: "Accepted",
                                               decidedOn: f.clock.now().addingTimeInterval(-86_400))
        }
        #expect(try f.tally() == before)
        #expect(throws: AccessDenied.self) {
            try f.store.recordReferralDecision(actor: f.pastoral, referral: id, decision: "Accepted", decidedOn: f.clock.now())
        }
        #expect(throws: StoreError.notFound("Referral 99")) {
            try f.store.recordReferralDecision(actor: f.dsl, referral: 99, decision: "Accepted", decidedOn: f.clock.now())
        }
    }

    @Test func aDecisionGivenWithTheReferralIsRecordedWithIt() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year11)
        let id = try f.store.recordReferral(actor: f.dsl, pupil: pupil, ReferralInput(
            agency: .earlyHelp, madeAt: f.clock.now().addingTimeInterval(-3 * 86_400), consent: .givenByYoungPerson,
            lawfulBasis: .consent, decision: "Family support worker allocated", decidedOn: f.clock.now()))
        #expect(try f.store.chronology(actor: f.dsl, pupil: pupil).map(\.entry.kind) == [.agencyResponse, .referral])
        #expect(try f.followUps().isEmpty)
        f.clock.advance(by: 7 * 86_400)
        #expect(try f.store.raiseReferralFollowUps(actor: f.dsl) == 0)
        #expect(try f.raw { db in try String.fetchOne(db, sql: "SELECT decision FROM referrals WHERE id = ?", arguments: [id]) }
            == "Family support worker allocated")
    }

    // MARK: Follow-ups

    @Test func aFollowUpIsRaisedOnlyOnceTheNextWorkingDayHasEndedOverEaster() throws {
        let f = try Fixture()
        // Thursday 2 April 2026: Good Friday and Easter Monday follow, so the next working day is Tuesday 7th.
        f.clock.set(Self.at("02/04/2026 10:00"))
        let id = try f.refer(f.deputy)
        try f.refer(f.dsl, f.year11, agency: .socialCare)
        try f.store.recordReferral(actor: f.dsl, pupil: f.pupilID(f.year8), ReferralInput(
            agency: .camhs, outcome: .notReferred, madeAt: f.clock.now(), reasoning: "Below threshold"))
        let events = try f.store.auditEventCount()
        for moment in ["02/04/2026 16:00", "03/04/2026 12:00", "06/04/2026 12:00", "07/04/2026 23:59"] {
            f.clock.set(Self.at(moment))
            #expect(try f.store.raiseReferralFollowUps(actor: f.dsl) == 0, "\(moment) is too soon")
        }
        #expect(try f.store.auditEventCount() == events, "nothing raised, nothing audited")

        f.clock.set(Self.at("08/04/2026 08:05"))
        #expect(try f.store.raiseReferralFollowUps(actor: f.pastoral) == 0, "only the safeguarding team raises them")
        #expect(try f.store.raiseReferralFollowUps(actor: f.teacher) == 0)
        #expect(try f.store.auditEventCount() == events)
        #expect(try f.store.raiseReferralFollowUps(actor: f.deputy) == 2)
        #expect(try f.store.auditEventCount() == events + 2, "one event per action raised")
        #expect(try f.lastEvent().operation == .addAction)
        let raised = try f.followUps()
        #expect(raised.map(\.owner) == [f.deputy.username, f.dsl.username], "each for the person who made the referral")
        #expect(raised[0].description == "Chase Police for a decision on the referral of 02/04/2026")
        #expect(raised[0].due == Millis.from(UKDate.parseDate("08/04/2026")!))
        #expect(raised[0].referral == id)

        // Idempotent, whoever runs it and however often.
        #expect(try f.store.raiseReferralFollowUps(actor: f.dsl) == 0)
        f.clock.advance(by: 7 * 86_400)
        #expect(try f.store.raiseReferralFollowUps(actor: f.deputy) == 0)
        #expect(try f.followUps().count == 2)

        // It shows in the deputy's actions and in the pupil's chronology.
        let mine = try f.store.actions(actor: f.deputy, view: .mine)
        let row = try #require(mine.first { $0.action.description.hasPrefix("Chase Police") })
        #expect(row.referralLabel == "Referral to Police, 02/04/2026")
        #expect(row.overdue, "due on the 8th, and it is now the 15th")
        let entries = try f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year10), filter: ChronologyFilter(kinds: [.action]))
        #expect(entries.map(\.entry.summary) == ["Action for Rowan Quill, due 08/04/2026: Chase Police for a decision on the referral of 02/04/2026"])
        #expect(try f.store.pupilHeader(actor: f.dsl, pupil: f.pupilID(f.year10)).openActions == 1)

        // Recording the decision closes the follow-up.
        try f.store.recordReferralDecision(actor: f.dsl, referral: id, decision: "Officer to visit", decidedOn: f.clock.now())
        #expect(try f.followUps().map(\.status) == ["done", "open"])
        let closed = try f.raw { db in try String.fetchOne(db, sql: "SELECT outcome FROM actions WHERE referral_id = ?", arguments: [id]) }
        #expect(closed == "Decision recorded")
        #expect(try f.store.pupilHeader(actor: f.dsl, pupil: f.pupilID(f.year10)).openActions == 0)
        #expect(try f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year10)).prefix(2).map(\.entry.summary)
            == ["Action done: Decision recorded", "Decision from Police: Officer to visit"])
        #expect(try f.store.raiseReferralFollowUps(actor: f.dsl) == 0)
    }

    @Test func aFridayReferralWaitsForTheEndOfMonday() throws {
        let f = try Fixture()
        f.clock.set(Self.at("06/03/2026 14:00"))
        try f.refer()
        f.clock.set(Self.at("09/03/2026 23:59"))
        #expect(try f.store.raiseReferralFollowUps(actor: f.dsl) == 0)
        f.clock.set(Self.at("10/03/2026 00:00"))
        #expect(try f.store.raiseReferralFollowUps(actor: f.dsl) == 1)
    }

    @Test func aFollowUpForSomeoneWhoHasLeftGoesToWhoeverRaisesIt() throws {
        let f = try Fixture()
        let leaver = Staff(username: "deputy.gone", displayName: "Lee Gone", role: .deputy, school: f.school.id)
        try f.store.addStaff(actor: f.dsl, leaver)
        try f.refer(leaver)
        try f.raw { db in try db.execute(sql: "UPDATE staff SET active = 0 WHERE username = 'deputy.gone'") }
        f.clock.advance(by: 3 * 86_400)
        #expect(try f.store.raiseReferralFollowUps(actor: f.dsl) == 1)
        #expect(try f.followUps().map(\.owner) == [f.dsl.username])
    }

    @Test func anActionCanBelongToAReferralOfTheSamePupil() throws {
        let f = try Fixture()
        let referral = try f.refer()
        let action = try f.store.addAction(actor: f.dsl, pupil: f.pupilID(f.year10), ActionInput(
            description: "Send the written referral form", owner: f.dsl.username, due: f.clock.now(), referral: referral))
        let row = try #require(f.store.actions(actor: f.dsl, view: .mine).first { $0.action.id == action })
        #expect(row.referralLabel == "Referral to Police, 02/03/2026")
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.referral, message: "That referral is not about this pupil")])) {
            try f.store.addAction(actor: f.dsl, pupil: f.pupilID(f.year7), ActionInput(
                description: "x", owner: f.dsl.username, due: f.clock.now(), referral: referral))
        }
        // A hand-made action linked to the referral is not a follow-up: one is still raised when it is late.
        f.clock.advance(by: 3 * 86_400)
        #expect(try f.store.raiseReferralFollowUps(actor: f.dsl) == 1)
    }
}
