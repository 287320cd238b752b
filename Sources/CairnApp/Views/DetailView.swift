import CairnDomain
import CairnStore
import Foundation

/// One concern in full: every field, each account with its nature, the child's words set apart.
enum DetailView {
    struct Line {
        var text: String
        var role: StyleRole
        var indent = 0
    }

    static func draw(_ state: DetailState, state app: AppState, into frame: inout Frame) {
        let item = state.detail.item
        var title = "Concern \(item.reference) · \(item.status.label)"
        if item.urgent { title += " · URGENT" }
        if item.restricted { title += " · RESTRICTED" }
        DashboardView.drawTitle(title, state: app, into: &frame)
        let content = lines(state.detail, width: frame.size.width, selectedPupil: state.pupilIndex)
        let height = viewHeight(lines: content.count, size: frame.size)
        let scroll = min(state.scroll, max(0, content.count - height))
        for (offset, line) in content.dropFirst(scroll).prefix(height).enumerated() {
            frame.put(line.text, x: 1 + line.indent, y: 1 + offset, role: line.role, width: frame.size.width - 2 - line.indent)
        }
        if content.count > height {
            // Its own row, so that it never covers record text, and in words: what is below the
            // fold (the child's words, the decisions) must not look like the end of the record.
            let shown = min(content.count, scroll + height)
            let position = "lines \(scroll + 1)–\(shown) of \(content.count)"
            let more = shown < content.count ? "more below: PgDn or ↓ · \(position)" : "end of concern · \(position)"
            frame.put(" " + more, x: 0, y: frame.size.height - 3, role: .muted)
        }
    }

    /// Rows for the concern's text: all above the hint line, less one for the position line when it scrolls.
    static func viewHeight(lines: Int, size: Size) -> Int {
        let rows = size.height - 3
        return lines > rows ? rows - 1 : rows
    }

    static func maxScroll(_ detail: ConcernDetail, size: Size) -> Int {
        let count = lines(detail, width: size.width).count
        return max(0, count - viewHeight(lines: count, size: size))
    }

    static func lines(_ detail: ConcernDetail, width: Int, selectedPupil: Int = 0) -> [Line] {
        let item = detail.item
        let textWidth = max(10, width - 6)
        var out: [Line] = []
        func field(_ label: String, _ value: String) {
            let wrapped = TextLayout.wrap(value, width: max(10, width - 18))
            for (index, part) in wrapped.enumerated() {
                out.append(Line(text: (index == 0 ? DisplayWidth.pad(label, to: 15) : String(repeating: " ", count: 15)) + part,
                                role: .normal))
            }
        }
        func heading(_ text: String) {
            out.append(Line(text: "", role: .normal))
            out.append(Line(text: text, role: .title))
        }

        heading(item.pupils.count > 1 ? "Pupils (Tab chooses, Enter opens the chronology)" : "Pupil (Enter opens the chronology)")
        for (index, pupil) in item.pupils.enumerated() {
            let chosen = index == selectedPupil
            out.append(Line(text: (chosen ? "▸ " : "  ") + "\(TextLayout.clean(pupil.name)) · \(pupil.yearGroup) · form \(TextLayout.clean(pupil.form)) · born \(UKDate.date(pupil.dateOfBirth)) · UPN \(pupil.upn)",
                            role: chosen && item.pupils.count > 1 ? .selected : .normal, indent: 0))
        }
        heading("Report")
        field("Urgency", item.urgent ? "URGENT – child at risk now" : "Routine")
        field("Categories", item.categories.map(\.label).joined(separator: ", "))
        field("Happened", UKDate.dateTime(item.occurredAt) + (detail.location.map { " · \($0)" } ?? ""))
        field("Recorded", "\(UKDate.dateTime(item.recordedAt)) by \(item.reporterName) (\(item.reportedBy))")

        for (index, account) in detail.accounts.enumerated() {
            heading(detail.accounts.count > 1 ? "Account \(index + 1) \(account.nature.tag)" : "Account \(account.nature.tag)")
            out.append(Line(text: account.nature.label, role: .label, indent: 2))
            for part in TextLayout.wrap(account.text, width: textWidth) {
                out.append(Line(text: part, role: .normal, indent: 2))
            }
        }
        if let words = detail.childWords {
            heading("The child's own words (verbatim)")
            let wrapped = TextLayout.wrap(words, width: textWidth - 2)
            for (index, part) in wrapped.enumerated() {
                let open = index == 0 ? "“" : " "
                let close = index == wrapped.count - 1 ? "”" : ""
                out.append(Line(text: "│ " + open + part + close, role: .childWords, indent: 2))
            }
        }
        if let action = detail.reporterAction {
            heading("What the reporter did")
            for part in TextLayout.wrap(action, width: textWidth) {
                out.append(Line(text: part, role: .normal, indent: 2))
            }
        }
        if !detail.decisions.isEmpty {
            heading("Decisions")
            for decision in detail.decisions {
                for part in TextLayout.wrap(describe(decision), width: textWidth) {
                    out.append(Line(text: part, role: .normal, indent: 2))
                }
            }
        }
        return out.map { Line(text: TextLayout.clean($0.text), role: $0.role, indent: $0.indent) }
    }

    static func describe(_ decision: DecisionRecord) -> String {
        let when = UKDate.dateTime(decision.decidedAt)
        if decision.kind == "close" {
            let reason = decision.reason.map { " – \($0)" } ?? ""
            return "\(when) closed by \(decision.decidedByName): \(decision.outcome?.label ?? "?")\(reason)"
        }
        var parts = ["level \(decision.level?.label ?? "?")"]
        if let holder = decision.caseHolderName ?? decision.caseHolder { parts.append("case holder \(holder)") }
        if decision.restricted == true { parts.append("restricted") }
        return "\(when) triaged by \(decision.decidedByName): " + parts.joined(separator: ", ")
    }
}
