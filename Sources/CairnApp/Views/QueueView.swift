import CairnDomain
import CairnStore
import Foundation

/// The incoming queue: one row per concern, urgent first then oldest first.
enum QueueView {
    struct Columns {
        var badge = 6, status = 6, age = 3, pupil = 19, categories = 15, reporter = 12

        /// Wider terminals give the names and the account more room.
        init(width: Int) {
            if width >= 120 {
                pupil = 26
                categories = 24
                reporter = 18
            } else if width >= 100 {
                pupil = 22
                categories = 20
                reporter = 14
            }
        }

        var fixed: Int { badge + status + age + pupil + categories + reporter + 6 }
    }

    static func draw(_ state: AppState, into frame: inout Frame) {
        let queue = state.queue
        let mine = state.queueScope == .mine
        let countText = queue.exhausted ? "\(queue.items.count)" : "\(queue.items.count)+"
        let title = mine ? "Concerns you have logged (\(countText))" : "Incoming queue (\(countText) open)"
        DashboardView.drawTitle(title, state: state, into: &frame)

        let columns = Columns(width: frame.size.width)
        let headers = ["", "STATE", "AGE", "PUPIL", "CATEGORIES", "REPORTED BY", "ACCOUNT"]
        drawRow(headers, columns: columns, y: 1, role: .label, into: &frame)

        guard queue.loaded else {
            frame.put(" Loading…", x: 0, y: 2, role: .muted)
            return
        }
        if queue.items.isEmpty {
            let empty = mine ? "You have not logged any concerns." : "No open concerns. The queue is clear."
            frame.put(" " + empty, x: 0, y: 3, role: .muted)
            return
        }
        let visible = queue.items.dropFirst(queue.top).prefix(state.queueRows)
        for (offset, item) in visible.enumerated() {
            let y = 2 + offset
            let index = queue.top + offset
            let isSelected = index == queue.selected
            let base: StyleRole = isSelected ? .selected : .normal
            drawRow(cells(for: item, now: state.now), columns: columns, y: y, role: base, into: &frame)
            if item.urgent {
                frame.put("URGENT", x: 0, y: y, role: isSelected ? .selected : .urgent)
            }
            if item.restricted {
                frame.put("restr", x: columns.badge + 1, y: y, role: isSelected ? .selected : .restricted)
            }
            if isSelected {
                frame.fill(x: 0, y: y, width: frame.size.width, role: .selected)
            }
        }
        if queue.loading {
            frame.put(" loading more…", x: 0, y: frame.size.height - 3, role: .muted)
        }
    }

    static func cells(for item: QueueItem, now: Date) -> [String] {
        let pupil: String
        if let first = item.pupils.first {
            let more = item.pupils.count > 1 ? " +\(item.pupils.count - 1)" : ""
            pupil = "\(TextLayout.clean(first.name)) \(first.yearGroup.short)\(more)"
        } else {
            pupil = "—"
        }
        let status: String
        switch item.status {
        case .new: status = "new"
        case .inProgress: status = "open"
        case .closed: status = "done"
        }
        return [
            item.urgent ? "URGENT" : "",
            item.restricted ? "restr" : status,
            UKDate.shortAge(from: item.recordedAt, to: now),
            pupil,
            item.categories.map(\.short).joined(separator: ", "),
            TextLayout.clean(item.reporterName),
            TextLayout.clean(item.firstLine),
        ]
    }

    private static func drawRow(_ values: [String], columns: Columns, y: Int, role: StyleRole, into frame: inout Frame) {
        let widths = [columns.badge, columns.status, columns.age, columns.pupil, columns.categories, columns.reporter,
                      max(0, frame.size.width - columns.fixed)]
        var x = 0
        for (value, width) in zip(values, widths) where width > 0 {
            frame.cell(value, x: x, y: y, width: width, role: role)
            x += width + 1
        }
    }
}
