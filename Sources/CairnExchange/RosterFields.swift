import CairnDomain
import Foundation

/// One thing wrong with a roster or transfer file: where ("line 14", "pupil 3 (UPN A123…)"),
/// which field, and what.
public struct RosterProblem: Equatable, Sendable, CustomStringConvertible {
    public var place: String
    public var field: String
    public var message: String

    public init(place: String, field: String, message: String) {
        self.place = place
        self.field = field
        self.message = message
    }

    /// A CSV line, numbered as a spreadsheet shows it (the header is line 1).
    public static func line(_ number: Int, _ field: String, _ message: String) -> RosterProblem {
        RosterProblem(place: "line \(number)", field: field, message: message)
    }

    /// "line 14, date of birth: "31/02/2015" is not a real date …"
    public var description: String { "\(place), \(field): \(message)" }
}

/// Every problem found in a file, in file order. Nothing is imported while any remain.
public struct RosterErrors: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [RosterProblem]

    public init(problems: [RosterProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Dates as MIS exports write them: 14/05/2014, or ISO 2014-05-14 (and every CTF).
public enum RosterDate {
    public static let formats = "dd/mm/yyyy or yyyy-mm-dd"

    /// Midnight London time on that day; nil when it is not a real date in either form.
    public static func parse(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // ISO goes through the same round-trip check, so 2015-02-31 is refused as 31/02/2015 is.
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 {
            return UKDate.parseDate("\(parts[2])/\(parts[1])/\(parts[0])")
        }
        return UKDate.parseDate(text)
    }
}

/// Checks one pupil's values from any file format and collects every problem, rather than stopping
/// at the first. `place` names the pupil in messages.
struct PupilFieldChecker {
    let place: String
    var problems: [RosterProblem] = []

    init(place: String) { self.place = place }

    mutating func problem(_ field: String, _ message: String) {
        problems.append(RosterProblem(place: place, field: field, message: message))
    }

    mutating func upn(_ text: String?, field: String) -> UPN? {
        do {
            return try UPN(text ?? "")
        } catch {
            // The field is already named, so drop UPNError's own leading "UPN ".
            let message = error.description
            problem(field, message.hasPrefix("UPN ") ? String(message.dropFirst(4)) : message)
            return nil
        }
    }

    /// Blank values are nil (a problem when required); control characters are refused so that
    /// nothing odd reaches a screen.
    mutating func text(_ raw: String?, field: String, required: Bool) -> String? {
        let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.isEmpty {
            if required { problem(field, "is empty") }
            return nil
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problem(field, "contains a line break or control character (is a quote left open?)")
            return nil
        }
        return text
    }

    mutating func date(_ raw: String?, field: String, required: Bool) -> Date? {
        let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.isEmpty {
            if required { problem(field, "is empty") }
            return nil
        }
        guard let date = RosterDate.parse(text) else {
            problem(field, "\"\(TextSanitiser.line(text))\" is not a real date (\(RosterDate.formats))")
            return nil
        }
        return date
    }

    mutating func yearGroup(_ raw: String?, field: String) -> YearGroup? {
        let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.isEmpty {
            problem(field, "is empty")
            return nil
        }
        guard let year = YearGroup(parsing: text) else {
            problem(field, "\"\(TextSanitiser.line(text))\" is not a year group (R or Reception, or 1 to 13)")
            return nil
        }
        return year
    }
}

/// Remembers where each UPN was first seen, so a repeat names both places.
struct UPNsSeen {
    private var first: [String: String] = [:]

    /// The place the UPN was seen before, or nil the first time.
    mutating func repeated(_ upn: UPN, at place: String) -> String? {
        if let earlier = first[upn.value] { return earlier }
        first[upn.value] = place
        return nil
    }
}
