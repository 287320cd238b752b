import CairnDomain
import CairnStore
import Foundation

/// The loaded part of the queue. Pages arrive by keyset; only what has been scrolled to is held.
/// Files received from other schools and not yet reviewed come first, above every concern; the
/// selection counts them first too.
public struct QueueState: Equatable, Sendable {
    public var reviews: [TransferReview] = []
    public var items: [QueueItem] = []
    public var selected = 0
    public var top = 0
    public var exhausted = false
    public var loading = false
    public var loaded = false

    public var selectedItem: QueueItem? {
        let index = selected - reviews.count
        return items.indices.contains(index) ? items[index] : nil
    }

    public var selectedReview: TransferReview? { reviews.indices.contains(selected) ? reviews[selected] : nil }
}

public struct DetailState: Equatable, Sendable {
    public var detail: ConcernDetail
    public var scroll = 0
    /// Which of the concern's pupils Enter opens.
    public var pupilIndex = 0
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
    case form(FormSession)
    case finder(FinderState)
    /// Help, opened from a screen whose keys it shows first.
    /// Help opened from a screen, on a page of keys (Space turns it).
    case help(KeyContext, page: Int = 0)
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
    public var pane: Pane = .queue
    public var queue = QueueState()
    public var detail: DetailState?
    public var chronology: ChronologyState?
    public var actions = ActionsState()
    public var audit = AuditState()
    /// Where Esc in the chronology goes back to: the pane it was opened from.
    public var returnPane: Pane?
    public var overlay: Overlay?
    public var notice: Notice?
    public var finished = false
    /// Pupils shown as initials and year group only (`p`); remembered for this user.
    public var privacy = false
    /// Every school's name, for a trust-level reader of more than one school; else empty. Rows
    /// then say which school each is from.
    public var schoolNames: [SchoolID: String] = [:]
    /// Set while the screen is locked after a spell without a key.
    public var lock: LockState?
    /// The audit chain is broken: said in every session until a DSL acknowledges it.
    public var auditBreak: AuditBreak?
    /// Why the session ended, when Cairn ended it (printed once the terminal is restored).
    public var farewell: String?

    public init(actor: Staff, schoolName: String, now: Date, size: Size) {
        self.actor = actor
        self.schoolName = schoolName
        self.now = now
        self.size = size
    }

    /// The open form, if any.
    public var form: FormSession? {
        if case .form(let session) = overlay { return session }
        return nil
    }

    /// The finder is waiting for typing to pause: the terminal sends `.clock` on each tick until it has.
    public var wantsClock: Bool {
        if case .finder(let finder) = overlay { return finder.waiting != nil }
        return false
    }

    /// Staff see only the concerns they logged; the safeguarding team sees the open queue.
    public var queueScope: QueueScope {
        AccessPolicy.decide(actor, .listQueue).isAllowed ? .open : .mine
    }

    public var context: KeyContext {
        switch overlay {
        case .help: return .help
        case .form: return .form
        case .finder: return .finder
        case nil:
            switch pane {
            case .queue: return detail == nil ? .queue : .detail
            case .chronology: return chronology?.entry != nil ? .entry : .chronology
            case .actions: return .actions
            case .audit: return .audit
            }
        }
    }

    /// Rows of the queue list that fit on screen (frame less tab line, header, notice and status lines).
    public var queueRows: Int { max(1, size.height - 4) }

    /// Rows of the actions list (its header line has the view tabs and column names).
    public var actionRows: Int { max(1, size.height - 5) }

    /// Rows of the chronology list under its pupil header.
    public var chronologyRows: Int { max(1, size.height - 4 - ChronologyLayout.headerLines) }
}
