import CairnDomain
import CairnStore

/// Turns a key into a command for the screen in focus, and carries it out.
enum KeyDispatch {
    static func handle(key: Key, in state: inout AppState) -> [Effect] {
        if var lock = state.lock {
            let effects = LockScreen.key(key, &lock, &state)
            if state.lock != nil { state.lock = lock }
            return effects
        }
        if case .form(var session) = state.overlay {
            state.overlay = nil
            return FormFlow.key(key, &session, &state)
        }
        if case .finder(var finder) = state.overlay {
            return Finder.key(key, &finder, &state)
        }
        guard let command = Keymap.command(for: key, in: state.context) else { return [] }
        state.notice = nil
        guard PaneView.mayUse(command, state) else {
            state.notice = Notice(kind: .problem, text: "Your role (\(state.actor.role.label)) cannot do that here.")
            return []
        }
        switch command {
        case .quit, .forceQuit:
            state.finished = true
            return []
        case .help:
            state.overlay = .help(state.context)
            return []
        case .find:
            state.overlay = .finder(FinderState())
            return []
        case .privacy:
            state.privacy.toggle()
            return [.savePrivacy(state.privacy)]
        case .acknowledgeAudit:
            guard state.auditBreak != nil else {
                state.notice = Notice(kind: .info, text: "The audit chain is intact; there is nothing to acknowledge.")
                return []
            }
            return [.acknowledgeAudit]
        case .nextPane: return PaneSwitching.cycle(by: 1, &state)
        case .previousPane: return PaneSwitching.cycle(by: -1, &state)
        case .queuePane: return PaneSwitching.go(to: .queue, &state)
        case .chronologyPane: return PaneSwitching.go(to: .chronology, &state)
        case .actionsPane: return PaneSwitching.go(to: .actions, &state)
        case .auditPane: return PaneSwitching.go(to: .audit, &state)
        case .whoHasLooked where state.context == .chronology: return AuditPane.looksFromChronology(&state)
        case .logConcern:
            // From a pupil's file the concern is about that pupil.
            let pupil = state.pane == .chronology ? state.chronology.map { PupilSummary(header: $0.header) } : nil
            FormFlow.startConcern(pupil: pupil, &state)
            return []
        default:
            break
        }
        switch state.context {
        case .help:
            if command == .pageDown, case .help(let context, let page) = state.overlay {
                let pages = HelpView.pages(from: context, size: state.size).count
                state.overlay = .help(context, page: (page + 1) % pages)
            } else {
                state.overlay = nil
            }
            return []
        case .form, .finder:
            return []
        case .chronology:
            return PupilScreens.chronologyCommand(command, &state)
        case .entry:
            return PupilScreens.entryCommand(command, &state)
        case .actions:
            return ActionsPane.command(command, &state)
        case .audit:
            return AuditPane.command(command, &state)
        case .detail:
            return detailCommand(command, &state)
        case .queue, .global:
            return queueCommand(command, &state)
        }
    }

    private static func queueCommand(_ command: Command, _ state: inout AppState) -> [Effect] {
        if state.queue.move(command, page: state.queueRows) {
            state.queue.keepVisible(rows: state.queueRows)
            return App.loadMoreIfNeeded(&state)
        }
        if let review = state.queue.selectedReview { return TransferReviews.command(command, review, &state) }
        switch command {
        case .markReviewed:
            return TransferReviews.notAFile(&state)
        case .open:
            if let item = state.queue.selectedItem { return [.openConcern(item.id)] }
        case .triage, .close:
            if let item = state.queue.selectedItem { return FormFlow.startDecision(command, item: item, &state) }
        case .verifyBackfill:
            if let item = state.queue.selectedItem {
                FormFlow.startVerify(item.id, paper: item.paper, what: item.reference.description, &state)
            }
        default:
            break
        }
        return []
    }

    private static func detailCommand(_ command: Command, _ state: inout AppState) -> [Effect] {
        guard var detail = state.detail else { return [] }
        let scrolled = TextPanel.scroll(command, &detail.scroll, page: max(1, state.size.height - 4))
        switch command {
        case _ where scrolled: break
        case .back:
            state.detail = nil
            return []
        case .nextPupil:
            detail.pupilIndex = (detail.pupilIndex + 1) % max(1, detail.detail.item.pupils.count)
        case .open:
            state.detail = detail
            guard let pupil = detail.detail.item.pupils.indices.contains(detail.pupilIndex)
                ? detail.detail.item.pupils[detail.pupilIndex] : nil else { return [] }
            guard PaneView.mayUse(.find, state) else {
                state.notice = Notice(kind: .problem, text: "Your role cannot open pupils' chronologies.")
                return []
            }
            state.returnPane = .queue
            return [.openChronology(pupil.id, seekAction: nil)]
        case .triage, .close:
            state.detail = detail
            return FormFlow.startDecision(command, item: detail.detail.item, &state)
        case .verifyBackfill:
            let item = detail.detail.item
            state.detail = detail
            FormFlow.startVerify(item.id, paper: item.paper, what: item.reference.description, &state)
            return []
        default:
            break
        }
        // The view clamps the scroll to the content; keep the state in step with it.
        detail.scroll = min(detail.scroll, DetailView.maxScroll(detail.detail, size: PaneLayout.detailSize(state.size)))
        state.detail = detail
        return []
    }
}

extension PupilSummary {
    init(header: PupilHeader) {
        self.init(id: header.id, upn: header.upn, name: header.name, yearGroup: header.yearGroup, form: header.form,
                  dateOfBirth: header.dateOfBirth)
    }
}
