import CairnDomain
import CairnStore
import Foundation

enum ChronologyLayout {
    /// Name line, details line, flags line, level line and a blank: drawn above the entries.
    static let headerLines = 5
}

/// One pupil's file: who they are and what is known, then every significant event in time order.
enum ChronologyView {
    static func draw(_ chronology: ChronologyState, state: AppState, into frame: inout Frame) {
        drawHeader(chronology.header, now: state.now, into: &frame)

        let top = 1 + ChronologyLayout.headerLines
        let labelY = top - 1
        let widths = columns(width: frame.size.width)
        let date = chronology.order == .newestFirst ? "DATE ↓" : "DATE ↑"
        let order = chronology.order == .newestFirst ? "WHAT HAPPENED (newest first)" : "WHAT HAPPENED (oldest first)"
        drawRow(["", date, "KIND", order, "BY"], widths: widths, y: labelY, role: .label, into: &frame)
        if chronology.rows.isEmpty {
            let empty = chronology.loading ? "Loading…" : (chronology.filter.significantOnly ? "No significant events." : "Nothing recorded yet.")
            frame.put(" " + empty, x: 0, y: top, role: .muted)
            return
        }
        for (offset, row) in chronology.rows.dropFirst(chronology.top).prefix(state.chronologyRows).enumerated() {
            let index = chronology.top + offset
            let selected = index == chronology.selected
            let entry = row.entry
            var what = TextLayout.clean(entry.summary)
            if let nature = entry.nature { what = nature.tag + " " + what }
            if entry.significant { what = "★ " + what }
            if row.amended { what = "[amended] " + what }
            drawRow([selected ? "▸" : "", UKDate.date(entry.occurredAt), entry.kind.label, what, TextLayout.clean(row.authorName)],
                    widths: widths, y: top + offset, role: row.redacted ? .muted : (selected ? .selected : .normal), into: &frame)
            if selected { frame.fill(x: 0, y: top + offset, width: frame.size.width, role: .selected) }
        }
    }

    static func title(_ chronology: ChronologyState) -> String {
        var parts = ["Chronology · " + chronology.header.name]
        if let kinds = chronology.filter.kinds { parts.append(kinds.map(\.label).sorted().joined(separator: ", ")) }
        if let category = chronology.filter.category { parts.append(category.label) }
        if chronology.filter.significantOnly { parts.append("significant only") }
        return parts.joined(separator: " · ")
    }

    private static func drawHeader(_ header: PupilHeader, now: Date, into frame: inout Frame) {
        let legal = header.legalName == header.name ? "" : " (legal name \(TextLayout.clean(header.legalName)))"
        frame.put(" " + TextLayout.clean(header.name) + legal, x: 0, y: 1, role: .title)
        let age = UKDate.age(born: header.dateOfBirth, at: now)
        frame.put(" \(header.yearGroup) · form \(TextLayout.clean(header.form)) · age \(age), born \(UKDate.date(header.dateOfBirth)) · UPN \(header.upn)",
                  x: 0, y: 2)
        let flags = header.flags.map { flag -> String in
            let end = flag.end.map { " to \(UKDate.date($0))" } ?? ""
            return "\(flag.kind.label) from \(UKDate.date(flag.start))\(end)"
        }
        frame.put(" Context: " + (flags.isEmpty ? "none recorded" : flags.joined(separator: "; ")), x: 0, y: 3)
        let level = header.levelOfNeed.map { "level of need \($0.label)" } ?? "no level of need set"
        let holder = header.caseHolderName.map { " · case holder \(TextLayout.clean($0))" } ?? ""
        frame.put(" \(level)\(holder) · \(header.openActions) open action\(header.openActions == 1 ? "" : "s")", x: 0, y: 4)
    }

    private static func columns(width: Int) -> [Int] {
        let by = width >= 120 ? 16 : 10
        let fixed = [1, 10, 12, by]
        return [fixed[0], fixed[1], fixed[2], max(10, width - fixed.reduce(0, +) - 4), by]
    }

    private static func drawRow(_ values: [String], widths: [Int], y: Int, role: StyleRole, into frame: inout Frame) {
        var x = 0
        for (index, (value, width)) in zip(values, widths).enumerated() {
            frame.cell(value, x: x, y: y, width: width, role: role)
            x += width + (index == 0 ? 0 : 1)
        }
    }
}
