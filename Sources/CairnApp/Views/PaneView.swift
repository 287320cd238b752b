import CairnDomain
import CairnStore

/// Draws the focused pane between the tab line and the hint line: alone at 80 columns, or as a
/// list beside a detail panel for its selected item at 120 columns and wider.
enum PaneView {
    static func draw(_ state: AppState, into frame: inout Frame) {
        let size = frame.size
        let body = 1..<(size.height - 2)
        guard PaneLayout.isSplit(size) else {
            if !drawDetail(state, into: &frame) { drawList(state, into: &frame) }
            return
        }
        var list = Frame(size: Size(width: PaneLayout.listWidth(size), height: size.height))
        drawList(state, into: &list)
        var panel = Frame(size: PaneLayout.detailSize(size))
        if !drawDetail(state, into: &panel) { PreviewView.draw(state, into: &panel) }
        // The cursor belongs to whichever side has the focus; a list never sets one.
        frame.blit(list, x: 0, rows: body)
        let separatorX = list.size.width
        for y in body { frame.put("│", x: separatorX, y: y, role: .muted) }
        frame.blit(panel, x: separatorX + 1, rows: body)
    }

    /// Draws the item the focused pane has open (a concern, a chronology entry); false if none is.
    private static func drawDetail(_ state: AppState, into frame: inout Frame) -> Bool {
        switch state.pane {
        case .queue:
            guard let detail = state.detail else { return false }
            DetailView.draw(detail, state: state, into: &frame)
        case .chronology:
            guard let entry = state.chronology?.entry else { return false }
            EntryView.draw(entry, into: &frame)
        case .actions:
            return false
        case .audit:
            return AuditView.drawDetail(state, into: &frame)
        }
        return true
    }

    private static func drawList(_ state: AppState, into frame: inout Frame) {
        switch state.pane {
        case .queue:
            QueueView.draw(state, into: &frame)
        case .chronology:
            if let chronology = state.chronology {
                ChronologyView.draw(chronology, state: state, into: &frame)
            } else {
                frame.put(" No pupil is open.", x: 0, y: 2, role: .normal)
                frame.put(" Press / to find a pupil, or Enter on a pupil of a concern.", x: 0, y: 3, role: .muted)
            }
        case .actions:
            ActionsView.draw(state, into: &frame)
        case .audit:
            AuditView.drawList(state, into: &frame)
        }
    }

    /// What the focused tab says: the pane and what it is showing.
    static func title(_ state: AppState) -> String {
        switch state.pane {
        case .queue:
            if let detail = state.detail, !PaneLayout.isSplit(state.size) { return DetailView.title(detail.detail.item) }
            return QueueView.title(state)
        case .chronology:
            guard let chronology = state.chronology else { return "Chronology" }
            return ChronologyView.title(chronology)
        case .actions:
            return ActionsView.title(state.actions)
        case .audit:
            return AuditView.title(state)
        }
    }

    /// Whether a command means anything on what is on screen now, so that hints offer only what
    /// will work (the role is checked separately, by `mayUse`).
    static func applies(_ command: Command, _ state: AppState) -> Bool {
        switch command {
        case .recordDecision: return state.chronology?.entry?.detail.awaitingDecision != nil
        case .verifyBackfill: return awaitingCheck(state)
        case .whoHasLooked: return state.pane != .audit || state.audit.looks == nil
        case .open where state.context == .audit: return state.audit.event == nil
        case .back where state.context == .audit: return state.audit.event != nil || state.audit.looks != nil
        case .open, .addNote, .addReferral, .addMeeting, .addAction, .filter, .significantOnly, .flipOrder, .export:
            return state.pane != .chronology || state.chronology != nil
        // On a file received from another school, r marks it reviewed; triage and closure are for concerns.
        case .markReviewed: return state.context == .queue && state.queue.selectedReview != nil
        case .triage where state.context == .queue, .close where state.context == .queue: return state.queue.selectedReview == nil
        default: return true
        }
    }

    /// Whether what is selected or open was typed from paper and still waits for someone other than
    /// this user to check it against the paper.
    private static func awaitingCheck(_ state: AppState) -> Bool {
        let paper: PaperOriginal?
        switch state.context {
        case .queue: paper = state.queue.selectedItem?.paper
        case .detail: paper = state.detail?.detail.item.paper
        case .chronology: paper = state.chronology?.selectedRow?.paper
        case .entry: paper = state.chronology?.entry?.detail.row.paper
        default: paper = nil
        }
        guard let paper, !paper.isVerified else { return false }
        return paper.typedBy != state.actor.username
    }

    /// Whether the user's role allows a command, so that hints offer only what will work.
    static func mayUse(_ command: Command, _ state: AppState) -> Bool {
        let operation: AccessOperation?
        switch command {
        case .triage: operation = .triage
        case .close: operation = .close
        case .addNote, .addMeeting: operation = .addNote
        case .addReferral: operation = .addReferral
        case .addAction, .changeDue: operation = .addAction
        case .amend: operation = .amend
        case .setFlag: operation = .setFlag
        case .export: operation = .exportChronology
        case .withhold: operation = .sarExport
        case .reassign: operation = .manageActions
        case .markDone: operation = .completeAction
        case .logConcern: operation = .logConcern
        case .find: operation = .readChronology
        case .open where state.context == .detail || state.context == .actions: operation = .readChronology
        case .recordDecision: operation = .addReferral
        case .verifyBackfill: operation = .verifyBackfill
        case .dispute: operation = .rectify
        case .whoHasLooked, .clearFilter: operation = .readAudit
        case .acknowledgeAudit: operation = .acknowledgeAudit
        case .markReviewed: operation = .transfer
        case .markSignificant:
            // The author of an entry may mark it too; the store decides for the entry itself.
            operation = nil
        default: operation = nil
        }
        return operation.map { AccessPolicy.decide(state.actor, $0).isAllowed } ?? true
    }
}
