import Foundation

public enum ConcernStatus: String, Sendable, Codable, CaseIterable {
    case new
    case inProgress = "in_progress"
    case closed

    public var label: String {
        switch self {
        case .new: "New"
        case .inProgress: "In progress"
        case .closed: "Closed"
        }
    }
}

/// Level of need on the local continuum: 1 universal, 2 early help, 3 targeted, 4 statutory.
public enum LevelOfNeed: Int, Sendable, Codable, CaseIterable {
    case universal = 1, earlyHelp, targeted, statutory

    public var label: String {
        switch self {
        case .universal: "1 Universal"
        case .earlyHelp: "2 Early help"
        case .targeted: "3 Targeted"
        case .statutory: "4 Statutory"
        }
    }
}

public enum OutcomeKind: String, Sendable, Codable, CaseIterable {
    case noFurtherAction = "nfa"
    case unfounded
    case monitor
    case supportInSchool = "support_in_school"
    case earlyHelp = "early_help"
    case referralToSocialCare = "referral_csc"
    case police

    public var label: String {
        switch self {
        case .noFurtherAction: "No further action"
        case .unfounded: "Unfounded"
        case .monitor: "Monitor"
        case .supportInSchool: "Support in school"
        case .earlyHelp: "Early help"
        case .referralToSocialCare: "Referral to children's social care"
        case .police: "Police"
        }
    }

    public var needsReason: Bool { self == .noFurtherAction }
}

/// How a concern was closed. A reason is required for no further action and kept for any outcome.
public struct Outcome: Equatable, Sendable, Codable {
    public var kind: OutcomeKind
    public var reason: String?

    public init(kind: OutcomeKind, reason: String? = nil) throws(FieldProblem) {
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if kind.needsReason, trimmed?.isEmpty ?? true {
            throw FieldProblem(field: "reason", message: "a reason is required for no further action")
        }
        self.kind = kind
        self.reason = (trimmed?.isEmpty ?? true) ? nil : trimmed
    }
}

/// The DSL's triage decision.
public struct TriageDecision: Equatable, Sendable, Codable {
    public var level: LevelOfNeed
    public var caseHolder: String
    public var restricted: Bool

    public init(level: LevelOfNeed, caseHolder: String, restricted: Bool) {
        self.level = level
        self.caseHolder = caseHolder
        self.restricted = restricted
    }
}

public enum ConcernEvent: Sendable, Equatable {
    case triage(TriageDecision)
    case close(Outcome)
}

public struct IllegalTransition: Error, Equatable, Sendable, CustomStringConvertible {
    public let from: ConcernStatus
    public let event: String
    public var description: String {
        switch (from, event) {
        case (.new, "close"): "a new concern must be triaged before it is closed"
        case (.closed, _): "this concern is closed; record an amendment or log a new concern instead"
        default: "cannot \(event) a concern that is \(from.label.lowercased())"
        }
    }
}

/// The concern life cycle: new -> in progress -> closed. Re-triage while in progress is allowed
/// (the level of need or case holder changes); anything else is an error, never a silent no-op.
public enum ConcernLifecycle {
    public static func next(from status: ConcernStatus, on event: ConcernEvent) throws(IllegalTransition) -> ConcernStatus {
        switch (status, event) {
        case (.new, .triage), (.inProgress, .triage): return .inProgress
        case (.inProgress, .close): return .closed
        case (.new, .close): throw IllegalTransition(from: status, event: "close")
        case (.closed, .triage): throw IllegalTransition(from: status, event: "triage")
        case (.closed, .close): throw IllegalTransition(from: status, event: "close")
        }
    }
}
