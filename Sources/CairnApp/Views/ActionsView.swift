import CairnDomain
import CairnStore

/// Open actions with owner, due date, pupil and what they belong to. Overdue rows say so in
/// words, not colour alone.
enum ActionsView {
    static func title(_ actions: ActionsState) -> String {
        let count = actions.exhausted ? "\(actions.items.count)" : "\(actions.items.count)+"
        return "Actions · \(actions.view.label) (\(count))"
    }

    static func draw(_ state: AppState, into frame: inout Frame) {
        let actions = state.actions
        let width = frame.size.width
        var x = frame.put(" View:", x: 0, y: 1, role: .label)
        for view in views(for: state.actor) {
            let label = view == actions.view ? "[\(view.label)]" : " \(view.label) "
            x += frame.put(" " + label, x: x, y: 1, role: view == actions.view ? .selected : .muted)
        }
        frame.put("  v changes", x: x, y: 1, role: .muted)
        let widths = columns(width: width)
        frame.row(["", "DUE", "", "OWNER", "PUPIL", "FOR", "ACTION"], widths: widths, y: 2, role: .label)
        guard actions.loaded else {
            frame.put(" Loading…", x: 0, y: 3, role: .muted)
            return
        }
        if actions.items.isEmpty {
            frame.put(" " + empty(actions.view), x: 0, y: 4, role: .muted)
            return
        }
        for (offset, row) in actions.items.dropFirst(actions.top).prefix(state.actionRows).enumerated() {
            let index = actions.top + offset
            let selected = index == actions.selected
            let y = 3 + offset
            let pupil = QueueView.pupilCell(row.pupilName, year: row.yearGroup, width: widths[4],
                                            school: row.school.flatMap { SchoolTag.short($0, state) })
            frame.row([selected ? "▸" : "", UKDate.date(row.action.due), row.overdue ? "OVERDUE" : "",
                     QueueView.shortName(TextLayout.clean(row.ownerName), width: widths[3]), pupil,
                     belongsTo(row, short: true), TextLayout.clean(row.action.description)],
                    widths: widths, y: y, role: selected ? .selected : .normal)
            if row.overdue, !selected { frame.put("OVERDUE", x: widths[0] + widths[1] + 1, y: y, role: .urgent) }
            if selected { frame.fill(x: 0, y: y, width: width, role: .selected) }
        }
        if actions.loading { frame.put(" loading more…", x: 0, y: frame.size.height - 3, role: .muted) }
    }

    /// The views a role may choose: everyone's actions are for the safeguarding team.
    static func views(for actor: Staff) -> [ActionView] {
        AccessPolicy.decide(actor, .manageActions).isAllowed ? ActionView.allCases : [.mine, .overdue, .dueThisWeek]
    }

    static func belongsTo(_ row: ActionRow, short: Bool = false) -> String {
        if let reference = row.concernReference { return short ? reference.description : "Concern \(reference)" }
        if let referral = row.referralLabel { return short ? "referral" : referral }
        return short ? "—" : "The pupil's file"
    }

    private static func empty(_ view: ActionView) -> String {
        switch view {
        case .mine: "You have no open actions."
        case .all: "No open actions."
        case .overdue: "Nothing is overdue."
        case .dueThisWeek: "Nothing is due this week."
        }
    }

    private static func columns(width: Int) -> [Int] {
        let owner = width >= 100 ? 16 : 10
        let pupil = width >= 100 ? 22 : 16
        let fixed = [1, 10, 7, owner, pupil, 9]
        return fixed + [max(10, width - fixed.reduce(0, +) - fixed.count)]
    }
}
