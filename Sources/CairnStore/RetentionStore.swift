import CairnDomain
import Foundation
import GRDB

/// A pupil's file as retention sees it.
public struct RetentionFile: Equatable, Sendable, Codable {
    public var upn: String
    public var name: String
    public var school: String
    public var dateOfBirth: Date
    public var leftAt: Date
    public var dueAt: Date
    public var entries: Int
    public var concerns: Int
    public var actions: Int
    public var referrals: Int
    public var hold: LegalHold?
}

/// Files due for destruction, and those due but kept by a legal hold.
public struct RetentionReview: Equatable, Sendable, Codable {
    public var rule: Int
    public var due: [RetentionFile]
    public var held: [RetentionFile]
}

extension CairnStore {
    /// Left pupils past the rule's due date, at the reader's school (every school for trust-level
    /// staff). Audited: the list names children.
    public func retentionReview(actor: Staff, rule: RetentionRule) throws -> RetentionReview {
        try guarded(actor, .retentionReview, recordKind: "retention", recordID: "review") { db in
            let review = try Self.review(db, actor: actor, rule: rule, at: self.clock.now())
            try self.audit(db, actor, .retentionReview, recordKind: "retention", recordID: "review",
                           detail: "\(review.due.count) files due, \(review.held.count) held, \(rule.years)-year rule")
            return review
        }
    }

    static func review(_ db: Database, actor: Staff, rule: RetentionRule, at now: Date) throws -> RetentionReview {
        var arguments: StatementArguments = []
        var schoolFilter = ""
        if let school = actor.school {
            schoolFilter = "AND p.school_id = ?"
            arguments += [school.rawValue]
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT p.id, p.upn, p.legal_forename, p.legal_surname, p.date_of_birth, p.left_at, s.name AS school,
                (SELECT count(*) FROM chronology_entries WHERE pupil_id = p.id) AS entries,
                (SELECT count(*) FROM concern_pupils WHERE pupil_id = p.id) AS concerns,
                (SELECT count(*) FROM actions WHERE pupil_id = p.id) AS actions,
                (SELECT count(*) FROM referrals WHERE pupil_id = p.id) AS referrals,
                h.reason, h.placed_by, h.placed_at
            FROM pupils p JOIN schools s ON s.id = p.school_id
            LEFT JOIN legal_holds h ON h.pupil_id = p.id AND h.released_at IS NULL
            WHERE p.left_at IS NOT NULL \(schoolFilter)
            ORDER BY p.left_at, p.id
            """, arguments: arguments)
        var review = RetentionReview(rule: rule.years, due: [], held: [])
        for row in rows {
            let born = Millis.date(row["date_of_birth"])
            let left = Millis.date(row["left_at"])
            guard rule.isDue(bornOn: born, leftOn: left, at: now) else { continue }
            let hold = (row["reason"] as String?).map {
                LegalHold(reason: $0, placedBy: row["placed_by"], placedAt: Millis.date(row["placed_at"]))
            }
            let file = RetentionFile(upn: row["upn"], name: "\(row["legal_forename"] as String) \(row["legal_surname"] as String)",
                                     school: row["school"], dateOfBirth: born, leftAt: left,
                                     dueAt: rule.dueDate(bornOn: born), entries: row["entries"], concerns: row["concerns"],
                                     actions: row["actions"], referrals: row["referrals"], hold: hold)
            if hold == nil { review.due.append(file) } else { review.held.append(file) }
        }
        return review
    }

    // MARK: Legal holds

    /// Stops the file being purged until the hold is released. One standing hold a pupil.
    public func placeLegalHold(actor: Staff, upn: UPN, reason: String) throws {
        if let problem = LegalHold.problem(reason: reason) { throw StoreError.invalid([problem]) }
        let pupil = try requirePupil(upn)
        try guarded(actor, .legalHold, recordKind: "pupil", recordID: String(pupil.rawValue),
                    scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            if try Self.legalHold(db, pupil: pupil) != nil {
                throw StoreError.invalid([FieldProblem(field: "upn", message: "\(upn.value) is already on legal hold")])
            }
            try db.execute(sql: "INSERT INTO legal_holds (pupil_id, reason, placed_by, placed_at) VALUES (?, ?, ?, ?)",
                           arguments: [pupil.rawValue, reason.trimmingCharacters(in: .whitespacesAndNewlines),
                                       actor.username, Millis.from(self.clock.now())])
            try self.audit(db, actor, .legalHold, recordKind: "pupil", recordID: String(pupil.rawValue),
                           pupilID: pupil.rawValue, detail: "placed a legal hold")
        }
    }

    /// Ends the standing hold; the hold and its release stay on record.
    public func releaseLegalHold(actor: Staff, upn: UPN, reason: String) throws {
        if let problem = LegalHold.problem(reason: reason) { throw StoreError.invalid([problem]) }
        let pupil = try requirePupil(upn)
        try guarded(actor, .legalHold, recordKind: "pupil", recordID: String(pupil.rawValue),
                    scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            guard try Self.legalHold(db, pupil: pupil) != nil else {
                throw StoreError.invalid([FieldProblem(field: "upn", message: "\(upn.value) is not on legal hold")])
            }
            try db.execute(sql: """
                UPDATE legal_holds SET released_by = ?, released_at = ?, release_reason = ?
                WHERE pupil_id = ? AND released_at IS NULL
                """, arguments: [actor.username, Millis.from(self.clock.now()),
                                 reason.trimmingCharacters(in: .whitespacesAndNewlines), pupil.rawValue])
            try self.audit(db, actor, .legalHold, recordKind: "pupil", recordID: String(pupil.rawValue),
                           pupilID: pupil.rawValue, detail: "released the legal hold")
        }
    }

    static func legalHold(_ db: Database, pupil: PupilID) throws -> LegalHold? {
        try Row.fetchOne(db, sql: """
            SELECT reason, placed_by, placed_at FROM legal_holds WHERE pupil_id = ? AND released_at IS NULL
            """, arguments: [pupil.rawValue]).map { LegalHold(reason: $0[0], placedBy: $0[1], placedAt: Millis.date($0[2])) }
    }

    func requirePupil(_ upn: UPN) throws -> PupilID {
        guard let pupil = try pupilID(upn: upn) else {
            throw StoreError.invalid([FieldProblem(field: "upn", message: "no pupil has the UPN \(upn.value)")])
        }
        return pupil
    }
}
