import CairnDomain
import Foundation
import GRDB

/// What the audit log is narrowed to. Every part is optional; `until` is exclusive.
public struct AuditFilter: Equatable, Sendable {
    /// A username.
    public var staff: String?
    public var pupil: PupilID?
    public var operation: AccessOperation?
    public var since: Date?
    public var until: Date?

    public init(staff: String? = nil, pupil: PupilID? = nil, operation: AccessOperation? = nil, since: Date? = nil,
                until: Date? = nil) {
        self.staff = staff
        self.pupil = pupil
        self.operation = operation
        self.since = since
        self.until = until
    }

    /// For the audit event that records reading the log.
    var summary: String {
        var parts: [String] = []
        if let staff { parts.append("staff \(staff)") }
        if let pupil { parts.append("pupil \(pupil.rawValue)") }
        if let operation { parts.append("operation \(operation.rawValue)") }
        if let since { parts.append("since \(UKDate.dateTime(since))") }
        if let until { parts.append("until \(UKDate.dateTime(until))") }
        return parts.isEmpty ? "everything" : parts.joined(separator: ", ")
    }
}

/// One audit event as the Audit pane and `cairn audit log` show it: who (with their name and
/// role now), what, which record, which pupil.
public struct AuditRecord: Equatable, Sendable {
    public var sequence: Int64
    public var at: Date
    public var actor: String
    /// Nil only if the username is not (or no longer) in the staff table.
    public var actorName: String?
    public var actorRole: Role?
    /// As written: an `AccessOperation` raw value.
    public var operation: String
    public var recordKind: String
    public var recordID: String
    public var pupil: AuditPupil?
    public var detail: String

    public var accessOperation: AccessOperation? { AccessOperation(rawValue: operation) }
}

/// The pupil an audit event names.
public struct AuditPupil: Equatable, Sendable {
    public var id: PupilID
    public var upn: String
    public var name: String
    public var yearGroup: YearGroup
    public var school: SchoolID
    public var schoolName: String
}

/// One member of staff's reads of a pupil's file: "who has looked at this file".
public struct LookSummary: Equatable, Sendable {
    public var username: String
    public var name: String?
    public var role: Role?
    public var reads: Int
    public var first: Date
    public var last: Date
}

extension CairnStore {
    /// Reads of a pupil's file that "who has looked" counts: the chronology and its entries,
    /// concerns, restricted records, and the file leaving the system (exports, SARs, transfers).
    static let fileReads: [AccessOperation] = [.readChronology, .readConcern, .readRestricted, .exportChronology,
                                               .sarExport, .transfer]

    /// A page of the audit log, newest first; the next page is `before: last.sequence` (keyset on
    /// seq, no OFFSET). Checked as .readAudit (on the pupil's school when the filter names one) and
    /// audited with the filter in the detail. A school-level reader sees events about pupils at
    /// their school and, for events naming no pupil, those by staff of their school; a trust-level
    /// reader sees everything.
    public func auditLog(actor: Staff, filter: AuditFilter = AuditFilter(), before seq: Int64? = nil,
                         limit: Int = 100) throws -> [AuditRecord] {
        let limit = min(max(limit, 1), 1000)
        return try guarded(actor, .readAudit, recordKind: "audit", recordID: "log",
                           scope: { db in try filter.pupil.map { try Self.schoolScope(db, pupil: $0) } }) { db in
            let query = Self.auditLogQuery(actor: actor, filter: filter, before: seq, limit: limit)
            let records = try Row.fetchAll(db, sql: query.sql, arguments: query.arguments).map(Self.auditRecord)
            // Written after the query, so the page shows the log as it was before this read.
            try self.audit(db, actor, .readAudit, recordKind: "audit", recordID: "log", pupilID: filter.pupil?.rawValue,
                           detail: "\(filter.summary)\(seq.map { ", before event \($0)" } ?? ""): \(records.count) events")
            return records
        }
    }

    /// Who has read a pupil's file (`fileReads`), one line per member of staff, most recent first:
    /// for subject access requests and for spotting someone looking where they have no reason to.
    /// Checked as .readAudit on the pupil's school and audited with the pupil.
    public func whoHasLooked(actor: Staff, pupil: PupilID) throws -> [LookSummary] {
        try guarded(actor, .readAudit, recordKind: "pupil", recordID: String(pupil.rawValue),
                    scope: { db in try Self.schoolScope(db, pupil: pupil) }) { db in
            let looks = try Self.looks(db, pupil: pupil)
            try self.audit(db, actor, .readAudit, recordKind: "pupil", recordID: String(pupil.rawValue), pupilID: pupil.rawValue,
                           detail: "who has looked: \(looks.count) staff")
            return looks
        }
    }

    /// Who has read a pupil's file; the caller has checked the policy and audits the read.
    static func looks(_ db: Database, pupil: PupilID) throws -> [LookSummary] {
        let query = whoHasLookedQuery(pupil: pupil)
        return try Row.fetchAll(db, sql: query.sql, arguments: query.arguments).map { row in
            LookSummary(username: row[0], name: row[1], role: (row[2] as String?).flatMap(Role.init(rawValue:)),
                        reads: row[3], first: Millis.date(row[4]), last: Millis.date(row[5]))
        }
    }

    // MARK: Queries, kept separate so that a test can ask SQLite how it runs them

    static func auditLogQuery(actor: Staff, filter: AuditFilter, before: Int64?,
                              limit: Int) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        func add(_ condition: String, _ values: [(any DatabaseValueConvertible)?]) {
            conditions.append(condition)
            _ = arguments.append(contentsOf: StatementArguments(values))
        }
        if let staff = filter.staff { add("a.actor = ?", [staff]) }
        if let pupil = filter.pupil { add("a.pupil_id = ?", [pupil.rawValue]) }
        if let operation = filter.operation { add("a.operation = ?", [operation.rawValue]) }
        // Unary + keeps SQLite off the time index when a person is named: their seq index is the way in.
        let at = filter.staff == nil && filter.pupil == nil ? "a.at" : "+a.at"
        if let since = filter.since { add("\(at) >= ?", [Millis.from(since)]) }
        if let until = filter.until { add("\(at) < ?", [Millis.from(until)]) }
        if let before { add("a.seq < ?", [before]) }
        if let school = actor.school {
            add("(p.school_id = ? OR (a.pupil_id IS NULL AND s.school_id = ?))", [school.rawValue, school.rawValue])
        }
        _ = arguments.append(contentsOf: [limit])
        let sql = """
            SELECT a.seq, a.at, a.actor, a.operation, a.record_kind, a.record_id, a.pupil_id, a.detail,
              s.display_name, s.role, p.upn, p.legal_forename, p.preferred_forename, p.legal_surname, p.year_group,
              p.school_id, sc.name AS school_name
            FROM audit_events a
            LEFT JOIN staff s ON s.username = a.actor
            LEFT JOIN pupils p ON p.id = a.pupil_id
            LEFT JOIN schools sc ON sc.id = p.school_id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY a.seq DESC LIMIT ?
            """
        return (sql, arguments)
    }

    static func whoHasLookedQuery(pupil: PupilID) -> (sql: String, arguments: StatementArguments) {
        let operations = fileReads.map(\.rawValue)
        let sql = """
            SELECT a.actor, s.display_name, s.role, count(*), min(a.at), max(a.at)
            FROM audit_events a LEFT JOIN staff s ON s.username = a.actor
            WHERE a.pupil_id = ? AND a.operation IN (\(databaseQuestionMarks(count: operations.count)))
            GROUP BY a.actor ORDER BY max(a.at) DESC, a.actor
            """
        return (sql, [pupil.rawValue] + StatementArguments(operations))
    }

    // MARK: Helpers

    /// Only the school matters: reading the audit is granted school-wide or not at all.
    static func schoolScope(_ db: Database, pupil: PupilID) throws -> RecordScope {
        guard let school = try Int64.fetchOne(db, sql: "SELECT school_id FROM pupils WHERE id = ?", arguments: [pupil.rawValue]) else {
            throw StoreError.notFound("Pupil \(pupil.rawValue)")
        }
        return RecordScope(school: SchoolID(rawValue: school))
    }

    static func auditRecord(_ row: Row) -> AuditRecord {
        var pupil: AuditPupil?
        if let id = row["pupil_id"] as Int64?, let upn = row["upn"] as String? {
            pupil = AuditPupil(id: PupilID(rawValue: id), upn: upn,
                               name: PupilName.display(legal: row["legal_forename"], preferred: row["preferred_forename"],
                                                       surname: row["legal_surname"]),
                               yearGroup: YearGroup(rawValue: row["year_group"]) ?? .reception,
                               school: SchoolID(rawValue: row["school_id"]), schoolName: row["school_name"] ?? "")
        }
        return AuditRecord(sequence: row["seq"], at: Millis.date(row["at"]), actor: row["actor"], actorName: row["display_name"],
                           actorRole: (row["role"] as String?).flatMap(Role.init(rawValue:)), operation: row["operation"],
                           recordKind: row["record_kind"], recordID: row["record_id"], pupil: pupil, detail: row["detail"])
    }
}
