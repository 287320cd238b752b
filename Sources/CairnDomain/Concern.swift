import Foundation

/// Categories that cover Keeping Children Safe in Education.
public enum ConcernCategory: String, Sendable, Codable, CaseIterable {
    case physical, emotional, sexual, neglect
    case childOnChild = "child-on-child"
    case online
    case mentalHealth = "mental-health"
    case selfHarm = "self-harm"
    case domesticAbuse = "domestic-abuse"
    case exploitation
    case radicalisation
    case fgm
    case attendance
    case bullying
    case familyCircumstances = "family"
    case other

    public var label: String {
        switch self {
        case .physical: "Physical abuse"
        case .emotional: "Emotional abuse"
        case .sexual: "Sexual abuse"
        case .neglect: "Neglect"
        case .childOnChild: "Child-on-child abuse"
        case .online: "Online safety"
        case .mentalHealth: "Mental health"
        case .selfHarm: "Self-harm"
        case .domesticAbuse: "Domestic abuse"
        case .exploitation: "Exploitation (CSE/CCE)"
        case .radicalisation: "Radicalisation"
        case .fgm: "FGM"
        case .attendance: "Attendance / missing education"
        case .bullying: "Bullying"
        case .familyCircumstances: "Family circumstances"
        case .other: "Other"
        }
    }

    /// Compact form for list rows.
    public var short: String {
        switch self {
        case .physical: "physical"
        case .emotional: "emotional"
        case .sexual: "sexual"
        case .neglect: "neglect"
        case .childOnChild: "child-on-child"
        case .online: "online"
        case .mentalHealth: "mental health"
        case .selfHarm: "self-harm"
        case .domesticAbuse: "DA"
        case .exploitation: "exploitation"
        case .radicalisation: "radicalisation"
        case .fgm: "FGM"
        case .attendance: "attendance"
        case .bullying: "bullying"
        case .familyCircumstances: "family"
        case .other: "other"
        }
    }

    /// Accepts the raw value, the short form or the label, case-insensitively.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let found = ConcernCategory.allCases.first(where: {
            $0.rawValue == t || $0.short.lowercased() == t || $0.label.lowercased() == t
        }) else { return nil }
        self = found
    }
}

/// Where an account comes from: a fact seen, the child's disclosure, hearsay, or an opinion.
/// Critics rightly say guesses get stored as facts; every account carries this label.
public enum Nature: String, Sendable, Codable, CaseIterable {
    case seen, disclosed, reported, opinion

    public var label: String {
        switch self {
        case .seen: "Seen by reporter"
        case .disclosed: "Disclosed by the child"
        case .reported: "Reported by someone else"
        case .opinion: "Reporter's opinion"
        }
    }

    public var tag: String {
        switch self {
        case .seen: "[seen]"
        case .disclosed: "[disclosed]"
        case .reported: "[reported]"
        case .opinion: "[opinion]"
        }
    }
}

public enum Urgency: String, Sendable, Codable {
    case routine
    case atRiskNow = "at_risk_now"

    public var label: String { self == .routine ? "Routine" : "Child at risk now" }
}

public struct ConcernID: Hashable, Sendable, Codable, RawRepresentable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// "2026-0042": year recorded, then a running number within that year.
public struct ConcernReference: Hashable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let number: Int
    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }
    public var description: String { String(format: "%04d-%04d", year, number) }

    public init?(parsing text: String) {
        // Exactly "digits-digits": no stray hyphens or signs ("-2026-0042", "+202-0042" are not references).
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let n = Int(parts[1]), n > 0 else { return nil }
        self.init(year: y, number: n)
    }
}

/// One account within a concern, with its nature.
public struct Account: Equatable, Sendable, Codable {
    public var nature: Nature
    public var text: String
    public init(nature: Nature, text: String) {
        self.nature = nature
        self.text = text
    }
}

/// What a member of staff submits; validated before it reaches the store.
public struct ConcernDraft: Equatable, Sendable {
    public var pupils: [UPN]
    public var categories: [ConcernCategory]
    public var accounts: [Account]
    public var childWords: String?
    public var reporterAction: String?
    public var location: String?
    public var urgency: Urgency
    public var occurredAt: Date

    public init(pupils: [UPN], categories: [ConcernCategory], accounts: [Account], childWords: String? = nil,
                reporterAction: String? = nil, location: String? = nil, urgency: Urgency = .routine, occurredAt: Date) {
        self.pupils = pupils
        self.categories = categories
        self.accounts = accounts
        self.childWords = childWords
        self.reporterAction = reporterAction
        self.location = location
        self.urgency = urgency
        self.occurredAt = occurredAt
    }

    /// Problems as (field, message); empty when the draft may be saved.
    public func problems(recordedAt now: Date) -> [FieldProblem] {
        var out: [FieldProblem] = []
        if pupils.isEmpty { out.append(.init(field: "pupil", message: "at least one pupil is needed")) }
        if Set(pupils).count != pupils.count { out.append(.init(field: "pupil", message: "the same pupil is named twice")) }
        if categories.isEmpty { out.append(.init(field: "category", message: "at least one category is needed")) }
        if accounts.isEmpty || accounts.allSatisfy({ $0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
            out.append(.init(field: "text", message: "say what was seen or heard"))
        }
        if occurredAt > now.addingTimeInterval(300) {
            out.append(.init(field: "occurred-at", message: "is in the future"))
        }
        return out
    }
}

public struct FieldProblem: Equatable, Sendable, Error, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field): \(message)" }
}
