import CairnDomain
import Foundation
import GRDB

/// Subject access requests: recording one (with its one-month action and a chronology entry),
/// withholding parts of entries with an exemption, and gathering the bundle. Every call is checked
/// as .sar_export (the DSL and deputies) and audited with the pupil.
extension CairnStore {
    // MARK: Requests

    /// Records a request received on `input.received`: an action for `actor`, due one calendar
    /// month later (`SubjectAccess.due`), and a note in the pupil's chronology. Returns it.
    @discardableResult
    public func openSAR(actor: Staff, pupil: PupilID, _ input: SARRequestInput) throws -> SARRequest {
        let now = clock.now()
        let requester = input.requester.trimmingCharacters(in: .whitespacesAndNewlines)
        let relationship = input.relationship.trimmingCharacters(in: .whitespacesAndNewlines)
        let received = UKDate.calendar.startOfDay(for: input.received)
        let due = SubjectAccess.due(received: received)
        let id = try writing(actor, .sarExport, pupil: pupil, problems: input.problems(now: now)) { db, scope in
            let who = "\(requester) (\(relationship))"
            let action = try self.insertAction(
                db, actor: actor, pupil: pupil.rawValue, school: scope.school?.rawValue ?? 0, concern: nil, referral: nil,
                description: "Answer the subject access request from \(who), received \(UKDate.date(received)): "
                    + "withhold only what an exemption covers (R on an entry), then send the bundle (cairn sar export).",
                owner: actor, due: due, followUp: false, at: now)
            try db.execute(sql: """
                INSERT INTO sar_requests (pupil_id, received_at, requester, relationship, due_at, action_id, opened_by, opened_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [pupil.rawValue, Millis.from(received), requester, relationship, Millis.from(due), action,
                                 actor.username, Millis.from(now)])
            let id = db.lastInsertedRowID
            var entry = NewEntry(pupil: pupil.rawValue, kind: .note, occurredAt: received,
                                 headline: "Subject access request received",
                                 body: "From \(who). The answer is due by \(UKDate.date(due)).")
            entry.field("Requester", requester)
            entry.field("Relationship", relationship)
            entry.field("Received", UKDate.date(received))
            // Linked to its action, so the entry shows the deadline's owner, due date and status as they stand.
            entry.action = action
            try Self.insert(db, entry, author: actor.username, at: now)
            try self.audit(db, actor, .sarExport, recordKind: "sar_request", recordID: String(id), pupilID: pupil.rawValue,
                           detail: "opened subject access request: received \(UKDate.date(received)), due \(UKDate.date(due))")
            return id
        }
        return try pool.read { db in
            guard let request = try Self.sarRequests(db, where: "r.id = ?", [id]).first else {
                throw StoreError.notFound("Subject access request \(id)")
            }
            return request
        }
    }

    /// The same, naming the pupil by UPN (the command line).
    @discardableResult
    public func openSAR(actor: Staff, pupil upn: UPN, _ input: SARRequestInput) throws -> SARRequest {
        guard let pupil = try pupilID(upn: upn) else {
            throw StoreError.invalid([FieldProblem(field: SARField.upn, message: "No pupil with UPN \(upn.value) in this database")])
        }
        return try openSAR(actor: actor, pupil: pupil, input)
    }

    /// Every request at the reader's school (every school, for trust-level staff): open ones
    /// first by due date, then closed ones, most recently received first. Audited.
    public func sarRequests(actor: Staff) throws -> [SARRequest] {
        try guarded(actor, .sarExport, recordKind: "sar_request", recordID: "list") { db in
            let school: (String, StatementArguments) = actor.school.map { ("p.school_id = ?", [$0.rawValue]) } ?? ("1", [])
            let requests = try Self.sarRequests(db, where: school.0, school.1,
                                                order: "r.status = 'closed', CASE WHEN r.status = 'open' THEN r.due_at END, r.received_at DESC, r.id DESC")
            try self.audit(db, actor, .sarExport, recordKind: "sar_request", recordID: "list",
                           detail: "listed \(requests.count) subject access requests")
            return requests
        }
    }

    static func sarRequests(_ db: Database, where condition: String, _ arguments: StatementArguments,
                            order: String = "r.received_at DESC, r.id DESC") throws -> [SARRequest] {
        try Row.fetchAll(db, sql: """
            SELECT r.id, r.pupil_id, p.upn, p.legal_forename, p.preferred_forename, p.legal_surname, p.year_group,
                   r.received_at, r.requester, r.relationship, r.due_at, r.action_id, r.opened_by, s.display_name,
                   r.opened_at, r.status, r.closed_at
            FROM sar_requests r JOIN pupils p ON p.id = r.pupil_id LEFT JOIN staff s ON s.username = r.opened_by
            WHERE \(condition) ORDER BY \(order)
            """, arguments: arguments).map { row in
            SARRequest(id: row[0], pupil: PupilID(rawValue: row[1]), upn: row[2],
                       pupilName: PupilName.display(legal: row[3], preferred: row[4], surname: row[5]),
                       yearGroup: YearGroup(rawValue: row[6]) ?? .reception, received: Millis.date(row[7]), requester: row[8],
                       relationship: row[9], due: Millis.date(row[10]), action: row[11], openedBy: row[12],
                       openedByName: (row[13] as String?) ?? row[12], openedAt: Millis.date(row[14]),
                       status: SARStatus(rawValue: row[15]) ?? .open, closedAt: (row[16] as Int64?).map(Millis.date))
        }
    }

    // MARK: Withholding

    /// Withholds the whole entry, or exact passages of its current text, with an exemption.
    /// Returns the new withholdings' ids. A passage or whole entry already withheld is refused
    /// (lift it first to give another reason). The audit detail never holds the passage itself:
    /// auditors read the log and no record content.
    @discardableResult
    public func withhold(actor: Staff, entry id: Int64, _ input: WithholdingInput) throws -> [Int64] {
        try guarded(actor, .sarExport, recordKind: "entry", recordID: String(id),
                    scope: { db in try Self.entryScope(db, entry: id).scope }) { db in
            let current = try Self.entryText(db, entry: id)
            var problems = input.problems(currentText: current.text)
            let active = try Self.withholdings(db, pupil: PupilID(rawValue: current.pupil), entry: id).filter(\.isActive)
            if input.part == .wholeEntry, active.contains(where: \.isWholeEntry) {
                problems.append(FieldProblem(field: SARField.part, message: "The whole entry is already withheld; lift that first to give another reason"))
            }
            if let repeated = input.passages.first(where: { passage in active.contains { $0.passage == passage } }) {
                problems.append(FieldProblem(field: SARField.passage, message: "“\(Redaction.excerpt(repeated))” is already withheld"))
            }
            guard problems.isEmpty, let reason = input.reason else { throw StoreError.invalid(problems) }
            let now = Millis.from(self.clock.now())
            let other = reason == .other ? input.otherReason.trimmingCharacters(in: .whitespacesAndNewlines) : nil
            let parts: [String?] = input.part == .wholeEntry ? [nil] : input.passages.map { Optional($0) }
            var ids: [Int64] = []
            for passage in parts {
                try db.execute(sql: """
                    INSERT INTO sar_withholdings (entry_id, passage, reason, other_reason, by, at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [id, passage, reason.rawValue, other, actor.username, now])
                ids.append(db.lastInsertedRowID)
            }
            let what = input.part == .wholeEntry ? "the whole entry"
                : "\(parts.count) passage\(parts.count == 1 ? "" : "s") (\(parts.compactMap { $0?.count }.map(String.init).joined(separator: ", ")) characters)"
            try self.audit(db, actor, .sarExport, recordKind: "entry", recordID: String(id), pupilID: current.pupil,
                           detail: "withheld \(what) from subject access: \(reason.phrase(other: other))")
            return ids
        }
    }

    /// Lifts a withholding: a new row naming it, so the decision and its lifting both stay on file.
    public func liftWithholding(actor: Staff, id: Int64) throws {
        try guarded(actor, .sarExport, recordKind: "sar_withholding", recordID: String(id), scope: { db in
            try Self.entryScope(db, entry: try Self.withheldEntry(db, id: id)).scope
        }) { db in
            let entry = try Self.withheldEntry(db, id: id)
            let pupil = try Self.entryScope(db, entry: entry).pupil
            guard let found = try Self.withholdings(db, pupil: pupil, entry: entry).first(where: { $0.id == id }) else {
                throw StoreError.notFound("Withholding \(id)")
            }
            if !found.isActive {
                throw StoreError.invalid([FieldProblem(field: SARField.part, message: "That withholding was lifted on \(UKDate.date(found.liftedAt!))")])
            }
            try db.execute(sql: "INSERT INTO sar_withholdings (entry_id, lifts, by, at) VALUES (?, ?, ?, ?)",
                           arguments: [entry, id, actor.username, Millis.from(self.clock.now())])
            try self.audit(db, actor, .sarExport, recordKind: "entry", recordID: String(entry), pupilID: pupil.rawValue,
                           detail: "lifted withholding \(id) (\(found.isWholeEntry ? "the whole entry" : "a passage"): \(found.phrase))")
        }
    }

    /// The entry a withholding (not a lifting row) is about.
    static func withheldEntry(_ db: Database, id: Int64) throws -> Int64 {
        guard let entry = try Int64.fetchOne(db, sql: "SELECT entry_id FROM sar_withholdings WHERE id = ? AND lifts IS NULL",
                                             arguments: [id]) else { throw StoreError.notFound("Withholding \(id)") }
        return entry
    }

    /// The withholdings of one entry, or of every entry of a pupil's file, oldest first, each with
    /// its lifting if lifted.
    static func withholdings(_ db: Database, pupil: PupilID, entry: Int64?) throws -> [Withholding] {
        let condition = entry == nil ? "w.entry_id IN (SELECT id FROM chronology_entries WHERE pupil_id = ?)" : "w.entry_id = ?"
        return try Row.fetchAll(db, sql: """
            SELECT w.id, w.entry_id, w.passage, w.reason, w.other_reason, w.by, s.display_name, w.at,
                   l.by, ls.display_name, l.at
            FROM sar_withholdings w LEFT JOIN staff s ON s.username = w.by
            LEFT JOIN sar_withholdings l ON l.lifts = w.id LEFT JOIN staff ls ON ls.username = l.by
            WHERE w.lifts IS NULL AND \(condition) ORDER BY w.id
            """, arguments: [entry ?? pupil.rawValue]).map { row in
            Withholding(id: row[0], entry: row[1], passage: row[2], reason: ExemptionReason(rawValue: row[3]) ?? .other,
                        otherReason: row[4], by: row[5], byName: (row[6] as String?) ?? row[5], at: Millis.date(row[7]),
                        liftedByName: (row[9] as String?) ?? row[8], liftedAt: (row[10] as Int64?).map(Millis.date))
        }
    }

    // MARK: The bundle

    /// Everything for a pupil's subject access bundle, in one transaction: the whole file as the
    /// DSL sees it (restricted entries included), withholdings, disputes, requests and who has
    /// looked. One audit event, sar_export with the pupil.
    public func sarBundle(actor: Staff, pupil: PupilID) throws -> SARBundle {
        try guarded(actor, .sarExport, recordKind: "pupil", recordID: String(pupil.rawValue),
                    scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            let scope = try Self.chronologyScope(db, pupil: pupil)
            let entries = try Self.entryDetails(db, actor: actor, pupil: pupil, scope: scope, only: nil)
            let withholdings = try Self.withholdings(db, pupil: pupil, entry: nil)
            let disputes = try Row.fetchAll(db, sql: """
                SELECT d.entry_id, d.statement, d.made_by, d.received_at, d.recorded_by, s.display_name, d.recorded_at
                FROM entry_disputes d JOIN chronology_entries e ON e.id = d.entry_id LEFT JOIN staff s ON s.username = d.recorded_by
                WHERE e.pupil_id = ? ORDER BY d.received_at, d.id
                """, arguments: [pupil.rawValue]).map { row in
                SARBundle.Dispute(entry: row[0], statement: row[1], madeBy: row[2], receivedAt: Millis.date(row[3]),
                                  recordedByName: (row[5] as String?) ?? row[4], recordedAt: Millis.date(row[6]))
            }
            let looks = try Self.looks(db, pupil: pupil)
            let school = try String.fetchOne(db, sql: "SELECT name FROM schools WHERE id = ?", arguments: [scope.school?.rawValue]) ?? ""
            let active = withholdings.filter(\.isActive)
            try self.audit(db, actor, .sarExport, recordKind: "pupil", recordID: String(pupil.rawValue), pupilID: pupil.rawValue,
                           detail: "exported subject access bundle: \(entries.count) entries, "
                               + "\(active.filter(\.isWholeEntry).count) withheld whole, \(active.filter { !$0.isWholeEntry }.count) passages withheld")
            return SARBundle(schoolName: school, header: try Self.header(db, actor: actor, pupil: pupil), entries: entries,
                             withholdings: withholdings, disputes: disputes,
                             requests: try Self.sarRequests(db, where: "r.pupil_id = ?", [pupil.rawValue]), looks: looks,
                             exportedBy: actor.displayName, exportedAt: self.clock.now())
        }
    }
}
