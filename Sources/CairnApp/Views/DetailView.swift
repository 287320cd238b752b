import CairnDomain
import CairnStore
import Foundation

/// One concern in full: every field, each account with its nature, the child's words set apart.
enum DetailView {
    typealias Line = TextPanel.Line

    static func draw(_ state: DetailState, state app: AppState, into frame: inout Frame) {
        let content = lines(state.detail, width: frame.size.width, selectedPupil: state.pupilIndex,
                            canOpenChronology: AccessPolicy.decide(app.actor, .readChronology).isAllowed)
        TextPanel.draw(content, scroll: state.scroll, noun: "concern", into: &frame)
    }

    static func title(_ item: QueueItem) -> String {
        var title = "Concern \(item.reference) · \(item.status.label)"
        if item.urgent { title += " · URGENT" }
        if item.restricted { title += " · RESTRICTED" }
        if let paper = item.paper, !paper.isVerified { title += " · PAPER, UNVERIFIED" }
        return title
    }

    static func maxScroll(_ detail: ConcernDetail, size: Size) -> Int {
        TextPanel.maxScroll(lines: lines(detail, width: size.width).count, size: size)
    }

    static func lines(_ detail: ConcernDetail, width: Int, selectedPupil: Int = 0, canOpenChronology: Bool = true) -> [Line] {
        let item = detail.item
        var out: [Line] = []
        func field(_ label: String, _ value: String) { out += TextPanel.field(label, value, width: width) }
        func heading(_ text: String) { out += TextPanel.heading(text) }

        out.append(Line(text: title(item), role: item.urgent || item.restricted ? .warning : .title))
        if canOpenChronology {
            heading(item.pupils.count > 1 ? "Pupils (n chooses, Enter opens the chronology)" : "Pupil (Enter opens the chronology)")
        } else {
            heading(item.pupils.count > 1 ? "Pupils" : "Pupil")
        }
        for (index, pupil) in item.pupils.enumerated() {
            let chosen = index == selectedPupil && canOpenChronology
            let role: StyleRole = chosen && item.pupils.count > 1 ? .selected : .normal
            // Two short lines rather than one long one, so that neither the date of birth nor the
            // UPN is ever cut or split.
            out.append(Line(text: (chosen ? "▸ " : "  ") + PupilText.line(pupil), role: role))
            // Privacy mode blanks the UPN, and the date of birth goes with it.
            if !pupil.upn.isEmpty {
                out.append(Line(text: "  born \(UKDate.date(pupil.dateOfBirth)) · UPN \(pupil.upn)", role: role))
            }
        }
        heading("Report")
        field("Urgency", item.urgent ? "URGENT – child at risk now" : "Routine")
        field("Categories", item.categories.map(\.label).joined(separator: ", "))
        field("Happened", UKDate.dateTime(item.occurredAt) + (detail.location.map { " · \($0)" } ?? ""))
        field("Recorded", "\(UKDate.dateTime(item.recordedAt)) by \(item.reporterName) (\(item.reportedBy))")
        if let paper = item.paper {
            field("Paper original", paper.provenance)
            if !paper.isVerified {
                out += TextPanel.paragraph("Not yet checked against the paper: v, by someone other than the typist.",
                                           width: width, role: .warning, indent: 0)
            }
        }

        for (index, account) in detail.accounts.enumerated() {
            heading(detail.accounts.count > 1 ? "Account \(index + 1) \(account.nature.tag)" : "Account \(account.nature.tag)")
            out.append(Line(text: account.nature.label, role: .label, indent: 2))
            out += TextPanel.paragraph(account.text, width: width)
        }
        if let words = detail.childWords {
            heading("The child's own words (verbatim)")
            let wrapped = TextLayout.wrap(words, width: max(10, width - 8))
            for (index, part) in wrapped.enumerated() {
                let open = index == 0 ? "“" : " "
                let close = index == wrapped.count - 1 ? "”" : ""
                out.append(Line(text: "│ " + open + part + close, role: .childWords, indent: 2))
            }
        }
        if let action = detail.reporterAction {
            heading("What the reporter did")
            out += TextPanel.paragraph(action, width: width)
        }
        if !detail.decisions.isEmpty {
            heading("Decisions")
            for decision in detail.decisions { out += TextPanel.paragraph(describe(decision), width: width) }
        }
        out += EntryView.disputes(detail.disputes, width: width)
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
