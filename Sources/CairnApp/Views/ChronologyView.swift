import CairnDomain
import CairnStore
import Foundation

enum ChronologyLayout {
    /// Name line, details line, two lines for the context flags, level line: drawn above the column names.
    static let headerLines = 6
}

/// One pupil's file: who they are and what is known, then every significant event in time order.
enum ChronologyView {
    static func draw(_ chronology: ChronologyState, state: AppState, into frame: inout Frame) {
        drawHeader(chronology.header, school: SchoolTag.name(chronology.header.school, state), now: state.now, into: &frame)

        let top = 1 + ChronologyLayout.headerLines
        let labelY = top - 1
        let widths = columns(width: frame.size.width)
        let date = chronology.order == .newestFirst ? "DATE ↓" : "DATE ↑"
        // A filter is said first, where the narrowest column still shows it; the arrow on DATE
        // already says the order.
        var filters: [String] = []
        if chronology.filter.significantOnly { filters.append("significant only") }
        if let kinds = chronology.filter.kinds { filters.append(kinds.map(\.label).sorted().joined(separator: ", ")) }
        if let category = chronology.filter.category { filters.append(category.label) }
        let sorted = chronology.order == .newestFirst ? "newest first" : "oldest first"
        let order = filters.isEmpty ? "WHAT HAPPENED (\(sorted))" : "WHAT HAPPENED · " + (filters + [sorted]).joined(separator: " · ")
        frame.row(["", date, "KIND", order, "BY"], widths: widths, y: labelY, role: .label)
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
            if row.withheld { what = "[withheld] " + what }
            if let paper = row.paper { what = "[\(paper.isVerified ? "paper" : paper.marker)] " + what }
            if row.amended { what = "[amended] " + what }
            if row.disputed { what = "[disputed] " + what }
            frame.row([selected ? "▸" : "", UKDate.date(entry.occurredAt), entry.kind.label, what, TextLayout.clean(row.authorName)],
                    widths: widths, y: top + offset, role: selected ? .selected : .normal)
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

    private static func drawHeader(_ header: PupilHeader, school: String?, now: Date, into frame: inout Frame) {
        let legal = header.legalName == header.name ? "" : " (legal name \(TextLayout.clean(header.legalName)))"
        let end = frame.put(" " + TextLayout.clean(header.name) + legal + (school.map { " · " + $0 } ?? ""), x: 0, y: 1, role: .title)
        if let hold = header.legalHold {
            frame.put(" · LEGAL HOLD: " + TextLayout.clean(hold.reason), x: end, y: 1, role: .warning)
        }
        let age = UKDate.age(born: header.dateOfBirth, at: now)
        // Privacy mode blanks the UPN: then only the year group shows.
        let identity = header.upn.isEmpty ? ""
            : " · form \(TextLayout.clean(header.form)) · age \(age), born \(UKDate.date(header.dateOfBirth)) · UPN \(header.upn)"
        frame.put(" \(header.yearGroup)" + identity, x: 0, y: 2)
        for (offset, line) in contextLines(header.flags, width: frame.size.width - 11).enumerated() {
            frame.put((offset == 0 ? " Context: " : "          ") + line, x: 0, y: 3 + offset)
        }
        let level = header.levelOfNeed.map { "level of need \($0.label)" } ?? "no level of need set"
        let holder = header.caseHolderName.map { " · case holder \(TextLayout.clean($0))" } ?? ""
        frame.put(" \(level)\(holder) · \(header.openActions) open action\(header.openActions == 1 ? "" : "s")", x: 0, y: 5)
    }

    /// Every flag with its dates, on at most two lines: in full where that fits, else by its short
    /// tag ("CIN 08/04/2026–21/09/2026"), and only then cut with an ellipsis, so that an end date
    /// is never lost without a sign.
    static func contextLines(_ flags: [ContextFlag], width: Int) -> [String] {
        guard !flags.isEmpty else { return ["none recorded"] }
        let full = flags.map { flag in
            "\(flag.kind.label) from \(UKDate.date(flag.start))" + (flag.end.map { " to \(UKDate.date($0))" } ?? "")
        }
        let short = flags.map { flag in
            flag.end.map { "\(flag.kind.tag) \(UKDate.date(flag.start))–\(UKDate.date($0))" } ?? "\(flag.kind.tag) from \(UKDate.date(flag.start))"
        }
        for parts in [full, short] {
            let lines = pack(parts, width: width)
            if lines.count <= 2 { return lines }
        }
        let lines = pack(short, width: width)
        return [lines[0], DisplayWidth.truncate(lines[1...].joined(separator: "; "), to: width)]
    }

    /// Parts joined with "; " into lines of at most `width`, never splitting a part that fits a line.
    private static func pack(_ parts: [String], width: Int) -> [String] {
        var lines: [String] = []
        for part in parts.map(TextLayout.clean) {
            if let last = lines.last, DisplayWidth.of(last) + 2 + DisplayWidth.of(part) <= width {
                lines[lines.count - 1] = last + "; " + part
            } else {
                lines.append(part)
            }
        }
        return lines
    }

    private static func columns(width: Int) -> [Int] {
        let by = width >= 120 ? 16 : 10
        let fixed = [1, 10, 12, by]
        return [fixed[0], fixed[1], fixed[2], max(10, width - fixed.reduce(0, +) - 4), by]
    }
}
