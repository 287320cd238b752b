import CairnDomain
import CairnStore

/// A chronology entry in full: what happened, its labelled parts, and every amendment with the
/// text it replaced, so that a correction never hides what was first written.
enum EntryView {
    static func draw(_ state: EntryState, into frame: inout Frame) {
        TextPanel.draw(lines(state.detail, width: frame.size.width), scroll: state.scroll, noun: "entry", into: &frame)
    }

    static func maxScroll(_ detail: EntryDetail, size: Size) -> Int {
        TextPanel.maxScroll(lines: lines(detail, width: size.width).count, size: size)
    }

    static func lines(_ detail: EntryDetail, width: Int) -> [TextPanel.Line] {
        let row = detail.row
        let entry = row.entry
        var title = "\(entry.kind.label) · \(UKDate.dateTime(entry.occurredAt))"
        if entry.significant { title += " · ★ significant" }
        if row.amended { title += " · amended" }
        var out = [TextPanel.Line(text: TextLayout.clean(title), role: .title)]
        out += TextPanel.field("By", row.authorName, width: width)
        out += TextPanel.field("Recorded", UKDate.dateTime(detail.recordedAt), width: width)
        if let nature = entry.nature { out += TextPanel.field("Nature", "\(nature.label) \(nature.tag)", width: width) }
        for field in detail.fields { out += TextPanel.field(field.label, field.value, width: width) }
        out += TextPanel.heading(row.amended ? "Text (as amended)" : "Text")
        out += TextPanel.paragraph(detail.body, width: width)
        if let referral = detail.awaitingDecision, referral > 0 {
            out.append(TextPanel.Line(text: "", role: .normal))
            out += TextPanel.paragraph("No decision from the agency yet: D records it.", width: width, role: .warning, indent: 0)
        }
        if !detail.amendments.isEmpty {
            out += TextPanel.heading("History (\(detail.amendments.count) amendment\(detail.amendments.count == 1 ? "" : "s"))")
            for amendment in detail.amendments {
                out += TextPanel.paragraph("\(UKDate.dateTime(amendment.at)) amended by \(amendment.byName). Reason: \(amendment.reason)",
                                           width: width)
                out.append(TextPanel.Line(text: "Before:", role: .label, indent: 4))
                out += TextPanel.paragraph(amendment.previousText, width: width, role: .muted, indent: 6)
            }
        }
        return out
    }
}
