import CairnDomain
import Foundation
import GRDB

/// A file received from another school that nobody here has reviewed yet: it sits at the top of
/// the safeguarding team's queue until someone does.
public struct TransferReview: Equatable, Sendable {
    public var id: Int64
    public var pupil: PupilSummary
    public var fromSchool: String
    public var sentByName: String
    public var sentAt: Date
    public var importedAt: Date
    public var importedByName: String
    public var entries: Int
    /// The span of the imported entries' dates.
    public var firstDate: Date?
    public var lastDate: Date?
    public var school: SchoolID
}

extension CairnStore {
    /// Received files awaiting review at the actor's school (every school, for trust-level staff),
    /// oldest first. Part of the queue: checked and audited as listing it.
    public func transfersToReview(actor: Staff) throws -> [TransferReview] {
        try guarded(actor, .listQueue, recordKind: "queue", recordID: "transfers") { db in
            var arguments: StatementArguments = []
            var condition = "ti.reviewed_at IS NULL"
            if let school = actor.school {
                condition += " AND ti.school_id = ?"
                _ = arguments.append(contentsOf: [school.rawValue])
            }
            let reviews = try Row.fetchAll(db, sql: """
                SELECT ti.id, ti.from_school, ti.sent_by_name, ti.sent_at, ti.imported_at, ti.entries, ti.school_id,
                       s.display_name AS imported_by_name, p.id AS pupil_id, p.upn, p.legal_forename, p.preferred_forename,
                       p.legal_surname, p.year_group, p.form, p.date_of_birth,
                       (SELECT min(e.occurred_at) FROM transferred_entries te JOIN chronology_entries e ON e.id = te.entry_id
                        WHERE te.transfer_id = ti.id) AS first_at,
                       (SELECT max(e.occurred_at) FROM transferred_entries te JOIN chronology_entries e ON e.id = te.entry_id
                        WHERE te.transfer_id = ti.id) AS last_at
                FROM transfers_in ti JOIN pupils p ON p.id = ti.pupil_id LEFT JOIN staff s ON s.username = ti.imported_by
                WHERE \(condition) ORDER BY ti.imported_at, ti.id
                """, arguments: arguments).map { row in
                TransferReview(id: row["id"],
                               pupil: PupilSummary(id: PupilID(rawValue: row["pupil_id"]), upn: row["upn"],
                                                   name: PupilName.display(legal: row["legal_forename"], preferred: row["preferred_forename"],
                                                                           surname: row["legal_surname"]),
                                                   yearGroup: YearGroup(rawValue: row["year_group"]) ?? .reception, form: row["form"],
                                                   dateOfBirth: Millis.date(row["date_of_birth"])),
                               fromSchool: row["from_school"], sentByName: row["sent_by_name"], sentAt: Millis.date(row["sent_at"]),
                               importedAt: Millis.date(row["imported_at"]), importedByName: (row["imported_by_name"] as String?) ?? "?",
                               entries: row["entries"], firstDate: (row["first_at"] as Int64?).map(Millis.date),
                               lastDate: (row["last_at"] as Int64?).map(Millis.date), school: SchoolID(rawValue: row["school_id"]))
            }
            // With none waiting nothing about a pupil was read, and the dashboard asks on every refresh.
            if !reviews.isEmpty {
                try self.audit(db, actor, .listQueue, recordKind: "queue", recordID: "transfers",
                               detail: "\(counted(reviews.count, "file")) to review")
            }
            return reviews
        }
    }

    /// Marks a received file reviewed, with what the reviewer found or will do: it leaves the
    /// queue, and the chronology says who reviewed it and when.
    public func reviewTransfer(actor: Staff, id: Int64, note: String) throws {
        guard let text = note.nonBlank else {
            throw StoreError.invalid([FieldProblem(field: "note", message: "Say what you found in the file, or what happens next")])
        }
        try guarded(actor, .transfer, recordKind: "transfer", recordID: String(id), scope: { db in
            guard let pupil = try Int64.fetchOne(db, sql: "SELECT pupil_id FROM transfers_in WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("Transferred file \(id)")
            }
            return try Self.chronologyScope(db, pupil: PupilID(rawValue: pupil))
        }) { db in
            let row = try Row.fetchOne(db, sql: "SELECT pupil_id, from_school, reviewed_at, entries FROM transfers_in WHERE id = ?",
                                       arguments: [id])!
            if let reviewed = row[2] as Int64? {
                throw StoreError.invalid([FieldProblem(field: "note", message: "This file was already reviewed, on \(UKDate.date(Millis.date(reviewed)))")])
            }
            let now = self.clock.now()
            try db.execute(sql: "UPDATE transfers_in SET reviewed_by = ?, reviewed_at = ?, review_note = ? WHERE id = ?",
                           arguments: [actor.username, Millis.from(now), text, id])
            let from: String = row[1]
            var entry = NewEntry(pupil: row[0], kind: .transfer, occurredAt: now,
                                 headline: "Transferred file from \(from) reviewed by \(actor.displayName)", body: text)
            entry.field("From", from)
            entry.field("Entries", String(row[3] as Int))
            try self.record(db, entry, by: actor, .transfer, at: now)
        }
    }

    /// The received file waiting for review for a pupil, if any (`cairn transfer review UPN`).
    public func transferAwaitingReview(pupil: PupilID) throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM transfers_in WHERE pupil_id = ? AND reviewed_at IS NULL ORDER BY id LIMIT 1",
                               arguments: [pupil.rawValue])
        }
    }

    // MARK: Entries that came from another school

    /// "Jo Bloggs (Elmfield Academy)" for an entry imported from another school: the SQL for
    /// `entryColumns`' author name, which otherwise names who imported it here.
    static let transferredAuthorName = """
        (SELECT te.author_name || ' (' || te.author_school || ')' FROM transferred_entries te WHERE te.entry_id = e.id)
        """

    /// What an imported entry shows above its own parts: where it came from ("from Elmfield Academy,
    /// recorded 12/03/2025 by Jo Bloggs (DSL)"), and the other school's concern, action or referral
    /// it belongs to, read from the record that came with it.
    static func transferredFields(_ db: Database, entry id: Int64, recordedAt: Date) throws -> [EntryField] {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT te.author_name, te.author_role, te.author_school, ti.from_school, ti.imported_at,
                   (SELECT record FROM transfer_records WHERE id = te.concern_record),
                   (SELECT record FROM transfer_records WHERE id = te.action_record),
                   (SELECT record FROM transfer_records WHERE id = te.referral_record)
            FROM transferred_entries te JOIN transfers_in ti ON ti.id = te.transfer_id WHERE te.entry_id = ?
            """, arguments: [id]) else { return [] }
        let author = TransferPerson(name: row[0], role: Role(rawValue: row[1]) ?? .staff, school: row[2])
        var provenance = "from \(author.school), recorded \(UKDate.date(recordedAt)) by \(author.withRole)"
        if author.school != (row[3] as String) { provenance += "; received from \(row[3] as String)" }
        var fields = [EntryField(label: "Transferred", value: provenance + ", imported \(UKDate.date(Millis.date(row[4])))")]
        if let json = row[5] as String? {
            fields += concernFields(try StoredRecord.decoder.decode(TransferConcern.self, from: Data(json.utf8)), school: author.school)
        }
        if let json = row[6] as String? {
            let action = try StoredRecord.decoder.decode(TransferAction.self, from: Data(json.utf8))
            fields.append(EntryField(label: "Action", value: "\(action.description) (\(action.owner.name), due \(UKDate.date(action.due)))"))
            fields.append(EntryField(label: "Action status",
                                     value: action.status.rawValue.capitalized + (action.outcome.map { ": \($0)" } ?? "")))
        }
        if let json = row[7] as String? {
            let referral = try StoredRecord.decoder.decode(TransferReferral.self, from: Data(json.utf8))
            if let decision = referral.decision {
                fields.append(EntryField(label: "Agency decision",
                                         value: decision + (referral.decidedAt.map { " (\(UKDate.date($0)))" } ?? "")))
            }
        }
        return fields
    }

    private static func concernFields(_ concern: TransferConcern, school: String) -> [EntryField] {
        var fields = [EntryField(label: "Concern", value: "\(concern.reference) at \(school), "
                                    + "reported by \(concern.reportedBy.withRole) · \(concern.status.label)")]
        fields.append(EntryField(label: "Categories", value: concern.categories.map(\.label).joined(separator: ", ")))
        for account in concern.accounts { fields.append(EntryField(label: account.nature.label, value: account.text)) }
        if let words = concern.childWords { fields.append(EntryField(label: "Child's words", value: words)) }
        if let done = concern.reporterAction { fields.append(EntryField(label: "Reporter did", value: done)) }
        if let place = concern.location { fields.append(EntryField(label: "Where", value: place)) }
        if let level = concern.level { fields.append(EntryField(label: "Level of need", value: level.label)) }
        if let closure = concern.decisions.last(where: { $0.kind == .close }), let outcome = closure.outcome {
            fields.append(EntryField(label: "Outcome", value: outcome.label + (closure.reason.map { " – \($0)" } ?? "")
                                        + " (\(closure.by.name), \(UKDate.date(closure.at)))"))
        }
        if let paper = concern.paperOriginal {
            let verified = paper.verifiedBy.map { " · verified by \($0.name)" + (paper.verifiedAt.map { " on \(UKDate.date($0))" } ?? "") }
                ?? " · not verified"
            fields.append(EntryField(label: "Paper original", value: "written \(UKDate.dateTime(paper.writtenAt)) by \(paper.writtenBy)" + verified))
        }
        return fields
    }
}
