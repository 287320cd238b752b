import CairnStore
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A transfer bundle as a whole: the file's JSON in its envelope, the receipt code, and the
/// bundle on disk (created 0600, never over an existing file).
public enum TransferBundle {
    /// A bundle opened and checked: its file, the digest of its JSON and the receipt code to give back.
    public struct Opened: Sendable {
        public var file: TransferFile
        public var digest: String
        public var receiptCode: String
    }

    /// Seals `file` with `key`: the bundle's bytes, its digest and its receipt code.
    public static func seal(_ file: TransferFile, with key: TransferEnvelope.SealingKey) throws -> (bytes: Data, seal: TransferSeal) {
        let sealed = try TransferEnvelope.seal(try TransferJSON.encode(file), with: key)
        return (sealed.bytes, TransferSeal(digest: sealed.digest, receiptCode: receiptCode(file, digest: sealed.digest)))
    }

    public static func open(_ bytes: Data, passphrase: String) throws(TransferError) -> Opened {
        let opened = try TransferEnvelope.open(bytes, passphrase: passphrase)
        let file = try TransferJSON.decode(opened.plaintext)
        return Opened(file: file, digest: opened.digest, receiptCode: receiptCode(file, digest: opened.digest))
    }

    /// HMAC-SHA-256 keyed with the file's receipt key over "cairn-transfer receipt v1", the digest
    /// and the school it was addressed to, one per line; the first 80 bits in Crockford's base32.
    /// Only someone who decrypted the bundle knows the key, so the sender learns that it was opened.
    public static func receiptCode(_ file: TransferFile, digest: String) -> String {
        let key = SymmetricKey(data: Data(base64Encoded: file.receiptKey) ?? Data())
        let message = Data("cairn-transfer receipt v1\n\(digest)\n\(file.receivingSchool)".utf8)
        return ReceiptCode.format(Array(HMAC<SHA256>.authenticationCode(for: message, using: key)))
    }

    // MARK: Files

    /// Reads a bundle, refusing anything too large to be one before reading it all.
    public static func read(path: String) throws -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw TransferFileError(path: path, reason: ChronologyExporter.reason(errno))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw TransferFileError(path: path, reason: "it is not a file") }
        if Int(info.st_size) > TransferEnvelope.maximumLength { throw TransferError.tooLarge(Int(info.st_size)) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TransferFileError(path: path, reason: "it cannot be read")
        }
        return data
    }

    /// Writes a new bundle: readable by its owner only, and never over anything already there.
    public static func write(_ bytes: Data, to path: String) throws {
        guard try ChronologyExporter.createNew(path, bytes) else {
            throw TransferFileError(path: path, reason: "a file of that name already exists; Cairn never overwrites one")
        }
    }
}

public struct TransferFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "Cannot use \(path): \(reason)." }
}
