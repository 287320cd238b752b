/// Rectification requests (issue 5): each is tracked by an action due a calendar month after it was
/// received. Paper originals and disputes live in the shared v4-lifecycle tables.
extension Schema {
    static let backfill = """
    CREATE TABLE rectification_requests (
        id INTEGER PRIMARY KEY,
        school_id INTEGER NOT NULL REFERENCES schools(id),
        pupil_id INTEGER NOT NULL REFERENCES pupils(id),
        received_at INTEGER NOT NULL,
        requester TEXT,
        relationship TEXT,
        action_id INTEGER NOT NULL REFERENCES actions(id),
        recorded_by TEXT NOT NULL REFERENCES staff(username),
        recorded_at INTEGER NOT NULL
    );
    CREATE INDEX rectification_requests_school ON rectification_requests(school_id, received_at, id);
    CREATE INDEX rectification_requests_pupil ON rectification_requests(pupil_id);
    \(appendOnly("rectification_requests", "rectification requests"))
    """
}
