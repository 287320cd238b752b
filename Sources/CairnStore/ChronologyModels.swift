import CairnDomain
import Foundation

/// The top of a pupil's file: who the child is, their context flags, and where their case stands.
public struct PupilHeader: Equatable, Sendable {
    public var id: PupilID
    public var upn: String
    /// Display name (preferred forename if any).
    public var name: String
    /// "Legal Forename Legal Surname".
    public var legalName: String
    public var yearGroup: YearGroup
    public var form: String
    public var dateOfBirth: Date
    /// All flags, active and ended, newest start first.
    public var flags: [ContextFlag]
    /// Highest level among the pupil's not-closed concerns that the reader may see; nil if none.
    public var levelOfNeed: LevelOfNeed?
    /// Case holder (display name) of that concern.
    public var caseHolderName: String?
    public var openActions: Int
    public var school: SchoolID?
    /// A standing legal hold: the file is not purged whatever the retention rule says.
    public var legalHold: LegalHold?

    public init(id: PupilID, upn: String, name: String, legalName: String, yearGroup: YearGroup, form: String,
                dateOfBirth: Date, flags: [ContextFlag] = [], levelOfNeed: LevelOfNeed? = nil,
                caseHolderName: String? = nil, openActions: Int = 0, school: SchoolID? = nil, legalHold: LegalHold? = nil) {
        self.school = school
        self.legalHold = legalHold
        self.id = id
        self.upn = upn
        self.name = name
        self.legalName = legalName
        self.yearGroup = yearGroup
        self.form = form
        self.dateOfBirth = dateOfBirth
        self.flags = flags
        self.levelOfNeed = levelOfNeed
        self.caseHolderName = caseHolderName
        self.openActions = openActions
    }
}

/// One line of a chronology as a particular reader may see it.
public struct ChronologyRow: Equatable, Sendable {
    /// Only entries the reader may see: a restricted entry they may not see is not in the list at all.
    public var entry: ChronologyEntry
    /// Display name of `entry.author`.
    public var authorName: String
    /// The summary is the current text of an entry that has been corrected; the history is in `EntryDetail`.
    public var amended: Bool
    /// Some of it is withheld from subject access requests; set only for those who handle them.
    public var withheld: Bool
    /// A concern entry typed from a paper original: who wrote and typed it, and whether it has been checked.
    public var paper: PaperOriginal?
    /// How many statements the family has made disputing this entry; they are in `EntryDetail`.
    public var disputes: Int

    public init(entry: ChronologyEntry, authorName: String, amended: Bool = false, withheld: Bool = false,
                paper: PaperOriginal? = nil, disputes: Int = 0) {
        self.entry = entry
        self.withheld = withheld
        self.authorName = authorName
        self.amended = amended
        self.paper = paper
        self.disputes = disputes
    }

    public var disputed: Bool { disputes > 0 }

    /// Where the next page starts.
    public var cursor: ChronologyCursor { ChronologyCursor(occurredAt: entry.occurredAt, id: entry.id) }
}

/// Keyset position in a chronology (occurred_at, then id): no OFFSET, so paging stays cheap.
public struct ChronologyCursor: Equatable, Sendable {
    public var occurredAt: Date
    public var id: Int64

    public init(occurredAt: Date, id: Int64) {
        self.occurredAt = occurredAt
        self.id = id
    }
}

public enum ChronologyOrder: Sendable {
    case newestFirst, oldestFirst
}

public struct ChronologyFilter: Equatable, Sendable {
    /// nil = all kinds.
    public var kinds: Set<ChronologyKind>?
    public var significantOnly: Bool
    /// Only entries belonging to concerns in this category.
    public var category: ConcernCategory?

    public init(kinds: Set<ChronologyKind>? = nil, significantOnly: Bool = false, category: ConcernCategory? = nil) {
        self.kinds = kinds
        self.significantOnly = significantOnly
        self.category = category
    }
}
