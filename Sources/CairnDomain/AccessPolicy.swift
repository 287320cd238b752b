import Foundation

/// Everything a person can ask Cairn to do. One row each in the access matrix.
public enum AccessOperation: String, Sendable, Codable, CaseIterable {
    case listQueue = "list_queue"
    case listOwnConcerns = "list_own_concerns"
    case readConcern = "read_concern"
    case readChronology = "read_chronology"
    case logConcern = "log_concern"
    case triage
    case close
    case amend
    case addAction = "add_action"
    case addNote = "add_note"
    case addReferral = "add_referral"
    case completeAction = "complete_action"
    case search
    case exportChronology = "export_chronology"
    case sarExport = "sar_export"
    case transfer
    case retentionReview = "retention_review"
    case retentionPurge = "retention_purge"
    case legalHold = "legal_hold"
    case importPupils = "import_pupils"
    case manageStaff = "manage_staff"
    case readAudit = "read_audit"
    case verifyAudit = "verify_audit"
    case readStatistics = "read_statistics"
    case backup
    case manageActions = "manage_actions"
    case setFlag = "set_flag"

    /// Operations that touch the content of a child's record (so need a record in scope).
    public var touchesRecord: Bool {
        switch self {
        case .readConcern, .readChronology, .triage, .close, .amend, .addAction, .addNote, .addReferral,
             .completeAction, .exportChronology, .sarExport, .transfer, .retentionPurge, .legalHold, .setFlag:
            true
        default:
            false
        }
    }
}

/// What the policy needs to know about the record being touched.
public struct RecordScope: Equatable, Sendable {
    public var school: SchoolID?
    public var yearGroups: [YearGroup]
    public var restricted: Bool
    public var reportedBy: String?
    public var caseHolder: String?
    public var actionOwner: String?

    public init(school: SchoolID?, yearGroups: [YearGroup] = [], restricted: Bool = false, reportedBy: String? = nil,
                caseHolder: String? = nil, actionOwner: String? = nil) {
        self.school = school
        self.yearGroups = yearGroups
        self.restricted = restricted
        self.reportedBy = reportedBy
        self.caseHolder = caseHolder
        self.actionOwner = actionOwner
    }
}

public enum AccessDecision: Equatable, Sendable {
    case allow
    case deny(String)

    public var isAllowed: Bool { self == .allow }
}

public struct AccessDenied: Error, Equatable, Sendable, CustomStringConvertible {
    public let operation: AccessOperation
    public let reason: String
    public init(operation: AccessOperation, reason: String) {
        self.operation = operation
        self.reason = reason
    }
    public var description: String { "Not permitted: \(reason)" }
}

/// Least privilege as one pure function. The store calls it at its single choke point.
public enum AccessPolicy {
    public static func decide(_ staff: Staff, _ operation: AccessOperation, _ record: RecordScope? = nil) -> AccessDecision {
        guard staff.active else { return .deny("\(staff.username)'s account is disabled") }
        if let record, let recordSchool = record.school, let own = staff.school, own != recordSchool {
            return .deny("this record belongs to another school")
        }
        let roleAllows = allowed(staff.role).contains(operation)
        guard roleAllows else { return .deny("the \(staff.role.label) role may not \(describe(operation))") }
        guard let record else { return .allow }

        switch staff.role {
        case .dsl, .deputy:
            return .allow
        case .pastoral:
            // Their own action, even on a pupil outside their years: complete it, or move its due date.
            if operation == .completeAction || operation == .addAction, record.actionOwner == staff.username { return .allow }
            if record.yearGroups.isEmpty || !record.yearGroups.allSatisfy(staff.years.contains) {
                return .deny("this pupil is outside your year groups")
            }
            if record.restricted, record.caseHolder != staff.username {
                return .deny("this record is restricted to the safeguarding team")
            }
            return .allow
        case .staff:
            // Staff see what they reported, and that it was received; nothing else.
            if operation == .readConcern, record.reportedBy == staff.username { return .allow }
            if operation == .completeAction, record.actionOwner == staff.username { return .allow }
            return .deny("you may see only the concerns you logged")
        case .admin, .auditor:
            return .deny("the \(staff.role.label) role reads no record content")
        }
    }

    /// The role half of the matrix: which operations a role may ever perform.
    public static func allowed(_ role: Role) -> Set<AccessOperation> {
        switch role {
        case .dsl:
            return Set(AccessOperation.allCases)
        case .deputy:
            return Set(AccessOperation.allCases).subtracting([.manageStaff, .retentionPurge, .legalHold, .backup])
        case .pastoral:
            return [.listOwnConcerns, .readConcern, .readChronology, .logConcern, .addAction, .addNote,
                    .completeAction, .search]
        case .staff:
            return [.logConcern, .listOwnConcerns, .readConcern, .completeAction]
        // Anyone who works in the school can raise a concern, even those who read no records.
        case .admin:
            return [.logConcern, .listOwnConcerns, .manageStaff, .importPupils, .verifyAudit, .readStatistics, .backup]
        case .auditor:
            return [.logConcern, .listOwnConcerns, .readAudit, .verifyAudit, .readStatistics]
        }
    }

    static func describe(_ operation: AccessOperation) -> String {
        switch operation {
        case .listQueue: "see the incoming queue"
        case .listOwnConcerns: "list their own concerns"
        case .readConcern: "read concerns"
        case .readChronology: "read a pupil's chronology"
        case .logConcern: "log concerns"
        case .triage: "triage concerns"
        case .close: "close concerns"
        case .amend: "amend records"
        case .addAction: "add actions"
        case .addNote: "add notes"
        case .addReferral: "record referrals"
        case .completeAction: "complete actions"
        case .search: "search records"
        case .exportChronology: "export chronologies"
        case .sarExport: "export subject access requests"
        case .transfer: "transfer files"
        case .retentionReview: "review retention"
        case .retentionPurge: "purge records"
        case .legalHold: "set legal holds"
        case .importPupils: "import pupils"
        case .manageStaff: "manage staff"
        case .readAudit: "read the audit log"
        case .verifyAudit: "verify the audit log"
        case .readStatistics: "read statistics"
        case .backup: "take backups"
        case .manageActions: "reassign actions and see everyone's actions"
        case .setFlag: "set or end context flags"
        }
    }
}
