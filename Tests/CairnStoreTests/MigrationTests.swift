import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

@Suite struct MigrationTests {
    static let tables = [
        "meta", "schools", "staff", "pupils", "pupil_flags", "concerns", "concern_pupils", "concern_categories",
        "concern_accounts", "concern_decisions", "referrals", "actions", "action_updates", "chronology_entries",
        "audit_events",
        // v7-search (v1's concern_fts is replaced by it)
        "search_documents", "search_index",
        // v2-recording
        "entry_amendments", "entry_marks", "action_changes",
        // v6-backfill
        "rectification_requests",
        // v8-sar
        "sar_requests", "sar_withholdings",
    ]

    static let triggers = [
        "concerns_text_immutable", "concerns_never_deleted", "concern_accounts_immutable", "concern_decisions_immutable",
        "concern_decisions_apply", "actions_text_immutable", "action_updates_apply", "chronology_immutable",
        "audit_no_update", "audit_no_delete",
        // v2-recording
        "entry_amendments_immutable", "entry_amendments_never_deleted", "entry_marks_immutable", "entry_marks_never_deleted",
        "entry_marks_apply", "referrals_text_immutable", "referrals_decision_once", "referrals_never_deleted",
        "actions_never_deleted", "action_updates_immutable", "action_updates_never_deleted", "action_changes_immutable",
        "action_changes_never_deleted", "action_changes_apply", "pupil_flags_immutable", "pupil_flags_end_once",
        // v6-backfill
        "rectification_requests_immutable", "rectification_requests_never_deleted",
        // v8-sar
        "sar_requests_immutable", "sar_requests_closed_once", "sar_requests_never_deleted", "sar_requests_close",
        "sar_withholdings_immutable", "sar_withholdings_never_deleted",
        // v7-search
        "search_documents_index", "search_documents_unindex", "chronology_entries_search", "entry_amendments_search",
        "concern_accounts_search", "concerns_search",
    ]

    static let indexes = [
        "chronology_pupil_time", "concerns_open_queue", "actions_open_due", "entry_amendments_entry", "entry_marks_entry",
        "referrals_awaiting", "action_changes_action", "actions_owner_due", "actions_school_open_due", "actions_pupil",
        "actions_referral", "pupil_flags_active",
        // v8-sar
        "sar_requests_pupil", "sar_requests_open", "sar_withholdings_entry",
    ]

    @Test func migratingAnEmptyFileCreatesEveryTableAndTrigger() throws {
        let fixture = try Fixture()
        let (tables, triggers, indexes, migrations) = try fixture.raw { db in
            (try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")),
             try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'")),
             try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'")),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
        for table in Self.tables { #expect(tables.contains(table), "missing table \(table)") }
        for trigger in Self.triggers { #expect(triggers.contains(trigger), "missing trigger \(trigger)") }
        for index in Self.indexes { #expect(indexes.contains(index), "missing index \(index)") }
        #expect(!indexes.contains("actions_owner"), "replaced by actions_owner_due, which also orders by id")
        #expect(!tables.contains("concern_fts"), "replaced by search_index")
        #expect(migrations == ["v1-foundation", "v2-recording", "v3-access", "v4-lifecycle", "v6-backfill", "v7-search", "v8-sar",
                               "v9-transfer", "v10-retention"])
    }

    /// A file made before recording existed (v1 only, with a referral, an action and an entry in it)
    /// takes v2 without losing anything, and its old rows read as before.
    @Test func aVersionOneFileMigratesWithItsRecords() throws {
        let old = try OldFile(["v1-foundation": Schema.foundation])
        defer { old.remove() }
        let (path, queue) = (old.path, old.queue)
        try queue.write { db in
            try db.execute(sql: OldFile.aSchoolWithOnePupil)
            try db.execute(sql: """
                INSERT INTO referrals (id, school_id, pupil_id, agency, made_at, made_by, consent, recorded_at)
                VALUES (1, 1, 1, 'police', 1000, 'dsl.old', 'given_parent', 1000);
                INSERT INTO actions (id, school_id, pupil_id, description, owner, due_at, created_by, created_at)
                VALUES (1, 1, 1, 'Phone home', 'dsl.old', 5000, 'dsl.old', 1000);
                INSERT INTO chronology_entries (pupil_id, occurred_at, recorded_at, kind, summary, author)
                VALUES (1, 1000, 1000, 'note', 'An old note', 'dsl.old');
                """)
        }
        try queue.close()
        // GRDB made the file with the default mode; Cairn opens only a private one.
        chmod(path, 0o600)
        let store = try CairnStore.open(path: path, clock: FixedClock(Date(timeIntervalSince1970: 10)))
        let dsl = try #require(try store.staff(username: "dsl.old"))
        let rows = try store.chronology(actor: dsl, pupil: PupilID(rawValue: 1))
        #expect(rows.map(\.entry.summary) == ["An old note"])
        #expect(rows.allSatisfy { !$0.amended })
        let detail = try store.entry(actor: dsl, id: rows[0].entry.id)
        #expect(detail.body == "An old note")
        #expect(detail.fields.isEmpty)
        let outcome = try store.pool.read { db in try String.fetchOne(db, sql: "SELECT outcome FROM referrals WHERE id = 1") }
        #expect(outcome == "referred", "an old referral was a referral made")
        #expect(try store.actions(actor: dsl, view: .mine).map(\.action.description) == ["Phone home"])
    }

    @Test func theStoresOwnConnectionsUseWALForeignKeysAndFullSync() throws {
        let fixture = try Fixture()
        // These are per connection, so ask the store's writer and a reader, not a fresh connection.
        let writer = try fixture.store.pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
             try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(writer.0 == "wal")
        #expect(writer.1 == 1)
        #expect(writer.2 == 2, "synchronous should be FULL (2)")
        let reader = try fixture.store.pool.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(reader.0 == 1)
        #expect(reader.1 == 2)
    }

    @Test func foreignKeysAreEnforcedNotJustSwitchedOn() throws {
        let fixture = try Fixture()
        #expect(throws: DatabaseError.self) {
            try fixture.store.pool.write { db in
                try db.execute(sql: "INSERT INTO concern_pupils (concern_id, pupil_id) VALUES (9999, 9999)")
            }
        }
    }

    @Test func createRefusesAnExistingFileAndOpenKeepsItsData() throws {
        let fixture = try Fixture()
        #expect(throws: StoreError.alreadyExists(fixture.path)) {
            _ = try CairnStore.create(path: fixture.path, clock: fixture.clock)
        }
        let reopened = try CairnStore.open(path: fixture.path, clock: fixture.clock)
        #expect(try reopened.pupilCount() == 4)
        #expect(try reopened.staff(username: fixture.pastoral.username)?.years == [.year7, .year8, .year9])
        #expect(try reopened.verifyAuditWithoutRecording() == fixture.store.verifyAuditWithoutRecording())
    }

    @Test func openRefusesAMissingFileWithoutCreatingIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-missing-\(UUID().uuidString).sqlite").path
        #expect(throws: StoreError.noDatabase(path)) { _ = try CairnStore.open(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func theDatabaseFileIsReadableByItsOwnerOnly() throws {
        let fixture = try Fixture()
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.path)
        let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue
        #expect(permissions == 0o600)
    }
}
