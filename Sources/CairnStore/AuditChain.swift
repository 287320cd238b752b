import CairnDomain
import Crypto
import Foundation
import GRDB
// GRDB's SQLite module under SwiftPM: the chain walk reads columns in place.
import GRDBSQLite
import Synchronization

/// The hash chain over audit events. Each hash covers a canonical encoding of the event and the
/// previous hash, so changing, deleting or reordering a row breaks the chain from that row on.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// What a detail reads after retention purge removed it.
    public static let redactedDetail = "[removed by retention purge]"

    /// Length-prefixed fields, so no choice of text can make two different events encode alike.
    /// `detail` is the detail itself for events before `digestFrom`, its digest (`detailField`) after.
    static func canonical(sequence: Int64, atMillis: Int64, actor: String, operation: String, recordKind: String,
                          recordID: String, pupilID: Int64?, detail: String, previousHash: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + detail.utf8.count)
        for field in [String(sequence), String(atMillis), actor, operation, recordKind, recordID,
                      pupilID.map(String.init) ?? "", detail, previousHash] {
            out.append(contentsOf: String(field.utf8.count).utf8)
            out.append(0x3A) // ':'
            out.append(contentsOf: field.utf8)
        }
        return out
    }

    static func hash(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The SHA-256 of a text in hex, as the chain keeps a redacted detail's.
    public static func sha256Hex(_ text: String) -> String {
        hex(SHA256.hash(data: Array(text.utf8)))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        var hex = ""
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(Self.hexDigits[Int(byte >> 4)])
            hex.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return hex
    }

    private static let hexDigits: [Character] = Array("0123456789abcdef")

    /// Appends one event inside the caller's write transaction.
    static func append(_ db: Database, at: Date, actor: String, operation: AccessOperation, recordKind: String,
                       recordID: String, pupilID: Int64? = nil, detail: String = "") throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        let sequence: Int64 = (last?["seq"] ?? 0) + 1
        let previous: String = last?["hash"] ?? genesis
        let millis = Millis.from(at)
        // Every event since the retention migration hashes its detail's digest (the schema is
        // migrated before anything is appended).
        let digest = hash(canonical(sequence: sequence, atMillis: millis, actor: actor, operation: operation.rawValue,
                                    recordKind: recordKind, recordID: recordID, pupilID: pupilID,
                                    detail: sha256Hex(detail), previousHash: previous))
        try db.execute(sql: """
            INSERT INTO audit_events (seq, at, actor, operation, record_kind, record_id, pupil_id, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sequence, millis, actor, operation.rawValue, recordKind, recordID, pupilID, detail,
                             previous, digest])
    }

    /// Walks the whole chain in order and names the first event that does not hold.
    static func verify(_ db: Database) throws -> AuditVerification {
        try walk(db, after: .start)
    }

    /// Checks every event after `start` against the one before it. Columns are read in place and
    /// hashed from one reused buffer, so the walk allocates nothing per event: the dashboard runs
    /// it at every start. The count in `.intact` is the length of the chain (the last sequence).
    static func walk(_ db: Database, after start: AuditCheckpoint) throws -> AuditVerification {
        let statement = try db.makeStatement(sql: """
            SELECT seq, at, actor, operation, record_kind, record_id, pupil_id, detail, prev_hash, hash
            FROM audit_events WHERE seq > ? ORDER BY seq
            """)
        let format = try DetailFormat.read(db)
        let rows = try Row.fetchCursor(statement, arguments: [start.sequence])
        let event = ChainWalker(statement.sqliteStatement, previousHash: start.hash, digestFrom: format.digestFrom,
                                redactions: format.redactions.mapValues(\.digest))
        var expectedSequence = start.sequence + 1
        while try rows.next() != nil {
            let sequence = event.sequence
            if sequence != expectedSequence {
                return .broken(sequence: sequence, problem: "expected event \(expectedSequence) but found \(sequence): events are missing")
            }
            guard event.followsPrevious else {
                return .broken(sequence: sequence, problem: "does not follow the event before it (previous hash differs)")
            }
            guard event.matchesItsHash else {
                return .broken(sequence: sequence, problem: "its contents do not match its hash (changed after it was written)")
            }
            event.moveOn()
            expectedSequence += 1
        }
        if let broken = try format.unaccountedRedaction(db) { return broken }
        return .intact(count: Int(expectedSequence - 1), lastHash: event.previousHash)
    }

    // MARK: Checkpoint

    /// Where the last check ended, from meta (the start of the chain before any check).
    static func checkpoint(_ db: Database) throws -> AuditCheckpoint {
        let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM meta WHERE key IN ('audit_verified_seq', 'audit_verified_hash')")
        let values = Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as String) })
        guard let sequence = values["audit_verified_seq"].flatMap(Int64.init), let hash = values["audit_verified_hash"] else {
            return .start
        }
        return AuditCheckpoint(sequence: sequence, hash: hash)
    }

    static func setCheckpoint(_ db: Database, _ point: AuditCheckpoint) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_verified_seq', ?), ('audit_verified_hash', ?)
            """, arguments: [String(point.sequence), point.hash])
    }

    /// The newest event, where an acknowledged break moves the checkpoint to.
    static func end(_ db: Database) throws -> AuditCheckpoint {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1") else {
            return .start
        }
        return AuditCheckpoint(sequence: row[0], hash: row[1])
    }

    /// The events after the checkpoint, once the checkpoint's own event is shown to be as it was
    /// verified: present, with the same hash, and still hashing to it.
    static func verify(_ db: Database, since point: AuditCheckpoint) throws -> AuditVerification {
        if point.sequence > 0 {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT at, actor, operation, record_kind, record_id, pupil_id, detail, prev_hash, hash
                FROM audit_events WHERE seq = ?
                """, arguments: [point.sequence]) else {
                return .broken(sequence: point.sequence, problem: "the last verified event is missing (deleted after it was checked)")
            }
            let format = try DetailFormat.read(db)
            let recomputed = hash(canonical(sequence: point.sequence, atMillis: row[0], actor: row[1], operation: row[2],
                                            recordKind: row[3], recordID: row[4], pupilID: row[5],
                                            detail: format.field(sequence: point.sequence, detail: row[6]),
                                            previousHash: row[7]))
            if row[8] != point.hash || recomputed != point.hash {
                return .broken(sequence: point.sequence, problem: "the last verified event has changed since it was checked")
            }
        }
        return try walk(db, after: point)
    }

    // MARK: Break

    /// The unacknowledged break every session shows, from meta.
    static func recordedBreak(_ db: Database) throws -> AuditBreak? {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'audit_break'") else { return nil }
        let stored = try JSONDecoder().decode(StoredBreak.self, from: Data(json.utf8))
        return AuditBreak(sequence: stored.sequence, problem: stored.problem, detectedAt: Millis.date(stored.detectedAt))
    }

    static func recordBreak(_ db: Database, _ found: AuditBreak) throws {
        let stored = StoredBreak(sequence: found.sequence, problem: found.problem, detectedAt: Millis.from(found.detectedAt))
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_break', ?)",
                       arguments: [String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)])
    }

    static func clearBreak(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM meta WHERE key = 'audit_break'")
    }

    private struct StoredBreak: Codable {
        var sequence: Int64
        var problem: String
        var detectedAt: Int64
    }
}

/// A point in the chain already verified: an event's sequence and its hash.
struct AuditCheckpoint: Equatable, Sendable {
    var sequence: Int64
    var hash: String

    /// Before the first event.
    static let start = AuditCheckpoint(sequence: 0, hash: AuditChain.genesis)
}

/// A break found by the check at start, shown in every session until a DSL acknowledges it.
public struct AuditBreak: Equatable, Sendable {
    /// The first event that does not hold.
    public var sequence: Int64
    public var problem: String
    public var detectedAt: Date

    public init(sequence: Int64, problem: String, detectedAt: Date) {
        self.sequence = sequence
        self.problem = problem
        self.detectedAt = detectedAt
    }
}

public enum AuditVerification: Equatable, Sendable {
    case intact(count: Int, lastHash: String)
    case broken(sequence: Int64, problem: String)
}

/// Timestamps are stored as whole milliseconds since 1970 so that hashing is exact.
enum Millis {
    static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

/// The plain reads one store instance has written lately, so that a screen re-reading what it
/// shows does not write the same read again (the rule is in `CairnStore.audit`).
final class RecentReads: Sendable {
    struct Key: Hashable, Sendable {
        var actor: String
        var operation: AccessOperation
        var recordKind: String
        var recordID: String
        var pupilID: Int64?
    }

    static let window: TimeInterval = 10 * 60

    private let written = Mutex<[Key: Date]>([:])

    /// Reads that may be left out when repeated: opening a file, an entry or a concern, and the
    /// queue and actions lists (whose operations are also write operations, hence the record kind).
    static func isPlainRead(_ operation: AccessOperation, recordKind: String) -> Bool {
        switch operation {
        case .readConcern, .readChronology, .readRestricted, .listQueue, .listOwnConcerns: true
        case .manageActions, .completeAction: recordKind == "actions"
        default: false
        }
    }

    func wroteRecently(_ key: Key, at now: Date) -> Bool {
        written.withLock { seen in
            guard let last = seen[key] else { return false }
            return (0..<Self.window).contains(now.timeIntervalSince(last))
        }
    }

    func remember(_ key: Key, at now: Date) {
        written.withLock { seen in
            // Forget what has left the window now and then, so a long session's memory stays small.
            if seen.count >= 1024 { seen = seen.filter { now.timeIntervalSince($0.value) < Self.window } }
            seen[key] = now
        }
    }
}
