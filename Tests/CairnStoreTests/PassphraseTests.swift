import CairnDomain
import CairnStore
import Foundation
import GRDB
import Testing

/// The idle-lock passphrase: a slow salted hash in a real SQLite file, never the passphrase itself.
struct PassphraseTests {
    @Test func theStoredHashIsNotThePassphraseAndVerifiesOnlyTheRightOne() throws {
        let fixture = try Fixture()
        #expect(try fixture.store.hasPassphrase(username: fixture.teacher.username) == false)
        try fixture.store.setPassphrase(actor: fixture.teacher, "kettle on the landing")
        #expect(try fixture.store.hasPassphrase(username: fixture.teacher.username))

        let stored = try DatabaseQueue(path: fixture.path).read { db in
            try String.fetchOne(db, sql: "SELECT hash FROM staff_passphrases WHERE username = ?",
                                arguments: [fixture.teacher.username])
        }
        let encoded = try #require(stored)
        #expect(!encoded.contains("kettle"))
        #expect(encoded.hasPrefix("scrypt$32768$8$1$"))

        #expect(try fixture.store.verifyPassphrase(username: fixture.teacher.username, "kettle on the landing"))
        #expect(try !fixture.store.verifyPassphrase(username: fixture.teacher.username, "kettle on the landinG"))
        #expect(try !fixture.store.verifyPassphrase(username: fixture.teacher.username, ""))
        #expect(try !fixture.store.verifyPassphrase(username: fixture.otherTeacher.username, "kettle on the landing"))
    }

    @Test func settingItIsAuditedWithoutTheSecret() throws {
        let fixture = try Fixture()
        try fixture.store.setPassphrase(actor: fixture.teacher, "kettle on the landing")
        try fixture.store.setPassphrase(actor: fixture.teacher, "a different long one")
        let events = try fixture.store.recentAuditEvents(limit: 2)
        #expect(events.map(\.detail) == ["changed their passphrase", "set their passphrase"])
        #expect(events.allSatisfy { $0.actor == fixture.teacher.username && $0.recordKind == "passphrase" })
        #expect(try fixture.store.verifyPassphrase(username: fixture.teacher.username, "a different long one"))
        #expect(try !fixture.store.verifyPassphrase(username: fixture.teacher.username, "kettle on the landing"))
        guard case .intact = try fixture.store.verifyAuditWithoutRecording() else {
            Issue.record("the audit chain should be intact")
            return
        }
    }

    @Test func aShortPassphraseIsRefusedAndNothingIsStored() throws {
        let fixture = try Fixture()
        let before = try fixture.store.auditEventCount()
        #expect(throws: StoreError.invalid([FieldProblem(
            field: "passphrase", message: "must be at least 10 characters long (yours has 9); nothing was changed")])) {
            try fixture.store.setPassphrase(actor: fixture.teacher, "123456789")
        }
        #expect(try fixture.store.hasPassphrase(username: fixture.teacher.username) == false)
        #expect(try fixture.store.auditEventCount() == before)
    }

    @Test func theParametersAreReadBackFromTheStoredForm() throws {
        let hash = try PassphraseHash.make("kettle on the landing")
        let parsed = try #require(PassphraseHash(encoded: hash.encoded))
        #expect(parsed == hash)
        #expect(parsed.rounds == PassphraseHash.rounds)
        #expect(parsed.blockSize == 8)
        #expect(parsed.parallelism == 1)
        #expect(parsed.salt.count == 16)
        #expect(parsed.hash.count == 32)
        #expect(parsed.matches("kettle on the landing"))
        // Each hash has its own salt, so the same passphrase never stores the same way twice.
        #expect(try PassphraseHash.make("kettle on the landing").salt != hash.salt)
    }

    @Test func unreadableOrRuinouslyExpensiveStoredFormsAreRejected() {
        let salt = Data(repeating: 7, count: 16).base64EncodedString()
        let digest = Data(repeating: 9, count: 32).base64EncodedString()
        #expect(PassphraseHash(encoded: "scrypt$16384$8$1$\(salt)$\(digest)") != nil)
        #expect(PassphraseHash(encoded: "scrypt$16383$8$1$\(salt)$\(digest)") == nil)
        #expect(PassphraseHash(encoded: "scrypt$1073741824$8$1$\(salt)$\(digest)") == nil)
        #expect(PassphraseHash(encoded: "bcrypt$16384$8$1$\(salt)$\(digest)") == nil)
        #expect(PassphraseHash(encoded: "scrypt$16384$8$1$not base64!$\(digest)") == nil)
        #expect(PassphraseHash(encoded: "kettle on the landing") == nil)
    }

    @Test func composedAndDecomposedAccentsAreTheSamePassphrase() throws {
        let hash = try PassphraseHash.make("caf\u{E9} au lait please")
        #expect(hash.matches("cafe\u{301} au lait please"))
    }
}
