import CairnDomain
import Crypto
import Foundation
import GRDB

/// The hash chain over audit events. Each hash covers a canonical encoding of the event and the
/// previous hash, so changing, deleting or reordering a row breaks the chain from that row on.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// Length-prefixed fields, so no choice of text can make two different events encode alike.
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
        let digest = SHA256.hash(data: bytes)
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
        let digest = hash(canonical(sequence: sequence, atMillis: millis, actor: actor, operation: operation.rawValue,
                                    recordKind: recordKind, recordID: recordID, pupilID: pupilID, detail: detail,
                                    previousHash: previous))
        try db.execute(sql: """
            INSERT INTO audit_events (seq, at, actor, operation, record_kind, record_id, pupil_id, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sequence, millis, actor, operation.rawValue, recordKind, recordID, pupilID, detail,
                             previous, digest])
    }

    /// Walks the whole chain in order and names the first event that does not hold.
    static func verify(_ db: Database) throws -> AuditVerification {
        var expectedSequence: Int64 = 1
        var previous = genesis
        let rows = try Row.fetchCursor(db, sql: """
            SELECT seq, at, actor, operation, record_kind, record_id, pupil_id, detail, prev_hash, hash
            FROM audit_events ORDER BY seq
            """)
        while let row = try rows.next() {
            let sequence: Int64 = row[0]
            if sequence != expectedSequence {
                return .broken(sequence: sequence, problem: "expected event \(expectedSequence) but found \(sequence): events are missing")
            }
            let storedPrevious: String = row[8]
            if storedPrevious != previous {
                return .broken(sequence: sequence, problem: "does not follow the event before it (previous hash differs)")
            }
            let recomputed = hash(canonical(sequence: sequence, atMillis: row[1], actor: row[2], operation: row[3],
                                            recordKind: row[4], recordID: row[5], pupilID: row[6], detail: row[7],
                                            previousHash: storedPrevious))
            let stored: String = row[9]
            if recomputed != stored {
                return .broken(sequence: sequence, problem: "its contents do not match its hash (changed after it was written)")
            }
            previous = stored
            expectedSequence += 1
        }
        return .intact(count: Int(expectedSequence - 1), lastHash: previous)
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
