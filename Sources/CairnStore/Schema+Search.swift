/// Full-text search (issue 5): one index over everything staff wrote about a child, each row
/// carrying what the access policy needs, kept in step by triggers.
extension Schema {
    static let search = """
    -- The v1 index held concern text only, stored a second time, with nothing to say whose it was.
    DROP TRIGGER concern_accounts_fts;
    DROP TRIGGER concerns_fts;
    DROP TRIGGER concern_decisions_fts;
    DROP TABLE concern_fts;

    -- One row for each piece of text a search can find; the text stays where it was written.
    -- part: 'entry' (a chronology entry's headline and text, or its one line: notes, contacts,
    -- meetings, referrals and agency decisions, actions and their outcomes, closures with their
    -- reasons), 'amendment' (an amendment's new text), or one part of a concern: 'account' (each
    -- account), 'child_words', 'reporter_action', 'location'. source_id is the row in that table.
    -- An entry or amendment names its pupil and entry; a concern's parts name the concern, whose
    -- entry in each of its pupils' files a hit opens. School, year group and restriction are read
    -- from the live rows at search time, exactly as a read of the file does, so a concern
    -- restricted after it was indexed is hidden from that moment.
    CREATE TABLE search_documents (
        id INTEGER PRIMARY KEY,
        part TEXT NOT NULL CHECK (part IN ('entry','amendment','account','child_words','reporter_action','location')),
        source_id INTEGER NOT NULL,
        pupil_id INTEGER,
        entry_id INTEGER,
        concern_id INTEGER,
        UNIQUE (part, source_id),
        CHECK ((part IN ('entry','amendment')) = (entry_id IS NOT NULL AND pupil_id IS NOT NULL)),
        CHECK (part IN ('entry','amendment') OR concern_id IS NOT NULL)
    );
    CREATE INDEX search_documents_pupil ON search_documents(pupil_id) WHERE pupil_id IS NOT NULL;
    CREATE INDEX search_documents_concern ON search_documents(concern_id) WHERE concern_id IS NOT NULL;
    CREATE TRIGGER search_documents_immutable BEFORE UPDATE ON search_documents
    BEGIN SELECT RAISE(ABORT, 'the search index is kept by triggers, never edited'); END;

    -- A concern's own parts open at the concern's entry in each pupil's file.
    CREATE INDEX chronology_concern_entries ON chronology_entries(concern_id, kind) WHERE concern_id IS NOT NULL;

    -- The text of each document, read from where it was written: the index's external content.
    CREATE VIEW search_text AS
    SELECT d.id AS doc_id, CASE d.part
        WHEN 'entry' THEN (SELECT CASE WHEN e.body IS NULL THEN e.summary
                                       ELSE coalesce(e.headline || ': ', '') || e.body END
                           FROM chronology_entries e WHERE e.id = d.source_id)
        WHEN 'amendment' THEN (SELECT a.new_text FROM entry_amendments a WHERE a.id = d.source_id)
        WHEN 'account' THEN (SELECT a.body FROM concern_accounts a WHERE a.id = d.source_id)
        WHEN 'child_words' THEN (SELECT c.child_words FROM concerns c WHERE c.id = d.source_id)
        WHEN 'reporter_action' THEN (SELECT c.reporter_action FROM concerns c WHERE c.id = d.source_id)
        WHEN 'location' THEN (SELECT c.location FROM concerns c WHERE c.id = d.source_id)
        END AS text
    FROM search_documents d;

    -- diacritics folded ("zoe" finds "Zoë"); the text itself is not stored again.
    CREATE VIRTUAL TABLE search_index USING fts5(text, content = 'search_text', content_rowid = 'doc_id',
        tokenize = 'unicode61 remove_diacritics 2');

    -- Everything written before this migration, indexed once.
    INSERT INTO search_documents (part, source_id, pupil_id, entry_id, concern_id)
    SELECT 'entry', id, pupil_id, id, concern_id FROM chronology_entries ORDER BY id;
    INSERT INTO search_documents (part, source_id, pupil_id, entry_id, concern_id)
    SELECT 'amendment', a.id, e.pupil_id, e.id, e.concern_id
    FROM entry_amendments a JOIN chronology_entries e ON e.id = a.entry_id ORDER BY a.id;
    INSERT INTO search_documents (part, source_id, concern_id) SELECT 'account', id, concern_id FROM concern_accounts ORDER BY id;
    INSERT INTO search_documents (part, source_id, concern_id)
    SELECT 'child_words', id, id FROM concerns WHERE child_words IS NOT NULL ORDER BY id;
    INSERT INTO search_documents (part, source_id, concern_id)
    SELECT 'reporter_action', id, id FROM concerns WHERE reporter_action IS NOT NULL ORDER BY id;
    INSERT INTO search_documents (part, source_id, concern_id)
    SELECT 'location', id, id FROM concerns WHERE location IS NOT NULL ORDER BY id;
    INSERT INTO search_index(search_index) VALUES ('rebuild');

    -- From here on each document is indexed as it is added, and taken out of the index (with the
    -- text it was indexed with, as FTS5's external content needs) before it goes.
    CREATE TRIGGER search_documents_index AFTER INSERT ON search_documents
    BEGIN INSERT INTO search_index(rowid, text) SELECT doc_id, text FROM search_text WHERE doc_id = NEW.id; END;
    CREATE TRIGGER search_documents_unindex BEFORE DELETE ON search_documents
    BEGIN
        INSERT INTO search_index(search_index, rowid, text) SELECT 'delete', doc_id, text FROM search_text WHERE doc_id = OLD.id;
    END;

    -- Each table of record text adds its documents as rows are written, and removes them before a
    -- row is deleted (only retention purge deletes them), while the text can still be read.
    CREATE TRIGGER chronology_entries_search AFTER INSERT ON chronology_entries
    BEGIN
        INSERT INTO search_documents (part, source_id, pupil_id, entry_id, concern_id)
        VALUES ('entry', NEW.id, NEW.pupil_id, NEW.id, NEW.concern_id);
    END;
    CREATE TRIGGER chronology_entries_unsearch BEFORE DELETE ON chronology_entries
    BEGIN DELETE FROM search_documents WHERE part = 'entry' AND source_id = OLD.id; END;

    CREATE TRIGGER entry_amendments_search AFTER INSERT ON entry_amendments
    BEGIN
        INSERT INTO search_documents (part, source_id, pupil_id, entry_id, concern_id)
        SELECT 'amendment', NEW.id, e.pupil_id, e.id, e.concern_id FROM chronology_entries e WHERE e.id = NEW.entry_id;
    END;
    CREATE TRIGGER entry_amendments_unsearch BEFORE DELETE ON entry_amendments
    BEGIN DELETE FROM search_documents WHERE part = 'amendment' AND source_id = OLD.id; END;

    CREATE TRIGGER concern_accounts_search AFTER INSERT ON concern_accounts
    BEGIN INSERT INTO search_documents (part, source_id, concern_id) VALUES ('account', NEW.id, NEW.concern_id); END;
    CREATE TRIGGER concern_accounts_unsearch BEFORE DELETE ON concern_accounts
    BEGIN DELETE FROM search_documents WHERE part = 'account' AND source_id = OLD.id; END;

    CREATE TRIGGER concerns_search AFTER INSERT ON concerns
    BEGIN
        INSERT INTO search_documents (part, source_id, concern_id)
        SELECT 'child_words', NEW.id, NEW.id WHERE NEW.child_words IS NOT NULL;
        INSERT INTO search_documents (part, source_id, concern_id)
        SELECT 'reporter_action', NEW.id, NEW.id WHERE NEW.reporter_action IS NOT NULL;
        INSERT INTO search_documents (part, source_id, concern_id)
        SELECT 'location', NEW.id, NEW.id WHERE NEW.location IS NOT NULL;
    END;
    CREATE TRIGGER concerns_unsearch BEFORE DELETE ON concerns
    BEGIN
        DELETE FROM search_documents WHERE part IN ('child_words','reporter_action','location') AND source_id = OLD.id;
    END;
    """
}
