import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

@Suite struct MigrationTests {
    static let tables = [
        "meta", "schools", "staff", "pupils", "pupil_flags", "concerns", "concern_pupils", "concern_categories",
        "concern_accounts", "concern_decisions", "referrals", "actions", "action_updates", "chronology_entries",
        "audit_events", "concern_fts",
    ]

    static let triggers = [
        "concerns_text_immutable", "concerns_never_deleted", "concern_accounts_immutable", "concern_decisions_immutable",
        "concern_decisions_apply", "actions_text_immutable", "action_updates_apply", "chronology_immutable",
        "audit_no_update", "audit_no_delete", "concern_accounts_fts", "concerns_fts", "concern_decisions_fts",
    ]

    @Test func migratingAnEmptyFileCreatesEveryTableAndTrigger() throws {
        let fixture = try Fixture()
        let (tables, triggers, migrations) = try fixture.raw { db in
            (try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")),
             try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'")),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
        for table in Self.tables { #expect(tables.contains(table), "missing table \(table)") }
        for trigger in Self.triggers { #expect(triggers.contains(trigger), "missing trigger \(trigger)") }
        #expect(migrations == ["v1-foundation"])
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
