import CairnStore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The JSON inside a transfer bundle (TRANSFER-FORMAT.md, "Contents"): the transfer model with
/// snake_case keys, times as UTC with milliseconds ("2025-03-12T09:15:00.000Z"), keys sorted.
/// Reading is strict: a wrong type, a missing field, a value outside its list, a field this
/// version does not define, or a link to a record that is not there refuses the whole file, so
/// that nothing in it is silently dropped.
public enum TransferJSON {
    public static func encode(_ file: TransferFile) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return try encoder.encode(file)
    }

    /// The file, or every problem found, each as "where: what".
    public static func decode(_ data: Data) throws(TransferError) -> TransferFile {
        guard let tree = try? JSONSerialization.jsonObject(with: data),
              let top = tree as? [String: Any] else {
            throw .contents(["the contents are not a JSON object"])
        }
        // Format and version first, so that a newer file says so rather than listing what it has that is new.
        guard top["format"] as? String == TransferFile.format else {
            throw .contents(["format: must be \"\(TransferFile.format)\""])
        }
        guard let version = top["version"] as? Int else { throw .contents(["version: must be a whole number"]) }
        guard version == TransferFile.version else { throw .unsupportedVersion(version) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a time as YYYY-MM-DDTHH:MM:SS.sssZ")
            }
            return date
        }
        let file: TransferFile
        do {
            file = try decoder.decode(TransferFile.self, from: data)
        } catch let error as DecodingError {
            throw .contents([describe(error)])
        } catch {
            throw .contents(["\(error)"])
        }
        var problems: [String] = []
        if let known = try? JSONSerialization.jsonObject(with: encode(file)) {
            problems += unknownFields(tree, known, path: "")
        }
        problems += file.problems()
        if !problems.isEmpty { throw .contents(problems) }
        return file
    }

    /// Fields in `original` that `known` (the file written back from what was read) does not
    /// have: fields this version does not define. A null carries nothing, so it may be anywhere.
    static func unknownFields(_ original: Any, _ known: Any, path: String) -> [String] {
        if let object = original as? [String: Any], let knownObject = known as? [String: Any] {
            return object.keys.sorted().flatMap { key -> [String] in
                let place = path.isEmpty ? key : "\(path).\(key)"
                guard let value = object[key], !(value is NSNull) else { return [] }
                guard let knownValue = knownObject[key] else { return ["\(place): is not a field of version \(TransferFile.version)"] }
                return unknownFields(value, knownValue, path: place)
            }
        }
        if let array = original as? [Any], let knownArray = known as? [Any] {
            return zip(array, knownArray).enumerated().flatMap { index, pair in
                unknownFields(pair.0, pair.1, path: "\(path)[\(index)]")
            }
        }
        return []
    }

    /// "entries[3].kind: …" from a decoding error.
    static func describe(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            path.reduce("") { sum, key in
                if let index = key.intValue { return sum + "[\(index)]" }
                let name = snakeCase(key.stringValue)
                return sum.isEmpty ? name : "\(sum).\(name)"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath + [key])): is missing"
        case .valueNotFound(_, let context):
            return "\(place(context.codingPath)): is null, and must have a value"
        case .typeMismatch(let type, let context):
            return "\(place(context.codingPath)): must be \(typeName(type))"
        case .dataCorrupted(let context):
            let where_ = place(context.codingPath)
            let what = context.debugDescription.hasPrefix("Cannot initialize")
                ? "is not one of the values this field allows (TRANSFER-FORMAT.md lists them)" : context.debugDescription
            return where_.isEmpty ? what : "\(where_): \(what)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        default: "an object"
        }
    }

    private static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { out, character in
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
    }

    // MARK: Times

    /// "2025-03-12T09:15:00.000Z": UTC, to the millisecond.
    public static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        let fraction = millis - Int64(seconds) * 1000
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(fraction))
    }

    /// The time written by `timestamp`, and nothing else (no other zones, no missing milliseconds).
    public static func parseTimestamp(_ text: String) -> Date? {
        let characters = Array(text.utf8)
        guard characters.count == 24 else { return nil }
        let separators: [Int: UInt8] = [4: 0x2D, 7: 0x2D, 10: 0x54, 13: 0x3A, 16: 0x3A, 19: 0x2E, 23: 0x5A]
        for (index, character) in characters.enumerated() {
            if let expected = separators[index] {
                guard character == expected else { return nil }
            } else if !(0x30...0x39).contains(character) {
                return nil
            }
        }
        func number(_ range: Range<Int>) -> Int { characters[range].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        var parts = tm()
        parts.tm_year = Int32(number(0..<4) - 1900)
        parts.tm_mon = Int32(number(5..<7) - 1)
        parts.tm_mday = Int32(number(8..<10))
        parts.tm_hour = Int32(number(11..<13))
        parts.tm_min = Int32(number(14..<16))
        parts.tm_sec = Int32(number(17..<19))
        let asked = parts
        var seconds = timegm(&parts)
        // timegm rolls 31/02 and 25:00 on; a real time comes back as it went in.
        var back = tm()
        gmtime_r(&seconds, &back)
        guard back.tm_year == asked.tm_year, back.tm_mon == asked.tm_mon, back.tm_mday == asked.tm_mday,
              back.tm_hour == asked.tm_hour, back.tm_min == asked.tm_min, back.tm_sec == asked.tm_sec else { return nil }
        return Date(timeIntervalSince1970: Double(Int64(seconds) * 1000 + Int64(number(20..<23))) / 1000)
    }
}
