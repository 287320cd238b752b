import CairnDomain
import Foundation

public struct PupilSummary: Equatable, Sendable {
    public var id: PupilID
    /// Validated when it was written.
    public var upn: String
    public var name: String
    public var yearGroup: YearGroup
    public var form: String
    public var dateOfBirth: Date

    public init(id: PupilID, upn: String, name: String, yearGroup: YearGroup, form: String, dateOfBirth: Date) {
        self.id = id
        self.upn = upn
        self.name = name
        self.yearGroup = yearGroup
        self.form = form
        self.dateOfBirth = dateOfBirth
    }
}

/// One row of the incoming queue.
public struct QueueItem: Equatable, Sendable {
    public var id: ConcernID
    public var reference: ConcernReference
    public var status: ConcernStatus
    public var urgent: Bool
    public var restricted: Bool
    public var categories: [ConcernCategory]
    public var pupils: [PupilSummary]
    public var reportedBy: String
    public var reporterName: String
    public var recordedAt: Date
    public var occurredAt: Date
    public var firstLine: String
    /// The id of the latest decision (0 when none): a save checks nobody decided in between.
    public var decisionVersion: Int64
    public var caseHolder: String?
    public var level: LevelOfNeed?
    /// The school it was logged at: a trust-level reader's queue spans schools.
    public var school: SchoolID
    /// Set when it was typed from a paper original; unverified until someone else checks it.
    public var paper: PaperOriginal?

    /// Where the next page starts.
    public var cursor: QueueCursor { QueueCursor(urgent: urgent, recordedAt: recordedAt, id: id) }
}

/// Keyset position in the queue (urgent first, newest urgent at the top, then routine oldest first): no OFFSET, so paging stays cheap.
public struct QueueCursor: Equatable, Sendable {
    public var urgent: Bool
    public var recordedAt: Date
    public var id: ConcernID
}

public enum QueueScope: Equatable, Sendable {
    /// New and in-progress concerns: the DSL's queue.
    case open
    /// Every concern the actor logged, whatever its state: what staff may see.
    case mine
}

public struct StatusCounts: Equatable, Sendable {
    public var new: Int
    public var urgent: Int
    public var overdue: Int

    public init(new: Int, urgent: Int, overdue: Int) {
        self.new = new
        self.urgent = urgent
        self.overdue = overdue
    }
}

public struct DecisionRecord: Equatable, Sendable {
    public var id: Int64
    public var kind: String
    public var level: LevelOfNeed?
    public var caseHolder: String?
    public var restricted: Bool?
    public var outcome: OutcomeKind?
    public var reason: String?
    public var decidedBy: String
    public var decidedByName: String
    public var caseHolderName: String?
    public var decidedAt: Date
}

/// Everything about one concern, as the detail screen shows it.
public struct ConcernDetail: Equatable, Sendable {
    public var item: QueueItem
    public var location: String?
    public var accounts: [Account]
    public var childWords: String?
    public var reporterAction: String?
    /// Empty when the reader may not see the safeguarding team's decisions.
    public var decisions: [DecisionRecord]
    /// The family's statements disputing the concern's entry in a pupil's chronology, oldest first.
    public var disputes: [Dispute] = []
}
