import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

@Suite struct SearchMigrationTests {
    /// A file written before search existed (every migration up to v4, with a concern, its account,
    /// the child's words and where, a note, an amendment and a closure in it) takes v7-search: the
    /// old concern_fts goes, and everything already written is found.
    @Test func aFileWrittenBeforeSearchIsIndexedWhenItMigrates() throws {
        let old = try OldFile(["v1-foundation": Schema.foundation, "v2-recording": Schema.recording, "v3-access": Schema.access,
                               "v4-lifecycle": Schema.lifecycle])
        defer { old.remove() }
        let (path, queue) = (old.path, old.queue)
        try queue.write { db in
            try db.execute(sql: OldFile.aSchoolWithOnePupil)
            try db.execute(sql: """
                INSERT INTO concerns (id, year, number, school_id, occurred_at, recorded_at, location, urgent, reported_by,
                                      child_words, reporter_action)
                VALUES (1, 2025, 1, 1, 1000, 1000, 'Bike sheds', 0, 'dsl.old', 'the parrot bit me', NULL);
                INSERT INTO concern_pupils (concern_id, pupil_id) VALUES (1, 1);
                INSERT INTO concern_accounts (concern_id, position, nature, body) VALUES (1, 0, 'seen', 'Plaster on the thumb.');
                INSERT INTO chronology_entries (id, pupil_id, occurred_at, recorded_at, kind, summary, author, concern_id)
                VALUES (1, 1, 1000, 1000, 'concern', 'Physical: Plaster on the thumb.', 'dsl.old', 1);
                INSERT INTO chronology_entries (id, pupil_id, occurred_at, recorded_at, kind, summary, author, body)
                VALUES (2, 1, 2000, 2000, 'note', 'Spoke to gran', 'dsl.old', 'Spoke to gran about the parrot.');
                INSERT INTO entry_amendments (entry_id, previous_text, new_text, reason, by, at)
                VALUES (2, 'Spoke to gran about the parrot.', 'Spoke to grandad about the parrot.', 'Wrong person', 'dsl.old', 3000);
                INSERT INTO concern_decisions (concern_id, kind, level, case_holder, restricted, decided_by, decided_at)
                VALUES (1, 'triage', 2, 'dsl.old', 0, 'dsl.old', 4000);
                INSERT INTO concern_decisions (concern_id, kind, outcome, reason, decided_by, decided_at)
                VALUES (1, 'close', 'no_further_action', 'Pet bird, no concern', 'dsl.old', 5000);
                INSERT INTO chronology_entries (id, pupil_id, occurred_at, recorded_at, kind, summary, author, concern_id)
                VALUES (3, 1, 5000, 5000, 'closure', 'Closed 2025-0001: No further action – Pet bird, no concern', 'dsl.old', 1);
                """)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM concern_fts") == 3, "v1 indexed the concern")
        }
        try queue.close()
        chmod(path, 0o600)

        let store = try CairnStore.open(path: path, clock: FixedClock(Date(timeIntervalSince1970: 10)))
        let dsl = try #require(try store.staff(username: "dsl.old"))
        let find = { (text: String) in try store.searchRecords(actor: dsl, text: text).map { "\($0.entry) \($0.kindAndPart)" } }
        #expect(try Set(store.searchRecords(actor: dsl, text: "parrot").map(\.entry)) == [1, 2])
        #expect(try find("grandad") == ["2 Note, amended text"])
        #expect(try find("sheds") == ["1 Concern, where"])
        #expect(try find("plaster").map { $0.hasPrefix("1 Concern") } == [true])
        #expect(try find("bird") == ["3 Closure"])
        try store.pool.write { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            #expect(!tables.contains { $0.contains("concern_fts") || $0.hasSuffix("_fts") })
            // One document per piece of text: 3 entries, 1 amendment, 1 account, child's words, where.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_documents") == 7)
            try db.execute(sql: "INSERT INTO search_index(search_index, rank) VALUES ('integrity-check', 1)")
        }
    }
}

/// A database file as an older Cairn left it: only the named migrations (applied in name order),
/// in a temporary folder of its own.
struct OldFile {
    let directory: URL
    let path: String
    let queue: DatabaseQueue

    init(_ migrations: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("old.sqlite").path
        queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        for (name, sql) in migrations.sorted(by: { $0.key < $1.key }) {
            migrator.registerMigration(name) { db in try db.execute(sql: sql) }
        }
        try migrator.migrate(queue)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// A school, its DSL dsl.old and one Year 8 pupil, id 1.
    static let aSchoolWithOnePupil = """
        INSERT INTO schools (id, name) VALUES (1, 'Old School');
        INSERT INTO staff (username, display_name, role, school_id, created_at) VALUES ('dsl.old', 'Ola Dee', 'dsl', 1, 0);
        INSERT INTO pupils (id, upn, legal_forename, legal_surname, date_of_birth, year_group, school_id, created_at)
        VALUES (1, 'A999999999999', 'Ivy', 'Olden', 0, 8, 1, 0);
        """
}
