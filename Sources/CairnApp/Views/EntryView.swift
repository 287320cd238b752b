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
        let withheld = detail.withholdings.filter(\.isActive)
        if !withheld.isEmpty { title += withheld.contains(where: \.isWholeEntry) ? " · withheld" : " · withheld in part" }
        if row.disputed { title += " · DISPUTED" }
        var out = [TextPanel.Line(text: TextLayout.clean(title), role: row.disputed ? .warning : .title)]
        out += TextPanel.field("By", row.authorName, width: width)
        out += TextPanel.field("Recorded", UKDate.dateTime(detail.recordedAt), width: width)
        // The number `cairn rectify dispute` takes.
        out += TextPanel.field("Entry number", String(entry.id), width: width)
        if let nature = entry.nature { out += TextPanel.field("Nature", "\(nature.label) \(nature.tag)", width: width) }
        for field in detail.fields { out += TextPanel.field(field.label, field.value, width: width) }
        if let paper = row.paper {
            out += TextPanel.field("Paper original", paper.provenance, width: width)
            if !paper.isVerified {
                out += TextPanel.paragraph("Not yet checked against the paper: v, by someone other than the typist.",
                                           width: width, role: .warning, indent: 0)
            }
        }
        out += TextPanel.heading(row.amended ? "Text (as amended)" : "Text")
        out += TextPanel.paragraph(detail.body, width: width)
        // Straight under the text it is about, above the history, so that it shows without scrolling.
        out += withholdings(detail.withholdings, width: width)
        if let referral = detail.awaitingDecision, referral > 0 {
            out.append(TextPanel.Line(text: "", role: .normal))
            out += TextPanel.paragraph("No decision from the agency yet: d records it.", width: width, role: .warning, indent: 0)
        }
        out += disputes(detail.disputes, width: width)
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

    /// What is kept back from subject access requests and why, then what was and has been lifted.
    static func withholdings(_ all: [Withholding], width: Int) -> [TextPanel.Line] {
        guard !all.isEmpty else { return [] }
        var out = TextPanel.heading("Withheld from subject access requests (R changes)")
        let active = all.filter(\.isActive), lifted = all.filter { !$0.isActive }
        if active.isEmpty { out += TextPanel.paragraph("Nothing is withheld now.", width: width) }
        for held in active {
            let what = held.passage.map { "Passage “\($0)”" } ?? "The whole entry"
            out += TextPanel.paragraph("\(what): \(held.reason.label)\(held.reason == .other ? " – \(held.phrase)" : ""). "
                                       + "Withheld by \(held.byName), \(UKDate.dateTime(held.at)).", width: width)
        }
        for held in lifted {
            out += TextPanel.paragraph("Lifted by \(held.liftedByName ?? "?"), \(UKDate.dateTime(held.liftedAt ?? held.at)): "
                                       + "\(WithholdForm.describe(held)) (\(held.phrase)), withheld by \(held.byName) on "
                                       + "\(UKDate.date(held.at)).", width: width, role: .muted)
        }
        return out
    }

    /// The family's statements, each with who made it and when it came, set apart like the child's
    /// words and kept as written. Shared with the concern's own screen.
    static func disputes(_ disputes: [Dispute], width: Int) -> [TextPanel.Line] {
        guard !disputes.isEmpty else { return [] }
        var out = TextPanel.heading("Disputed by the family (\(disputes.count) statement\(disputes.count == 1 ? "" : "s"))")
        for dispute in disputes {
            out += TextPanel.paragraph(dispute.byline + ":", width: width)
            out += TextLayout.wrap(dispute.statement, width: max(10, width - 8)).map {
                TextPanel.Line(text: "│ " + $0, role: .childWords, indent: 2)
            }
        }
        return out
    }
}
