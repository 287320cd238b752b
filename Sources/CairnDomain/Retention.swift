import Foundation

/// How long a safeguarding file is kept: until the pupil has left and reached date of birth plus
/// `years` (the IRMS schools toolkit says 25; some policies say the 26th birthday). A legal hold
/// stops destruction whatever the dates say.
public struct RetentionRule: Equatable, Sendable {
    public static let toolkitYears = 25
    /// Fewer years than the toolkit would destroy files that must be kept; more than 100 is a typo.
    public static let allowedYears = 25...100

    public let years: Int

    public init(years: Int = RetentionRule.toolkitYears) {
        self.years = years
    }

    /// The London day the file falls due: the `years`-th birthday (28 February for a 29 February
    /// birthday outside a leap year, as the calendar gives).
    public func dueDate(bornOn dateOfBirth: Date) -> Date {
        let calendar = UKDate.calendar
        let birthday = calendar.startOfDay(for: dateOfBirth)
        return calendar.date(byAdding: .year, value: years, to: birthday) ?? birthday
    }

    /// Due once the pupil has left and the due day has begun; never while on roll.
    public func isDue(bornOn dateOfBirth: Date, leftOn left: Date?, at now: Date) -> Bool {
        guard left != nil else { return false }
        return now >= dueDate(bornOn: dateOfBirth)
    }

    /// Explains a `retention_years` value that cannot be used, or nil.
    public static func problem(years: Int) -> String? {
        allowedYears.contains(years) ? nil
            : "\(years) is not allowed: files are kept at least \(toolkitYears) years from birth (the IRMS toolkit), at most \(allowedYears.upperBound)"
    }
}

/// A legal hold on a pupil's file (for example for a public inquiry): while it stands the file is
/// not purged, whatever the retention rule says.
public struct LegalHold: Equatable, Sendable, Codable {
    public var reason: String
    public var placedBy: String
    public var placedAt: Date

    public init(reason: String, placedBy: String, placedAt: Date) {
        self.reason = reason
        self.placedBy = placedBy
        self.placedAt = placedAt
    }

    /// Checks the reason given for placing or releasing a hold.
    public static func problem(reason: String) -> FieldProblem? {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return FieldProblem(field: "reason", message: "say why, for example the inquiry's name") }
        if trimmed.count > 500 { return FieldProblem(field: "reason", message: "keep it under 500 characters") }
        return nil
    }
}
