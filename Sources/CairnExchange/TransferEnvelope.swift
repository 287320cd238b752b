import _CryptoExtras
import CairnDomain
import CairnStore
import Crypto
import Foundation

/// The encrypted envelope around a bundle's JSON (TRANSFER-FORMAT.md, "Envelope"). A fixed
/// 105-byte header, then the AES-256-GCM ciphertext and its 16-byte tag. The key comes from the
/// passphrase by scrypt with the header's parameters and salt; the whole header is the GCM
/// additional data, so changing any byte of the file is found. The header also carries the
/// SHA-256 of the JSON, which the receiver checks after decrypting and can read back to the sender.
///
///     offset size  field
///          0    8  magic "CAIRNTRF"
///          8    2  version, big-endian (1)
///         10    1  key derivation: 1 = scrypt
///         11    1  log2 of scrypt's N (17 when Cairn writes)
///         12    4  scrypt r, big-endian (8)
///         16    4  scrypt p, big-endian (1)
///         20   32  salt
///         52    1  cipher: 1 = AES-256-GCM
///         53   12  nonce
///         65   32  SHA-256 of the JSON
///         97    8  length of the ciphertext, big-endian
///        105    L  ciphertext
///      105+L   16  tag
public enum TransferEnvelope {
    public static let magic = Array("CAIRNTRF".utf8)
    public static let version: UInt16 = 1
    public static let headerLength = 105
    public static let tagLength = 16
    /// Larger than any real file: 60,000 entries of text come to tens of megabytes.
    public static let maximumLength = 256 << 20

    /// scrypt's cost: N = 2^logN, block size r, parallelism p.
    public struct Cost: Equatable, Sendable {
        public var logN: UInt8
        public var r: UInt32
        public var p: UInt32

        public init(logN: UInt8, r: UInt32, p: UInt32) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// N = 2^17, r = 8, p = 1: 128 MiB and about half a second, once per transfer: far slower
        /// for someone guessing passphrases than the idle lock's hash, since the file travels.
        public static let standard = Cost(logN: 17, r: 8, p: 1)

        /// What a reader accepts: slow enough to matter, and not so costly that a made-up file
        /// could exhaust the server (at most 256 MiB).
        var problem: String? {
            guard (14...20).contains(logN), (1...32).contains(r), (1...16).contains(p) else {
                return "its key derivation settings (N = 2^\(logN), r = \(r), p = \(p)) are outside what Cairn accepts"
            }
            return 128 * (1 << Int(logN)) * Int(r) * Int(p) <= 256 << 20 ? nil
                : "its key derivation would need more than 256 MiB of memory"
        }
    }

    /// A key made from a passphrase with a fresh salt, ready to seal with.
    public struct SealingKey: Sendable {
        /// The key's bytes: swift-crypto's SymmetricKey is not Sendable.
        let key: [UInt8]
        let salt: [UInt8]
        let cost: Cost
    }

    /// The slow part of sealing, done before anything waits on it.
    public static func key(passphrase: String, cost: Cost = .standard) throws -> SealingKey {
        let salt = randomBytes(32)
        return SealingKey(key: try derive(passphrase, salt: salt, cost: cost).withUnsafeBytes { Array($0) }, salt: salt, cost: cost)
    }

    /// The envelope around `plaintext`, and the plaintext's SHA-256 (lower-case hex).
    public static func seal(_ plaintext: Data, with key: SealingKey) throws -> (bytes: Data, digest: String) {
        let digest = Array(SHA256.hash(data: plaintext))
        let nonce = randomBytes(12)
        var header = magic
        header += bigEndian(UInt64(version), bytes: 2) + [1, key.cost.logN]
        header += bigEndian(UInt64(key.cost.r), bytes: 4) + bigEndian(UInt64(key.cost.p), bytes: 4) + key.salt
        header += [1] + nonce + digest + bigEndian(UInt64(plaintext.count), bytes: 8)
        let box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: key.key), nonce: try AES.GCM.Nonce(data: nonce), authenticating: header)
        return (Data(header) + box.ciphertext + box.tag, hex(digest))
    }

    /// What the header says, checked without the passphrase: a file that is not a bundle, is cut
    /// short, is of another version or has impossible settings is refused before anyone types one.
    public struct Header: Equatable, Sendable {
        public var cost: Cost
        public var salt: [UInt8]
        public var nonce: [UInt8]
        public var digest: String
        public var ciphertextLength: Int
    }

    public static func header(_ bytes: Data) throws(TransferError) -> Header {
        let data = [UInt8](bytes.prefix(headerLength))
        guard data.count >= magic.count, Array(data[0..<magic.count]) == magic else { throw .notATransferFile }
        if bytes.count > maximumLength { throw .tooLarge(bytes.count) }
        guard data.count >= 10 else { throw .truncated(length: bytes.count) }
        let fileVersion = Int(number(data[8..<10]))
        guard fileVersion == Int(version) else { throw .unsupportedVersion(fileVersion) }
        guard data.count == headerLength else { throw .truncated(length: bytes.count) }
        guard data[10] == 1 else { throw .damaged("it names a key derivation Cairn does not know (\(data[10]))") }
        guard data[52] == 1 else { throw .damaged("it names a cipher Cairn does not know (\(data[52]))") }
        let cost = Cost(logN: data[11], r: UInt32(number(data[12..<16])), p: UInt32(number(data[16..<20])))
        if let problem = cost.problem { throw .damaged(problem) }
        let length = number(data[97..<105])
        guard length <= UInt64(maximumLength) else { throw .damaged("it claims to hold \(length) bytes") }
        let expected = headerLength + Int(length) + tagLength
        if bytes.count < expected { throw .truncated(length: bytes.count) }
        if bytes.count > expected { throw .damaged("it has \(counted(bytes.count - expected, "byte")) after its end") }
        return Header(cost: cost, salt: Array(data[20..<52]), nonce: Array(data[53..<65]), digest: hex(Array(data[65..<97])),
                      ciphertextLength: Int(length))
    }

    /// The JSON inside, and its SHA-256, once the tag and the digest check out.
    public static func open(_ bytes: Data, passphrase: String) throws(TransferError) -> (plaintext: Data, digest: String) {
        let header = try header(bytes)
        let all = [UInt8](bytes)
        let ciphertext = all[headerLength..<(headerLength + header.ciphertextLength)]
        let tag = all[(headerLength + header.ciphertextLength)...]
        let plaintext: Data
        do {
            let key = try derive(passphrase, salt: header.salt, cost: header.cost)
            let box = try AES.GCM.SealedBox(nonce: try AES.GCM.Nonce(data: header.nonce), ciphertext: ciphertext, tag: tag)
            plaintext = try AES.GCM.open(box, using: key, authenticating: all[0..<headerLength])
        } catch {
            // Under authenticated encryption a wrong key and a changed byte look the same.
            throw .wrongPassphraseOrChanged
        }
        let digest = hex(Array(SHA256.hash(data: plaintext)))
        guard digest == header.digest else { throw .digestMismatch }
        return (plaintext, digest)
    }

    // MARK: Helpers

    private static func derive(_ passphrase: String, salt: [UInt8], cost: Cost) throws -> SymmetricKey {
        // One canonical form, so that "é" typed as one code point or two opens the same file.
        try KDF.Scrypt.deriveKey(from: Array(passphrase.precomposedStringWithCanonicalMapping.utf8), salt: salt,
                                 outputByteCount: 32, rounds: 1 << Int(cost.logN), blockSize: Int(cost.r),
                                 parallelism: Int(cost.p))
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    private static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// Why a bundle was refused, in words for the person holding it. Nothing is imported for any of these.
public enum TransferError: Error, Equatable, Sendable, CustomStringConvertible {
    case notATransferFile
    case truncated(length: Int)
    case unsupportedVersion(Int)
    case tooLarge(Int)
    case damaged(String)
    case wrongPassphraseOrChanged
    case digestMismatch
    case contents([String])

    public var description: String {
        switch self {
        case .notATransferFile:
            "This is not a Cairn transfer file (it does not start with CAIRNTRF)."
        case .truncated(let length):
            "The file is incomplete: it ends after \(length) bytes. It was cut short in copying; ask the sending school for it again."
        case .unsupportedVersion(let version):
            "The file is a version \(version) transfer; this Cairn reads version \(TransferFile.version). Update Cairn, or ask the sending school for a version \(TransferFile.version) file."
        case .tooLarge(let length):
            "The file is too large to be a transfer (\(length) bytes)."
        case .damaged(let what):
            "The file is damaged: \(what)."
        case .wrongPassphraseOrChanged:
            "Wrong passphrase, or the file was changed after it was made. Check the passphrase with the sending school; if it is right, ask them for the file again."
        case .digestMismatch:
            "The file opened, but its contents do not match the digest it carries: it was made wrongly. Ask the sending school for it again."
        case .contents(let problems):
            "The file opened, but its contents are not a valid transfer:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }
}
