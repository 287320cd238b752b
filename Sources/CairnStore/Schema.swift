import GRDB

/// Named, ordered migrations from an empty file. Times are INTEGER milliseconds since 1970 (UTC).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: foundation)
        }
        migrator.registerMigration("v2-recording") { db in
            try db.execute(sql: recording)
        }
        migrator.registerMigration("v3-access") { db in
            try db.execute(sql: access)
        }
        migrator.registerMigration("v4-lifecycle") { db in
            try db.execute(sql: lifecycle)
        }
        migrator.registerMigration("v6-backfill") { db in
            try db.execute(sql: backfill)
        }
        migrator.registerMigration("v7-search") { db in
            try db.execute(sql: search)
        }
        migrator.registerMigration("v8-sar") { db in
            try db.execute(sql: subjectAccess)
        }
        migrator.registerMigration("v9-transfer") { db in
            try db.execute(sql: transfer)
        }
        migrator.registerMigration("v10-retention") { db in
            try db.execute(sql: retention)
            try allowPurge(db)
        }
        return migrator
    }

    static let foundation = """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

    CREATE TABLE schools (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );

    CREATE TABLE staff (
        username TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('dsl','deputy','pastoral','staff','admin','auditor')),
        years TEXT NOT NULL DEFAULT '',
        school_id INTEGER REFERENCES schools(id),
        active INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE pupils (
        id INTEGER PRIMARY KEY,
        upn TEXT NOT NULL UNIQUE,
        legal_forename TEXT NOT NULL,
        legal_surname TEXT NOT NULL,
        preferred_forename TEXT,
        date_of_birth INTEGER NOT NULL,
        year_group INTEGER NOT NULL CHECK (year_group BETWEEN 0 AND 13),
        form TEXT NOT NULL DEFAULT '',
        school_id INTEGER NOT NULL REFERENCES schools(id),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX pupils_surname ON pupils(legal_surname COLLATE NOCASE, legal_forename COLLATE NOCASE);

    CREATE TABLE pupil_flags (
        id INTEGER PRIMARY KEY,
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        kind TEXT NOT NULL,
        start_at INTEGER NOT NULL,
        end_at INTEGER,
        recorded_by TEXT NOT NULL REFERENCES staff(username),
        recorded_at INTEGER NOT NULL
    );
    CREATE INDEX pupil_flags_pupil ON pupil_flags(pupil_id);

    CREATE TABLE concerns (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        number INTEGER NOT NULL,
        school_id INTEGER NOT NULL REFERENCES schools(id),
        occurred_at INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        location TEXT,
        urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
        reported_by TEXT NOT NULL REFERENCES staff(username),
        child_words TEXT,
        reporter_action TEXT,
        -- The four columns below cache the latest decision; only the trigger on concern_decisions writes them.
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','in_progress','closed')),
        level INTEGER,
        case_holder TEXT,
        restricted INTEGER NOT NULL DEFAULT 0,
        UNIQUE (year, number)
    );
    CREATE INDEX concerns_open_queue ON concerns(urgent DESC, recorded_at, id) WHERE status <> 'closed';
    CREATE INDEX concerns_reporter ON concerns(reported_by, recorded_at);

    -- Record text is never edited in place: a correction is an amendment row.
    CREATE TRIGGER concerns_text_immutable
    BEFORE UPDATE OF year, number, school_id, occurred_at, recorded_at, location, urgent, reported_by,
                     child_words, reporter_action ON concerns
    BEGIN SELECT RAISE(ABORT, 'concern text is never edited in place'); END;
    CREATE TRIGGER concerns_never_deleted BEFORE DELETE ON concerns
    BEGIN SELECT RAISE(ABORT, 'concerns are removed only by retention purge'); END;

    CREATE TABLE concern_pupils (
        concern_id INTEGER NOT NULL REFERENCES concerns(id),
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        PRIMARY KEY (concern_id, pupil_id)
    ) WITHOUT ROWID;
    CREATE INDEX concern_pupils_pupil ON concern_pupils(pupil_id, concern_id);

    CREATE TABLE concern_categories (
        concern_id INTEGER NOT NULL REFERENCES concerns(id),
        category TEXT NOT NULL,
        PRIMARY KEY (concern_id, category)
    ) WITHOUT ROWID;

    CREATE TABLE concern_accounts (
        id INTEGER PRIMARY KEY,
        concern_id INTEGER NOT NULL REFERENCES concerns(id),
        position INTEGER NOT NULL,
        nature TEXT NOT NULL CHECK (nature IN ('seen','disclosed','reported','opinion')),
        body TEXT NOT NULL
    );
    CREATE INDEX concern_accounts_concern ON concern_accounts(concern_id, position);
    CREATE TRIGGER concern_accounts_immutable BEFORE UPDATE ON concern_accounts
    BEGIN SELECT RAISE(ABORT, 'concern text is never edited in place'); END;

    CREATE TABLE concern_decisions (
        id INTEGER PRIMARY KEY,
        concern_id INTEGER NOT NULL REFERENCES concerns(id),
        kind TEXT NOT NULL CHECK (kind IN ('triage','close')),
        level INTEGER CHECK (level BETWEEN 1 AND 4),
        case_holder TEXT REFERENCES staff(username),
        restricted INTEGER,
        outcome TEXT,
        reason TEXT,
        decided_by TEXT NOT NULL REFERENCES staff(username),
        decided_at INTEGER NOT NULL
    );
    CREATE INDEX concern_decisions_concern ON concern_decisions(concern_id, id);
    CREATE TRIGGER concern_decisions_immutable BEFORE UPDATE ON concern_decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are never edited in place'); END;
    CREATE TRIGGER concern_decisions_apply AFTER INSERT ON concern_decisions
    BEGIN
        UPDATE concerns SET
            status = CASE NEW.kind WHEN 'triage' THEN 'in_progress' ELSE 'closed' END,
            level = COALESCE(NEW.level, level),
            case_holder = COALESCE(NEW.case_holder, case_holder),
            restricted = COALESCE(NEW.restricted, restricted)
        WHERE id = NEW.concern_id;
    END;

    CREATE TABLE referrals (
        id INTEGER PRIMARY KEY,
        school_id INTEGER NOT NULL REFERENCES schools(id),
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        concern_id INTEGER REFERENCES concerns(id),
        agency TEXT NOT NULL,
        made_at INTEGER NOT NULL,
        made_by TEXT NOT NULL REFERENCES staff(username),
        consent TEXT NOT NULL,
        consent_reason TEXT,
        agency_reference TEXT,
        decision TEXT,
        decided_at INTEGER,
        recorded_at INTEGER NOT NULL
    );
    CREATE INDEX referrals_pupil ON referrals(pupil_id, made_at);

    CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        school_id INTEGER NOT NULL REFERENCES schools(id),
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        concern_id INTEGER REFERENCES concerns(id),
        referral_id INTEGER REFERENCES referrals(id),
        description TEXT NOT NULL,
        owner TEXT NOT NULL REFERENCES staff(username),
        due_at INTEGER NOT NULL,
        created_by TEXT NOT NULL REFERENCES staff(username),
        created_at INTEGER NOT NULL,
        -- Cached from action_updates by trigger.
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
        outcome TEXT
    );
    CREATE INDEX actions_open_due ON actions(due_at, id) WHERE status = 'open';
    CREATE INDEX actions_owner ON actions(owner, status, due_at);
    CREATE TRIGGER actions_text_immutable BEFORE UPDATE OF description, pupil_id, concern_id, created_by, created_at ON actions
    BEGIN SELECT RAISE(ABORT, 'action text is never edited in place'); END;

    CREATE TABLE action_updates (
        id INTEGER PRIMARY KEY,
        action_id INTEGER NOT NULL REFERENCES actions(id),
        status TEXT NOT NULL CHECK (status IN ('open','done','cancelled')),
        outcome TEXT,
        by TEXT NOT NULL REFERENCES staff(username),
        at INTEGER NOT NULL
    );
    CREATE TRIGGER action_updates_apply AFTER INSERT ON action_updates
    BEGIN
        UPDATE actions SET status = NEW.status, outcome = COALESCE(NEW.outcome, outcome) WHERE id = NEW.action_id;
    END;

    CREATE TABLE chronology_entries (
        id INTEGER PRIMARY KEY,
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        occurred_at INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        summary TEXT NOT NULL,
        author TEXT NOT NULL REFERENCES staff(username),
        nature TEXT,
        significant INTEGER NOT NULL DEFAULT 0,
        restricted INTEGER NOT NULL DEFAULT 0,
        concern_id INTEGER REFERENCES concerns(id),
        action_id INTEGER REFERENCES actions(id),
        referral_id INTEGER REFERENCES referrals(id)
    );
    CREATE INDEX chronology_pupil_time ON chronology_entries(pupil_id, occurred_at, id);
    CREATE TRIGGER chronology_immutable BEFORE UPDATE OF pupil_id, occurred_at, kind, summary, author, nature ON chronology_entries
    BEGIN SELECT RAISE(ABORT, 'chronology text is never edited in place'); END;

    CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        operation TEXT NOT NULL,
        record_kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        pupil_id INTEGER,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_actor ON audit_events(actor, at);
    CREATE INDEX audit_pupil ON audit_events(pupil_id, at) WHERE pupil_id IS NOT NULL;
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;

    -- Full-text search over what staff wrote (used by the search issue; indexed from the start).
    CREATE VIRTUAL TABLE concern_fts USING fts5(body, concern_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER concern_accounts_fts AFTER INSERT ON concern_accounts
    BEGIN INSERT INTO concern_fts(body, concern_id) VALUES (NEW.body, NEW.concern_id); END;
    CREATE TRIGGER concerns_fts AFTER INSERT ON concerns
    BEGIN
        INSERT INTO concern_fts(body, concern_id)
        SELECT trim(COALESCE(NEW.child_words, '') || ' ' || COALESCE(NEW.reporter_action, '') || ' ' || COALESCE(NEW.location, '')), NEW.id
        WHERE COALESCE(NEW.child_words, NEW.reporter_action, NEW.location) IS NOT NULL;
    END;
    CREATE TRIGGER concern_decisions_fts AFTER INSERT ON concern_decisions WHEN NEW.reason IS NOT NULL
    BEGIN INSERT INTO concern_fts(body, concern_id) VALUES (NEW.reason, NEW.concern_id); END;
    """

    /// Rows written once: never changed, and deleted only by retention purge.
    static func appendOnly(_ table: String, _ what: String) -> String {
        """
        CREATE TRIGGER \(table)_immutable BEFORE UPDATE ON \(table)
        BEGIN SELECT RAISE(ABORT, '\(what) are never edited in place'); END;
        CREATE TRIGGER \(table)_never_deleted BEFORE DELETE ON \(table)
        BEGIN SELECT RAISE(ABORT, '\(what) are removed only by retention purge'); END;
        """
    }

    /// Recording from the chronology: full entry text, amendments, referral outcomes, action history,
    /// significance marks, and the indexes the Actions pane and follow-ups need.
    static let recording = """
    -- The queue puts urgent concerns first, the most recent at the very top (a child at risk now
    -- must not wait behind yesterday's), then routine ones oldest first.
    DROP INDEX concerns_open_queue;
    CREATE INDEX concerns_open_queue ON concerns(urgent DESC,
        (CASE WHEN urgent = 1 THEN -recorded_at ELSE recorded_at END), (CASE WHEN urgent = 1 THEN -id ELSE id END))
        WHERE status <> 'closed';
    -- The full text of an entry beside its one-line summary, the fixed lead-in of that line (so that an
    -- amended entry's line can be rebuilt from its new text) and its labelled parts as JSON [[label, value], ...].
    ALTER TABLE chronology_entries ADD COLUMN headline TEXT;
    ALTER TABLE chronology_entries ADD COLUMN body TEXT;
    ALTER TABLE chronology_entries ADD COLUMN details TEXT;
    DROP TRIGGER chronology_immutable;
    CREATE TRIGGER chronology_immutable
    BEFORE UPDATE OF pupil_id, occurred_at, recorded_at, kind, summary, headline, body, details, author, nature,
                     concern_id, action_id, referral_id ON chronology_entries
    BEGIN SELECT RAISE(ABORT, 'chronology text is never edited in place'); END;

    -- A correction: the entry keeps its text; the newest amendment says what it says now.
    CREATE TABLE entry_amendments (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES chronology_entries(id),
        previous_text TEXT NOT NULL,
        new_text TEXT NOT NULL,
        reason TEXT NOT NULL,
        by TEXT NOT NULL REFERENCES staff(username),
        at INTEGER NOT NULL
    );
    CREATE INDEX entry_amendments_entry ON entry_amendments(entry_id, id);
    \(appendOnly("entry_amendments", "amendments"))

    -- Who marked an entry significant, or took the mark off; the newest mark is cached on the entry.
    CREATE TABLE entry_marks (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES chronology_entries(id),
        significant INTEGER NOT NULL CHECK (significant IN (0, 1)),
        by TEXT NOT NULL REFERENCES staff(username),
        at INTEGER NOT NULL
    );
    CREATE INDEX entry_marks_entry ON entry_marks(entry_id, id);
    \(appendOnly("entry_marks", "significance marks"))
    CREATE TRIGGER entry_marks_apply AFTER INSERT ON entry_marks
    BEGIN UPDATE chronology_entries SET significant = NEW.significant WHERE id = NEW.entry_id; END;

    -- A decision not to refer is a referral row too. consent is '' when no referral was made.
    ALTER TABLE referrals ADD COLUMN outcome TEXT NOT NULL DEFAULT 'referred' CHECK (outcome IN ('referred','not_referred'));
    ALTER TABLE referrals ADD COLUMN lawful_basis TEXT;
    ALTER TABLE referrals ADD COLUMN reasoning TEXT;
    CREATE INDEX referrals_awaiting ON referrals(school_id, made_at) WHERE outcome = 'referred' AND decision IS NULL;
    CREATE TRIGGER referrals_text_immutable
    BEFORE UPDATE OF school_id, pupil_id, concern_id, agency, made_at, made_by, consent, consent_reason, agency_reference,
                     outcome, lawful_basis, reasoning, recorded_at ON referrals
    BEGIN SELECT RAISE(ABORT, 'referral text is never edited in place'); END;
    CREATE TRIGGER referrals_decision_once BEFORE UPDATE OF decision, decided_at ON referrals
    WHEN OLD.decision IS NOT NULL OR OLD.decided_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'an agency decision is recorded once'); END;
    CREATE TRIGGER referrals_never_deleted BEFORE DELETE ON referrals
    BEGIN SELECT RAISE(ABORT, 'referrals are removed only by retention purge'); END;

    -- Actions: follow-ups raised for a referral awaiting a decision are marked; due dates and owners
    -- change only through action_changes, which keeps the old and new values and the reason.
    ALTER TABLE actions ADD COLUMN follow_up INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1));
    DROP TRIGGER actions_text_immutable;
    CREATE TRIGGER actions_text_immutable
    BEFORE UPDATE OF school_id, description, pupil_id, concern_id, referral_id, follow_up, created_by, created_at ON actions
    BEGIN SELECT RAISE(ABORT, 'action text is never edited in place'); END;
    CREATE TRIGGER actions_never_deleted BEFORE DELETE ON actions
    BEGIN SELECT RAISE(ABORT, 'actions are removed only by retention purge'); END;
    \(appendOnly("action_updates", "action updates"))

    CREATE TABLE action_changes (
        id INTEGER PRIMARY KEY,
        action_id INTEGER NOT NULL REFERENCES actions(id),
        old_due_at INTEGER,
        new_due_at INTEGER,
        old_owner TEXT REFERENCES staff(username),
        new_owner TEXT REFERENCES staff(username),
        reason TEXT NOT NULL,
        by TEXT NOT NULL REFERENCES staff(username),
        at INTEGER NOT NULL,
        -- One change a row: either the due date moved or the owner changed.
        CHECK ((new_due_at IS NOT NULL AND old_due_at IS NOT NULL AND new_owner IS NULL AND old_owner IS NULL)
            OR (new_owner IS NOT NULL AND old_owner IS NOT NULL AND new_due_at IS NULL AND old_due_at IS NULL))
    );
    CREATE INDEX action_changes_action ON action_changes(action_id, id);
    \(appendOnly("action_changes", "action changes"))
    CREATE TRIGGER action_changes_apply AFTER INSERT ON action_changes
    BEGIN
        UPDATE actions SET due_at = COALESCE(NEW.new_due_at, due_at), owner = COALESCE(NEW.new_owner, owner)
        WHERE id = NEW.action_id;
    END;

    -- The Actions pane: mine (owner), everyone's at a school, a pupil's, a referral's follow-ups.
    DROP INDEX actions_owner;
    CREATE INDEX actions_owner_due ON actions(owner, status, due_at, id);
    CREATE INDEX actions_school_open_due ON actions(school_id, due_at, id) WHERE status = 'open';
    CREATE INDEX actions_pupil ON actions(pupil_id, status);
    CREATE INDEX actions_referral ON actions(referral_id) WHERE referral_id IS NOT NULL;

    -- Ending a flag sets its end once; nothing else about it changes.
    CREATE TRIGGER pupil_flags_immutable BEFORE UPDATE OF pupil_id, kind, start_at, recorded_by, recorded_at ON pupil_flags
    BEGIN SELECT RAISE(ABORT, 'flags are never edited in place'); END;
    CREATE TRIGGER pupil_flags_end_once BEFORE UPDATE OF end_at ON pupil_flags WHEN OLD.end_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a flag ends once'); END;
    CREATE INDEX pupil_flags_active ON pupil_flags(pupil_id, kind) WHERE end_at IS NULL;
    """

    /// Who may see what: staff changes kept as history, passphrases for the idle lock, per-user
    /// preferences, and an index for "who has looked at this file".
    static let access = """
    -- Every change to a member of staff (role, years, school, disabled, enabled) is a row: nothing is lost.
    CREATE TABLE staff_changes (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL REFERENCES staff(username),
        change TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        changed_by TEXT NOT NULL,
        changed_at INTEGER NOT NULL
    );
    CREATE INDEX staff_changes_username ON staff_changes(username, id);
    CREATE TRIGGER staff_changes_immutable BEFORE UPDATE ON staff_changes
    BEGIN SELECT RAISE(ABORT, 'staff history is never edited'); END;
    CREATE TRIGGER staff_changes_never_deleted BEFORE DELETE ON staff_changes
    BEGIN SELECT RAISE(ABORT, 'staff history is never deleted'); END;
    CREATE TRIGGER staff_never_deleted BEFORE DELETE ON staff
    BEGIN SELECT RAISE(ABORT, 'staff are disabled, never deleted'); END;

    -- A slow salted hash (scrypt), never the passphrase itself.
    CREATE TABLE staff_passphrases (
        username TEXT PRIMARY KEY REFERENCES staff(username),
        hash TEXT NOT NULL,
        set_at INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE staff_preferences (
        username TEXT NOT NULL REFERENCES staff(username),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (username, key)
    ) WITHOUT ROWID;

    CREATE INDEX audit_pupil_seq ON audit_events(pupil_id, seq) WHERE pupil_id IS NOT NULL;
    CREATE INDEX audit_actor_seq ON audit_events(actor, seq);
    CREATE INDEX audit_at ON audit_events(at);
    """
}
