import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// Sets an action for a named owner; it appears in the pupil's chronology.
    @discardableResult
    public func addAction(actor: Staff, pupil upn: UPN, concern: ConcernID? = nil, description: String, owner: String,
                          due: Date) throws -> Int64 {
        let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { throw StoreError.invalid([FieldProblem(field: "description", message: "say what must be done")]) }
        return try guarded(actor, .addAction, recordKind: "pupil", recordID: upn.value,
                           scope: { db in try Self.scope(db, pupil: upn) }) { db in
            guard let pupil = try Self.pupilID(db, upn: upn) else { throw StoreError.notFound("Pupil \(upn.value)") }
            guard let holder = try Self.fetchStaff(db, username: owner), holder.active else {
                throw StoreError.invalid([FieldProblem(field: "owner", message: "no active staff member \(owner)")])
            }
            let now = self.clock.now()
            try db.execute(sql: """
                INSERT INTO actions (school_id, pupil_id, concern_id, description, owner, due_at, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pupil.school, pupil.id, concern?.rawValue, text, owner, Millis.from(due), actor.username,
                                 Millis.from(now)])
            let actionID = db.lastInsertedRowID
            try Self.addChronology(db, pupil: pupil.id, occurredAt: now, recordedAt: now, kind: .action,
                                   summary: "Action for \(holder.displayName), due \(UKDate.date(due)): \(Self.firstLine(of: text))",
                                   author: actor.username, concern: concern?.rawValue, action: actionID)
            try self.audit(db, actor, .addAction, recordKind: "action", recordID: String(actionID), pupilID: pupil.id)
            return actionID
        }
    }

    /// Marks an action done or cancelled, with its outcome; the change is a new row.
    public func completeAction(actor: Staff, id: Int64, status: ActionStatus, outcome: String) throws {
        let text = outcome.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { throw StoreError.invalid([FieldProblem(field: "outcome", message: "say what was done")]) }
        try guarded(actor, .completeAction, recordKind: "action", recordID: String(id),
                    scope: { db in try Self.scope(db, action: id) }) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT pupil_id, status, concern_id FROM actions WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("Action \(id)")
            }
            guard (row[1] as String) == ActionStatus.open.rawValue else {
                throw StoreError.invalid([FieldProblem(field: "status", message: "this action is already \(row[1] as String)")])
            }
            let now = self.clock.now()
            try db.execute(sql: "INSERT INTO action_updates (action_id, status, outcome, by, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, status.rawValue, text, actor.username, Millis.from(now)])
            try Self.addChronology(db, pupil: row[0], occurredAt: now, recordedAt: now, kind: .action,
                                   summary: "Action \(status == .done ? "done" : "cancelled"): \(Self.firstLine(of: text))",
                                   author: actor.username, concern: row[2], action: id)
            try self.audit(db, actor, .completeAction, recordKind: "action", recordID: String(id), pupilID: row[0])
        }
    }

    /// Records a referral to an agency (or the decision made about one).
    @discardableResult
    public func addReferral(actor: Staff, pupil upn: UPN, concern: ConcernID?, agency: Agency, madeOn: Date,
                            consent: ConsentBasis, consentReason: String?, agencyReference: String?) throws -> Int64 {
        if consent.needsReason, consentReason.nonEmpty == nil {
            throw StoreError.invalid([FieldProblem(field: "consent reason", message: "explain why consent was \(consent == .notSought ? "not sought" : "overridden")")])
        }
        return try guarded(actor, .addReferral, recordKind: "pupil", recordID: upn.value,
                           scope: { db in try Self.scope(db, pupil: upn) }) { db in
            guard let pupil = try Self.pupilID(db, upn: upn) else { throw StoreError.notFound("Pupil \(upn.value)") }
            let now = self.clock.now()
            try db.execute(sql: """
                INSERT INTO referrals (school_id, pupil_id, concern_id, agency, made_at, made_by, consent, consent_reason,
                agency_reference, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pupil.school, pupil.id, concern?.rawValue, agency.rawValue, Millis.from(madeOn),
                                 actor.username, consent.rawValue, consentReason.nonEmpty, agencyReference.nonEmpty,
                                 Millis.from(now)])
            let referralID = db.lastInsertedRowID
            try Self.addChronology(db, pupil: pupil.id, occurredAt: madeOn, recordedAt: now, kind: .referral,
                                   summary: "Referral to \(agency.label) (consent: \(consent.label.lowercased()))",
                                   author: actor.username, significant: true, concern: concern?.rawValue, referral: referralID)
            try self.audit(db, actor, .addReferral, recordKind: "referral", recordID: String(referralID), pupilID: pupil.id)
            return referralID
        }
    }

    static func scope(_ db: Database, pupil upn: UPN) throws -> RecordScope {
        guard let pupil = try pupilID(db, upn: upn) else { throw StoreError.notFound("Pupil \(upn.value)") }
        return RecordScope(school: SchoolID(rawValue: pupil.school), yearGroups: [YearGroup(rawValue: pupil.year) ?? .reception])
    }

    static func scope(_ db: Database, action id: Int64) throws -> RecordScope {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT a.school_id, p.year_group, a.owner FROM actions a JOIN pupils p ON p.id = a.pupil_id WHERE a.id = ?
            """, arguments: [id]) else { throw StoreError.notFound("Action \(id)") }
        return RecordScope(school: SchoolID(rawValue: row[0]), yearGroups: [YearGroup(rawValue: row[1]) ?? .reception],
                           actionOwner: row[2])
    }
}
