import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// One whole entry, as opened with Enter: its current text, labelled parts and amendment history.
    /// Checked as .readChronology on the entry's own scope, so a restricted entry the reader may not
    /// see is refused (and the refusal audited), as the list leaves it out.
    public func entry(actor: Staff, id: Int64) throws -> EntryDetail {
        try guarded(actor, .readChronology, recordKind: "entry", recordID: String(id),
                    scope: { db in try Self.entryScope(db, entry: id).scope }) { db in
            let pupil = try Self.entryScope(db, entry: id).pupil
            let scope = try Self.chronologyScope(db, pupil: pupil)
            guard let detail = try Self.entryDetails(db, actor: actor, pupil: pupil, scope: scope, only: id).first else {
                throw StoreError.notFound("Entry \(id)")
            }
            try self.audit(db, actor, .readChronology, recordKind: "entry", recordID: String(id), pupilID: pupil.rawValue,
                           detail: "opened entry")
            return detail
        }
    }

    /// Everything in a pupil's file that the exporter may see, oldest first, with each entry's
    /// history: one audit event for the whole export.
    public func chronologyExport(actor: Staff, pupil: PupilID) throws -> ChronologyExport {
        try guarded(actor, .exportChronology, recordKind: "pupil", recordID: String(pupil.rawValue),
                    scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            let scope = try Self.chronologyScope(db, pupil: pupil)
            let header = try Self.header(db, actor: actor, pupil: pupil)
            let entries = try Self.entryDetails(db, actor: actor, pupil: pupil, scope: scope, only: nil)
            let school = try String.fetchOne(db, sql: "SELECT name FROM schools WHERE id = ?",
                                             arguments: [scope.school?.rawValue]) ?? ""
            try self.audit(db, actor, .exportChronology, recordKind: "pupil", recordID: String(pupil.rawValue),
                           pupilID: pupil.rawValue,
                           detail: "exported \(entries.count) entries")
            return ChronologyExport(schoolName: school, header: header, entries: entries, exportedBy: actor.displayName,
                                    exportedAt: self.clock.now())
        }
    }

    /// One entry (`only`) or the pupil's whole chronology, oldest first, as `actor` may see it, with
    /// each entry's paper original and the family's statements disputing it.
    static func entryDetails(_ db: Database, actor: Staff, pupil: PupilID, scope: RecordScope, only: Int64?) throws -> [EntryDetail] {
        var condition = only == nil ? "e.pupil_id = ?" : "e.id = ? AND e.pupil_id = ?"
        var arguments: StatementArguments = only.map { [$0, pupil.rawValue] } ?? [pupil.rawValue]
        let visibility = restrictedVisibility(for: actor)
        if !visibility.sql.isEmpty {
            condition += " AND " + visibility.sql
            _ = arguments.append(contentsOf: visibility.arguments)
        }
        let withheld = try AccessPolicy.decide(actor, .sarExport, scope).isAllowed
            ? Dictionary(grouping: withholdings(db, pupil: pupil, entry: only), by: \.entry) : [:]
        return try annotate(db, Row.fetchAll(db, sql: """
            SELECT \(entryColumns) FROM chronology_entries e
            LEFT JOIN staff s ON s.username = e.author
            LEFT JOIN concerns c ON c.id = e.concern_id
            WHERE \(condition) ORDER BY e.occurred_at, e.id
            """, arguments: arguments).compactMap { row -> EntryDetail? in
            guard let chronologyRow = chronologyRow(row, pupil: pupil, actor: actor, scope: scope) else { return nil }
            let recordedAt = Millis.date(row["recorded_at"])
            let id: Int64 = row["id"]
            let body = (row["amended_text"] as String?) ?? (row["body"] as String?).nonEmpty ?? row["summary"]
            // An entry from another school says where it came from first.
            var fields = try transferredFields(db, entry: id, recordedAt: recordedAt) + decodeDetails(row["details"])
            var awaiting: Int64?
            if let referral = row["referral_id"] as Int64?, chronologyRow.entry.kind == .referral {
                awaiting = try referralFields(db, referral: referral, into: &fields)
            }
            if let action = row["action_id"] as Int64? {
                try actionFields(db, action: action, into: &fields)
            }
            let amendments = chronologyRow.amended ? try self.amendments(db, entry: id) : []
            return EntryDetail(row: chronologyRow, body: body, fields: fields, amendments: amendments,
                               awaitingDecision: awaiting, recordedAt: recordedAt, withholdings: withheld[id] ?? [])
        })
    }

    static func amendments(_ db: Database, entry id: Int64) throws -> [EntryAmendment] {
        try Row.fetchAll(db, sql: """
            SELECT ea.previous_text, ea.new_text, ea.reason, ea.by, ea.at,
                   COALESCE(tp.name || ' (' || tp.school || ')', s.display_name)
            FROM entry_amendments ea LEFT JOIN staff s ON s.username = ea.by
            LEFT JOIN transferred_people tp ON tp.kind = 'amendment' AND tp.row_id = ea.id
            WHERE ea.entry_id = ? ORDER BY ea.id
            """, arguments: [id]).map {
            EntryAmendment(previousText: $0[0], newText: $0[1], reason: $0[2], byName: ($0[5] as String?) ?? $0[3],
                           at: Millis.date($0[4]))
        }
    }

    /// The agency's decision as it stands now; returns the referral id while a decision is awaited.
    static func referralFields(_ db: Database, referral id: Int64, into fields: inout [EntryField]) throws -> Int64? {
        guard let row = try Row.fetchOne(db, sql: "SELECT outcome, decision, decided_at FROM referrals WHERE id = ?",
                                         arguments: [id]) else { return nil }
        if let decision = row[1] as String? {
            fields.append(EntryField(label: "Decision", value: decision))
            if let decided = row[2] as Int64? { fields.append(EntryField(label: "Decided on", value: UKDate.date(Millis.date(decided)))) }
            return nil
        }
        return (row[0] as String) == ReferralOutcome.referred.rawValue ? id : nil
    }

    /// The action as it stands now: owner and due date may have changed since the entry was written.
    static func actionFields(_ db: Database, action id: Int64, into fields: inout [EntryField]) throws {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT s.display_name, a.owner, a.due_at, a.status, a.outcome FROM actions a
            LEFT JOIN staff s ON s.username = a.owner WHERE a.id = ?
            """, arguments: [id]) else { return }
        fields.append(EntryField(label: "Owner", value: (row[0] as String?) ?? row[1]))
        fields.append(EntryField(label: "Due", value: UKDate.date(Millis.date(row[2]))))
        let status = ActionStatus(rawValue: row[3]) ?? .open
        fields.append(EntryField(label: "Status", value: status.rawValue.capitalized))
        if let outcome = (row[4] as String?).nonEmpty { fields.append(EntryField(label: "Outcome", value: outcome)) }
    }
}
