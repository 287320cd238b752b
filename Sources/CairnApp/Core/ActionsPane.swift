import CairnDomain
import CairnStore

/// Keys and loading for the Actions pane.
enum ActionsPane {
    static func command(_ command: Command, _ state: inout AppState) -> [Effect] {
        if state.actions.move(command, page: state.actionRows) {
            state.actions.keepVisible(rows: state.actionRows)
            guard state.actions.needsMore(rows: state.actionRows), let last = state.actions.items.last else { return [] }
            state.actions.loading = true
            return [.loadActions(state.actions.view, after: last.cursor, limit: App.pageSize)]
        }
        switch command {
        case .changeView:
            let views = ActionsView.views(for: state.actor)
            let index = views.firstIndex(of: state.actions.view) ?? 0
            state.actions.view = views[(index + 1) % views.count]
            // A different list: start at its top, not at the row the last view had selected.
            state.actions.items = []
            state.actions.selected = 0
            state.actions.top = 0
            state.actions.loading = true
            return [.loadActions(state.actions.view, after: nil, limit: App.pageSize)]
        case .open:
            guard let row = state.actions.selectedItem else { return [] }
            guard PaneView.mayUse(.find, state) else {
                state.notice = Notice(kind: .problem, text: "Your role cannot open pupils' chronologies.")
                return []
            }
            state.returnPane = .actions
            return [.openChronology(row.action.pupil, seekAction: row.action.id)]
        case .markDone:
            if let row = state.actions.selectedItem { FormFlow.startDone(row, &state) }
            return []
        case .changeDue:
            if let row = state.actions.selectedItem { FormFlow.startMove(row, &state) }
            return []
        case .reassign:
            if let row = state.actions.selectedItem { return [.loadOwners(.reassign(row.action.id))] }
            return []
        default:
            return []
        }
    }

    static func loaded(_ rows: [ActionRow], reset: Bool, requested: Int, _ state: inout AppState) {
        let previouslySelected = state.actions.selectedItem?.action.id
        if reset { state.actions.items = rows } else { state.actions.items += rows }
        state.actions.exhausted = rows.count < requested
        state.actions.loading = false
        state.actions.loaded = true
        if reset, let previouslySelected,
           let index = state.actions.items.firstIndex(where: { $0.action.id == previouslySelected }) {
            state.actions.selected = index
        }
        state.actions.keepVisible(rows: state.actionRows)
    }
}
