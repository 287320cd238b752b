/// Subject access requests (issue 5): the requests and their one-month actions, and what a DSL
/// withholds from the bundle, and why.
extension Schema {
    static let subjectAccess = """
    -- A request from a family (or the pupil) for the child's file. Its action is the one-month
    -- deadline in the Actions pane; when that action is done or cancelled the request closes.
    CREATE TABLE sar_requests (
        id INTEGER PRIMARY KEY,
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        received_at INTEGER NOT NULL,
        requester TEXT NOT NULL,
        relationship TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        action_id INTEGER NOT NULL UNIQUE REFERENCES actions(id),
        opened_by TEXT NOT NULL REFERENCES staff(username),
        opened_at INTEGER NOT NULL,
        -- Set once, by the trigger on action_updates below.
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
        closed_at INTEGER
    );
    CREATE INDEX sar_requests_pupil ON sar_requests(pupil_id, received_at);
    CREATE INDEX sar_requests_open ON sar_requests(due_at) WHERE status = 'open';
    CREATE TRIGGER sar_requests_immutable
    BEFORE UPDATE OF pupil_id, received_at, requester, relationship, due_at, action_id, opened_by, opened_at ON sar_requests
    BEGIN SELECT RAISE(ABORT, 'subject access requests are never edited in place'); END;
    CREATE TRIGGER sar_requests_closed_once BEFORE UPDATE OF status, closed_at ON sar_requests
    WHEN OLD.status = 'closed'
    BEGIN SELECT RAISE(ABORT, 'a subject access request is closed once'); END;
    CREATE TRIGGER sar_requests_never_deleted BEFORE DELETE ON sar_requests
    BEGIN SELECT RAISE(ABORT, 'subject access requests are removed only by retention purge'); END;
    CREATE TRIGGER sar_requests_close AFTER INSERT ON action_updates WHEN NEW.status <> 'open'
    BEGIN
        UPDATE sar_requests SET status = 'closed', closed_at = NEW.at WHERE action_id = NEW.action_id AND status = 'open';
    END;

    -- Part of an entry kept back from a subject access request: the whole entry (passage NULL) or
    -- an exact passage of its text, with the exemption. A later row with `lifts` set lifts one;
    -- nothing is changed or deleted, so the history of every decision stays.
    CREATE TABLE sar_withholdings (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES chronology_entries(id),
        passage TEXT,
        reason TEXT CHECK (reason IN ('third_party','serious_harm','crime_prevention','other')),
        other_reason TEXT,
        lifts INTEGER UNIQUE REFERENCES sar_withholdings(id),
        by TEXT NOT NULL REFERENCES staff(username),
        at INTEGER NOT NULL,
        CHECK ((lifts IS NULL AND reason IS NOT NULL) OR (lifts IS NOT NULL AND reason IS NULL AND passage IS NULL)),
        CHECK (passage IS NULL OR length(passage) > 0),
        CHECK (reason IS NOT 'other' OR length(trim(other_reason)) > 0)
    );
    CREATE INDEX sar_withholdings_entry ON sar_withholdings(entry_id, id);
    \(appendOnly("sar_withholdings", "withholdings"))
    """
}
