import CairnDomain
import Foundation
import GRDB

/// What a purge removed (or, in a dry run, would remove).
public struct PurgeReport: Equatable, Sendable, Codable {
    public var files: [RetentionFile]
    /// Rows deleted, by table.
    public var rows: [String: Int]
    public var auditDetailsRemoved: Int
    /// False when another session kept SQLite from folding the write-ahead log back into the file;
    /// the purged text is then still in the -wal file until it does.
    public var walCleared: Bool
    public var confirmed: Bool
}

extension CairnStore {
    /// Destroys every file due under `rule` and not on legal hold: every row about the pupil in
    /// every table that refers to them (found from the schema's foreign keys, so new tables are
    /// covered), the search index entries, and the details of audit events that name them. Leaves
    /// one anonymous tombstone a file and one audit event without personal data. Deleted content is
    /// overwritten (secure_delete), and the write-ahead log is emptied afterwards. Without `confirm`
    /// nothing is written beyond the audit event of the dry run.
    public func purge(actor: Staff, rule: RetentionRule, confirm: Bool) throws -> PurgeReport {
        let now = clock.now()
        var report = try guarded(actor, .retentionPurge, recordKind: "retention", recordID: "purge") { db in
            let files = try Self.review(db, actor: actor, rule: rule, at: now).due
            guard confirm, !files.isEmpty else {
                try self.audit(db, actor, .retentionPurge, recordKind: "retention", recordID: "dry-run",
                               detail: "\(files.count) files would be purged under the \(rule.years)-year rule")
                return PurgeReport(files: files, rows: [:], auditDetailsRemoved: 0, walCleared: true, confirmed: confirm)
            }
            return try Self.destroy(db, files: files, actor: actor, rule: rule, at: now)
        }
        if report.confirmed, !report.files.isEmpty {
            report.walCleared = try checkpointTruncating()
        }
        return report
    }

    private static func destroy(_ db: Database, files: [RetentionFile], actor: Staff, rule: RetentionRule,
                                at now: Date) throws -> PurgeReport {
        try db.execute(sql: "INSERT INTO purge_session (started_by) VALUES (?)", arguments: [actor.username])
        // Children and parents go in one statement each; the keys are checked once, at commit.
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        let doomed = try DoomedRows(db, upns: files.map(\.upn))

        // Details naming the children go before the rows that say who they were.
        let redacted = try AuditChain.redact(db, sequences: try doomed.auditEventsNaming(db))
        var rows = try doomed.delete(db)
        try compactSearchIndex(db)

        for file in files {
            try db.execute(sql: """
                INSERT INTO retention_tombstones (school_id, left_year, rule_years, entries, concerns, actions, referrals,
                    purged_by, purged_at)
                VALUES ((SELECT id FROM schools WHERE name = ?), ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [file.school, UKDate.calendar.component(.year, from: file.leftAt), rule.years,
                                 file.entries, file.concerns, file.actions, file.referrals, actor.username, Millis.from(now)])
        }
        let counted = ["chronology_entries", "concerns", "actions", "referrals", "pupils"]
        let other = rows.filter { !counted.contains($0.key) }.values.reduce(0, +)
        try AuditChain.append(db, at: now, actor: actor.username, operation: .retentionPurge, recordKind: "retention",
                              recordID: "purge", detail: "purged \(files.count) files under the \(rule.years)-year rule: "
                                  + "\(rows["chronology_entries", default: 0]) entries, \(rows["concerns", default: 0]) concerns, "
                                  + "\(rows["actions", default: 0]) actions, \(rows["referrals", default: 0]) referrals, "
                                  + "\(other) other rows; " + DetailFormat.accounting(redacted))
        try db.execute(sql: "DELETE FROM purge_session")
        rows = rows.filter { $0.value > 0 }
        return PurgeReport(files: files, rows: rows, auditDetailsRemoved: redacted.count, walCleared: false, confirmed: true)
    }

    /// Folds the write-ahead log into the database and empties it, so deleted text does not linger
    /// in the -wal file. False when a reader elsewhere kept it from finishing.
    func checkpointTruncating() throws -> Bool {
        try pool.writeWithoutTransaction { db in
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return (row?[0] as Int?) == 0
        }
    }
}

/// The rows a purge removes, found through the schema's foreign keys from the pupils and the
/// concerns that are about no one else.
struct DoomedRows {
    /// Tables a purge never touches: the audit chain, staff, and the tombstones themselves.
    static let kept: Set<String> = ["audit_events", "audit_redactions", "staff", "staff_changes", "staff_passphrases",
                                    "staff_preferences", "schools", "meta", "retention_tombstones", "purge_session"]

    let pupils: [Int64]
    let names: Set<String>

    init(_ db: Database, upns: [String]) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS purge_ids (tbl TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID")
        try db.execute(sql: "DELETE FROM purge_ids")
        var pupils: [Int64] = []
        var names: Set<String> = []
        for upn in upns {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, legal_forename, legal_surname, preferred_forename FROM pupils WHERE upn = ?
                """, arguments: [upn]) else { continue }
            pupils.append(row[0])
            let parts: [String?] = [row[1], row[2], row[3], upn]
            for part in parts.compactMap({ $0 }) {
                names.formUnion(Self.words(part).filter { $0.count >= 2 })
            }
            try db.execute(sql: "INSERT INTO purge_ids VALUES ('pupils', ?)", arguments: [row[0] as Int64])
        }
        self.pupils = pupils
        self.names = names
        // A concern about these children and someone else stays, for the other child's file.
        try db.execute(sql: """
            INSERT INTO purge_ids SELECT DISTINCT 'concerns', cp.concern_id FROM concern_pupils cp
            WHERE cp.pupil_id IN (SELECT id FROM purge_ids WHERE tbl = 'pupils')
            AND NOT EXISTS (SELECT 1 FROM concern_pupils other WHERE other.concern_id = cp.concern_id
                            AND other.pupil_id NOT IN (SELECT id FROM purge_ids WHERE tbl = 'pupils'))
            """)
        try closeOver(db)
    }

    /// Every table's foreign keys to a table that has an integer `id`, as (table, column, parent).
    static func links(_ db: Database) throws -> [(table: String, column: String, parent: String)] {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'
            """).filter { !kept.contains($0) }
        var links: [(String, String, String)] = []
        for table in tables {
            for key in try Row.fetchAll(db, sql: "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?)", arguments: [table]) {
                let parent: String = key[0]
                guard !kept.contains(parent), (key[2] as String?) ?? "id" == "id" else { continue }
                links.append((table, key[1], parent))
            }
        }
        return links
    }

    static func hasID(_ db: Database, _ table: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM pragma_table_info(?) WHERE name = 'id' AND pk = 1", arguments: [table]) ?? false
    }

    /// Adds every row that refers to a doomed row, until nothing more is added.
    private func closeOver(_ db: Database) throws {
        let links = try Self.links(db).filter { $0.table != "concerns" }
        var growing = true
        while growing {
            growing = false
            for link in links where try Self.hasID(db, link.table) {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO purge_ids SELECT '\(link.table)', id FROM "\(link.table)"
                    WHERE "\(link.column)" IN (SELECT id FROM purge_ids WHERE tbl = '\(link.parent)')
                    """)
                if db.changesCount > 0 { growing = true }
            }
        }
    }

    /// Deletes the doomed rows; returns how many went from each table.
    func delete(_ db: Database) throws -> [String: Int] {
        var deleted: [String: Int] = [:]
        // Tables without an id (link tables) go by their keys to doomed rows.
        for link in try Self.links(db) where try !Self.hasID(db, link.table) {
            try db.execute(sql: """
                DELETE FROM "\(link.table)" WHERE "\(link.column)" IN (SELECT id FROM purge_ids WHERE tbl = '\(link.parent)')
                """)
            deleted[link.table, default: 0] += db.changesCount
        }
        for table in try String.fetchAll(db, sql: "SELECT DISTINCT tbl FROM purge_ids") {
            try db.execute(sql: "DELETE FROM \"\(table)\" WHERE id IN (SELECT id FROM purge_ids WHERE tbl = ?)", arguments: [table])
            deleted[table, default: 0] += db.changesCount
        }
        try db.execute(sql: "DELETE FROM purge_ids")
        return deleted
    }

    /// Audit events about these children, and searches whose words include their names or UPNs.
    func auditEventsNaming(_ db: Database) throws -> [Int64] {
        var sequences: [Int64] = []
        for pupil in pupils {
            sequences += try Int64.fetchAll(db, sql: "SELECT seq FROM audit_events WHERE pupil_id = ?", arguments: [pupil])
        }
        let searches = try Row.fetchCursor(db, sql: """
            SELECT seq, detail FROM audit_events WHERE pupil_id IS NULL AND operation = ?
            """, arguments: [AccessOperation.search.rawValue])
        while let row = try searches.next() {
            if !names.isDisjoint(with: Self.words(row[1])) { sequences.append(row[0]) }
        }
        return sequences
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }
}
