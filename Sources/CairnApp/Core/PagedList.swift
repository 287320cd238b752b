/// A list loaded page by page with a selection and a first visible row: the queue, a chronology
/// and the actions all move the same way.
protocol PagedList {
    var count: Int { get }
    var selected: Int { get set }
    var top: Int { get set }
    var exhausted: Bool { get }
    var loading: Bool { get }
}

extension PagedList {
    /// Moves the selection for a movement command; false for any other command.
    mutating func move(_ command: Command, page: Int) -> Bool {
        switch command {
        case .moveDown: selected = min(count - 1, selected + 1)
        case .moveUp: selected = max(0, selected - 1)
        case .pageDown: selected = min(count - 1, selected + page)
        case .pageUp: selected = max(0, selected - page)
        case .top: selected = 0
        case .bottom: selected = count - 1
        default: return false
        }
        selected = max(0, selected)
        return true
    }

    /// Scrolls so that the selected row is one of the `rows` on screen.
    mutating func keepVisible(rows: Int) {
        selected = min(selected, max(0, count - 1))
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        top = max(0, min(top, max(0, count - rows)))
    }

    /// True when the selection is within a screen of the end of what is loaded and more exists.
    func needsMore(rows: Int) -> Bool {
        !exhausted && !loading && count > 0 && selected >= count - rows
    }
}

extension QueueState: PagedList {
    var count: Int { reviews.count + items.count }
}

extension ActionsState: PagedList {
    var count: Int { items.count }
}

extension ChronologyState: PagedList {
    var count: Int { rows.count }
}
