import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// A referral to an agency, or a considered decision not to make one (a referral row with outcome
    /// not_referred and its reasoning). Significant in the chronology. Returns the referral id.
    @discardableResult
    public func recordReferral(actor: Staff, pupil: PupilID, _ referral: ReferralInput) throws -> Int64 {
        let now = clock.now()
        return try writing(actor, .addReferral, pupil: pupil, linking: referral.concern, problems: referral.problems(now: now)) { db, scope in
            let school = scope.school?.rawValue ?? 0
            let concern = try Self.linkedConcern(db, referral.concern, pupil: pupil.rawValue)
            let referred = referral.outcome == .referred
            let decided = referral.decidedOn != nil && !referral.decision.isBlank
            try db.execute(sql: """
                INSERT INTO referrals (school_id, pupil_id, concern_id, agency, made_at, made_by, consent, consent_reason,
                agency_reference, decision, decided_at, recorded_at, outcome, lawful_basis, reasoning)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [school, pupil.rawValue, concern?.id, referral.agency.rawValue, Millis.from(referral.madeAt),
                                 actor.username, referred ? referral.consent?.rawValue ?? "" : "",
                                 referred ? referral.consentReason.nonBlank : nil, referral.agencyReference.nonBlank,
                                 decided ? referral.decision.trimmingCharacters(in: .whitespacesAndNewlines) : nil,
                                 decided ? referral.decidedOn.map(Millis.from) : nil, Millis.from(now),
                                 referral.outcome.rawValue, referred ? referral.lawfulBasis?.rawValue : nil,
                                 referral.reasoning.nonBlank])
            let referralID = db.lastInsertedRowID
            let agency = referral.agency.label
            var entry = NewEntry(pupil: pupil.rawValue, kind: .referral, occurredAt: referral.madeAt,
                                 headline: referred ? "Referral to \(agency) (consent: \(referral.consent?.label.lowercased() ?? "?"))"
                                                    : "Decided not to refer to \(agency)",
                                 body: referral.reasoning)
            entry.field("Agency", agency)
            entry.field("Outcome", referral.outcome.label)
            entry.field("Date", UKDate.date(referral.madeAt))
            if referred {
                entry.field("Consent", referral.consent?.label)
                entry.field("Consent reason", referral.consentReason)
                entry.field("Lawful basis", referral.lawfulBasis?.label)
            }
            entry.field("Agency reference", referral.agencyReference)
            entry.significant = true
            entry.referral = referralID
            entry.concern = concern?.id
            entry.restricted = concern?.restricted ?? false
            try Self.insert(db, entry, author: actor.username, at: now)
            if decided, let decidedOn = referral.decidedOn {
                try Self.insert(db, Self.decisionEntry(from: entry, agency: agency, decision: referral.decision, decidedOn: decidedOn),
                                author: actor.username, at: now)
            }
            try self.audit(db, actor, .addReferral, recordKind: "referral", recordID: String(referralID), pupilID: pupil.rawValue,
                           detail: referred ? "referred to \(referral.agency.rawValue)" : "decided not to refer to \(referral.agency.rawValue)")
            return referralID
        }
    }

    /// The agency's decision on a referral, recorded once. Closes any open follow-up action raised
    /// for it ("Decision recorded").
    public func recordReferralDecision(actor: Staff, referral id: Int64, decision: String, decidedOn: Date) throws {
        let now = clock.now()
        var problems: [FieldProblem] = []
        if decision.isBlank { problems.append(FieldProblem(field: RecordField.decision, message: "Write the agency's decision")) }
        if decidedOn > now.addingTimeInterval(300) {
            problems.append(FieldProblem(field: RecordField.decidedOn, message: "Date of the decision cannot be in the future"))
        }
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        try guarded(actor, .addReferral, recordKind: "referral", recordID: String(id),
                    scope: { db in try Self.scope(db, referral: id) }) { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT r.pupil_id, r.agency, r.made_at, r.outcome, r.decided_at, r.concern_id, COALESCE(c.restricted, 0)
                FROM referrals r LEFT JOIN concerns c ON c.id = r.concern_id WHERE r.id = ?
                """, arguments: [id]) else { throw StoreError.notFound("Referral \(id)") }
            let madeAt = Millis.date(row[2])
            if (row[3] as String) != ReferralOutcome.referred.rawValue {
                throw StoreError.invalid([FieldProblem(field: RecordField.decision,
                                                       message: "No referral was made, so there is no decision to record")])
            }
            if let decided = row[4] as Int64? {
                throw StoreError.invalid([FieldProblem(field: RecordField.decision,
                                                       message: "The agency's decision was already recorded, on \(UKDate.date(Millis.date(decided)))")])
            }
            if decidedOn < UKDate.calendar.startOfDay(for: madeAt) {
                throw StoreError.invalid([FieldProblem(field: RecordField.decidedOn, message: "The decision cannot come before the referral")])
            }
            let text = decision.trimmingCharacters(in: .whitespacesAndNewlines)
            try db.execute(sql: "UPDATE referrals SET decision = ?, decided_at = ? WHERE id = ?",
                           arguments: [text, Millis.from(decidedOn), id])
            var referral = NewEntry(pupil: row[0], kind: .referral, occurredAt: madeAt)
            referral.referral = id
            referral.concern = row[5]
            referral.restricted = row[6]
            try Self.insert(db, Self.decisionEntry(from: referral, agency: (Agency(rawValue: row[1]) ?? .other).label,
                                                   decision: text, decidedOn: decidedOn),
                            author: actor.username, at: now)
            for action in try Int64.fetchAll(db, sql: """
                SELECT id FROM actions WHERE referral_id = ? AND follow_up = 1 AND status = 'open'
                """, arguments: [id]) {
                try self.finish(db, StoredAction.fetch(db, id: action), actor: actor, status: .done,
                                outcome: "Decision recorded", at: now)
            }
            try self.audit(db, actor, .addReferral, recordKind: "referral", recordID: String(id), pupilID: row[0],
                           detail: "decision recorded")
        }
    }

    /// "Decision from Police: …", linked to the referral (and its concern) that `referral` is the entry for.
    static func decisionEntry(from referral: NewEntry, agency: String, decision: String, decidedOn: Date) -> NewEntry {
        var entry = NewEntry(pupil: referral.pupil, kind: .agencyResponse, occurredAt: decidedOn,
                             headline: "Decision from \(agency)", body: decision)
        entry.field("Agency", agency)
        entry.field("Referral of", UKDate.date(referral.occurredAt))
        entry.field("Decided on", UKDate.date(decidedOn))
        entry.significant = true
        entry.referral = referral.referral
        entry.concern = referral.concern
        entry.restricted = referral.restricted
        return entry
    }

    /// A referral with no decision by the end of the next working day after it was made gets one
    /// follow-up action, for the person who made it (or, if they have left, the actor): "Chase … for
    /// a decision on the referral of dd/mm/yyyy", due today. Runs only for the DSL and deputies, within
    /// their school; idempotent; audited only when it raises something. Returns how many it raised.
    @discardableResult
    public func raiseReferralFollowUps(actor: Staff) throws -> Int {
        guard AccessPolicy.decide(actor, .manageActions).isAllowed else { return 0 }
        let now = clock.now()
        // A cheap read first: the dashboard may call this on every refresh, and usually nothing is due.
        guard try !pool.read({ db in try Self.referralsAwaitingFollowUp(db, actor: actor, now: now) }).isEmpty else { return 0 }
        return try guarded(actor, .addAction, recordKind: "referral", recordID: "follow-ups") { db in
            let due = UKDate.calendar.startOfDay(for: now)
            var raised = 0
            for referral in try Self.referralsAwaitingFollowUp(db, actor: actor, now: now) {
                let owner = (try? Self.actionOwner(db, username: referral.madeBy, school: referral.school)) ?? actor
                let concern = try referral.concern.map { id in
                    (id, try Bool.fetchOne(db, sql: "SELECT restricted FROM concerns WHERE id = ?", arguments: [id]) ?? false)
                }
                _ = try self.insertAction(db, actor: actor, pupil: referral.pupil, school: referral.school, concern: concern,
                                          referral: referral.id,
                                          description: "Chase \(referral.agency.label) for a decision on the referral of \(UKDate.date(referral.madeAt))",
                                          owner: owner, due: due, followUp: true, at: now)
                raised += 1
            }
            return raised
        }
    }

    /// Referrals made, undecided, past the end of the next working day, with no follow-up yet.
    static func referralsAwaitingFollowUp(_ db: Database, actor: Staff, now: Date)
        throws -> [(id: Int64, pupil: Int64, school: Int64, concern: Int64?, agency: Agency, madeAt: Date, madeBy: String)] {
        // Nothing made in the last 24 hours can be late yet; the working-day rule is applied below.
        var conditions = ["r.outcome = 'referred'", "r.decision IS NULL", "r.made_at < ?"]
        var arguments: StatementArguments = [Millis.from(now.addingTimeInterval(-86_400))]
        if let school = actor.school {
            conditions.append("r.school_id = ?")
            _ = arguments.append(contentsOf: [school.rawValue])
        }
        return try Row.fetchAll(db, sql: """
            SELECT r.id, r.pupil_id, r.school_id, r.concern_id, r.agency, r.made_at, r.made_by FROM referrals r
            WHERE \(conditions.joined(separator: " AND "))
              AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.referral_id = r.id AND a.follow_up = 1)
            ORDER BY r.made_at, r.id
            """, arguments: arguments).compactMap { row in
            let madeAt = Millis.date(row[5])
            guard now >= WorkingDays.endOfNextWorkingDay(after: madeAt) else { return nil }
            return (row[0], row[1], row[2], row[3], Agency(rawValue: row[4]) ?? .other, madeAt, row[6])
        }
    }

    static func scope(_ db: Database, referral id: Int64) throws -> RecordScope {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT r.pupil_id FROM referrals r WHERE r.id = ?
            """, arguments: [id]) else { throw StoreError.notFound("Referral \(id)") }
        return try chronologyScope(db, pupil: PupilID(rawValue: row[0]))
    }
}

extension String {
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    /// Blank text is stored as NULL; other text trimmed.
    var nonBlank: String? { isBlank ? nil : trimmingCharacters(in: .whitespacesAndNewlines) }
}
