import Foundation

public enum ActionStatus: String, Sendable, Codable, CaseIterable {
    case open, done, cancelled
}

/// Something a named person must do by a date.
public struct Action: Equatable, Sendable, Codable {
    public var id: Int64
    public var pupil: PupilID
    public var concern: ConcernID?
    public var description: String
    public var owner: String
    public var due: Date
    public var status: ActionStatus
    public var outcome: String?

    public init(id: Int64, pupil: PupilID, concern: ConcernID?, description: String, owner: String, due: Date,
                status: ActionStatus = .open, outcome: String? = nil) {
        self.id = id
        self.pupil = pupil
        self.concern = concern
        self.description = description
        self.owner = owner
        self.due = due
        self.status = status
        self.outcome = outcome
    }

    /// Overdue when still open after the end of its due day (London time).
    public func isOverdue(at now: Date) -> Bool {
        status == .open && ActionRules.isOverdue(due: due, at: now)
    }
}

public enum ActionRules {
    public static func isOverdue(due: Date, at now: Date) -> Bool {
        let endOfDueDay = UKDate.calendar.date(byAdding: .day, value: 1, to: UKDate.calendar.startOfDay(for: due))!
        return now >= endOfDueDay
    }

    /// The first moment at which an action due before it is overdue: the start of today.
    public static func overdueCutoff(at now: Date) -> Date {
        UKDate.calendar.startOfDay(for: now)
    }
}

public enum Agency: String, Sendable, Codable, CaseIterable {
    case socialCare = "social_care"
    case earlyHelp = "early_help"
    case police, camhs, lado, prevent, other

    public var label: String {
        switch self {
        case .socialCare: "Children's social care / MASH"
        case .earlyHelp: "Early help"
        case .police: "Police"
        case .camhs: "CAMHS"
        case .lado: "LADO"
        case .prevent: "Prevent"
        case .other: "Other"
        }
    }
}

public enum ConsentBasis: String, Sendable, Codable, CaseIterable {
    case givenByParent = "given_parent"
    case givenByYoungPerson = "given_young_person"
    case notSought = "not_sought"
    case refusedProceeding = "refused_proceeding"

    public var label: String {
        switch self {
        case .givenByParent: "Given by parent/carer"
        case .givenByYoungPerson: "Given by the young person"
        case .notSought: "Not sought"
        case .refusedProceeding: "Refused, proceeding"
        }
    }

    /// Not seeking consent, or going ahead without it, must be explained.
    public var needsReason: Bool { self == .notSought || self == .refusedProceeding }
}

public struct Referral: Equatable, Sendable, Codable {
    public var id: Int64
    public var pupil: PupilID
    public var concern: ConcernID?
    public var agency: Agency
    public var madeOn: Date
    public var madeBy: String
    public var consent: ConsentBasis
    public var consentReason: String?
    public var agencyReference: String?
    public var decision: String?
    public var decidedOn: Date?

    public init(id: Int64, pupil: PupilID, concern: ConcernID?, agency: Agency, madeOn: Date, madeBy: String,
                consent: ConsentBasis, consentReason: String? = nil, agencyReference: String? = nil,
                decision: String? = nil, decidedOn: Date? = nil) {
        self.id = id
        self.pupil = pupil
        self.concern = concern
        self.agency = agency
        self.madeOn = madeOn
        self.madeBy = madeBy
        self.consent = consent
        self.consentReason = consentReason
        self.agencyReference = agencyReference
        self.decision = decision
        self.decidedOn = decidedOn
    }
}

public enum ChronologyKind: String, Sendable, Codable, CaseIterable {
    case concern, triage, action, contact, referral
    case agencyResponse = "agency_response"
    case meeting, note
    case flagChange = "flag_change"
    case externalNotification = "external_notification"
    case transfer, amendment, closure
    /// A family's statement disputing an entry.
    case dispute

    public var label: String {
        switch self {
        case .concern: "Concern"
        case .triage: "Triage"
        case .action: "Action"
        case .contact: "Contact"
        case .referral: "Referral"
        case .agencyResponse: "Agency response"
        case .meeting: "Meeting"
        case .note: "Note"
        case .flagChange: "Flag change"
        case .externalNotification: "External notification"
        case .transfer: "Transfer"
        case .amendment: "Amendment"
        case .closure: "Closure"
        case .dispute: "Dispute"
        }
    }
}

/// One significant event in a pupil's file.
public struct ChronologyEntry: Equatable, Sendable, Codable {
    public var id: Int64
    public var pupil: PupilID
    public var occurredAt: Date
    public var kind: ChronologyKind
    public var summary: String
    public var author: String
    public var nature: Nature?
    public var significant: Bool
    public var concern: ConcernID?
    public var restricted: Bool
    /// The action this entry records (set, moved, reassigned or completed), so the Actions pane can jump to it.
    public var action: Int64?

    public init(id: Int64, pupil: PupilID, occurredAt: Date, kind: ChronologyKind, summary: String, author: String,
                nature: Nature? = nil, significant: Bool = false, concern: ConcernID? = nil, restricted: Bool = false,
                action: Int64? = nil) {
        self.id = id
        self.pupil = pupil
        self.occurredAt = occurredAt
        self.kind = kind
        self.summary = summary
        self.author = author
        self.nature = nature
        self.significant = significant
        self.concern = concern
        self.restricted = restricted
        self.action = action
    }
}

/// Who did what to which record, and when. Hash-chained by the store.
public struct AuditEvent: Equatable, Sendable, Codable {
    public var sequence: Int64
    public var at: Date
    public var actor: String
    public var operation: AccessOperation
    public var recordKind: String
    public var recordID: String
    public var detail: String
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, at: Date, actor: String, operation: AccessOperation, recordKind: String, recordID: String,
                detail: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.operation = operation
        self.recordKind = recordKind
        self.recordID = recordID
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }
}
