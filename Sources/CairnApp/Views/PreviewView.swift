import CairnDomain
import CairnStore
import Foundation

/// The panel beside a list at 120 columns and wider: what the list already holds about the
/// selected item, so moving through a list reads nothing more from the file. Enter opens the
/// whole record, which is the audited read.
enum PreviewView {
    static func draw(_ state: AppState, into frame: inout Frame) {
        let width = frame.size.width
        let lines: [TextPanel.Line]
        switch state.pane {
        case .queue:
            if let review = state.queue.selectedReview {
                lines = TransferReviews.preview(review, width: width)
                    + (SchoolTag.name(review.school, state).map { TextPanel.field("School", $0, width: width) } ?? [])
                break
            }
            guard let item = state.queue.selectedItem else { return }
            lines = queueItem(item, now: state.now, width: width)
                + (SchoolTag.name(item.school, state).map { TextPanel.field("School", $0, width: width) } ?? [])
        case .chronology:
            guard let row = state.chronology?.selectedRow else { return }
            lines = chronologyRow(row, width: width)
        case .actions:
            guard let row = state.actions.selectedItem else { return }
            lines = action(row, width: width)
                + (SchoolTag.name(row.school, state).map { TextPanel.field("School", $0, width: width) } ?? [])
        case .audit:
            return  // AuditView draws its own panel
        }
        TextPanel.draw(lines, scroll: 0, noun: "preview", into: &frame)
    }

    static func queueItem(_ item: QueueItem, now: Date, width: Int) -> [TextPanel.Line] {
        var out = [TextPanel.Line(text: DetailView.title(item), role: .title)]
        for pupil in item.pupils {
            out += TextPanel.field("Pupil", PupilText.line(pupil), width: width)
        }
        out += TextPanel.field("Categories", item.categories.map(\.label).joined(separator: ", "), width: width)
        out += TextPanel.field("Happened", UKDate.dateTime(item.occurredAt), width: width)
        out += TextPanel.field("Recorded", "\(UKDate.dateTime(item.recordedAt)) by \(item.reporterName)", width: width)
        if let paper = item.paper { out += TextPanel.field("Paper", paper.provenance, width: width) }
        if let level = item.level { out += TextPanel.field("Level of need", level.label, width: width) }
        if let holder = item.caseHolder { out += TextPanel.field("Case holder", holder, width: width) }
        out += TextPanel.heading("First line of the account")
        out += TextPanel.paragraph(item.firstLine, width: width)
        out.append(TextPanel.Line(text: "", role: .normal))
        out.append(TextPanel.Line(text: "Enter opens the whole concern.", role: .muted))
        return out
    }

    static func chronologyRow(_ row: ChronologyRow, width: Int) -> [TextPanel.Line] {
        let entry = row.entry
        var out = [TextPanel.Line(text: "\(entry.kind.label) · \(UKDate.dateTime(entry.occurredAt))", role: .title)]
        out += TextPanel.field("By", row.authorName, width: width)
        if let nature = entry.nature { out += TextPanel.field("Nature", nature.label, width: width) }
        var marks: [String] = []
        if entry.significant { marks.append("★ significant") }
        if row.amended { marks.append("amended") }
        if row.withheld { marks.append("withheld from a SAR") }
        if row.disputed { marks.append("disputed by the family (Enter shows the statement)") }
        if !marks.isEmpty { out += TextPanel.field("Marked", marks.joined(separator: " · "), width: width) }
        if let paper = row.paper { out += TextPanel.field("Paper", paper.provenance, width: width) }
        out.append(TextPanel.Line(text: "", role: .normal))
        out += TextPanel.paragraph(entry.summary, width: width, indent: 0)
        out.append(TextPanel.Line(text: "", role: .normal))
        out.append(TextPanel.Line(text: "Enter opens the whole entry and its history.", role: .muted))
        return out
    }

    static func action(_ row: ActionRow, width: Int) -> [TextPanel.Line] {
        var out = [TextPanel.Line(text: row.overdue ? "Action · OVERDUE" : "Action", role: row.overdue ? .warning : .title)]
        out += TextPanel.paragraph(row.action.description, width: width, indent: 0)
        out.append(TextPanel.Line(text: "", role: .normal))
        out += TextPanel.field("Owner", row.ownerName, width: width)
        out += TextPanel.field("Due", UKDate.date(row.action.due) + (row.overdue ? " (overdue)" : ""), width: width)
        out += TextPanel.field("Pupil", "\(row.pupilName) · \(row.yearGroup)" + (row.upn.isEmpty ? "" : " · UPN \(row.upn)"), width: width)
        out += TextPanel.field("For", ActionsView.belongsTo(row), width: width)
        out += TextPanel.field("Set by", "\(row.createdByName) on \(UKDate.date(row.createdAt))", width: width)
        out.append(TextPanel.Line(text: "", role: .normal))
        out.append(TextPanel.Line(text: "Enter opens the chronology at this action.", role: .muted))
        return out
    }
}
