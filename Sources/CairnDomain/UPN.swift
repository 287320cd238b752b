/// A DfE Unique Pupil Number: a check letter, then LA code (3 digits), establishment (4),
/// year allocated (2) and serial (3). A temporary UPN ends in a letter instead of the last
/// serial digit. Only well-formed values with a correct check letter can be constructed.
public struct UPN: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Normalised: trimmed and uppercased.
    public let value: String

    public init(_ raw: String) throws(UPNError) {
        self.value = try Self.validate(raw)
    }

    public var description: String { value }

    /// Whether the 13th character is a letter, which marks a temporary UPN.
    public var isTemporary: Bool { value.last.map { $0.isLetter } ?? false }

    public static func < (lhs: UPN, rhs: UPN) -> Bool { lhs.value < rhs.value }

    /// The check letter for the 12 characters after it, or nil if they are not 11 digits
    /// followed by a digit or an allowed letter.
    public static func checkLetter(forDigits twelve: String) -> Character? {
        let characters = Array(twelve.uppercased())
        guard characters.count == 12 else { return nil }
        var sum = 0
        for (offset, character) in characters.enumerated() {
            guard let value = characterValue(character, isLast: offset == 11) else { return nil }
            sum += value * (offset + 2)
        }
        return letters[sum % 23]
    }

    public static func isValid(_ raw: String) -> Bool {
        (try? validate(raw)) != nil
    }

    /// For synthetic demo data: builds a valid permanent UPN. `year` may be two or four digits.
    public static func make(la: Int, establishment: Int, year: Int, serial: Int) -> UPN {
        precondition((0...999).contains(la), "LA code must be 0...999")
        precondition((0...9999).contains(establishment), "establishment must be 0...9999")
        precondition(year >= 0, "year must not be negative")
        precondition((0...999).contains(serial), "serial must be 0...999")
        let twelve = zeroPadded(la, 3) + zeroPadded(establishment, 4)
            + zeroPadded(year % 100, 2) + zeroPadded(serial, 3)
        // Safe: twelve digits always have a check letter.
        let check = checkLetter(forDigits: twelve)!
        return try! UPN(String(check) + twelve)
    }

    // MARK: Codable as a single string

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: String(describing: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    // MARK: Private

    /// 0...22; I, O and S are left out so they cannot be misread as 1, 0 and 5.
    private static let letters: [Character] = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    private static func characterValue(_ character: Character, isLast: Bool) -> Int? {
        if let digit = character.wholeNumberValue, character.isASCII { return digit }
        if isLast { return letters.firstIndex(of: character) }
        return nil
    }

    private static func validate(_ raw: String) throws(UPNError) -> String {
        let normalised = raw.trimmingWhitespace().uppercased()
        if normalised.isEmpty { throw .empty }
        let characters = Array(normalised)
        guard characters.count == 13 else { throw .wrongLength(characters.count) }
        guard letters.contains(characters[0]) else {
            throw .invalidCharacter(position: 1, character: characters[0])
        }
        for index in 1..<13 where characterValue(characters[index], isLast: index == 12) == nil {
            throw .invalidCharacter(position: index + 1, character: characters[index])
        }
        let expected = checkLetter(forDigits: String(characters[1...]))!
        guard expected == characters[0] else {
            throw .wrongCheckLetter(expected: expected, found: characters[0])
        }
        return normalised
    }

    private static func zeroPadded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

public enum UPNError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case wrongLength(Int)
    /// `position` counts from 1, as the DfE specification does.
    case invalidCharacter(position: Int, character: Character)
    case wrongCheckLetter(expected: Character, found: Character)

    public var description: String {
        switch self {
        case .empty:
            "UPN is empty"
        case .wrongLength(let count):
            "UPN must be 13 characters (got \(count))"
        case .invalidCharacter(let position, let character):
            "UPN character \(position) must be \(Self.expectation(at: position)), not \(Self.visible(character))"
        case .wrongCheckLetter(let expected, let found):
            "UPN check letter should be \(expected), not \(found)"
        }
    }

    private static func expectation(at position: Int) -> String {
        switch position {
        case 1: "a check letter (A to Z except I, O and S)"
        case 13: "a digit, or for a temporary UPN a letter other than I, O or S"
        default: "a digit"
        }
    }

    /// Quotes printable ASCII; spells out anything else as code points so the message cannot
    /// hide or smuggle invisible or control characters.
    private static func visible(_ character: Character) -> String {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first, (0x21...0x7E).contains(scalar.value) {
            return "\u{201C}\(character)\u{201D}"
        }
        return scalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let start = firstIndex(where: { !isSpace($0) }),
              let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
