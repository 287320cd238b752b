import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    // MARK: Disputed entries

    /// Attaches the family's statement to an entry they dispute: the entry stays as it is, marked
    /// disputed wherever it appears, and the dispute is itself an entry in the pupil's chronology.
    /// The DSL and deputies only (.rectify). Returns the dispute's id.
    @discardableResult
    public func recordDispute(actor: Staff, entry id: Int64, _ input: DisputeInput) throws -> Int64 {
        try guarded(actor, .rectify, recordKind: "entry", recordID: String(id),
                    scope: { db in try Self.entryScope(db, entry: id).scope }) { db in
            let original = try Self.entryText(db, entry: id)
            if original.kind == .dispute {
                throw StoreError.invalid([FieldProblem(field: RecordField.statement,
                                                       message: "This entry is itself a family's statement; record the dispute on the entry it is about")])
            }
            let now = self.clock.now()
            let problems = input.problems(entryDate: original.occurredAt, now: now)
            if !problems.isEmpty { throw StoreError.invalid(problems) }
            let madeBy = input.madeBy.trimmingCharacters(in: .whitespacesAndNewlines)
            try db.execute(sql: """
                INSERT INTO entry_disputes (entry_id, statement, made_by, received_at, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, input.keptStatement, madeBy, Millis.from(input.receivedAt), actor.username, Millis.from(now)])
            let disputeID = db.lastInsertedRowID
            let date = UKDate.date(original.occurredAt)
            var entry = NewEntry(pupil: original.pupil, kind: .dispute, occurredAt: input.receivedAt,
                                 headline: "Entry of \(date) disputed by \(madeBy)", body: input.keptStatement)
            entry.field("Disputed entry", "\(original.kind.label) of \(date)")
            entry.field("Statement made by", madeBy)
            entry.field("Received", UKDate.date(input.receivedAt))
            entry.restricted = original.restricted
            entry.concern = original.concern
            let recorded = try Self.insert(db, entry, author: actor.username, at: now)
            try self.audit(db, actor, .rectify, recordKind: "entry", recordID: String(id), pupilID: original.pupil,
                           detail: "recorded a statement disputing it from \(madeBy), received \(UKDate.date(input.receivedAt)) (entry \(recorded))")
            return disputeID
        }
    }

    /// Every statement disputing these entries, oldest first, by entry id. For any part of the store
    /// that shows entries (the chronology, exports, SAR and transfer bundles): call it inside the
    /// transaction that has checked the reader may see those entries. Entries nobody disputes are absent.
    static func disputes(_ db: Database, forEntries ids: [Int64]) throws -> [Int64: [Dispute]] {
        var found: [Int64: [Dispute]] = [:]
        // In slices, well inside SQLite's limit on bound variables, for a whole file's entries.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[start..<min(ids.count, start + 500)])
            for row in try Row.fetchAll(db, sql: """
                SELECT d.id, d.entry_id, d.statement, d.made_by, d.received_at, d.recorded_by, s.display_name, d.recorded_at
                FROM entry_disputes d LEFT JOIN staff s ON s.username = d.recorded_by
                WHERE d.entry_id IN (\(databaseQuestionMarks(count: slice.count))) ORDER BY d.entry_id, d.id
                """, arguments: StatementArguments(slice)) {
                let dispute = Dispute(id: row[0], entryID: row[1], statement: row[2], madeBy: row[3],
                                      receivedAt: Millis.date(row[4]), recordedBy: row[5],
                                      recordedByName: (row[6] as String?) ?? row[5], recordedAt: Millis.date(row[7]))
                found[dispute.entryID, default: []].append(dispute)
            }
        }
        return found
    }

    /// The statements disputing a concern's report (its concern entry in each pupil's chronology).
    static func disputes(_ db: Database, concern id: ConcernID) throws -> [Dispute] {
        let entries = try Int64.fetchAll(db, sql: "SELECT id FROM chronology_entries WHERE concern_id = ? AND kind = ?",
                                         arguments: [id.rawValue, ChronologyKind.concern.rawValue])
        return try disputes(db, forEntries: entries).values.flatMap { $0 }.sorted { $0.id < $1.id }
    }

    // MARK: Rectification requests

    /// Records a family's request to correct a pupil's record and sets the acting DSL or deputy an
    /// action to answer it, due a calendar month after it was received (in the Actions pane).
    @discardableResult
    public func openRectification(actor: Staff, _ input: RectificationInput) throws -> RectificationRequest {
        let now = clock.now()
        let problems = input.problems(now: now)
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        guard let pupil = try pupilID(upn: input.pupil) else {
            throw StoreError.invalid([FieldProblem(field: "pupil", message: "no pupil with UPN \(input.pupil.value)")])
        }
        return try guarded(actor, .rectify, recordKind: "pupil", recordID: String(pupil.rawValue),
                           scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            let school = try Self.chronologyScope(db, pupil: pupil).school?.rawValue ?? 0
            let owner = try Self.actionOwner(db, username: actor.username, school: school)
            let due = RectificationInput.due(received: input.receivedAt)
            let requester = input.requester?.trimmingCharacters(in: .whitespacesAndNewlines)
            let relationship = input.relationship?.trimmingCharacters(in: .whitespacesAndNewlines)
            let action = try self.insertAction(
                db, actor: actor, pupil: pupil.rawValue, school: school, concern: nil, referral: nil,
                description: "Answer the rectification request from \(input.from), received \(UKDate.date(input.receivedAt)): "
                    + "amend facts that are wrong (reason \"\(AmendmentInput.rectificationReason)\"); "
                    + "record the family's statement on entries they dispute (D)",
                owner: owner, due: due, followUp: false, at: now)
            try db.execute(sql: """
                INSERT INTO rectification_requests (school_id, pupil_id, received_at, requester, relationship, action_id,
                recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [school, pupil.rawValue, Millis.from(input.receivedAt), requester, relationship, action,
                                 actor.username, Millis.from(now)])
            let id = db.lastInsertedRowID
            try self.audit(db, actor, .rectify, recordKind: "rectification", recordID: String(id), pupilID: pupil.rawValue,
                           detail: "request from \(input.from) received \(UKDate.date(input.receivedAt)), due \(UKDate.date(due))")
            guard let request = try Self.rectifications(db, where: "r.id = ?", [id]).first else {
                throw StoreError.notFound("Rectification request \(id)")
            }
            return request
        }
    }

    /// Every rectification request at the actor's school (all schools for trust-level staff), newest
    /// first, with the state of the action answering it. Audited as a read.
    public func rectifications(actor: Staff) throws -> [RectificationRequest] {
        try guarded(actor, .rectify, recordKind: "rectifications", recordID: "all") { db in
            let requests = try Self.rectifications(db, where: "? IS NULL OR r.school_id = ?",
                                                   [actor.school?.rawValue, actor.school?.rawValue])
            try self.audit(db, actor, .rectify, recordKind: "rectifications", recordID: "all",
                           detail: "listed \(requests.count) requests")
            return requests
        }
    }

    private static func rectifications(_ db: Database, where condition: String,
                                       _ arguments: [(any DatabaseValueConvertible)?]) throws -> [RectificationRequest] {
        try Row.fetchAll(db, sql: """
            SELECT r.id, r.pupil_id, p.upn, p.legal_forename, p.preferred_forename, p.legal_surname, r.received_at,
                   r.requester, r.relationship, r.recorded_by, r.recorded_at, r.action_id, a.due_at, a.status,
                   o.display_name, a.owner
            FROM rectification_requests r JOIN pupils p ON p.id = r.pupil_id JOIN actions a ON a.id = r.action_id
            LEFT JOIN staff o ON o.username = a.owner
            WHERE \(condition) ORDER BY r.received_at DESC, r.id DESC
            """, arguments: StatementArguments(arguments)).map { row in
            RectificationRequest(id: row[0], pupil: PupilID(rawValue: row[1]), upn: row[2],
                                 pupilName: PupilName.display(legal: row[3], preferred: row[4], surname: row[5]),
                                 receivedAt: Millis.date(row[6]), requester: row[7], relationship: row[8],
                                 recordedBy: row[9], recordedAt: Millis.date(row[10]), action: row[11],
                                 due: Millis.date(row[12]), ownerName: (row[14] as String?) ?? row[15],
                                 status: ActionStatus(rawValue: row[13]) ?? .open)
        }
    }
}
