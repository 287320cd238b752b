import CairnDomain
import CairnStore
import Foundation

/// The incoming queue: one row per concern, urgent first then oldest first.
enum QueueView {
    /// Column widths. Every row starts with a one-column selection marker, so that the selected
    /// row can be told without colour or reverse video (screen readers, text snapshots).
    struct Columns {
        var marker = 1, badge = 6, status = 5, age = 3, pupil = 20, categories = 14, reporter = 10
        /// Staff looking at their own concerns need no reporter column; they do see closed ones.
        var showsReporter = true

        /// Wider terminals give the names and the account more room.
        init(width: Int, mine: Bool = false) {
            if width >= 120 {
                pupil = 26
                categories = 24
                reporter = 16
            } else if width >= 100 {
                pupil = 22
                categories = 20
                reporter = 14
            }
            if mine {
                status = 6
                reporter = 0
                showsReporter = false
            }
        }

        /// Widths in drawing order; the account takes what is left.
        func widths(total: Int) -> [Int] {
            let fixed = [marker, badge, status, age, pupil, categories] + (showsReporter ? [reporter] : [])
            // One space between columns, none after the marker.
            let used = fixed.reduce(0, +) + fixed.count - 1
            return fixed + [max(0, total - used)]
        }
    }

    static func draw(_ state: AppState, into frame: inout Frame) {
        let queue = state.queue
        let mine = state.queueScope == .mine

        let columns = Columns(width: frame.size.width, mine: mine)
        let headers = ["", "", "STATE", "AGE", "PUPIL", "CATEGORIES"] + (columns.showsReporter ? ["REPORTER"] : []) + ["ACCOUNT"]
        frame.row(headers, widths: columns.widths(total: frame.size.width), y: 1, role: .label)

        guard queue.loaded else {
            frame.put(" Loading…", x: 0, y: 2, role: .muted)
            return
        }
        if queue.items.isEmpty && queue.reviews.isEmpty {
            let empty = mine ? "You have not logged any concerns." : "No open concerns. The queue is clear."
            frame.put(" " + empty, x: 0, y: 3, role: .muted)
            return
        }
        let widths = columns.widths(total: frame.size.width)
        // Files received from other schools come first, then the concerns: one list, one selection.
        for index in queue.top..<max(queue.top, min(queue.count, queue.top + state.queueRows)) {
            let y = 2 + index - queue.top
            let isSelected = index == queue.selected
            let base: StyleRole = isSelected ? .selected : .normal
            if queue.reviews.indices.contains(index) {
                let review = queue.reviews[index]
                var values = TransferReviews.cells(review, now: state.now, pupilWidth: columns.pupil, reporterWidth: columns.reporter,
                                                   school: SchoolTag.short(review.school, state))
                if !columns.showsReporter { values.remove(at: 5) }
                values.insert(isSelected ? "▸" : "", at: 0)
                frame.row(values, widths: widths, y: y, role: base)
                frame.put("FILE", x: columns.marker, y: y, role: isSelected ? .selected : .warning)
                if isSelected { frame.fill(x: 0, y: y, width: frame.size.width, role: .selected) }
                continue
            }
            let item = queue.items[index - queue.reviews.count]
            var values = cells(for: item, now: state.now, pupilWidth: columns.pupil, reporterWidth: columns.reporter,
                               school: SchoolTag.short(item.school, state))
            if !columns.showsReporter { values.remove(at: 5) }
            values.insert(isSelected ? "▸" : "", at: 0)
            frame.row(values, widths: columns.widths(total: frame.size.width), y: y, role: base)
            if item.urgent {
                frame.put("URGENT", x: columns.marker, y: y, role: isSelected ? .selected : .urgent)
            } else if item.awaitsPaperCheck {
                frame.put("PAPER", x: columns.marker, y: y, role: isSelected ? .selected : .warning)
            }
            if item.restricted {
                let accountX = widths.dropLast().reduce(0, +) + widths.count - 2
                frame.put("restricted", x: accountX, y: y, role: isSelected ? .selected : .restricted, width: widths.last ?? 0)
            }
            if isSelected {
                frame.fill(x: 0, y: y, width: frame.size.width, role: .selected)
            }
        }
        if queue.loading {
            frame.put(" loading more…", x: 0, y: frame.size.height - 3, role: .muted)
        }
    }

    static func title(_ state: AppState) -> String {
        let queue = state.queue
        let countText = queue.exhausted ? "\(queue.items.count)" : "\(queue.items.count)+"
        let files = queue.reviews.isEmpty ? "" : " · \(counted(queue.reviews.count, "file")) to review"
        return state.queueScope == .mine ? "Concerns you have logged (\(countText))" : "Incoming queue (\(countText) open\(files))"
    }

    /// The row's cells without the marker: badge, state, age, pupil, categories, reporter, account.
    static func cells(for item: QueueItem, now: Date, pupilWidth: Int = 26, reporterWidth: Int = 16,
                      school: String? = nil) -> [String] {
        let pupil = item.pupils.first.map { first in
            pupilCell(first.name, year: first.yearGroup, others: item.pupils.count - 1, width: pupilWidth, school: school)
        } ?? "—"
        let status: String
        switch item.status {
        case .new: status = "new"
        case .inProgress: status = "open"
        case .closed: status = "closed"
        }
        // Restricted, and a paper original not yet checked, are said in words at the start of the
        // account, so the state column keeps the status. An unchecked paper original also takes the
        // badge when the concern is not urgent, where a narrow screen still shows it whole.
        let unverified = item.awaitsPaperCheck ? (item.paper?.marker ?? "") + " · " : ""
        let account = (item.restricted ? "restricted · " : "") + unverified + TextLayout.clean(item.firstLine)
        return [
            item.urgent ? "URGENT" : (item.awaitsPaperCheck ? "PAPER" : ""),
            status,
            UKDate.shortAge(from: item.recordedAt, to: now),
            pupil,
            item.categories.map(\.short).joined(separator: ", "),
            shortName(TextLayout.clean(item.reporterName), width: reporterWidth),
            account,
        ]
    }

    /// "Name Y8 +1": the year group and the count of other pupils are never cut off; a long name is.
    /// A trust-level reader's rows start with the school's short code ("OA Name Y8").
    static func pupilCell(_ name: String, year: YearGroup, others: Int = 0, width: Int, school: String? = nil) -> String {
        let prefix = school.map { $0 + " " } ?? ""
        let suffix = " \(year.short)" + (others > 0 ? " +\(others)" : "")
        return prefix + DisplayWidth.truncate(TextLayout.clean(name), to: max(1, width - DisplayWidth.of(prefix) - DisplayWidth.of(suffix))) + suffix
    }

    /// "Kwame Osei" where it fits, else "K. Osei", so that narrow screens still say who reported it.
    static func shortName(_ name: String, width: Int) -> String {
        guard DisplayWidth.of(name) > width else { return name }
        let parts = name.split(separator: " ")
        guard parts.count > 1, let initial = parts.first?.first else { return name }
        return "\(initial). " + parts.dropFirst().joined(separator: " ")
    }
}

extension QueueItem {
    /// Typed from a paper original that nobody has yet checked against the paper.
    var awaitsPaperCheck: Bool { paper.map { !$0.isVerified } ?? false }
}
