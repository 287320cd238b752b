import _CryptoExtras
import CairnDomain
import Crypto
import Foundation
import GRDB

/// A slow salted hash of a passphrase, kept with the parameters that made it so that they can be
/// raised later without making older hashes unreadable. Stored as `scrypt$N$r$p$salt$hash`, the
/// salt and hash in base64.
public struct PassphraseHash: Equatable, Sendable {
    public let rounds: Int
    public let blockSize: Int
    public let parallelism: Int
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// N = 2^15, r = 8, p = 1: 32 MiB and about 120 ms of CPU a hash on the two-core machine this
    /// was measured on (2^14 took 65 ms): slow for someone guessing, quick for a person unlocking.
    public static let rounds = 1 << 15
    public static let blockSize = 8
    public static let parallelism = 1

    /// A new hash with a fresh 16-byte random salt.
    public static func make(_ passphrase: String) throws -> PassphraseHash {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return PassphraseHash(rounds: rounds, blockSize: blockSize, parallelism: parallelism, salt: salt,
                              hash: try derive(passphrase, salt: salt, rounds: rounds, blockSize: blockSize,
                                               parallelism: parallelism))
    }

    init(rounds: Int, blockSize: Int, parallelism: Int, salt: [UInt8], hash: [UInt8]) {
        self.rounds = rounds
        self.blockSize = blockSize
        self.parallelism = parallelism
        self.salt = salt
        self.hash = hash
    }

    /// Reads a stored hash back; nil for anything malformed, or with parameters so large that
    /// checking against it would exhaust the server (a tampered row must not become a denial of service).
    public init?(encoded: String) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "scrypt",
              let rounds = Int(parts[1]), let blockSize = Int(parts[2]), let parallelism = Int(parts[3]),
              rounds >= 2, rounds & (rounds - 1) == 0, (1...32).contains(blockSize), (1...16).contains(parallelism),
              128 * rounds * blockSize * parallelism <= 256 << 20,
              let salt = Data(base64Encoded: parts[4]), salt.count >= 8,
              let hash = Data(base64Encoded: parts[5]), (16...64).contains(hash.count)
        else { return nil }
        self.init(rounds: rounds, blockSize: blockSize, parallelism: parallelism, salt: Array(salt), hash: Array(hash))
    }

    public var encoded: String {
        "scrypt$\(rounds)$\(blockSize)$\(parallelism)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }

    /// Whether `passphrase` made this hash; the comparison takes the same time wherever they differ.
    public func matches(_ passphrase: String) -> Bool {
        guard let candidate = try? Self.derive(passphrase, salt: salt, rounds: rounds, blockSize: blockSize,
                                               parallelism: parallelism, length: hash.count),
              candidate.count == hash.count else { return false }
        var difference: UInt8 = 0
        for index in hash.indices { difference |= candidate[index] ^ hash[index] }
        return difference == 0
    }

    private static func derive(_ passphrase: String, salt: [UInt8], rounds: Int, blockSize: Int, parallelism: Int,
                               length: Int = 32) throws -> [UInt8] {
        // The same passphrase typed on two terminals may arrive composed differently ("é" as one
        // code point or two); hash one canonical form so both unlock.
        let bytes = Array(passphrase.precomposedStringWithCanonicalMapping.utf8)
        let key = try KDF.Scrypt.deriveKey(from: bytes, salt: salt, outputByteCount: length, rounds: rounds,
                                           blockSize: blockSize, parallelism: parallelism)
        return key.withUnsafeBytes { Array($0) }
    }
}

extension CairnStore {
    /// The shortest passphrase accepted for the idle lock.
    public static let passphraseMinimumLength = 10

    /// Sets (or replaces) the actor's own passphrase. Only the hash is stored; the audit event says
    /// that it was set, never what to.
    public func setPassphrase(actor: Staff, _ passphrase: String) throws {
        guard passphrase.count >= Self.passphraseMinimumLength else {
            throw StoreError.invalid([FieldProblem(
                field: "passphrase",
                message: "must be at least \(Self.passphraseMinimumLength) characters long (yours has \(passphrase.count)); nothing was changed")])
        }
        // Hashed before the write begins: it is slow on purpose, and others must not wait on it.
        let encoded = try PassphraseHash.make(passphrase).encoded
        try pool.write { db in
            guard try Self.fetchStaff(db, username: actor.username)?.active == true else {
                throw StoreError.notFound("An active member of staff called \(actor.username)")
            }
            let replacing = try Bool.fetchOne(db, sql: "SELECT 1 FROM staff_passphrases WHERE username = ?",
                                              arguments: [actor.username]) ?? false
            try db.execute(sql: """
                INSERT INTO staff_passphrases (username, hash, set_at) VALUES (?, ?, ?)
                ON CONFLICT(username) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at
                """, arguments: [actor.username, encoded, Millis.from(self.clock.now())])
            try AuditChain.append(db, at: self.clock.now(), actor: actor.username, operation: .manageStaff,
                                  recordKind: "passphrase", recordID: actor.username,
                                  detail: replacing ? "changed their passphrase" : "set their passphrase")
        }
    }

    public func hasPassphrase(username: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM staff_passphrases WHERE username = ?", arguments: [username]) ?? false
        }
    }

    /// Whether `passphrase` is this person's; false when they have none or the stored hash is unreadable.
    public func verifyPassphrase(username: String, _ passphrase: String) throws -> Bool {
        let stored = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT hash FROM staff_passphrases WHERE username = ?", arguments: [username])
        }
        guard let stored, let hash = PassphraseHash(encoded: stored) else { return false }
        return hash.matches(passphrase)
    }
}
