import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// A setting a member of staff chose for themselves (privacy mode, say). Not record content, so
    /// neither checked against the matrix nor audited; a disabled account keeps its settings.
    public func preference(actor: Staff, _ key: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM staff_preferences WHERE username = ? AND key = ?",
                                arguments: [actor.username, key])
        }
    }

    public func setPreference(actor: Staff, _ key: String, _ value: String) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO staff_preferences (username, key, value) VALUES (?, ?, ?)
                ON CONFLICT (username, key) DO UPDATE SET value = excluded.value
                """, arguments: [actor.username, key, value])
        }
    }
}
