import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import GRDB
import Testing

/// A bundle that is damaged, changed, cut short, of another version, opened with the wrong
/// passphrase, or already imported is refused with words that say which, and the receiving
/// database is exactly as it was.
@Suite struct TransferRefusalTests {
    /// Sends a small file and returns the world, the bundle and Oakfield's contents before any import.
    static func sent() throws -> (TransferWorld, Data, [String: [String]]) {
        let world = try TransferWorld()
        let pupil = try world.pupil(in: world.sender)
        _ = try world.sender.addNote(actor: world.dsl, pupil: pupil, NoteInput(
            kind: .note, occurredAt: world.clock.now().addingTimeInterval(-60), summary: "Settled well after half term."))
        let bytes = try world.send().bytes
        return (world, bytes, try world.contents(world.receiverPath))
    }

    static func refusal(_ world: TransferWorld, _ bytes: Data, passphrase: String = TransferWorld.passphrase) -> TransferError? {
        do {
            try world.receive(bytes, passphrase: passphrase)
            return nil
        } catch let error as TransferError {
            return error
        } catch {
            Issue.record("refused with \(error), not a TransferError")
            return nil
        }
    }

    static func flipped(_ bytes: Data, at offset: Int) -> Data {
        var copy = bytes
        copy[copy.startIndex + offset] ^= 0x01
        return copy
    }

    @Test func aWrongPassphraseIsRefusedAndNothingIsImported() throws {
        let (world, bytes, before) = try Self.sent()
        let error = Self.refusal(world, bytes, passphrase: "kettle orchard lantern 43")
        #expect(error == .wrongPassphraseOrChanged)
        #expect(error?.description.hasPrefix("Wrong passphrase, or the file was changed") == true)
        #expect(try world.contents(world.receiverPath) == before)
    }

    @Test func changingAnyPartOfTheFileIsFound() throws {
        let (world, bytes, before) = try Self.sent()
        let length = bytes.count
        // The ciphertext's length is the file's less the header and the tag; flipping its lowest
        // bit makes it one more (the file then ends early) or one less (a byte is left over).
        let lengthFlipped: TransferError = (length - 121) % 2 == 0 ? .truncated(length: length) : .damaged("it has 1 byte after its end")
        // One byte of each part of the envelope, and of the ciphertext and tag at each end.
        let expected: [(Int, String, TransferError)] = [
            (0, "magic", .notATransferFile),
            (9, "version", .unsupportedVersion(0)),
            (11, "scrypt N (2^14 becomes 2^15: another key)", .wrongPassphraseOrChanged),
            (15, "scrypt r", .wrongPassphraseOrChanged),
            (25, "salt", .wrongPassphraseOrChanged),
            (52, "cipher", .damaged("it names a cipher Cairn does not know (0)")),
            (60, "nonce", .wrongPassphraseOrChanged),
            (70, "digest", .wrongPassphraseOrChanged),
            (104, "length", lengthFlipped),
            (TransferEnvelope.headerLength, "first ciphertext byte", .wrongPassphraseOrChanged),
            (length / 2 + 60, "middle of the ciphertext", .wrongPassphraseOrChanged),
            (length - 17, "last ciphertext byte", .wrongPassphraseOrChanged),
            (length - 1, "tag", .wrongPassphraseOrChanged),
        ]
        for (offset, part, error) in expected {
            let refused = Self.refusal(world, Self.flipped(bytes, at: offset))
            #expect(refused == error, "\(part) at \(offset): \(String(describing: refused))")
        }
        var costly = bytes
        costly[costly.startIndex + 11] = 30
        #expect(Self.refusal(world, costly) == .damaged("its key derivation settings (N = 2^30, r = 8, p = 1) are outside what Cairn accepts"))
        #expect(try world.contents(world.receiverPath) == before)
    }

    @Test func aFileCutShortOrWithMoreAfterItsEndIsRefused() throws {
        let (world, bytes, before) = try Self.sent()
        #expect(Self.refusal(world, bytes.prefix(bytes.count - 1)) == .truncated(length: bytes.count - 1))
        #expect(Self.refusal(world, bytes.prefix(60)) == .truncated(length: 60))
        #expect(Self.refusal(world, bytes.prefix(4)) == .notATransferFile)
        #expect(Self.refusal(world, bytes + Data([0])) == .damaged("it has 1 byte after its end"))
        #expect(Self.refusal(world, Data("UPN,Surname\n".utf8)) == .notATransferFile)
        #expect(try world.contents(world.receiverPath) == before)
    }

    @Test func anUnknownVersionSaysSo() throws {
        let (world, bytes, before) = try Self.sent()
        var newer = bytes
        newer[newer.startIndex + 9] = 2
        let refused = Self.refusal(world, newer)
        #expect(refused == .unsupportedVersion(2))
        #expect(refused?.description.contains("version 2 transfer; this Cairn reads version 1") == true)

        // A version 1 envelope whose JSON says version 2 is refused the same way.
        let key = try TransferEnvelope.key(passphrase: TransferWorld.passphrase, cost: TransferWorld.cost)
        let json = Data(#"{"format":"cairn-transfer","version":2,"pupil":{}}"#.utf8)
        #expect(Self.refusal(world, try TransferEnvelope.seal(json, with: key).bytes) == .unsupportedVersion(2))
        #expect(try world.contents(world.receiverPath) == before)
    }

    @Test func contentsThatDoNotHangTogetherAreRefusedNamingThePlace() throws {
        let (world, bytes, before) = try Self.sent()
        let opened = try TransferBundle.open(bytes, passphrase: TransferWorld.passphrase)
        let key = try TransferEnvelope.key(passphrase: TransferWorld.passphrase, cost: TransferWorld.cost)
        func contents(_ json: [String: Any]) throws -> [String] {
            let data = try JSONSerialization.data(withJSONObject: json)
            guard case .contents(let problems) = Self.refusal(world, try TransferEnvelope.seal(data, with: key).bytes) else { return [] }
            return problems
        }
        let original = try #require(try JSONSerialization.jsonObject(with: TransferJSON.encode(opened.file)) as? [String: Any])
        var entries = try #require(original["entries"] as? [[String: Any]])

        var unknown = original
        entries[0]["colour"] = "blue"
        unknown["entries"] = entries
        #expect(try contents(unknown) == ["entries[0].colour: is not a field of version 1"])

        var badKind = original
        entries[0] = try #require((original["entries"] as? [[String: Any]])?.first)
        entries[0]["kind"] = "gossip"
        badKind["entries"] = entries
        #expect(try contents(badKind).first?.hasPrefix("entries[0].kind: is not one of the values") == true)

        var badLink = original
        entries[0] = try #require((original["entries"] as? [[String: Any]])?.first)
        entries[0]["concern"] = 99
        badLink["entries"] = entries
        #expect(try contents(badLink) == ["entries[0].concern: refers to concern 99, which is not in the file"])

        var missing = original
        var pupil = try #require(original["pupil"] as? [String: Any])
        pupil.removeValue(forKey: "date_of_birth")
        missing["pupil"] = pupil
        #expect(try contents(missing) == ["pupil.date_of_birth: is missing"])

        var badUPN = original
        pupil = try #require(original["pupil"] as? [String: Any])
        pupil["upn"] = "A12345"
        badUPN["pupil"] = pupil
        #expect(try contents(badUPN).first?.hasPrefix("pupil.upn:") == true)
        #expect(try world.contents(world.receiverPath) == before)
    }

    @Test func aFileImportedOnceIsNotImportedAgain() throws {
        let (world, bytes, _) = try Self.sent()
        try world.receive(bytes)
        let after = try world.contents(world.receiverPath)
        do {
            try world.receive(bytes)
            Issue.record("imported twice")
        } catch let error as StoreError {
            #expect(error.description.contains("was already imported, on 02/03/2026 by Ada Okafor; nothing was imported again"))
        }
        #expect(try world.contents(world.receiverPath) == after)
    }

    @Test func aPupilOfAnotherSchoolInTheDatabaseIsRefused() throws {
        let world = try TransferWorld()
        let bytes = try world.send().bytes
        // Oakfield's database also holds Northgate College, where this UPN is on roll.
        try world.raw(world.receiverPath) { db in
            try db.execute(sql: "INSERT INTO schools (id, name) VALUES (2, 'Northgate College')")
            try db.execute(sql: """
                INSERT INTO pupils (upn, legal_forename, legal_surname, preferred_forename, date_of_birth, year_group, form,
                school_id, created_at) VALUES (?, 'Ellis', 'Thorne', 'Elly', 0, 8, '8N', 2, 0)
                """, arguments: [world.upn.value])
        }
        let before = try world.contents(world.receiverPath)
        do {
            try world.receive(bytes)
            Issue.record("imported a pupil of another school")
        } catch let error as StoreError {
            #expect(error.description.contains("belongs to Elly Thorne, on roll at Northgate College, in this database"))
        }
        #expect(try world.contents(world.receiverPath) == before)
    }
}
