import Foundation

/// Everything a person can ask Cairn to do. One row each in the access matrix.
public enum AccessOperation: String, Sendable, Codable, CaseIterable {
    case listQueue = "list_queue"
    case listOwnConcerns = "list_own_concerns"
    case readConcern = "read_concern"
    case readChronology = "read_chronology"
    case readRestricted = "read_restricted"
    case logConcern = "log_concern"
    case triage
    case close
    case amend
    case addAction = "add_action"
    case addNote = "add_note"
    case addReferral = "add_referral"
    case completeAction = "complete_action"
    case manageActions = "manage_actions"
    case setFlag = "set_flag"
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
    case acknowledgeAudit = "acknowledge_audit"
    case readStatistics = "read_statistics"
    case backup
    case verifyBackfill = "verify_backfill"
    case rectify

    /// Operations that touch the content of a child's record (so need a record in scope).
    public var touchesRecord: Bool {
        switch self {
        case .readConcern, .readChronology, .readRestricted, .triage, .close, .amend, .addAction, .addNote,
             .addReferral, .completeAction, .setFlag, .exportChronology, .sarExport, .transfer, .retentionPurge,
             .legalHold, .verifyBackfill, .rectify:
            true
        default:
            false
        }
    }
}

/// How far one role's permission for one operation reaches. A cell of the access matrix.
public enum Grant: String, Sendable, CaseIterable {
    /// Never.
    case none
    /// Anything at their school (every school, for trust-level staff), restricted records included.
    case all
    /// Pupils in their scope (a pastoral lead's year groups, at their school), restricted records excepted.
    case inScope
    /// As `inScope`, and also what they own anywhere in the school (an action given to them).
    case inScopeOrOwn
    /// Only what is theirs: a concern they logged, an action given to them, a case they hold.
    case own

    /// Short words for the printed matrix.
    public var label: String {
        switch self {
        case .none: "no"
        case .all: "yes"
        case .inScope: "in scope"
        case .inScopeOrOwn: "in scope or own"
        case .own: "own only"
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

    /// Whether the record is the person's own for this operation: an action given to them, for
    /// work on actions; a concern they logged, for reading; for seeing past a restriction, any of
    /// those or a case they hold.
    public func isOwn(by username: String, for operation: AccessOperation) -> Bool {
        switch operation {
        case .completeAction, .addAction: actionOwner == username
        case .readRestricted: actionOwner == username || reportedBy == username || caseHolder == username
        default: reportedBy == username
        }
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

/// The access matrix: one table, every operation against every role. The store consults it at its
/// single choke point; `cairn access` prints it.
public enum AccessMatrix {
    /// Column order of `table`.
    public static let roles: [Role] = [.dsl, .deputy, .pastoral, .staff, .admin, .auditor]

    // Y all, S in scope, O own only, B in scope or own, - none.
    //                                                 dsl dep pas stf adm aud
    private static let table: [AccessOperation: String] = [
        .listQueue:        "YY----",
        .listOwnConcerns:  "YYYYYY",
        .readConcern:      "YYSO--",
        .readChronology:   "YYS---",
        .readRestricted:   "YYOO--",
        .logConcern:       "YYYYYY", // anyone who works in the school can raise a concern
        .triage:           "YY----",
        .close:            "YY----",
        .amend:            "YY----",
        .addAction:        "YYB---",
        .addNote:          "YYS---",
        .addReferral:      "YY----",
        .completeAction:   "YYBO--",
        .manageActions:    "YY----",
        .setFlag:          "YY----",
        .search:           "YYS---",
        .exportChronology: "YY----",
        .sarExport:        "YY----",
        .transfer:         "YY----",
        .retentionReview:  "YY----",
        .retentionPurge:   "Y-----",
        .legalHold:        "Y-----",
        .importPupils:     "YY--Y-",
        .manageStaff:      "Y---Y-",
        .readAudit:        "YY---Y",
        .verifyAudit:      "YY--YY",
        .acknowledgeAudit: "Y-----",
        .readStatistics:   "YY--YY",
        .backup:           "Y---Y-",
        .verifyBackfill:   "YYS---", // a different person from the typist checks against the paper
        .rectify:          "YY----",
    ]

    public static func grant(_ role: Role, _ operation: AccessOperation) -> Grant {
        guard let row = table[operation], let column = roles.firstIndex(of: role) else { return .none }
        switch Array(row)[column] {
        case "Y": return .all
        case "S": return .inScope
        case "O": return .own
        case "B": return .inScopeOrOwn
        default: return .none
        }
    }

    /// The matrix as a Markdown table, for `cairn access` and the documentation.
    public static var markdown: String {
        var lines = ["| operation | " + roles.map(\.rawValue).joined(separator: " | ") + " |",
                     "|---|" + String(repeating: "---|", count: roles.count)]
        for operation in AccessOperation.allCases {
            lines.append("| \(operation.rawValue) | " + roles.map { grant($0, operation).label }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}

/// Least privilege as one pure function over the matrix. The store calls it at its single choke point.
public enum AccessPolicy {
    public static func decide(_ staff: Staff, _ operation: AccessOperation, _ record: RecordScope? = nil) -> AccessDecision {
        guard staff.active else { return .deny("\(staff.username)'s account is disabled") }
        let grant = AccessMatrix.grant(staff.role, operation)
        guard grant != .none else { return .deny("the \(staff.role.label) role may not \(describe(operation))") }
        guard let record else { return .allow }
        if let recordSchool = record.school, let own = staff.school, own != recordSchool {
            return .deny("this record belongs to another school")
        }
        if let refusal = reach(grant, staff: staff, record: record, isOwn: record.isOwn(by: staff.username, for: operation)) {
            return .deny(refusal)
        }
        // A restricted record needs the restricted grant as well as the operation's own.
        if record.restricted, operation != .readRestricted,
           reach(AccessMatrix.grant(staff.role, .readRestricted), staff: staff, record: record,
                 isOwn: record.isOwn(by: staff.username, for: .readRestricted)) != nil {
            return .deny("this record is restricted to the safeguarding team")
        }
        return .allow
    }

    /// Why a grant does not reach this record, or nil when it does.
    private static func reach(_ grant: Grant, staff: Staff, record: RecordScope, isOwn: Bool) -> String? {
        switch grant {
        case .none:
            return record.restricted ? "this record is restricted to the safeguarding team" : "the \(staff.role.label) role may not see it"
        case .all:
            return nil
        case .own:
            return isOwn ? nil : "you may see only the concerns you logged and the actions given to you"
        case .inScope, .inScopeOrOwn:
            if grant == .inScopeOrOwn, isOwn { return nil }
            if record.yearGroups.isEmpty || !record.yearGroups.allSatisfy(staff.years.contains) {
                return "this pupil is outside your year groups"
            }
            return nil
        }
    }

    /// The role half of the matrix: which operations a role may ever perform.
    public static func allowed(_ role: Role) -> Set<AccessOperation> {
        Set(AccessOperation.allCases.filter { AccessMatrix.grant(role, $0) != .none })
    }

    static func describe(_ operation: AccessOperation) -> String {
        switch operation {
        case .listQueue: "see the incoming queue"
        case .listOwnConcerns: "list their own concerns"
        case .readConcern: "read concerns"
        case .readChronology: "read a pupil's chronology"
        case .readRestricted: "read restricted records"
        case .logConcern: "log concerns"
        case .triage: "triage concerns"
        case .close: "close concerns"
        case .amend: "amend records"
        case .addAction: "add actions"
        case .addNote: "add notes"
        case .addReferral: "record referrals"
        case .completeAction: "complete actions"
        case .manageActions: "reassign actions and see everyone's actions"
        case .setFlag: "set or end context flags"
        case .search: "search records"
        case .exportChronology: "export chronologies"
        case .sarExport: "handle subject access requests"
        case .transfer: "transfer files"
        case .retentionReview: "review retention"
        case .retentionPurge: "purge records"
        case .legalHold: "set legal holds"
        case .importPupils: "import pupils"
        case .manageStaff: "manage staff"
        case .readAudit: "read the audit log"
        case .verifyAudit: "verify the audit log"
        case .acknowledgeAudit: "acknowledge a broken audit chain"
        case .readStatistics: "read statistics"
        case .backup: "take backups"
        case .verifyBackfill: "verify typed-up paper records"
        case .rectify: "handle rectification requests"
        }
    }
}
