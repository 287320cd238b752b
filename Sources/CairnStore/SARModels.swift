import CairnDomain
import Foundation

public enum SARStatus: String, Sendable, Codable {
    case open, closed
}

/// One subject access request, as `cairn sar list` shows it.
public struct SARRequest: Equatable, Sendable {
    public var id: Int64
    public var pupil: PupilID
    public var upn: String
    /// Display name (preferred forename if any).
    public var pupilName: String
    public var yearGroup: YearGroup
    public var received: Date
    public var requester: String
    public var relationship: String
    public var due: Date
    /// The action in the Actions pane that carries the deadline.
    public var action: Int64
    public var openedBy: String
    public var openedByName: String
    public var openedAt: Date
    /// Closed when its action is marked done or cancelled.
    public var status: SARStatus
    public var closedAt: Date?

    public func isOverdue(at now: Date) -> Bool {
        status == .open && ActionRules.isOverdue(due: due, at: now)
    }
}

/// A decision to keep part of an entry back from a subject access request, and its lifting if it
/// has been lifted.
public struct Withholding: Equatable, Sendable {
    public var id: Int64
    public var entry: Int64
    /// The exact passage withheld; nil when the whole entry is.
    public var passage: String?
    public var reason: ExemptionReason
    /// The exemption in words, for `.other`.
    public var otherReason: String?
    public var by: String
    public var byName: String
    public var at: Date
    public var liftedByName: String?
    public var liftedAt: Date?

    public var isWholeEntry: Bool { passage == nil }
    public var isActive: Bool { liftedAt == nil }
    /// "third-party information", or the exemption a DSL named.
    public var phrase: String { reason.phrase(other: otherReason) }
}

/// Everything a subject access bundle is made from, before anything is withheld: the pupil,
/// every entry of the file (restricted ones included: the request covers the whole file, and the
/// DSL decides what to keep back), each withholding, the family's disputes, the requests, and who
/// has looked at the file.
public struct SARBundle: Equatable, Sendable {
    /// A family's statement disputing an entry (the shared `entry_disputes` table).
    public struct Dispute: Equatable, Sendable {
        public var entry: Int64
        public var statement: String
        /// Who in the family made it.
        public var madeBy: String
        public var receivedAt: Date
        public var recordedByName: String
        public var recordedAt: Date
    }

    public var schoolName: String
    public var header: PupilHeader
    /// Oldest first, each with its amendment history.
    public var entries: [EntryDetail]
    /// Every withholding of the file, lifted ones included, oldest first.
    public var withholdings: [Withholding]
    public var disputes: [Dispute]
    /// The pupil's requests, most recently received first.
    public var requests: [SARRequest]
    public var looks: [LookSummary]
    public var exportedBy: String
    public var exportedAt: Date

    /// The request the bundle answers: the open one received most recently, else the latest.
    public var request: SARRequest? {
        requests.first { $0.status == .open } ?? requests.first
    }
}
