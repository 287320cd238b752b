import Foundation

// What the DSL or a pastoral lead records from a pupil's chronology. Each input validates itself,
// naming the form field (`FieldProblem.field`) and saying the problem as a sentence, so that the
// dashboard shows it beside the field and the CLI prints it as it is.

/// Field names shared by the inputs below and the forms that fill them.
public enum RecordField {
    public static let kind = "kind"
    public static let when = "when"
    public static let party = "party"
    public static let who = "who"
    public static let method = "how"
    public static let summary = "summary"
    public static let nature = "nature"
    public static let meetingType = "type"
    public static let attendees = "attendees"
    public static let decisions = "decisions"
    public static let agency = "agency"
    public static let outcome = "outcome"
    public static let consent = "consent"
    public static let consentReason = "consent reason"
    public static let lawfulBasis = "lawful basis"
    public static let agencyReference = "agency reference"
    public static let reasoning = "reasoning"
    public static let decision = "decision"
    public static let decidedOn = "decided on"
    public static let description = "description"
    public static let owner = "owner"
    public static let due = "due"
    public static let text = "text"
    public static let reason = "reason"
    public static let flag = "flag"
    public static let start = "start"
    public static let end = "end"
    public static let concern = "concern"
    public static let referral = "referral"
    public static let status = "status"
}

public enum NoteKind: String, Sendable, Codable, CaseIterable {
    case note, contact

    public var label: String { self == .note ? "Note" : "Contact (parent/carer or professional)" }
}

/// Who a contact was with.
public enum ContactParty: String, Sendable, Codable, CaseIterable {
    case parentCarer = "parent_carer"
    case professional
    case child

    public var label: String {
        switch self {
        case .parentCarer: "Parent or carer"
        case .professional: "Professional"
        case .child: "The child"
        }
    }
}

public enum ContactMethod: String, Sendable, Codable, CaseIterable {
    case phone
    case inPerson = "in_person"
    case homeVisit = "home_visit"
    case email, letter, video

    public var label: String {
        switch self {
        case .phone: "Telephone"
        case .inPerson: "In person"
        case .homeVisit: "Home visit"
        case .email: "Email"
        case .letter: "Letter"
        case .video: "Video call"
        }
    }
}

/// A note, or a contact with a parent/carer or professional.
public struct NoteInput: Equatable, Sendable {
    public var kind: NoteKind
    public var occurredAt: Date
    /// Contacts only.
    public var party: ContactParty?
    /// Contacts only: name and relationship, "Ms R. Example (mother)".
    public var who: String
    /// Contacts only.
    public var method: ContactMethod?
    public var summary: String
    public var nature: Nature?
    public var significant: Bool

    public init(kind: NoteKind, occurredAt: Date, party: ContactParty? = nil, who: String = "",
                method: ContactMethod? = nil, summary: String, nature: Nature? = nil, significant: Bool = false) {
        self.kind = kind
        self.occurredAt = occurredAt
        self.party = party
        self.who = who
        self.method = method
        self.summary = summary
        self.nature = nature
        self.significant = significant
    }

    public func problems(now: Date) -> [FieldProblem] {
        var out: [FieldProblem] = []
        if occurredAt > now.addingTimeInterval(300) {
            out.append(.init(field: RecordField.when, message: "The date cannot be in the future"))
        }
        if kind == .contact {
            if party == nil { out.append(.init(field: RecordField.party, message: "Say who the contact was with")) }
            if who.isBlank { out.append(.init(field: RecordField.who, message: "Name the person, and their relationship to the child")) }
            if method == nil { out.append(.init(field: RecordField.method, message: "Say how the contact was made")) }
        }
        if summary.isBlank { out.append(.init(field: RecordField.summary, message: "Write what was said or done")) }
        return out
    }
}

public enum MeetingType: String, Sendable, Codable, CaseIterable {
    case strategyDiscussion = "strategy_discussion"
    case childProtectionConference = "cp_conference"
    case coreGroup = "core_group"
    case childInNeedReview = "cin_review"
    case teamAroundTheChild = "team_around_child"
    case lookedAfterReview = "looked_after_review"
    case earlyHelpReview = "early_help_review"
    case internalReview = "internal"
    case other

    public var label: String {
        switch self {
        case .strategyDiscussion: "Strategy discussion"
        case .childProtectionConference: "Child protection conference"
        case .coreGroup: "Core group"
        case .childInNeedReview: "Child in need review"
        case .teamAroundTheChild: "Team around the child"
        case .lookedAfterReview: "Looked-after review"
        case .earlyHelpReview: "Early help review"
        case .internalReview: "School safeguarding review"
        case .other: "Other meeting"
        }
    }
}

public struct MeetingInput: Equatable, Sendable {
    public var type: MeetingType
    public var heldAt: Date
    public var attendees: String
    public var decisions: String
    public var significant: Bool

    public init(type: MeetingType, heldAt: Date, attendees: String, decisions: String, significant: Bool = true) {
        self.type = type
        self.heldAt = heldAt
        self.attendees = attendees
        self.decisions = decisions
        self.significant = significant
    }

    public func problems(now: Date) -> [FieldProblem] {
        var out: [FieldProblem] = []
        if heldAt > now.addingTimeInterval(300) {
            out.append(.init(field: RecordField.when, message: "Date of the meeting cannot be in the future"))
        }
        if attendees.isBlank { out.append(.init(field: RecordField.attendees, message: "List who attended")) }
        if decisions.isBlank { out.append(.init(field: RecordField.decisions, message: "Record what was decided")) }
        return out
    }
}

/// The lawful basis for sharing information with an agency (UK GDPR).
public enum LawfulBasis: String, Sendable, Codable, CaseIterable {
    case publicTask = "public_task"
    case legalObligation = "legal_obligation"
    case vitalInterests = "vital_interests"
    case consent

    public var label: String {
        switch self {
        case .publicTask: "Public task – UK GDPR art. 6(1)(e)"
        case .legalObligation: "Legal obligation – UK GDPR art. 6(1)(c)"
        case .vitalInterests: "Vital interests – UK GDPR art. 6(1)(d)"
        case .consent: "Consent – UK GDPR art. 6(1)(a)"
        }
    }
}

/// A referral made, or a considered decision not to make one.
public enum ReferralOutcome: String, Sendable, Codable, CaseIterable {
    case referred
    case notReferred = "not_referred"

    public var label: String { self == .referred ? "Referral made" : "Decided not to refer" }
}

public struct ReferralInput: Equatable, Sendable {
    public var concern: ConcernID?
    public var agency: Agency
    public var outcome: ReferralOutcome
    public var madeAt: Date
    /// Referrals made only.
    public var consent: ConsentBasis?
    public var consentReason: String
    public var lawfulBasis: LawfulBasis?
    public var agencyReference: String
    /// Why: required for a decision not to refer, optional otherwise.
    public var reasoning: String
    /// The agency's decision, when it has come.
    public var decision: String
    public var decidedOn: Date?

    public init(concern: ConcernID? = nil, agency: Agency, outcome: ReferralOutcome = .referred, madeAt: Date,
                consent: ConsentBasis? = nil, consentReason: String = "", lawfulBasis: LawfulBasis? = nil,
                agencyReference: String = "", reasoning: String = "", decision: String = "", decidedOn: Date? = nil) {
        self.concern = concern
        self.agency = agency
        self.outcome = outcome
        self.madeAt = madeAt
        self.consent = consent
        self.consentReason = consentReason
        self.lawfulBasis = lawfulBasis
        self.agencyReference = agencyReference
        self.reasoning = reasoning
        self.decision = decision
        self.decidedOn = decidedOn
    }

    public func problems(now: Date) -> [FieldProblem] {
        var out: [FieldProblem] = []
        let future = now.addingTimeInterval(300)
        if madeAt > future {
            out.append(.init(field: RecordField.when, message: "Date of the referral cannot be in the future"))
        }
        switch outcome {
        case .referred:
            if let consent {
                if consent.needsReason, consentReason.isBlank {
                    out.append(.init(field: RecordField.consentReason,
                                     message: consent == .notSought ? "Say why consent was not sought"
                                                                    : "Say why the referral goes ahead without consent"))
                }
            } else {
                out.append(.init(field: RecordField.consent, message: "Record the consent basis"))
            }
            if lawfulBasis == nil { out.append(.init(field: RecordField.lawfulBasis, message: "Record the lawful basis for sharing")) }
        case .notReferred:
            if reasoning.isBlank { out.append(.init(field: RecordField.reasoning, message: "Record why no referral was made")) }
        }
        if let decidedOn {
            if decidedOn > future { out.append(.init(field: RecordField.decidedOn, message: "Date of the decision cannot be in the future")) }
            if decidedOn < UKDate.calendar.startOfDay(for: madeAt) {
                out.append(.init(field: RecordField.decidedOn, message: "The decision cannot come before the referral"))
            }
            if decision.isBlank { out.append(.init(field: RecordField.decision, message: "Write the agency's decision")) }
        } else if !decision.isBlank {
            out.append(.init(field: RecordField.decidedOn, message: "Give the date of the decision"))
        }
        return out
    }
}

public struct ActionInput: Equatable, Sendable {
    public var description: String
    public var owner: String
    public var due: Date
    public var concern: ConcernID?
    public var referral: Int64?

    public init(description: String, owner: String, due: Date, concern: ConcernID? = nil, referral: Int64? = nil) {
        self.description = description
        self.owner = owner
        self.due = due
        self.concern = concern
        self.referral = referral
    }

    public func problems(now: Date) -> [FieldProblem] {
        var out: [FieldProblem] = []
        if description.isBlank { out.append(.init(field: RecordField.description, message: "Say what must be done")) }
        if owner.isBlank { out.append(.init(field: RecordField.owner, message: "Choose who will do it")) }
        if due < UKDate.calendar.startOfDay(for: now) {
            out.append(.init(field: RecordField.due, message: "The due date cannot be in the past"))
        }
        return out
    }
}

/// A correction: the new text and why. The old text stays in the entry's history.
public struct AmendmentInput: Equatable, Sendable {
    public var newText: String
    public var reason: String

    public init(newText: String, reason: String) {
        self.newText = newText
        self.reason = reason
    }

    public func problems(currentText: String) -> [FieldProblem] {
        var out: [FieldProblem] = []
        if newText.isBlank { out.append(.init(field: RecordField.text, message: "The corrected text cannot be empty")) }
        else if newText.trimmingCharacters(in: .whitespacesAndNewlines) == currentText.trimmingCharacters(in: .whitespacesAndNewlines) {
            out.append(.init(field: RecordField.text, message: "The text is unchanged"))
        }
        if reason.isBlank { out.append(.init(field: RecordField.reason, message: "Say why the entry is being amended")) }
        return out
    }
}

extension String {
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
