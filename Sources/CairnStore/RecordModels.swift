import CairnDomain
import Foundation

/// One labelled part of an entry shown in full ("Who", "How", "Consent"...).
public struct EntryField: Codable, Equatable, Sendable {
    public var label: String
    public var value: String

    public init(label: String, value: String) {
        self.label = label
        self.value = value
    }
}

/// One correction of an entry: what it said before, what it says now, and why.
public struct EntryAmendment: Equatable, Sendable {
    public var previousText: String
    public var newText: String
    public var reason: String
    public var byName: String
    public var at: Date

    public init(previousText: String, newText: String, reason: String, byName: String, at: Date) {
        self.previousText = previousText
        self.newText = newText
        self.reason = reason
        self.byName = byName
        self.at = at
    }
}

/// A whole chronology entry, as opened with Enter, including its amendment history (oldest first).
public struct EntryDetail: Equatable, Sendable {
    public var row: ChronologyRow
    /// The current full text (after amendments).
    public var body: String
    public var fields: [EntryField]
    public var amendments: [EntryAmendment]
    /// Set on a referral entry whose agency decision has not been recorded yet.
    public var awaitingDecision: Int64?
    public var recordedAt: Date
    /// What is withheld from subject access requests, lifted decisions included: filled only for
    /// those who handle them (the matrix's sar_export).
    public var withholdings: [Withholding]
    /// The family's statements disputing this entry, oldest first: shown wherever the entry is.
    public var disputes: [Dispute]

    public init(row: ChronologyRow, body: String, fields: [EntryField] = [], amendments: [EntryAmendment] = [],
                awaitingDecision: Int64? = nil, recordedAt: Date, withholdings: [Withholding] = [], disputes: [Dispute] = []) {
        self.row = row
        self.withholdings = withholdings
        self.body = body
        self.fields = fields
        self.amendments = amendments
        self.awaitingDecision = awaitingDecision
        self.recordedAt = recordedAt
        self.disputes = disputes
    }
}

/// Which actions the Actions pane lists.
public enum ActionView: String, Sendable, CaseIterable {
    case mine, all, overdue, dueThisWeek = "week"

    public var label: String {
        switch self {
        case .mine: "Mine"
        case .all: "All"
        case .overdue: "Overdue"
        case .dueThisWeek: "Due this week"
        }
    }
}

/// One row of the Actions pane.
public struct ActionRow: Equatable, Sendable {
    public var action: Action
    public var ownerName: String
    public var pupilName: String
    public var upn: String
    public var yearGroup: YearGroup
    /// The concern the action belongs to, if any.
    public var concernReference: ConcernReference?
    /// "Referral to Police, 20/11/2026" when the action belongs to a referral.
    public var referralLabel: String?
    public var overdue: Bool
    public var createdByName: String
    public var createdAt: Date
    /// The pupil's school: a trust-level reader's list spans schools.
    public var school: SchoolID?

    public init(action: Action, ownerName: String, pupilName: String, upn: String, yearGroup: YearGroup,
                concernReference: ConcernReference? = nil, referralLabel: String? = nil, overdue: Bool,
                createdByName: String, createdAt: Date, school: SchoolID? = nil) {
        self.school = school
        self.action = action
        self.ownerName = ownerName
        self.pupilName = pupilName
        self.upn = upn
        self.yearGroup = yearGroup
        self.concernReference = concernReference
        self.referralLabel = referralLabel
        self.overdue = overdue
        self.createdByName = createdByName
        self.createdAt = createdAt
    }

    public var cursor: ActionCursor { ActionCursor(due: action.due, id: action.id) }
}

/// Keyset position in an action list (due date, then id).
public struct ActionCursor: Equatable, Sendable {
    public var due: Date
    public var id: Int64

    public init(due: Date, id: Int64) {
        self.due = due
        self.id = id
    }
}

/// Everything a chronology export holds: the header and every entry the exporter may see, oldest first.
public struct ChronologyExport: Equatable, Sendable {
    public var schoolName: String
    public var header: PupilHeader
    public var entries: [EntryDetail]
    public var exportedBy: String
    public var exportedAt: Date

    public init(schoolName: String, header: PupilHeader, entries: [EntryDetail], exportedBy: String, exportedAt: Date) {
        self.schoolName = schoolName
        self.header = header
        self.entries = entries
        self.exportedBy = exportedBy
        self.exportedAt = exportedAt
    }
}
