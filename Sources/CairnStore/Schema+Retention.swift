import Foundation
import GRDB

/// Retention (issue 5): legal holds, anonymous tombstones, and the one way rows that are "removed
/// only by retention purge" can be removed.
extension Schema {
    static let retention = """
    CREATE TABLE legal_holds (
        id INTEGER PRIMARY KEY,
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        reason TEXT NOT NULL,
        placed_by TEXT NOT NULL REFERENCES staff(username),
        placed_at INTEGER NOT NULL,
        released_by TEXT REFERENCES staff(username),
        released_at INTEGER,
        release_reason TEXT
    );
    CREATE UNIQUE INDEX legal_holds_standing ON legal_holds(pupil_id) WHERE released_at IS NULL;
    CREATE TRIGGER legal_holds_immutable BEFORE UPDATE OF pupil_id, reason, placed_by, placed_at ON legal_holds
    BEGIN SELECT RAISE(ABORT, 'a legal hold is never edited in place'); END;
    CREATE TRIGGER legal_holds_released_once BEFORE UPDATE OF released_by, released_at, release_reason ON legal_holds
    WHEN OLD.released_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a legal hold is released once'); END;
    CREATE TRIGGER legal_holds_never_deleted BEFORE DELETE ON legal_holds
    BEGIN SELECT RAISE(ABORT, 'legal holds are removed only by retention purge'); END;

    -- Tables kept from the start but without a guard against deletion until now.
    CREATE TRIGGER pupils_never_deleted BEFORE DELETE ON pupils
    BEGIN SELECT RAISE(ABORT, 'pupils are removed only by retention purge'); END;
    CREATE TRIGGER pupil_flags_never_deleted BEFORE DELETE ON pupil_flags
    BEGIN SELECT RAISE(ABORT, 'flags are removed only by retention purge'); END;
    CREATE TRIGGER concern_pupils_never_deleted BEFORE DELETE ON concern_pupils
    BEGIN SELECT RAISE(ABORT, 'concern links are removed only by retention purge'); END;
    CREATE TRIGGER concern_categories_never_deleted BEFORE DELETE ON concern_categories
    BEGIN SELECT RAISE(ABORT, 'concern categories are removed only by retention purge'); END;
    CREATE TRIGGER concern_accounts_never_deleted BEFORE DELETE ON concern_accounts
    BEGIN SELECT RAISE(ABORT, 'accounts are removed only by retention purge'); END;
    CREATE TRIGGER concern_decisions_never_deleted BEFORE DELETE ON concern_decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are removed only by retention purge'); END;
    CREATE TRIGGER chronology_entries_never_deleted BEFORE DELETE ON chronology_entries
    BEGIN SELECT RAISE(ABORT, 'chronology entries are removed only by retention purge'); END;

    -- What is left of a purged file: counts and dates, never who the child was.
    CREATE TABLE retention_tombstones (
        id INTEGER PRIMARY KEY,
        school_id INTEGER REFERENCES schools(id),
        left_year INTEGER,
        rule_years INTEGER NOT NULL,
        entries INTEGER NOT NULL,
        concerns INTEGER NOT NULL,
        actions INTEGER NOT NULL,
        referrals INTEGER NOT NULL,
        purged_by TEXT NOT NULL REFERENCES staff(username),
        purged_at INTEGER NOT NULL
    );
    \(appendOnly("retention_tombstones", "tombstones"))

    -- Present only inside a purge's own transaction, so no other connection ever sees it: the
    -- triggers below let rows go only while it is there.
    CREATE TABLE purge_session (started_by TEXT NOT NULL);

    -- An audit event's detail may name a child ("find \\"Ayla\\""). Purge replaces such a detail with
    -- a marker; the chain then checks the original's SHA-256, kept here, and the purge event that
    -- removed it, whose detail carries a digest of every sequence it redacted.
    CREATE TABLE audit_redactions (
        seq INTEGER PRIMARY KEY REFERENCES audit_events(seq),
        detail_digest TEXT NOT NULL,
        purge_seq INTEGER NOT NULL
    );
    CREATE TRIGGER audit_redactions_immutable BEFORE UPDATE ON audit_redactions
    BEGIN SELECT RAISE(ABORT, 'audit redactions cannot be changed'); END;
    CREATE TRIGGER audit_redactions_never_deleted BEFORE DELETE ON audit_redactions
    BEGIN SELECT RAISE(ABORT, 'audit redactions cannot be deleted'); END;
    DROP TRIGGER audit_no_update;
    CREATE TRIGGER audit_no_update
    BEFORE UPDATE OF seq, at, actor, operation, record_kind, record_id, pupil_id, prev_hash, hash ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;
    CREATE TRIGGER audit_detail_only_redacted BEFORE UPDATE OF detail ON audit_events
    WHEN NOT EXISTS (SELECT 1 FROM purge_session) OR NEW.detail <> '\(AuditChain.redactedDetail)'
    BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;

    -- Events from here on hash their detail's digest, so that a purge can remove the detail.
    INSERT INTO meta (key, value) SELECT 'audit_digest_from', COALESCE(MAX(seq), 0) + 1 FROM audit_events;
    """

    /// Every trigger that keeps rows "removed only by retention purge" now lets them go while a
    /// purge is under way, and only then. A later migration's tables must run this again.
    static func allowPurge(_ db: Database) throws {
        let triggers = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%BEFORE DELETE%'
            AND sql LIKE '%removed only by retention purge%'
            """)
        for trigger in triggers {
            let sql: String = trigger["sql"]
            guard let begin = sql.range(of: "BEGIN", options: .backwards) else { continue }
            let head = sql[..<begin.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            let guarded = head.range(of: " WHEN ", options: .caseInsensitive) == nil
                ? "\(head) WHEN \(purgeNotRunning)"
                : head.replacingOccurrences(of: " WHEN ", with: " WHEN \(purgeNotRunning) AND ", options: .caseInsensitive)
            try db.execute(sql: "DROP TRIGGER \(trigger["name"] as String)")
            try db.execute(sql: guarded + "\n" + sql[begin.lowerBound...])
        }
    }

    static let purgeNotRunning = "NOT EXISTS (SELECT 1 FROM purge_session)"
}
