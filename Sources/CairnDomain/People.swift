import Foundation

public struct SchoolID: Hashable, Sendable, Codable, RawRepresentable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

public struct School: Equatable, Sendable, Codable {
    public var id: SchoolID
    public var name: String
    public init(id: SchoolID, name: String) {
        self.id = id
        self.name = name
    }
}

/// Reception to Year 13, stored as 0...13.
public enum YearGroup: Int, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case reception = 0
    case year1, year2, year3, year4, year5, year6, year7, year8, year9, year10, year11, year12, year13

    public static func < (a: YearGroup, b: YearGroup) -> Bool { a.rawValue < b.rawValue }

    /// "Reception", "Year 7"
    public var description: String { self == .reception ? "Reception" : "Year \(rawValue)" }
    /// "R", "Y7": for narrow columns.
    public var short: String { self == .reception ? "R" : "Y\(rawValue)" }

    /// Accepts what MIS exports and people type: "R", "Reception", "Rec", "7", "Y7", "Year 7", "NC Year 7".
    public init?(parsing text: String) {
        var t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if ["r", "rec", "reception", "yr", "year r"].contains(t) { self = .reception; return }
        for prefix in ["nc year", "year", "yr", "y"] where t.hasPrefix(prefix) {
            t = String(t.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        guard let n = Int(t), let year = YearGroup(rawValue: n), n >= 1 || t == "0" else { return nil }
        self = year
    }
}

public enum ContextFlagKind: String, Sendable, Codable, CaseIterable {
    case childProtectionPlan = "cp_plan"
    case childInNeed = "child_in_need"
    case lookedAfter = "looked_after"
    case previouslyLookedAfter = "previously_looked_after"
    case senSupport = "sen_support"
    case ehcp
    case youngCarer = "young_carer"
    case eal
    case pupilPremium = "pupil_premium"
    case earlyHelp = "early_help"

    public var label: String {
        switch self {
        case .childProtectionPlan: "Child protection plan"
        case .childInNeed: "Child in need"
        case .lookedAfter: "Looked after"
        case .previouslyLookedAfter: "Previously looked after"
        case .senSupport: "SEN support"
        case .ehcp: "EHCP"
        case .youngCarer: "Young carer"
        case .eal: "EAL"
        case .pupilPremium: "Pupil premium"
        case .earlyHelp: "Early help"
        }
    }

    /// Short tag for headers and lists.
    public var tag: String {
        switch self {
        case .childProtectionPlan: "CP"
        case .childInNeed: "CIN"
        case .lookedAfter: "LAC"
        case .previouslyLookedAfter: "PLAC"
        case .senSupport: "SEN"
        case .ehcp: "EHCP"
        case .youngCarer: "YC"
        case .eal: "EAL"
        case .pupilPremium: "PP"
        case .earlyHelp: "EH"
        }
    }
}

public struct ContextFlag: Equatable, Sendable, Codable {
    public var kind: ContextFlagKind
    public var start: Date
    public var end: Date?
    public init(kind: ContextFlagKind, start: Date, end: Date? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
    }
    public func isActive(at date: Date) -> Bool { start <= date && (end.map { date < $0 } ?? true) }
}

public struct PupilID: Hashable, Sendable, Codable, RawRepresentable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

public struct Pupil: Equatable, Sendable, Codable {
    public var id: PupilID
    public var upn: UPN
    public var legalForename: String
    public var legalSurname: String
    public var preferredForename: String?
    public var dateOfBirth: Date
    public var yearGroup: YearGroup
    public var form: String
    public var school: SchoolID
    public var flags: [ContextFlag]

    public init(id: PupilID, upn: UPN, legalForename: String, legalSurname: String, preferredForename: String?,
                dateOfBirth: Date, yearGroup: YearGroup, form: String, school: SchoolID, flags: [ContextFlag] = []) {
        self.id = id
        self.upn = upn
        self.legalForename = legalForename
        self.legalSurname = legalSurname
        self.preferredForename = preferredForename
        self.dateOfBirth = dateOfBirth
        self.yearGroup = yearGroup
        self.form = form
        self.school = school
        self.flags = flags
    }

    /// "Amara Okafor", using the preferred forename when there is one.
    public var displayName: String { PupilName.display(legal: legalForename, preferred: preferredForename, surname: legalSurname) }
}

public enum PupilName {
    public static func display(legal: String, preferred: String?, surname: String) -> String {
        let forename = (preferred?.isEmpty == false) ? preferred! : legal
        return "\(forename) \(surname)"
    }
}

public enum Role: String, Sendable, Codable, CaseIterable {
    case dsl, deputy, pastoral, staff, admin, auditor

    public var label: String {
        switch self {
        case .dsl: "DSL"
        case .deputy: "Deputy DSL"
        case .pastoral: "Pastoral lead"
        case .staff: "Staff"
        case .admin: "Admin"
        case .auditor: "Auditor"
        }
    }
}

public struct Staff: Equatable, Sendable, Codable {
    public var username: String
    public var displayName: String
    public var role: Role
    /// Year groups a pastoral lead may see; empty for other roles.
    public var years: Set<YearGroup>
    /// nil for trust-level staff who span schools.
    public var school: SchoolID?
    public var active: Bool

    public init(username: String, displayName: String, role: Role, years: Set<YearGroup> = [],
                school: SchoolID?, active: Bool = true) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.years = years
        self.school = school
        self.active = active
    }

    /// Usernames are what the operating system calls the account: lower-case letters, digits, '.', '-', '_'.
    public static func validateUsername(_ name: String) -> String? {
        if name.isEmpty { return "username is empty" }
        if name.count > 64 { return "username is longer than 64 characters" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        if let bad = name.first(where: { !allowed.contains($0) }) {
            return "username may contain only lower-case letters, digits, '.', '-' and '_' (found \"\(bad)\")"
        }
        return nil
    }
}
