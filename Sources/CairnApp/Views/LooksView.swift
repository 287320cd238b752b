import CairnDomain
import CairnStore
import Foundation

/// "Who has looked at this file": each member of staff who has read a pupil's file (opened the
/// chronology or an entry, read a concern, exported it or sent it on), with their role, how many
/// reads, the first and the last; the most recent first. For subject access requests and for
/// noticing someone looking without a reason.
enum LooksView {
    /// Marker, staff, role, reads, first, last.
    static func columns(width: Int) -> [Int] {
        [1, width >= 100 ? 28 : 22, 13, 5, 16, 16]
    }

    static func draw(_ looks: LooksState, state: AppState, into frame: inout Frame) {
        let width = frame.size.width
        var about = AuditView.subjectName(looks.subject)
        if !looks.subject.name.isEmpty, !looks.subject.upn.isEmpty { about += " · UPN \(looks.subject.upn)" }
        frame.put(DisplayWidth.truncate(" Who has looked at the file of \(about)", to: width), x: 0, y: 1, role: .title)
        frame.put(DisplayWidth.truncate(" Most recent first. Enter lists the selected person's events on this file.", to: width),
                  x: 0, y: 2, role: .muted)
        let widths = columns(width: width)
        frame.row(["", "STAFF", "ROLE", "READS", "FIRST READ", "LAST READ"], widths: widths, y: 3, role: .label)
        guard looks.loaded else {
            frame.put(" Loading…", x: 0, y: 4, role: .muted)
            return
        }
        if looks.rows.isEmpty {
            frame.put(" Nobody has read this file.", x: 0, y: 5, role: .muted)
            return
        }
        for (offset, row) in looks.rows.dropFirst(looks.top).prefix(state.looksRows).enumerated() {
            let index = looks.top + offset
            let selected = index == looks.selected
            let y = 4 + offset
            let reads = String(row.reads)
            frame.row([selected ? "▸" : "", QueueView.shortName(name(row), width: widths[1]), row.role?.label ?? "—",
                       String(repeating: " ", count: max(0, widths[3] - reads.count)) + reads,
                       UKDate.dateTime(row.first), UKDate.dateTime(row.last)],
                      widths: widths, y: y, role: selected ? .selected : .normal)
            if selected { frame.fill(x: 0, y: y, width: width, role: .selected) }
        }
    }

    static func name(_ row: LookSummary) -> String {
        TextLayout.clean(row.name ?? row.username)
    }

    /// Beside the list at 120 columns: the selected reader.
    static func readerLines(_ row: LookSummary, subject: LookSubject, width: Int) -> [TextPanel.Line] {
        var out = [TextPanel.Line(text: name(row), role: .title)]
        out += TextPanel.field("Username", row.username, width: width)
        out += TextPanel.field("Role", row.role?.label ?? "not on the staff list", width: width)
        out += TextPanel.field("Reads", String(row.reads), width: width)
        out += TextPanel.field("First read", UKDate.dateTime(row.first), width: width)
        out += TextPanel.field("Last read", UKDate.dateTime(row.last), width: width)
        out += TextPanel.field("File of", AuditView.subjectName(subject), width: width)
        out.append(TextPanel.Line(text: "", role: .normal))
        out += TextPanel.paragraph("Enter lists each of their events on this file in the audit log.", width: width,
                                   role: .muted, indent: 0)
        return out
    }
}
