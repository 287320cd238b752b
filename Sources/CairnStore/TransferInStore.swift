import CairnDomain
import Foundation
import GRDB

/// What an opened bundle would do here, shown before anything is imported.
public struct TransferPreview: Equatable, Sendable {
    public struct KindCount: Equatable, Sendable {
        public var kind: ChronologyKind
        public var count: Int
    }

    public var pupilName: String
    public var upn: String
    public var dateOfBirth: Date
    public var yearGroup: YearGroup
    public var fromSchool: String
    public var sentBy: String
    public var sentAt: Date
    /// The school the sender named, and this database's school that would receive the file.
    public var addressedTo: String
    public var receivingSchool: String
    /// The pupil already here with this UPN (their name), or nil when they would be added.
    public var existingPupil: String?
    public var entries: Int
    public var byKind: [KindCount]
    public var restricted: Int
    public var firstDate: Date?
    public var lastDate: Date?
    public var concerns: Int
    public var actions: Int
    public var referrals: Int

    /// Whether the sender addressed the file to a school of another name (a warning, not a refusal).
    public var addressedElsewhere: Bool { Self.key(addressedTo) != Self.key(receivingSchool) }

    /// A school's name without case, spaces or punctuation: "St Mary's" and "St. Marys" agree.
    static func key(_ name: String) -> String { String(name.lowercased().filter { $0.isLetter || $0.isNumber }) }
}

/// A file imported: what `cairn transfer in` reports.
public struct TransferReceived: Equatable, Sendable {
    public var transferID: Int64
    public var pupil: PupilID
    public var pupilName: String
    public var createdPupil: Bool
    public var entries: Int
}

extension CairnStore {
    /// Checks an opened bundle against this database (a file already imported, a pupil on roll at
    /// another school here, a file that does not hang together) and says what importing it would
    /// do. `school` chooses the receiving school for trust-level staff. Audited.
    public func previewTransfer(actor: Staff, _ file: TransferFile, digest: String, school: SchoolID? = nil) throws -> TransferPreview {
        try guarded(actor, .transfer, recordKind: "transfer", recordID: file.bundleId,
                    scope: { db in RecordScope(school: try Self.receivingSchool(db, actor: actor, asked: school)) }) { db in
            let target = try Self.receivingSchool(db, actor: actor, asked: school)
            let existing = try Self.checkImportable(db, file, digest: digest, school: target)
            let dates = file.entries.map(\.occurredAt)
            var counts: [ChronologyKind: Int] = [:]
            for entry in file.entries { counts[entry.kind, default: 0] += 1 }
            try self.audit(db, actor, .transfer, recordKind: "transfer", recordID: file.bundleId, pupilID: existing?.id,
                           detail: "opened file from \(file.sendingSchool) for \(file.pupil.upn.value), digest \(digest)")
            return TransferPreview(
                pupilName: Self.displayName(file.pupil), upn: file.pupil.upn.value, dateOfBirth: file.pupil.dateOfBirth.date ?? Date(),
                yearGroup: file.pupil.yearGroup, fromSchool: file.sendingSchool, sentBy: file.sentBy.withRole, sentAt: file.createdAt,
                addressedTo: file.receivingSchool, receivingSchool: try Self.schoolName(db, target), existingPupil: existing?.name,
                entries: file.entries.count,
                byKind: ChronologyKind.allCases.compactMap { kind in counts[kind].map { TransferPreview.KindCount(kind: kind, count: $0) } },
                restricted: file.entries.filter(\.restricted).count, firstDate: dates.min(), lastDate: dates.max(),
                concerns: file.concerns.count, actions: file.actions.count, referrals: file.referrals.count)
        }
    }

    /// Imports an opened bundle in one transaction: the pupil (matched by UPN, or added to the
    /// receiving school), their flags, every entry with its amendments and disputes, and the
    /// other school's concerns, actions and referrals as they arrived. Each entry keeps its dates,
    /// labels and flags and says where it came from. The file then waits at the top of the
    /// safeguarding team's queue until someone reviews it. Anything wrong, and nothing is written.
    public func importTransfer(actor: Staff, _ file: TransferFile, digest: String, receiptCode: String,
                               school: SchoolID? = nil) throws -> TransferReceived {
        try guarded(actor, .transfer, recordKind: "transfer", recordID: file.bundleId,
                    scope: { db in RecordScope(school: try Self.receivingSchool(db, actor: actor, asked: school)) }) { db in
            let target = try Self.receivingSchool(db, actor: actor, asked: school)
            let existing = try Self.checkImportable(db, file, digest: digest, school: target)
            let now = self.clock.now()
            let pupil = try existing?.id ?? Self.addPupil(db, file.pupil, school: target, at: now)
            let receivedFlags = try Self.addFlags(db, file.pupil.flags, pupil: pupil, by: actor, at: now)
            try db.execute(sql: """
                INSERT INTO transfers_in (pupil_id, school_id, from_school, bundle_id, digest, format_version, sent_at,
                sent_by_name, sent_by_role, receipt_code, entries, created_pupil, imported_by, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pupil, target.rawValue, file.sendingSchool, file.bundleId, digest, file.version,
                                 Millis.from(file.createdAt), file.sentBy.name, file.sentBy.role.rawValue, receiptCode,
                                 file.entries.count, existing == nil, actor.username, Millis.from(now)])
            let transfer = db.lastInsertedRowID
            var records: [String: [Int: Int64]] = [:]
            func keep(_ kind: String, _ ref: Int, _ record: some Encodable) throws {
                try db.execute(sql: "INSERT INTO transfer_records (transfer_id, kind, bundle_ref, record) VALUES (?, ?, ?, ?)",
                               arguments: [transfer, kind, ref, try StoredRecord.json(record)])
                records[kind, default: [:]][ref] = db.lastInsertedRowID
            }
            for concern in file.concerns { try keep("concern", concern.id, concern) }
            for action in file.actions { try keep("action", action.id, action) }
            for referral in file.referrals { try keep("referral", referral.id, referral) }
            for entry in file.entries {
                try Self.importEntry(db, entry, pupil: pupil, transfer: transfer, records: records, by: actor)
            }
            let name = Self.displayName(file.pupil)
            var received = NewEntry(pupil: pupil, kind: .transfer, occurredAt: now, fixedSummary:
                "File received from \(file.sendingSchool), sent \(UKDate.date(file.createdAt)) by \(file.sentBy.name): "
                    + "\(counted(file.entries.count, "entry", "entries")) imported, digest \(Self.shortDigest(digest))")
            received.field("From", file.sendingSchool)
            received.field("Sent by", "\(file.sentBy.withRole) on \(UKDate.dateTime(file.createdAt))")
            received.field("Imported by", "\(actor.displayName) (\(actor.role.label))")
            received.field("Entries", String(file.entries.count))
            received.field("Flags", receivedFlags.isEmpty ? nil : receivedFlags.joined(separator: ", "))
            received.field("Pupil", existing == nil ? "added to this school's roll from the file" : "already on roll here")
            received.field("Digest (SHA-256)", Self.groupedDigest(digest))
            received.field("Receipt code", receiptCode)
            received.significant = true
            try Self.insert(db, received, author: actor.username, at: now)
            try self.audit(db, actor, .transfer, recordKind: "transfer", recordID: String(transfer), pupilID: pupil,
                           detail: "imported file from \(file.sendingSchool): \(counted(file.entries.count, "entry", "entries")), digest \(digest)")
            return TransferReceived(transferID: transfer, pupil: PupilID(rawValue: pupil), pupilName: name,
                                    createdPupil: existing == nil, entries: file.entries.count)
        }
    }

    // MARK: Helpers

    /// The actor's school, or for trust-level staff the one they name (or the only one there is).
    static func receivingSchool(_ db: Database, actor: Staff, asked: SchoolID?) throws -> SchoolID {
        if let own = actor.school { return asked ?? own }
        return try chooseSchool(db, asked, "say which one receives the file with --school NAME")
    }

    /// Refuses a file that does not hang together, was imported before, or is for a pupil who
    /// belongs to another school in this database. Returns the pupil already here, if any.
    static func checkImportable(_ db: Database, _ file: TransferFile, digest: String, school: SchoolID)
        throws -> (id: Int64, name: String)? {
        let problems = file.problems()
        if !problems.isEmpty {
            throw StoreError.invalid(problems.map { FieldProblem(field: "file", message: $0) })
        }
        if let earlier = try Row.fetchOne(db, sql: """
            SELECT ti.imported_at, s.display_name, ti.from_school FROM transfers_in ti
            LEFT JOIN staff s ON s.username = ti.imported_by WHERE ti.digest = ? OR ti.bundle_id = ?
            """, arguments: [digest, file.bundleId]) {
            throw StoreError.invalid([FieldProblem(field: "file", message:
                "this file from \(earlier[2] as String) was already imported, on \(UKDate.date(Millis.date(earlier[0]))) "
                    + "by \((earlier[1] as String?) ?? "?"); nothing was imported again")])
        }
        guard let row = try Row.fetchOne(db, sql: """
            SELECT p.id, p.legal_forename, p.preferred_forename, p.legal_surname, p.school_id, p.left_at, s.name
            FROM pupils p JOIN schools s ON s.id = p.school_id WHERE p.upn = ?
            """, arguments: [file.pupil.upn.value]) else { return nil }
        let name = PupilName.display(legal: row[1], preferred: row[2], surname: row[3])
        if (row[4] as Int64) != school.rawValue {
            let standing = (row[5] as Int64?).map { "who left \(row[6] as String) on \(UKDate.date(Millis.date($0)))" }
                ?? "on roll at \(row[6] as String)"
            throw StoreError.invalid([FieldProblem(field: "upn", message:
                "\(file.pupil.upn.value) belongs to \(name), \(standing), in this database; "
                    + "a file for a pupil of another school here is not imported. Nothing was imported")])
        }
        return (row[0], name)
    }

    static func displayName(_ pupil: TransferPupil) -> String {
        PupilName.display(legal: pupil.legalForename, preferred: pupil.preferredForename, surname: pupil.legalSurname)
    }

    private static func addPupil(_ db: Database, _ pupil: TransferPupil, school: SchoolID, at now: Date) throws -> Int64 {
        guard let born = pupil.dateOfBirth.date else {
            throw StoreError.invalid([FieldProblem(field: "file", message: "pupil.date_of_birth: is not a real date")])
        }
        try db.execute(sql: """
            INSERT INTO pupils (upn, legal_forename, legal_surname, preferred_forename, date_of_birth, year_group, form,
            school_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [pupil.upn.value, pupil.legalForename, pupil.legalSurname, pupil.preferredForename,
                             Millis.from(born), pupil.yearGroup.rawValue, pupil.form, school.rawValue, Millis.from(now)])
        return db.lastInsertedRowID
    }

    /// Adds the file's flags that are not here already (same kind and start). A flag still running
    /// in the file is left out when the same kind is already running here: this school's stands.
    /// Returns the labels of those added.
    private static func addFlags(_ db: Database, _ flags: [ContextFlag], pupil: Int64, by actor: Staff, at now: Date) throws -> [String] {
        var added: [String] = []
        for flag in flags {
            let start = Millis.from(flag.start)
            let same = try Bool.fetchOne(db, sql: "SELECT 1 FROM pupil_flags WHERE pupil_id = ? AND kind = ? AND start_at = ?",
                                         arguments: [pupil, flag.kind.rawValue, start]) ?? false
            if same { continue }
            if flag.end == nil, try activeFlag(db, pupil: PupilID(rawValue: pupil), kind: flag.kind) != nil { continue }
            try db.execute(sql: """
                INSERT INTO pupil_flags (pupil_id, kind, start_at, end_at, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [pupil, flag.kind.rawValue, start, flag.end.map(Millis.from), actor.username, Millis.from(now)])
            added.append(flag.kind.label + (flag.end == nil ? "" : " (ended)"))
        }
        return added
    }

    /// One entry as it was written at the other school: its dates, text, labels and flags, its
    /// author there, its links to the records that came with it, its amendments and disputes.
    private static func importEntry(_ db: Database, _ entry: TransferEntry, pupil: Int64, transfer: Int64,
                                    records: [String: [Int: Int64]], by actor: Staff) throws {
        let id = try addChronology(db, pupil: pupil, occurredAt: entry.occurredAt, recordedAt: entry.recordedAt, kind: entry.kind,
                                   summary: entry.summary, author: actor.username, nature: entry.nature,
                                   significant: entry.significant, restricted: entry.restricted, headline: entry.headline,
                                   body: entry.body, details: encodeDetails(entry.details))
        try db.execute(sql: """
            INSERT INTO transferred_entries (entry_id, transfer_id, author_name, author_role, author_school, concern_record,
            action_record, referral_record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, transfer, entry.author.name, entry.author.role.rawValue, entry.author.school,
                             entry.concern.flatMap { records["concern"]?[$0] }, entry.action.flatMap { records["action"]?[$0] },
                             entry.referral.flatMap { records["referral"]?[$0] }])
        func origin(_ kind: String, _ row: Int64, _ person: TransferPerson) throws {
            try db.execute(sql: "INSERT INTO transferred_people (kind, row_id, transfer_id, name, role, school) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [kind, row, transfer, person.name, person.role.rawValue, person.school])
        }
        for amendment in entry.amendments {
            try db.execute(sql: """
                INSERT INTO entry_amendments (entry_id, previous_text, new_text, reason, by, at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, amendment.previousText, amendment.newText, amendment.reason, actor.username,
                                 Millis.from(amendment.at)])
            try origin("amendment", db.lastInsertedRowID, amendment.by)
        }
        for dispute in entry.disputes {
            try db.execute(sql: """
                INSERT INTO entry_disputes (entry_id, statement, made_by, received_at, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, dispute.statement, dispute.madeBy, Millis.from(dispute.receivedAt), actor.username,
                                 Millis.from(dispute.recordedAt)])
            try origin("dispute", db.lastInsertedRowID, dispute.recordedBy)
        }
    }
}
