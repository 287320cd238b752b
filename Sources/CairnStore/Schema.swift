import GRDB

/// Named, ordered migrations from an empty file. Times are INTEGER milliseconds since 1970 (UTC).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: foundation)
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
}
