import CairnDomain
import Foundation
import GRDB

/// What sealing a bundle produced: the digest the receiver reads back and the receipt code they
/// will give in return.
public struct TransferSeal: Equatable, Sendable {
    public var digest: String
    public var receiptCode: String

    public init(digest: String, receiptCode: String) {
        self.digest = digest
        self.receiptCode = receiptCode
    }
}

/// A file sent: what `cairn transfer out` reports.
public struct TransferSent: Equatable, Sendable {
    public var pupilName: String
    public var toSchool: String
    public var entries: Int
    public var digest: String
    public var actionID: Int64
    public var confirmBy: Date
}

extension CairnStore {
    /// The shortest passphrase a bundle may be sealed with.
    public static let transferPassphraseMinimumLength = 12

    /// Checks (and audits a refusal) before anyone is asked for a passphrase: the transfer
    /// commands are the safeguarding team's. Writes nothing when allowed; the work itself checks again.
    public func requireTransferAccess(actor: Staff) throws {
        try guarded(actor, .transfer, recordKind: "transfer", recordID: "") { _ in () }
    }

    /// Sends a pupil's file to another school, in one transaction: reads the whole file, hands it to
    /// `seal` (which encrypts it and writes the bundle), then records the transfer in the
    /// chronology, keeps the receipt code, and sets the person sending it an action to confirm
    /// receipt within five school days. If `seal` throws, nothing is recorded.
    public func transferOut(actor: Staff, pupil: PupilID, to school: String,
                            seal: @escaping @Sendable (TransferFile) throws -> TransferSeal) throws -> TransferSent {
        let to = school.trimmingCharacters(in: .whitespacesAndNewlines)
        if to.isEmpty {
            throw StoreError.invalid([FieldProblem(field: "to", message: "name the school the file is going to")])
        }
        var generator = SystemRandomNumberGenerator()
        let receiptKey = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
        return try guarded(actor, .transfer, recordKind: "pupil", recordID: String(pupil.rawValue),
                           scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            let now = self.clock.now()
            let scope = try Self.chronologyScope(db, pupil: pupil)
            let schoolID = scope.school?.rawValue ?? 0
            let from = try Self.schoolName(db, scope.school)
            if to.caseInsensitiveCompare(from) == .orderedSame {
                throw StoreError.invalid([FieldProblem(field: "to", message: "\(from) is this pupil's school; name the school they are going to")])
            }
            var reader = try TransferFileReader(db, pupil: pupil.rawValue, school: from)
            let file = try reader.read(header: (UUID().uuidString, now, to, actor, receiptKey))
            let sealed = try seal(file)
            let name = PupilName.display(legal: file.pupil.legalForename, preferred: file.pupil.preferredForename,
                                         surname: file.pupil.legalSurname)
            let due = WorkingDays.addingWorkingDays(5, to: now)
            let action = try self.insertAction(db, actor: actor, pupil: pupil.rawValue, school: schoolID, concern: nil,
                                               referral: nil, description: "Confirm receipt of the transferred file by \(to)",
                                               owner: actor, due: due, followUp: false, at: now)
            try db.execute(sql: """
                INSERT INTO transfers_out (pupil_id, school_id, to_school, bundle_id, digest, receipt_code, entries, action_id,
                sent_by, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pupil.rawValue, schoolID, to, file.bundleId, sealed.digest, sealed.receiptCode,
                                 file.entries.count, action, actor.username, Millis.from(now)])
            var entry = NewEntry(pupil: pupil.rawValue, kind: .transfer, occurredAt: now, fixedSummary:
                "File transferred to \(to) on \(UKDate.date(now)) by \(actor.displayName), digest \(Self.shortDigest(sealed.digest))")
            entry.field("To", to)
            entry.field("Sent by", "\(actor.displayName) (\(actor.role.label))")
            entry.field("Entries", String(file.entries.count))
            entry.field("Digest (SHA-256)", Self.groupedDigest(sealed.digest))
            entry.field("Receipt", "to be confirmed by \(UKDate.date(due))")
            entry.significant = true
            entry.action = action
            try Self.insert(db, entry, author: actor.username, at: now)
            try self.audit(db, actor, .transfer, recordKind: "pupil", recordID: String(pupil.rawValue), pupilID: pupil.rawValue,
                           detail: "sent file to \(to): \(counted(file.entries.count, "entry", "entries")), digest \(sealed.digest)")
            return TransferSent(pupilName: name, toSchool: to, entries: file.entries.count, digest: sealed.digest,
                                actionID: action, confirmBy: due)
        }
    }

    /// The receiving school read back their receipt code: checked against every unconfirmed
    /// transfer of the pupil's file, the matching one is marked confirmed and its action done
    /// ("receipt confirmed by …"). A wrong code changes nothing. Returns the school that confirmed.
    @discardableResult
    public func confirmTransferReceipt(actor: Staff, pupil: PupilID, code: String) throws -> String {
        let normalised = ReceiptCode.normalise(code)
        guard let normalised else {
            throw StoreError.invalid([FieldProblem(field: "code", message: "\"\(code)\" is not a receipt code: 16 letters and digits, as XXXX-XXXX-XXXX-XXXX")])
        }
        return try guarded(actor, .transfer, recordKind: "pupil", recordID: String(pupil.rawValue),
                           scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            let waiting = try Row.fetchAll(db, sql: """
                SELECT id, to_school, receipt_code, action_id, sent_at FROM transfers_out
                WHERE pupil_id = ? AND confirmed_at IS NULL ORDER BY id DESC
                """, arguments: [pupil.rawValue])
            guard !waiting.isEmpty else {
                throw StoreError.invalid([FieldProblem(field: "code", message: "no transfer of this pupil's file is waiting for a receipt")])
            }
            guard let match = waiting.first(where: { ReceiptCode.normalise($0[2] as String) == normalised }) else {
                let sent = waiting.map { "\($0[1] as String) on \(UKDate.date(Millis.date($0[4])))" }.joined(separator: ", ")
                throw StoreError.invalid([FieldProblem(field: "code", message: "does not match the file sent to \(sent); check it with the receiving school. Nothing was changed")])
            }
            let now = self.clock.now()
            let school: String = match[1]
            try db.execute(sql: "UPDATE transfers_out SET confirmed_by = ?, confirmed_at = ? WHERE id = ?",
                           arguments: [actor.username, Millis.from(now), match[0] as Int64])
            let action = try StoredAction.fetch(db, id: match[3])
            let outcome = "receipt confirmed by \(school)"
            if action.status == .open {
                try self.finish(db, action, actor: actor, status: .done, outcome: outcome, at: now)
            } else {
                // Someone closed the action by hand: the confirmation is still on the file.
                var entry = NewEntry(pupil: pupil.rawValue, kind: .transfer, occurredAt: now,
                                     fixedSummary: "Transferred file: \(outcome)")
                entry.field("To", school)
                try Self.insert(db, entry, author: actor.username, at: now)
            }
            try self.audit(db, actor, .transfer, recordKind: "pupil", recordID: String(pupil.rawValue), pupilID: pupil.rawValue,
                           detail: outcome)
            return school
        }
    }

    /// "3f2a9c1b 0e7d4a22 …": the digest in eight groups, easier to read aloud.
    public static func groupedDigest(_ digest: String) -> String {
        stride(from: 0, to: digest.count, by: 8).map { start in
            let from = digest.index(digest.startIndex, offsetBy: start)
            return String(digest[from..<digest.index(from, offsetBy: min(8, digest.count - start))])
        }.joined(separator: " ")
    }

    /// The first two groups, for one-line summaries.
    static func shortDigest(_ digest: String) -> String {
        groupedDigest(String(digest.prefix(16))) + "…"
    }
}

/// Receipt codes: 16 characters of Crockford's base32 (no I, L, O or U), written in four groups
/// of four. Read aloud, an O is taken as 0 and an I or L as 1.
public enum ReceiptCode {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// "ABCD-EFGH-JKMN-PQRS" from the first ten bytes of `bytes`.
    public static func format(_ bytes: [UInt8]) -> String {
        var bits = 0, value = 0
        var out = ""
        for byte in bytes.prefix(10) {
            value = (value << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[(value >> bits) & 31])
                if out.count % 5 == 4, out.count < 19 { out.append("-") }
            }
            value &= (1 << bits) - 1
        }
        return out
    }

    /// The 16 characters of a code as typed ("abcd efgh-jkmn pqrs", "O" for "0"), or nil.
    public static func normalise(_ text: String) -> String? {
        var out = ""
        for character in text.uppercased() where !" -".contains(character) {
            switch character {
            case "O": out.append("0")
            case "I", "L": out.append("1")
            case _ where alphabet.contains(character): out.append(character)
            default: return nil
            }
        }
        return out.count == 16 ? out : nil
    }
}
