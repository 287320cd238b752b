/// A record's whole life (issue 5): the tables more than one part shares. Each part's own tables
/// come in its own migration.
extension Schema {
    static let lifecycle = """
    -- Leavers stay on file: the roster sync marks them left, with where they went when known.
    ALTER TABLE pupils ADD COLUMN left_at INTEGER;
    ALTER TABLE pupils ADD COLUMN destination TEXT;
    CREATE INDEX pupils_left ON pupils(left_at) WHERE left_at IS NOT NULL;

    -- A concern typed up from a paper original: who wrote the paper and when; who typed it is the
    -- concern's reporter and recorded_at. Verified once, by someone other than the typist.
    CREATE TABLE paper_originals (
        concern_id INTEGER PRIMARY KEY REFERENCES concerns(id),
        written_at INTEGER NOT NULL,
        written_by TEXT NOT NULL,
        verified_by TEXT REFERENCES staff(username),
        verified_at INTEGER
    );
    CREATE INDEX paper_originals_unverified ON paper_originals(concern_id) WHERE verified_at IS NULL;
    CREATE TRIGGER paper_originals_immutable BEFORE UPDATE OF concern_id, written_at, written_by ON paper_originals
    BEGIN SELECT RAISE(ABORT, 'a paper original is never edited in place'); END;
    CREATE TRIGGER paper_originals_verified_once BEFORE UPDATE OF verified_by, verified_at ON paper_originals
    WHEN OLD.verified_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a paper original is verified once'); END;
    CREATE TRIGGER paper_originals_never_deleted BEFORE DELETE ON paper_originals
    BEGIN SELECT RAISE(ABORT, 'paper originals are removed only by retention purge'); END;

    -- A family's statement disputing an entry (an opinion that cannot be shown wrong). Shown wherever
    -- the entry appears: chronology, exports, SAR and transfer bundles.
    CREATE TABLE entry_disputes (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES chronology_entries(id),
        statement TEXT NOT NULL,
        made_by TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        recorded_by TEXT NOT NULL REFERENCES staff(username),
        recorded_at INTEGER NOT NULL
    );
    CREATE INDEX entry_disputes_entry ON entry_disputes(entry_id, id);
    \(appendOnly("entry_disputes", "disputes"))
    """
}
