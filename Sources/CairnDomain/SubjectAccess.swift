import Foundation

/// Subject access requests (UK GDPR article 15): a family asks for the child's file and the school
/// answers within one calendar month, withholding only what an exemption covers, and saying so.
public enum SubjectAccess {
    /// The day a request received on `received` must be answered by: the same day of the next
    /// month, or that month's last day when it has no such day (received 31/01, due 28/02 or
    /// 29/02 in a leap year). Counted in London days, from the day received. Midnight, London.
    public static func due(received: Date) -> Date {
        let calendar = UKDate.calendar
        let parts = calendar.dateComponents([.year, .month, .day], from: received)
        var year = parts.year!, month = parts.month! + 1
        if month > 12 {
            month = 1
            year += 1
        }
        let firstOfMonth = calendar.date(from: DateComponents(year: year, month: month, day: 1))!
        let lastDay = calendar.range(of: .day, in: .month, for: firstOfMonth)!.count
        return calendar.date(from: DateComponents(year: year, month: month, day: min(parts.day!, lastDay)))!
    }
}

/// Field names of the request and withholding inputs, so that a problem lands beside its field
/// (or names its `--option` on the command line).
public enum SARField {
    public static let upn = "upn"
    public static let received = "received"
    public static let requester = "requester"
    public static let relationship = "relationship"
    /// What to withhold: the whole entry, sentences of it, or a typed passage.
    public static let part = "part"
    public static let passage = "passage"
    public static let reason = "reason"
    public static let otherReason = "other reason"
}

/// A request as it is recorded: who asked, as what to the child, and when it arrived.
public struct SARRequestInput: Equatable, Sendable {
    public var received: Date
    public var requester: String
    public var relationship: String

    public init(received: Date, requester: String, relationship: String) {
        self.received = received
        self.requester = requester
        self.relationship = relationship
    }

    /// Received today or before (a request cannot arrive tomorrow); a name and a relationship.
    public func problems(now: Date) -> [FieldProblem] {
        var out: [FieldProblem] = []
        if UKDate.calendar.startOfDay(for: received) > UKDate.calendar.startOfDay(for: now) {
            out.append(FieldProblem(field: SARField.received, message: "The date received cannot be in the future"))
        }
        if requester.isBlank { out.append(FieldProblem(field: SARField.requester, message: "Name the person making the request")) }
        if relationship.isBlank {
            out.append(FieldProblem(field: SARField.relationship,
                                    message: "Say who they are to the child, e.g. mother, or the pupil themself"))
        }
        return out
    }
}

/// Why part of a file is kept back from a subject access request: the exemptions a school meets
/// most (Data Protection Act 2018 schedules 2 and 3), and any other, named in words.
public enum ExemptionReason: String, Sendable, Codable, CaseIterable {
    case thirdParty = "third_party"
    case seriousHarm = "serious_harm"
    case crimePrevention = "crime_prevention"
    case other

    public var label: String {
        switch self {
        case .thirdParty: "Third-party information"
        case .seriousHarm: "Serious harm"
        case .crimePrevention: "Crime prevention"
        case .other: "Other"
        }
    }

    /// The words in "[withheld: …]": the label in lower case, or the exemption a DSL named.
    public func phrase(other: String?) -> String {
        if self == .other, let named = other?.trimmingCharacters(in: .whitespacesAndNewlines), !named.isEmpty {
            return TextSanitiser.line(named)
        }
        return label.prefix(1).lowercased() + label.dropFirst()
    }
}

/// What of an entry is withheld.
public enum WithheldPart: Equatable, Sendable {
    case wholeEntry
    /// Exact passages of the entry's current text, each withheld wherever it appears.
    case passages([String])
}

/// A DSL's decision to withhold part of an entry from a subject access request, and why.
public struct WithholdingInput: Equatable, Sendable {
    public var part: WithheldPart?
    public var reason: ExemptionReason?
    /// The exemption in words, when the reason is `.other`.
    public var otherReason: String

    public init(part: WithheldPart?, reason: ExemptionReason?, otherReason: String = "") {
        self.part = part
        self.reason = reason
        self.otherReason = otherReason
    }

    /// Each passage trimmed, blanks left out, each once.
    public var passages: [String] {
        guard case .passages(let raw)? = part else { return [] }
        var seen = Set<String>()
        return raw.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Every passage must be in the entry's text as it reads now, exactly: a passage that is not
    /// there would withhold nothing and the family would see what the DSL meant to keep back.
    public func problems(currentText: String) -> [FieldProblem] {
        var out: [FieldProblem] = []
        switch part {
        case nil:
            out.append(FieldProblem(field: SARField.part, message: "Choose what to withhold"))
        case .wholeEntry:
            break
        case .passages:
            if passages.isEmpty {
                out.append(FieldProblem(field: SARField.passage, message: "Type or paste the exact words to withhold"))
            } else if let missing = passages.first(where: { !currentText.contains($0) }) {
                out.append(FieldProblem(field: SARField.passage,
                                        message: "“\(Redaction.excerpt(missing))” is not in the entry as it reads now; type or paste it exactly"))
            }
        }
        if reason == nil { out.append(FieldProblem(field: SARField.reason, message: "Choose the exemption that applies")) }
        if reason == .other, otherReason.isBlank {
            out.append(FieldProblem(field: SARField.otherReason, message: "Name the exemption that applies"))
        }
        return out
    }
}

/// Replacing withheld passages in text, and offering an entry's sentences to choose from.
public enum Redaction {
    /// `text` with every occurrence of each passage replaced by "[withheld: reason]". Occurrences
    /// that overlap or touch become one marker naming each reason once, so that no fragment of a
    /// withheld passage is left standing between two markers.
    public static func apply(_ text: String, _ passages: [(passage: String, reason: String)]) -> String {
        var spans: [(range: Range<String.Index>, reason: String)] = []
        for (passage, reason) in passages where !passage.isEmpty {
            for range in text.ranges(of: passage) { spans.append((range, reason)) }
        }
        guard !spans.isEmpty else { return text }
        spans.sort { $0.range.lowerBound < $1.range.lowerBound }
        var merged: [(range: Range<String.Index>, reasons: [String])] = []
        for span in spans {
            if let last = merged.last, span.range.lowerBound <= last.range.upperBound {
                let upper = max(last.range.upperBound, span.range.upperBound)
                merged[merged.count - 1].range = last.range.lowerBound..<upper
                if !last.reasons.contains(span.reason) { merged[merged.count - 1].reasons.append(span.reason) }
            } else {
                merged.append((span.range, [span.reason]))
            }
        }
        var out = ""
        var position = text.startIndex
        for span in merged {
            out += text[position..<span.range.lowerBound]
            out += marker(span.reasons.joined(separator: "; "))
            position = span.range.upperBound
        }
        return out + text[position...]
    }

    /// "[withheld: third-party information]"
    public static func marker(_ reason: String) -> String { "[withheld: \(reason)]" }

    /// The sentences of an entry's text, in order and each once, for choosing what to withhold by
    /// keys alone: each line is split after ".", "!" or "?" followed by a space.
    public static func sentences(of text: String) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        func add(_ sentence: Substring) {
            let trimmed = sentence.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, seen.insert(trimmed).inserted { out.append(trimmed) }
        }
        for line in text.split(whereSeparator: \.isNewline) {
            var start = line.startIndex
            var index = line.startIndex
            while index < line.endIndex {
                let next = line.index(after: index)
                if ".!?".contains(line[index]), next < line.endIndex, line[next] == " " {
                    add(line[start..<next])
                    start = next
                }
                index = next
            }
            add(line[start...])
        }
        return out
    }

    /// The start of a passage for a message: one line, at most 40 characters.
    public static func excerpt(_ passage: String) -> String {
        let line = TextSanitiser.line(passage)
        return line.count <= 40 ? line : String(line.prefix(39)) + "…"
    }
}
