/// Transfers between schools (issue 5): files sent, files received, and what arrived with them.
extension Schema {
    static let transfer = """
    -- A file sent to another school. The receipt code is what the receiving school will read back
    -- (derived from a key inside the encrypted bundle, so only someone who opened it can know it).
    CREATE TABLE transfers_out (
        id INTEGER PRIMARY KEY,
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        school_id INTEGER NOT NULL REFERENCES schools(id),
        to_school TEXT NOT NULL,
        bundle_id TEXT NOT NULL UNIQUE,
        digest TEXT NOT NULL,
        receipt_code TEXT NOT NULL,
        entries INTEGER NOT NULL,
        action_id INTEGER NOT NULL REFERENCES actions(id),
        sent_by TEXT NOT NULL REFERENCES staff(username),
        sent_at INTEGER NOT NULL,
        confirmed_by TEXT REFERENCES staff(username),
        confirmed_at INTEGER
    );
    CREATE INDEX transfers_out_pupil ON transfers_out(pupil_id, id);
    CREATE TRIGGER transfers_out_immutable
    BEFORE UPDATE OF pupil_id, school_id, to_school, bundle_id, digest, receipt_code, entries, action_id, sent_by, sent_at
    ON transfers_out
    BEGIN SELECT RAISE(ABORT, 'a transfer is never edited in place'); END;
    CREATE TRIGGER transfers_out_confirmed_once BEFORE UPDATE OF confirmed_by, confirmed_at ON transfers_out
    WHEN OLD.confirmed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a transfer is confirmed once'); END;
    CREATE TRIGGER transfers_out_never_deleted BEFORE DELETE ON transfers_out
    BEGIN SELECT RAISE(ABORT, 'transfers are removed only by retention purge'); END;

    -- A file received. The digest is unique: the same bundle is never imported twice. Until a DSL
    -- reviews it, it sits at the top of the queue.
    CREATE TABLE transfers_in (
        id INTEGER PRIMARY KEY,
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        school_id INTEGER NOT NULL REFERENCES schools(id),
        from_school TEXT NOT NULL,
        bundle_id TEXT NOT NULL,
        digest TEXT NOT NULL UNIQUE,
        format_version INTEGER NOT NULL,
        sent_at INTEGER NOT NULL,
        sent_by_name TEXT NOT NULL,
        sent_by_role TEXT NOT NULL,
        receipt_code TEXT NOT NULL,
        entries INTEGER NOT NULL,
        created_pupil INTEGER NOT NULL CHECK (created_pupil IN (0, 1)),
        imported_by TEXT NOT NULL REFERENCES staff(username),
        imported_at INTEGER NOT NULL,
        reviewed_by TEXT REFERENCES staff(username),
        reviewed_at INTEGER,
        review_note TEXT
    );
    CREATE INDEX transfers_in_pupil ON transfers_in(pupil_id, id);
    CREATE INDEX transfers_in_to_review ON transfers_in(school_id, imported_at) WHERE reviewed_at IS NULL;
    CREATE TRIGGER transfers_in_immutable
    BEFORE UPDATE OF pupil_id, school_id, from_school, bundle_id, digest, format_version, sent_at, sent_by_name,
                     sent_by_role, receipt_code, entries, created_pupil, imported_by, imported_at ON transfers_in
    BEGIN SELECT RAISE(ABORT, 'a transfer is never edited in place'); END;
    CREATE TRIGGER transfers_in_reviewed_once BEFORE UPDATE OF reviewed_by, reviewed_at, review_note ON transfers_in
    WHEN OLD.reviewed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a transferred file is reviewed once'); END;
    CREATE TRIGGER transfers_in_never_deleted BEFORE DELETE ON transfers_in
    BEGIN SELECT RAISE(ABORT, 'transfers are removed only by retention purge'); END;

    -- The concerns, actions and referrals of another school, kept whole as they arrived (JSON of the
    -- transfer model), so that the file can be read here and travel on intact. bundle_ref is the
    -- record's id inside its bundle, which the records' links to each other use.
    CREATE TABLE transfer_records (
        id INTEGER PRIMARY KEY,
        transfer_id INTEGER NOT NULL REFERENCES transfers_in(id),
        kind TEXT NOT NULL CHECK (kind IN ('concern','action','referral')),
        bundle_ref INTEGER NOT NULL,
        record TEXT NOT NULL,
        UNIQUE (transfer_id, kind, bundle_ref)
    );
    \(appendOnly("transfer_records", "transferred records"))

    -- Where an imported chronology entry came from: its author as the other school knew them, and
    -- the transferred records it belongs to. The entry's own author column names who imported it.
    CREATE TABLE transferred_entries (
        entry_id INTEGER PRIMARY KEY REFERENCES chronology_entries(id),
        transfer_id INTEGER NOT NULL REFERENCES transfers_in(id),
        author_name TEXT NOT NULL,
        author_role TEXT NOT NULL,
        author_school TEXT NOT NULL,
        concern_record INTEGER REFERENCES transfer_records(id),
        action_record INTEGER REFERENCES transfer_records(id),
        referral_record INTEGER REFERENCES transfer_records(id)
    );
    CREATE INDEX transferred_entries_transfer ON transferred_entries(transfer_id);
    \(appendOnly("transferred_entries", "transferred entries"))

    -- Who made an imported amendment, or recorded an imported dispute, at the school it came from.
    CREATE TABLE transferred_people (
        kind TEXT NOT NULL CHECK (kind IN ('amendment','dispute')),
        row_id INTEGER NOT NULL,
        transfer_id INTEGER NOT NULL REFERENCES transfers_in(id),
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        school TEXT NOT NULL,
        PRIMARY KEY (kind, row_id)
    ) WITHOUT ROWID;
    \(appendOnly("transferred_people", "transferred names"))
    """
}
