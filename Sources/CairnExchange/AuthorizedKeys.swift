import CairnDomain
import Crypto
import Foundation

/// An SSH public key as a `.pub` file holds it: type, the key itself (decoded) and a comment.
public struct PublicKey: Equatable, Sendable {
    /// The types Cairn writes into `authorized_keys`; certificates and DSA are not among them.
    public static let acceptedTypes = ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                                       "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
                                       "sk-ecdsa-sha2-nistp256@openssh.com"]

    public let type: String
    public let blob: [UInt8]
    public let comment: String

    public init(type: String, blob: [UInt8], comment: String) {
        self.type = type
        self.blob = blob
        self.comment = comment
    }

    public var base64: String { Data(blob).base64EncodedString() }

    /// As `ssh-keygen -l` prints it: SHA-256 of the decoded key, in base64 without padding.
    public var fingerprint: String {
        "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// Reads a public key file: exactly one key line (blank lines and # comments aside), of an
    /// accepted type, valid base64 whose contents name the same type, and no options of its own.
    public static func parseFile(_ text: String) throws(KeyFileProblem) -> PublicKey {
        if text.contains("PRIVATE KEY") {
            throw KeyFileProblem("this is a private key, which must never leave its owner's computer. Give the public key instead: the file ending in .pub")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard lines.count == 1, let line = lines.first else {
            throw KeyFileProblem(lines.isEmpty ? "there is no public key in it; give the file ending in .pub"
                                 : "it has \(lines.count) key lines; give a file with exactly one key")
        }
        let words = line.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let type = words.first, acceptedTypes.contains(type) else {
            let first = words.first ?? ""
            if first.contains("=") || first.contains(",") || first.contains("\"") {
                throw KeyFileProblem("the key line starts with options (\(first.prefix(40))…); Cairn writes its own, so give the key as ssh-keygen wrote it")
            }
            throw KeyFileProblem("\"\(first.prefix(40))\" is not a key type Cairn accepts (\(acceptedTypes.joined(separator: ", ")))")
        }
        guard words.count >= 2, let blob = decode(words[1], as: type) else {
            throw KeyFileProblem("the \(type) key data is damaged (not base64 for a \(type) key); copy the .pub file again")
        }
        return PublicKey(type: type, blob: blob, comment: words.count > 2 ? cleanComment(words[2]) : "")
    }

    /// The key data, if `text` is base64 whose first field (a length-prefixed string) is `type`.
    static func decode(_ text: String, as type: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: text), data.count > 4 else { return nil }
        let blob = Array(data)
        let length = blob[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard length == type.utf8.count, blob.count > 4 + length, Array(blob[4..<(4 + length)]) == Array(type.utf8) else {
            return nil
        }
        return blob
    }

    /// Comments are free text: drop anything that could reach a terminal as a control sequence.
    static func cleanComment(_ text: String) -> String {
        let kept = text.unicodeScalars.filter {
            $0.properties.generalCategory != .control && $0.properties.generalCategory != .format
        }
        return String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespaces)
    }
}

public struct KeyFileProblem: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// An `authorized_keys` file: the lines Cairn wrote, each granting one key to one member of staff,
/// and every other line, kept exactly as it was and in its place.
public struct AuthorizedKeys: Equatable, Sendable {
    public enum Line: Equatable, Sendable {
        case cairn(CairnKey)
        /// Anything else, as written; `key` is the key it grants, when one can be read from it.
        case other(text: String, key: [UInt8]?)
    }

    /// One line written by `cairn ssh authorize`.
    public struct CairnKey: Equatable, Sendable {
        public let username: String
        public let key: PublicKey
        /// The line as it stands in the file.
        public let text: String
    }

    public private(set) var lines: [Line]

    public init(parsing text: String) {
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if rows.last == "" { rows.removeLast() }
        lines = rows.map(Self.parse)
    }

    /// The file's text: every line, each ending in a newline.
    public var text: String { lines.map { line in
        switch line {
        case .cairn(let key): key.text
        case .other(let text, _): text
        }
    }.map { $0 + "\n" }.joined() }

    public var cairnKeys: [CairnKey] {
        lines.compactMap { if case .cairn(let key) = $0 { key } else { nil } }
    }

    /// Who a key already lets in.
    public enum Holder: Equatable, Sendable {
        case staff(String)
        case lineNotWrittenByCairn
    }

    public func holder(of key: PublicKey) -> Holder? {
        for line in lines {
            switch line {
            case .cairn(let existing) where existing.key.blob == key.blob: return .staff(existing.username)
            case .other(_, let blob?) where blob == key.blob: return .lineNotWrittenByCairn
            default: continue
            }
        }
        return nil
    }

    /// The line that lets `key` in as `username` and nothing else: no forwarding, no other command.
    public static func line(username: String, key: PublicKey, executable: String) -> String {
        let comment = key.comment.isEmpty ? "" : " \(key.comment)"
        return "command=\"\(executable) --as \(username)\",restrict,pty \(key.type) \(key.base64)\(comment)"
    }

    public mutating func append(username: String, key: PublicKey, executable: String) {
        let text = Self.line(username: username, key: key, executable: executable)
        lines.append(.cairn(CairnKey(username: username, key: key, text: text)))
    }

    /// Removes this person's keys (only the one with `fingerprint`, if given); returns what went.
    public mutating func revoke(username: String, fingerprint: String?) -> [CairnKey] {
        var removed: [CairnKey] = []
        lines.removeAll { line in
            guard case .cairn(let key) = line, key.username == username,
                  fingerprint.map({ $0 == key.key.fingerprint }) ?? true else { return false }
            removed.append(key)
            return true
        }
        return removed
    }

    static func parse(_ text: String) -> Line {
        guard let (options, type, encoded, comment) = fields(text) else { return .other(text: text, key: nil) }
        let blob = PublicKey.decode(encoded, as: type)
        if let options, let blob, let username = cairnUsername(options) {
            return .cairn(CairnKey(username: username, key: PublicKey(type: type, blob: blob, comment: comment), text: text))
        }
        return .other(text: text, key: blob)
    }

    /// The username in `command="…/cairn --as NAME",restrict,pty`, the options Cairn writes; nil otherwise.
    static func cairnUsername(_ options: String) -> String? {
        let prefix = "command=\"", suffix = "\",restrict,pty"
        guard options.hasPrefix(prefix), options.hasSuffix(suffix), options.count > prefix.count + suffix.count else { return nil }
        let command = options.dropFirst(prefix.count).dropLast(suffix.count).split(separator: " ", omittingEmptySubsequences: false)
        guard command.count == 3, command[0] == "cairn" || command[0].hasSuffix("/cairn"), command[1] == "--as",
              Staff.validateUsername(String(command[2])) == nil else { return nil }
        return String(command[2])
    }

    /// Splits `[options] type base64 [comment]`; options may hold quoted spaces.
    static func fields(_ line: String) -> (options: String?, type: String, base64: String, comment: String)? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        var options: String?
        var rest = trimmed
        let firstWord = trimmed.prefix { $0 != " " && $0 != "\t" }
        if !looksLikeKeyType(String(firstWord)) {
            var inQuotes = false, escaped = false
            let end = trimmed.firstIndex { character in
                defer { escaped = character == "\\" && !escaped }
                if character == "\"" && !escaped { inQuotes.toggle() }
                return !inQuotes && (character == " " || character == "\t")
            } ?? trimmed.endIndex
            options = String(trimmed[..<end])
            rest = trimmed[end...]
        }
        let words = rest.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count >= 2 else { return nil }
        return (options, words[0], words[1], words.count > 2 ? words[2] : "")
    }

    /// Whether a line's first word is its key type (one Cairn knows, or one that looks like a newer
    /// type) rather than options.
    static func looksLikeKeyType(_ word: String) -> Bool {
        PublicKey.acceptedTypes.contains(word) || word.hasPrefix("ssh-") || word.hasPrefix("ecdsa-") || word.hasPrefix("sk-")
    }
}
