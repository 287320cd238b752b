import CairnDomain
import Crypto
import Foundation
import GRDB

/// How the chain hashes an event's detail, and the details retention purge has removed.
///
/// Events from the retention migration on hash the SHA-256 of their detail rather than the detail,
/// so a purge can replace a detail that names a child with `AuditChain.redactedDetail` and keep the
/// chain whole: the original's digest is kept in `audit_redactions`. So that nobody can quietly
/// "redact" an awkward event, each purge event's detail ends with the count and a digest of the
/// sequences it redacted, and the walk checks every redaction against its purge.
struct DetailFormat {
    /// The first sequence hashed by digest; events before it hash the detail itself.
    var digestFrom: Int64
    var redactions: [Int64: (digest: String, purge: Int64)]

    static func read(_ db: Database) throws -> DetailFormat {
        let from = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'audit_digest_from'").flatMap(Int64.init)
        var redactions: [Int64: (digest: String, purge: Int64)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT seq, detail_digest, purge_seq FROM audit_redactions") {
            redactions[row[0]] = (row[1], row[2])
        }
        return DetailFormat(digestFrom: from ?? .max, redactions: redactions)
    }

    /// The detail as `AuditChain.canonical` takes it for this event.
    func field(sequence: Int64, detail: String) -> String {
        guard sequence >= digestFrom else { return detail }
        if let kept = redactions[sequence], detail == AuditChain.redactedDetail { return kept.digest }
        return AuditChain.sha256Hex(detail)
    }

    /// The first purge whose event does not account for exactly the redactions pointing at it.
    func unaccountedRedaction(_ db: Database) throws -> AuditVerification? {
        let byPurge = Dictionary(grouping: redactions, by: \.value.purge)
        for purge in byPurge.keys.sorted() {
            let sequences = byPurge[purge]!.map(\.key).sorted()
            let event = try Row.fetchOne(db, sql: "SELECT operation, detail FROM audit_events WHERE seq = ?", arguments: [purge])
            let accounted = event.map { row in
                (row[0] as String) == AccessOperation.retentionPurge.rawValue
                    && (row[1] as String).hasSuffix(Self.accounting(sequences))
            } ?? false
            if !accounted || sequences.last! >= purge {
                return .broken(sequence: sequences.first!,
                               problem: "its detail was removed, and no retention purge accounts for the removal")
            }
        }
        return nil
    }

    /// The end of a purge event's detail: how many details it removed and a digest of which.
    static func accounting(_ sequences: [Int64]) -> String {
        let list = sequences.sorted().map(String.init).joined(separator: ",")
        return "removed \(sequences.count) audit details (digest \(AuditChain.sha256Hex(list).prefix(16)))"
    }
}

extension AuditChain {
    /// Replaces the details of these events with the marker, keeping each original's digest for the
    /// chain, inside a purge's transaction. Events from before the digest format cannot be redacted
    /// and are left as they are. Returns the sequences redacted; the caller's purge event, appended
    /// next in the same transaction, must end with `DetailFormat.accounting` of them.
    static func redact(_ db: Database, sequences: [Int64]) throws -> [Int64] {
        let format = try DetailFormat.read(db)
        let purge = (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_events") ?? 0) + 1
        var redacted: [Int64] = []
        for sequence in sequences.sorted() where sequence >= format.digestFrom && format.redactions[sequence] == nil {
            guard let detail = try String.fetchOne(db, sql: "SELECT detail FROM audit_events WHERE seq = ?",
                                                   arguments: [sequence]) else { continue }
            try db.execute(sql: "INSERT INTO audit_redactions (seq, detail_digest, purge_seq) VALUES (?, ?, ?)",
                           arguments: [sequence, sha256Hex(detail), purge])
            try db.execute(sql: "UPDATE audit_events SET detail = ? WHERE seq = ?", arguments: [redactedDetail, sequence])
            redacted.append(sequence)
        }
        return redacted
    }
}
