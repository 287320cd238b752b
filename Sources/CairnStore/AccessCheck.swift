import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// Whether `actor` may do `operation`, on the record named if any (a pupil's file, a concern, an
    /// action or a chronology entry: at most one), asked of the access matrix exactly as the store's
    /// own functions ask it: the record's scope comes from the same helpers they use, so the answer
    /// is theirs. It is the check for operations whose features are not built yet (SAR export,
    /// transfer, retention review and purge, legal hold, statistics, backup) until they are, and
    /// what `cairn access check` prints.
    ///
    /// - A pupil is their file: school and year group (`chronologyScope`, as the chronology, notes,
    ///   flags, actions and referrals use); for reading the audit log, the school alone
    ///   (`schoolScope`, as `auditLog` and `whoHasLooked` use).
    /// - A concern: its school, its pupils' year groups, restriction and reporter (`scope(concern:)`).
    /// - An action: its school, pupil's year group and owner, and its concern's restriction and
    ///   reporter (`scope(action:)`).
    /// - An entry: its pupil, restriction, and whose it is (`entryScope`).
    ///
    /// Not audited, unlike the store's reads and refusals. It changes nothing and returns no record
    /// content: only yes, or the policy's reason for no, about a record the caller already names
    /// (and can already resolve with the unaudited `pupilID(upn:)` and `concernID(reference:)`).
    /// It is a question about the rules, not an attempt on a record: when someone goes on to try,
    /// the function that does the work checks again and audits the attempt, allowed or refused.
    /// Auditing every question would bury those attempts under a tool's dry runs.
    ///
    /// Throws `StoreError.notFound` for a record that does not exist and `StoreError.invalid` when
    /// more than one record is named.
    public func permits(actor: Staff, _ operation: AccessOperation, pupil: PupilID? = nil, concern: ConcernID? = nil,
                        action: Int64? = nil, entry: Int64? = nil) throws -> AccessDecision {
        let named = [pupil != nil, concern != nil, action != nil, entry != nil].filter { $0 }.count
        if named > 1 {
            throw StoreError.invalid([FieldProblem(field: "record",
                                                   message: "name one record at most: a pupil, a concern, an action or an entry")])
        }
        let scope: RecordScope? = try pool.read { db in
            if let pupil {
                return operation == .readAudit ? try Self.schoolScope(db, pupil: pupil) : try Self.chronologyScope(db, pupil: pupil)
            }
            if let concern { return try Self.scope(db, concern: concern) }
            if let action { return try Self.scope(db, action: action) }
            if let entry { return try Self.entryScope(db, entry: entry).scope }
            return nil
        }
        return AccessPolicy.decide(actor, operation, scope)
    }
}

extension CairnStore {
    /// A pupil's file as a write that belongs to one of their concerns touches it (an action or a
    /// referral for that concern): restricted, and the reporter's own, as the concern is. A concern
    /// that is not about the pupil changes nothing here; the write refuses it as bad input.
    static func chronologyScope(_ db: Database, pupil: PupilID, linking concern: ConcernID?) throws -> RecordScope {
        var scope = try chronologyScope(db, pupil: pupil)
        guard let concern, let row = try Row.fetchOne(db, sql: """
            SELECT c.restricted, c.reported_by FROM concern_pupils cp JOIN concerns c ON c.id = cp.concern_id
            WHERE cp.concern_id = ? AND cp.pupil_id = ?
            """, arguments: [concern.rawValue, pupil.rawValue]) else { return scope }
        scope.restricted = row[0]
        scope.reportedBy = row[1]
        return scope
    }
}
