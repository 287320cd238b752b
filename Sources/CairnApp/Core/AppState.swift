import CairnDomain
import CairnStore
import Foundation

/// The loaded part of the queue. Pages arrive by keyset; only what has been scrolled to is held.
public struct QueueState: Equatable, Sendable {
    public var items: [QueueItem] = []
    public var selected = 0
    public var top = 0
    public var exhausted = false
    public var loading = false
    public var loaded = false

    public var selectedItem: QueueItem? { items.indices.contains(selected) ? items[selected] : nil }
}

public struct DetailState: Equatable, Sendable {
    public var detail: ConcernDetail
    public var scroll = 0
    /// Which of the concern's pupils Enter opens.
    public var pupilIndex = 0
}

public struct TriageForm: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable { case level, caseHolder, restricted }
    public var concern: ConcernID
    public var reference: ConcernReference
    public var level: LevelOfNeed
    public var holders: [Staff]
    public var holderIndex: Int
    public var restricted: Bool
    public var focus: Field = .level
    public var problem: String?
    public var saving = false
    /// The decision the DSL was looking at; nil once they chose to save over someone else's.
    public var seen: Int64?

    public var decision: TriageDecision? {
        guard holders.indices.contains(holderIndex) else { return nil }
        return TriageDecision(level: level, caseHolder: holders[holderIndex].username, restricted: restricted)
    }
}

public struct CloseForm: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable { case outcome, reason }
    public var concern: ConcernID
    public var reference: ConcernReference
    public var outcomeIndex = 0
    public var reason = TextField()
    public var focus: Field = .outcome
    public var problem: String?
    /// Set when Esc is pressed with text typed: the form asks before discarding it.
    public var confirmingDiscard = false
    public var saving = false
    /// The decision the DSL was looking at; nil once they chose to save over someone else's.
    public var seen: Int64?

    public var outcome: OutcomeKind { OutcomeKind.allCases[outcomeIndex] }
}

/// A one-line text field: the text and a cursor measured in characters.
public struct TextField: Equatable, Sendable {
    public var text = ""
    public var cursor = 0
    public init() {}

    public mutating func insert(_ character: Character) {
        let index = text.index(text.startIndex, offsetBy: cursor)
        text.insert(character, at: index)
        cursor += 1
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        let index = text.index(text.startIndex, offsetBy: cursor - 1)
        text.remove(at: index)
        cursor -= 1
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(text.count, cursor + 1) }

    /// The editing keys every one-line field understands. Returns false for any other key,
    /// so that the screen holding the field can give it its own meaning.
    public mutating func edit(with key: Key) -> Bool {
        switch key {
        case .char(let c): insert(c)
        case .backspace: backspace()
        case .left: moveLeft()
        case .right: moveRight()
        case .home: cursor = 0
        case .end: cursor = text.count
        default: return false
        }
        return true
    }
}

public enum Overlay: Equatable, Sendable {
    case triage(TriageForm)
    case close(CloseForm)
    case finder(FinderState)
    /// Help, opened from a screen whose keys it shows first.
    case help(KeyContext)
}

public struct Notice: Equatable, Sendable {
    public enum Kind: Sendable { case info, problem }
    public var kind: Kind
    public var text: String
}

/// Everything the dashboard shows, as one value.
public struct AppState: Equatable, Sendable {
    public var actor: Staff
    public var schoolName: String
    public var now: Date
    public var size: Size
    public var counts = StatusCounts(new: 0, urgent: 0, overdue: 0)
    public var queue = QueueState()
    public var detail: DetailState?
    public var chronology: ChronologyState?
    public var overlay: Overlay?
    public var notice: Notice?
    public var finished = false

    public init(actor: Staff, schoolName: String, now: Date, size: Size) {
        self.actor = actor
        self.schoolName = schoolName
        self.now = now
        self.size = size
    }

    /// Staff see only the concerns they logged; the safeguarding team sees the open queue.
    public var queueScope: QueueScope {
        AccessPolicy.decide(actor, .listQueue).isAllowed ? .open : .mine
    }

    public var context: KeyContext {
        switch overlay {
        case .help: return .help
        case .triage, .close: return .form
        case .finder: return .finder
        case nil:
            if chronology != nil { return .chronology }
            return detail == nil ? .queue : .detail
        }
    }

    /// Rows of the queue list that fit on screen (frame less title, header, notice and status lines).
    public var queueRows: Int { max(1, size.height - 4) }

    /// Rows of the chronology list under its pupil header.
    public var chronologyRows: Int { max(1, size.height - 4 - ChronologyLayout.headerLines) }
}
