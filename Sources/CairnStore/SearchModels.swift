import CairnDomain
import Foundation

/// Which piece of a record a search hit is in.
public enum SearchPart: String, Equatable, Sendable, CaseIterable {
    /// A chronology entry's own text: a note, a contact, a meeting, a referral or an agency's
    /// decision, an action and its outcome, a closure and its reason, a concern's one line.
    case entry
    /// The corrected text of an amended entry.
    case amendment
    /// One account of a concern, with its nature.
    case account
    case childWords = "child_words"
    case reporterAction = "reporter_action"
    case location

    /// Words for a result line: "account", "child's words"...
    public var label: String {
        switch self {
        case .entry: "entry"
        case .amendment: "amended text"
        case .account: "account"
        case .childWords: "child's words"
        case .reporterAction: "what the reporter did"
        case .location: "where"
        }
    }
}

/// One entry of one pupil's file that matched a search, as the searcher may see it. When several
/// pieces of the same entry match, the best-ranked one is the hit.
public struct SearchHit: Equatable, Sendable {
    public var pupil: PupilSummary
    public var school: SchoolID
    /// The chronology entry the hit opens: the entry itself, or a concern's entry in this pupil's file.
    public var entry: Int64
    public var kind: ChronologyKind
    public var occurredAt: Date
    public var part: SearchPart
    /// The nature of the account or entry the text is in, when it has one.
    public var nature: Nature?
    /// The entry is restricted (the searcher is one who may see it).
    public var restricted: Bool
    /// The text is an entry's earlier wording, since corrected by an amendment (the chronology
    /// shows the new text; the old stays in the entry's history).
    public var superseded: Bool
    /// A few words around the match, the matched words marked.
    public var snippet: HighlightedText

    public init(pupil: PupilSummary, school: SchoolID, entry: Int64, kind: ChronologyKind, occurredAt: Date,
                part: SearchPart, nature: Nature? = nil, restricted: Bool = false, superseded: Bool = false,
                snippet: HighlightedText) {
        self.pupil = pupil
        self.school = school
        self.entry = entry
        self.kind = kind
        self.occurredAt = occurredAt
        self.part = part
        self.nature = nature
        self.restricted = restricted
        self.superseded = superseded
        self.snippet = snippet
    }

    /// "Concern, account [seen]", "Note, amended text", "Note (earlier text)": what kind of entry
    /// and where in it, for a result line.
    public var kindAndPart: String {
        var words = kind.label
        if part != .entry { words += ", " + part.label }
        if let nature { words += " [\(nature.rawValue)]" }
        if superseded { words += " (earlier text)" }
        return words
    }
}

/// What the dashboard's finder shows for what has been typed: pupils by name, UPN or form, and
/// entries by what was written in them.
public struct FinderResults: Equatable, Sendable {
    public var pupils: [PupilSummary]
    public var hits: [SearchHit]
    /// More entries matched than `hits` holds (the best of them are there).
    public var moreHits: Bool

    public init(pupils: [PupilSummary] = [], hits: [SearchHit] = [], moreHits: Bool = false) {
        self.pupils = pupils
        self.hits = hits
        self.moreHits = moreHits
    }
}
