import Crypto
import Foundation
import GRDB
// GRDB's SQLite module under SwiftPM: the chain walk reads columns in place.
import GRDBSQLite

/// The chain walk's working memory, allocated once per walk: the canonical bytes of the current
/// row (filled straight from SQLite's columns) and the hash of the row before. Plain loops and raw
/// memory rather than generic collection calls, which cost most of the time in a debug build.
final class ChainWalker {
    private let row: SQLiteStatement
    private var bytes: UnsafeMutablePointer<UInt8>
    private var capacity = 1024
    private var count = 0
    private let previous = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    private var previousCount: Int
    /// Room for the digits of any UInt64.
    private let digits = UnsafeMutablePointer<UInt8>.allocate(capacity: 20)

    /// The first sequence whose detail is hashed by its digest (`AuditChain.digestFrom`).
    private let digestFrom: Int64
    /// Details removed by purge: sequence -> the original detail's SHA-256 in hex.
    private let redactions: [Int64: String]
    private let detailHex = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)

    init(_ row: SQLiteStatement, previousHash: String, digestFrom: Int64, redactions: [Int64: String]) {
        self.row = row
        self.digestFrom = digestFrom
        self.redactions = redactions
        bytes = .allocate(capacity: capacity)
        let utf8 = Array(previousHash.utf8.prefix(64))
        previousCount = utf8.count
        previous.initialize(from: utf8, count: utf8.count)
    }

    deinit {
        bytes.deallocate()
        previous.deallocate()
        digits.deallocate()
        detailHex.deallocate()
    }

    var sequence: Int64 { sqlite3_column_int64(row, 0) }

    var previousHash: String { String(decoding: UnsafeBufferPointer(start: previous, count: previousCount), as: UTF8.self) }

    var followsPrevious: Bool {
        guard let text = sqlite3_column_text(row, 8) else { return previousCount == 0 }
        return Int(sqlite3_column_bytes(row, 8)) == previousCount && memcmp(text, previous, previousCount) == 0
    }

    /// Encodes the row as `AuditChain.canonical` does and compares its SHA-256 with the stored hex.
    var matchesItsHash: Bool {
        count = 0
        appendNumber(sqlite3_column_int64(row, 0))
        appendNumber(sqlite3_column_int64(row, 1))
        for column: Int32 in 2...5 { appendText(column) }
        if sqlite3_column_type(row, 6) == SQLITE_NULL {
            appendText(nil, 0)
        } else {
            appendNumber(sqlite3_column_int64(row, 6))
        }
        guard appendDetail() else { return false }
        appendText(8)
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: bytes, count: count))
        let digest = hasher.finalize()
        guard let stored = sqlite3_column_text(row, 9), sqlite3_column_bytes(row, 9) == 64 else { return false }
        return digest.withUnsafeBytes { raw in
            var index = 0
            while index < 32 {
                let byte = raw[index]
                guard stored[2 * index] == Self.hexDigit(byte >> 4), stored[2 * index + 1] == Self.hexDigit(byte & 0x0F) else {
                    return false
                }
                index += 1
            }
            return true
        }
    }

    /// The detail as the chain hashes it: itself before `digestFrom`, its SHA-256 in hex after, and
    /// for a detail purge removed the digest kept for it (the detail must then be the marker).
    private func appendDetail() -> Bool {
        let sequence = sqlite3_column_int64(row, 0)
        guard sequence >= digestFrom else {
            appendText(7)
            return true
        }
        if let kept = redactions[sequence] {
            guard columnText(7) == AuditChain.redactedDetail else { return false }
            let utf8 = Array(kept.utf8)
            guard utf8.count == 64 else { return false }
            utf8.withUnsafeBufferPointer { appendText($0.baseAddress, 64) }
            return true
        }
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: sqlite3_column_text(row, 7), count: Int(sqlite3_column_bytes(row, 7))))
        hasher.finalize().withUnsafeBytes { raw in
            for index in 0..<32 {
                detailHex[2 * index] = Self.hexDigit(raw[index] >> 4)
                detailHex[2 * index + 1] = Self.hexDigit(raw[index] & 0x0F)
            }
        }
        appendText(UnsafePointer(detailHex), 64)
        return true
    }

    private func columnText(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(row, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(row, column))), as: UTF8.self)
    }

    /// The row just checked becomes the one before the next.
    func moveOn() {
        previousCount = 64
        previous.update(from: sqlite3_column_text(row, 9), count: 64)
    }

    private func appendText(_ column: Int32) {
        let text = sqlite3_column_text(row, column)
        appendText(text, Int(sqlite3_column_bytes(row, column)))
    }

    /// "<length>:<bytes>"
    private func appendText(_ text: UnsafePointer<UInt8>?, _ length: Int) {
        let start = writeDigits(UInt64(length))
        appendBytes(digits + start, 20 - start)
        append(0x3A)
        if let text { appendBytes(text, length) }
    }

    /// "<length>:<decimal>", the bytes of `String(value)`.
    private func appendNumber(_ value: Int64) {
        let start = writeDigits(value.magnitude)
        let length = 20 - start + (value < 0 ? 1 : 0)
        if length >= 10 { append(UInt8(ascii: "0") + UInt8(length / 10)) }
        append(UInt8(ascii: "0") + UInt8(length % 10))
        append(0x3A)
        if value < 0 { append(UInt8(ascii: "-")) }
        appendBytes(digits + start, 20 - start)
    }

    /// Writes the decimal digits of `value` at the end of `digits`; returns where they start.
    private func writeDigits(_ value: UInt64) -> Int {
        var rest = value
        var start = 20
        repeat {
            start -= 1
            digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
        return start
    }

    private func appendBytes(_ source: UnsafePointer<UInt8>, _ length: Int) {
        reserve(length)
        (bytes + count).update(from: source, count: length)
        count += length
    }

    private func append(_ byte: UInt8) {
        reserve(1)
        bytes[count] = byte
        count += 1
    }

    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        while count + extra > capacity { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = grown
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
