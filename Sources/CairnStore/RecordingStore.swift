import CairnDomain
import Foundation
import GRDB

/// A chronology entry about to be written: its one-line summary is built from a fixed lead-in
/// (`headline`) and the first line of its full text (`body`), so that an amendment can rebuild the
/// line from the corrected text without touching the stored one.
struct NewEntry {
    var pupil: Int64
    var kind: ChronologyKind
    var occurredAt: Date
    var headline: String?
    var body: String?
    /// For entries with no text of their own ("Child in need started on 02/03/2026").
    var fixedSummary: String?
    var details: [EntryField] = []
    var nature: Nature?
    var significant = false
    var restricted = false
    var concern: Int64?
    var action: Int64?
    var referral: Int64?

    init(pupil: Int64, kind: ChronologyKind, occurredAt: Date, headline: String? = nil, body: String? = nil,
         fixedSummary: String? = nil) {
        self.pupil = pupil
        self.kind = kind
        self.occurredAt = occurredAt
        self.headline = headline
        self.body = body.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.nonEmpty
        self.fixedSummary = fixedSummary
    }

    var summary: String { fixedSummary ?? CairnStore.summaryLine(headline: headline, text: body ?? "") }

    /// Adds a labelled part, trimmed, leaving out blank values.
    mutating func field(_ label: String, _ value: String?) {
        guard let value = value?.nonBlank else { return }
        details.append(EntryField(label: label, value: value))
    }
}

extension CairnStore {
    // MARK: Notes, contacts and meetings

    /// A note, or a contact with a parent/carer or professional. Returns the chronology entry id.
    @discardableResult
    public func addNote(actor: Staff, pupil: PupilID, _ note: NoteInput) throws -> Int64 {
        let now = clock.now()
        return try writing(actor, .addNote, pupil: pupil, problems: note.problems(now: now)) { db, _ in
            var entry = NewEntry(pupil: pupil.rawValue, kind: note.kind == .note ? .note : .contact,
                                 occurredAt: note.occurredAt, body: note.summary)
            if note.kind == .contact, let party = note.party, let method = note.method {
                let who = note.who.trimmingCharacters(in: .whitespacesAndNewlines)
                entry.headline = "\(method.label) with \(who)"
                entry.field("Who", who)
                entry.field("With", party.label)
                entry.field("How", method.label)
            }
            entry.nature = note.nature
            entry.significant = note.significant
            return try self.record(db, entry, by: actor, .addNote, at: now)
        }
    }

    /// A meeting (strategy discussion, conference, review...): who came and what was decided.
    @discardableResult
    public func addMeeting(actor: Staff, pupil: PupilID, _ meeting: MeetingInput) throws -> Int64 {
        let now = clock.now()
        return try writing(actor, .addNote, pupil: pupil, problems: meeting.problems(now: now)) { db, _ in
            var entry = NewEntry(pupil: pupil.rawValue, kind: .meeting, occurredAt: meeting.heldAt,
                                 headline: meeting.type.label, body: meeting.decisions)
            entry.field("Meeting", meeting.type.label)
            entry.field("Held on", UKDate.date(meeting.heldAt))
            entry.field("Attendees", meeting.attendees.trimmingCharacters(in: .whitespacesAndNewlines))
            entry.significant = meeting.significant
            return try self.record(db, entry, by: actor, .addNote, at: now)
        }
    }

    // MARK: Context flags

    public func setFlag(actor: Staff, pupil: PupilID, kind: ContextFlagKind, start: Date) throws {
        let now = clock.now()
        let future = start > now.addingTimeInterval(300)
        try writing(actor, .setFlag, pupil: pupil,
                    problems: future ? [FieldProblem(field: RecordField.start, message: "The start date cannot be in the future")] : []) { db, _ in
            if try Self.activeFlag(db, pupil: pupil, kind: kind) != nil {
                throw StoreError.invalid([FieldProblem(field: RecordField.flag,
                                                       message: "\(kind.label) is already set; end it before setting it again")])
            }
            try db.execute(sql: """
                INSERT INTO pupil_flags (pupil_id, kind, start_at, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [pupil.rawValue, kind.rawValue, Millis.from(start), actor.username, Millis.from(now)])
            var entry = NewEntry(pupil: pupil.rawValue, kind: .flagChange, occurredAt: start,
                                 fixedSummary: "\(kind.label) started on \(UKDate.date(start))")
            entry.field("Flag", kind.label)
            entry.field("Started", UKDate.date(start))
            entry.significant = true
            try self.record(db, entry, by: actor, .setFlag, at: now)
        }
    }

    public func endFlag(actor: Staff, pupil: PupilID, kind: ContextFlagKind, end: Date) throws {
        let now = clock.now()
        let future = end > now.addingTimeInterval(300)
        try writing(actor, .setFlag, pupil: pupil,
                    problems: future ? [FieldProblem(field: RecordField.end, message: "The end date cannot be in the future")] : []) { db, _ in
            guard let active = try Self.activeFlag(db, pupil: pupil, kind: kind) else {
                throw StoreError.invalid([FieldProblem(field: RecordField.flag, message: "\(kind.label) is not set, so it cannot be ended")])
            }
            let calendar = UKDate.calendar
            if calendar.startOfDay(for: end) < calendar.startOfDay(for: active.start) {
                throw StoreError.invalid([FieldProblem(field: RecordField.end,
                                                       message: "The end date cannot be before the start date, \(UKDate.date(active.start))")])
            }
            try db.execute(sql: "UPDATE pupil_flags SET end_at = ? WHERE id = ?", arguments: [Millis.from(end), active.id])
            var entry = NewEntry(pupil: pupil.rawValue, kind: .flagChange, occurredAt: end,
                                 fixedSummary: "\(kind.label) ended on \(UKDate.date(end))")
            entry.field("Flag", kind.label)
            entry.field("Started", UKDate.date(active.start))
            entry.field("Ended", UKDate.date(end))
            entry.significant = true
            try self.record(db, entry, by: actor, .setFlag, at: now)
        }
    }

    static func activeFlag(_ db: Database, pupil: PupilID, kind: ContextFlagKind) throws -> (id: Int64, start: Date)? {
        try Row.fetchOne(db, sql: """
            SELECT id, start_at FROM pupil_flags WHERE pupil_id = ? AND kind = ? AND end_at IS NULL ORDER BY id DESC LIMIT 1
            """, arguments: [pupil.rawValue, kind.rawValue]).map { ($0[0], Millis.date($0[1])) }
    }

    // MARK: Amendments and significance

    /// Corrects an entry: the old text stays in entry_amendments, the chronology shows the new text
    /// marked as amended, and the correction is itself an entry ("Entry of 12/10/2026 amended: …").
    public func amendEntry(actor: Staff, entry id: Int64, _ amendment: AmendmentInput) throws {
        try guarded(actor, .amend, recordKind: "entry", recordID: String(id),
                    scope: { db in try Self.entryScope(db, entry: id).scope }) { db in
            let original = try Self.entryText(db, entry: id)
            let problems = amendment.problems(currentText: original.text)
            if !problems.isEmpty { throw StoreError.invalid(problems) }
            let now = self.clock.now()
            let newText = amendment.newText.trimmingCharacters(in: .whitespacesAndNewlines)
            let reason = amendment.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            try db.execute(sql: """
                INSERT INTO entry_amendments (entry_id, previous_text, new_text, reason, by, at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, original.text, newText, reason, actor.username, Millis.from(now)])
            let date = UKDate.date(original.occurredAt)
            var entry = NewEntry(pupil: original.pupil, kind: .amendment, occurredAt: now,
                                 headline: "Entry of \(date) amended", body: reason)
            entry.field("Amended entry", "\(original.kind.label) of \(date)")
            entry.restricted = original.restricted
            entry.concern = original.concern
            try self.record(db, entry, by: actor, .amend, at: now)
        }
    }

    /// "A flag an author or DSL can set". The safeguarding team may mark any entry they can see, as
    /// an amendment to the record (.amend); anyone else only an entry they wrote themselves, which is
    /// adding to their own record (.addNote, so a pastoral lead stays within their year groups).
    public func setSignificant(actor: Staff, entry id: Int64, significant: Bool) throws {
        try guarded(actor, recordKind: "entry", recordID: String(id), choosing: { db in
            let found = try Self.entryScope(db, entry: id)
            let team = AccessPolicy.allowed(actor.role).contains(.amend)
            return (team || found.author != actor.username ? .amend : .addNote, found.scope)
        }) { db, operation in
            let current = try Row.fetchOne(db, sql: "SELECT significant, pupil_id FROM chronology_entries WHERE id = ?",
                                           arguments: [id])
            guard let current, (current[0] as Bool) != significant else { return }
            let now = self.clock.now()
            try db.execute(sql: "INSERT INTO entry_marks (entry_id, significant, by, at) VALUES (?, ?, ?, ?)",
                           arguments: [id, significant, actor.username, Millis.from(now)])
            try self.audit(db, actor, operation, recordKind: "entry", recordID: String(id), pupilID: current[1],
                           detail: significant ? "marked significant" : "no longer marked significant")
        }
    }

    // MARK: Helpers

    /// A write to a pupil's file: problems first (then nothing is written or audited), then the
    /// policy on the pupil's scope, then `body` in one transaction with the scope it was checked on.
    @discardableResult
    func writing<T: Sendable>(_ actor: Staff, _ operation: AccessOperation, pupil: PupilID, problems: [FieldProblem],
                              _ body: @escaping @Sendable (Database, RecordScope) throws -> T) throws -> T {
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        return try guarded(actor, operation, recordKind: "pupil", recordID: String(pupil.rawValue),
                           scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            try body(db, try Self.chronologyScope(db, pupil: pupil))
        }
    }

    /// Writes the entry and the audit event for it (record "entry", its id); returns the id.
    @discardableResult
    func record(_ db: Database, _ entry: NewEntry, by actor: Staff, _ operation: AccessOperation, at now: Date) throws -> Int64 {
        let id = try Self.insert(db, entry, author: actor.username, at: now)
        try audit(db, actor, operation, recordKind: "entry", recordID: String(id), pupilID: entry.pupil,
                  detail: "added \(entry.kind.label.lowercased())")
        return id
    }

    @discardableResult
    static func insert(_ db: Database, _ entry: NewEntry, author: String, at now: Date) throws -> Int64 {
        try addChronology(db, pupil: entry.pupil, occurredAt: entry.occurredAt, recordedAt: now, kind: entry.kind,
                          summary: entry.summary, author: author, nature: entry.nature, significant: entry.significant,
                          restricted: entry.restricted, concern: entry.concern, action: entry.action,
                          referral: entry.referral, headline: entry.fixedSummary == nil ? entry.headline : nil,
                          body: entry.body, details: encodeDetails(entry.details))
    }

    /// "Telephone with Ms R. Example (mother): first line of what was said".
    static func summaryLine(headline: String?, text: String) -> String {
        let first = firstLine(of: text)
        guard let headline else { return first }
        return first.isEmpty ? headline : "\(headline): \(first)"
    }

    static func encodeDetails(_ fields: [EntryField]) -> String? {
        guard !fields.isEmpty,
              let data = try? JSONSerialization.data(withJSONObject: fields.map { [$0.label, $0.value] }) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeDetails(_ json: String?) -> [EntryField] {
        guard let data = json?.data(using: .utf8),
              let pairs = try? JSONSerialization.jsonObject(with: data) as? [[String]] else { return [] }
        return pairs.compactMap { $0.count == 2 ? EntryField(label: $0[0], value: $0[1]) : nil }
    }

    /// What the policy needs to know about one entry: its pupil, and whether it is restricted.
    static func entryScope(_ db: Database, entry id: Int64) throws -> (scope: RecordScope, pupil: PupilID, author: String) {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT e.pupil_id, e.restricted OR COALESCE(c.restricted, 0), e.author, c.case_holder, c.reported_by, a.owner
            FROM chronology_entries e
            LEFT JOIN concerns c ON c.id = e.concern_id LEFT JOIN actions a ON a.id = e.action_id WHERE e.id = ?
            """, arguments: [id]) else { throw StoreError.notFound("Entry \(id)") }
        let pupil = PupilID(rawValue: row[0])
        var scope = try chronologyScope(db, pupil: pupil)
        // Restricted when the entry is, or when the concern it belongs to was triaged as restricted.
        scope.restricted = row[1]
        scope.caseHolder = row[3]
        scope.reportedBy = row[4]
        scope.actionOwner = row[5]
        return (scope, pupil, row[2])
    }

    /// An entry's current text: the newest amendment's, else its full text, else its summary line.
    static func entryText(_ db: Database, entry id: Int64)
        throws -> (text: String, pupil: Int64, kind: ChronologyKind, occurredAt: Date, restricted: Bool, concern: Int64?) {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT e.pupil_id, e.kind, e.occurred_at, e.restricted, e.concern_id, e.summary, e.body,
              (SELECT ea.new_text FROM entry_amendments ea WHERE ea.entry_id = e.id ORDER BY ea.id DESC LIMIT 1) AS amended_text
            FROM chronology_entries e WHERE e.id = ?
            """, arguments: [id]) else { throw StoreError.notFound("Entry \(id)") }
        let text = (row["amended_text"] as String?) ?? (row["body"] as String?).nonEmpty ?? row["summary"]
        return (text, row[0], ChronologyKind(rawValue: row[1]) ?? .note, Millis.date(row[2]), row[3], row[4])
    }
}
