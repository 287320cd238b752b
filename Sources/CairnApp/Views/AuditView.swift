import CairnDomain
import CairnStore
import Foundation

/// Operations in the words a DSL or data protection officer uses.
enum AuditWords {
    static func operation(_ operation: AccessOperation) -> String {
        switch operation {
        case .listQueue: "list the queue"
        case .listOwnConcerns: "list own concerns"
        case .readConcern: "read concern"
        case .readChronology: "read chronology"
        case .readRestricted: "read restricted"
        case .logConcern: "log concern"
        case .triage: "triage"
        case .close: "close concern"
        case .amend: "amend record"
        case .addAction: "add action"
        case .addNote: "add note"
        case .addReferral: "record referral"
        case .completeAction: "complete action"
        case .manageActions: "manage actions"
        case .setFlag: "set context flag"
        case .search: "search pupils"
        case .exportChronology: "export chronology"
        case .sarExport: "SAR export"
        case .transfer: "transfer file"
        case .retentionReview: "retention review"
        case .retentionPurge: "retention purge"
        case .legalHold: "legal hold"
        case .importPupils: "import pupils"
        case .manageStaff: "manage staff"
        case .readAudit: "read audit log"
        case .verifyAudit: "verify audit log"
        case .acknowledgeAudit: "acknowledge audit break"
        case .readStatistics: "read statistics"
        case .backup: "backup"
        case .verifyBackfill: "verify paper record"
        case .rectify: "rectification"
        }
    }

    /// The filter form's order: reads of a child's file first, then the rest as the policy lists them.
    static let filterOrder: [AccessOperation] = {
        let reads: [AccessOperation] = [.readChronology, .readConcern, .readRestricted, .search, .exportChronology, .sarExport, .transfer]
        return reads + AccessOperation.allCases.filter { !reads.contains($0) }
    }()

    /// The store writes "refused: <reason>" as the detail of every refused attempt.
    static func isRefused(_ record: AuditRecord) -> Bool { record.detail.hasPrefix("refused") }

    /// "read chronology", or "refused: read concern" for a refused attempt.
    static func what(_ record: AuditRecord) -> String {
        let words = record.accessOperation.map(operation) ?? TextLayout.clean(record.operation.replacingOccurrences(of: "_", with: " "))
        return isRefused(record) ? "refused: " + words : words
    }

    /// Who did it: the display name, else the username (an operating-system account, a removed user).
    static func who(_ record: AuditRecord) -> String {
        TextLayout.clean(record.actorName ?? record.actor)
    }

    /// A search's detail with the text searched for hidden (privacy mode): `find "…": 3 found`.
    static func hidingSearchText(_ detail: String) -> String {
        guard let open = detail.firstIndex(of: "\""), let close = detail[detail.index(after: open)...].lastIndex(of: "\"") else {
            return detail
        }
        return String(detail[..<open]) + "\"…\"" + String(detail[detail.index(after: close)...])
    }
}

/// The audit log: one row per event, newest first. At 120 columns and wider the panel beside it
/// shows the selected event in full; at 80 columns Enter does.
enum AuditView {
    /// Marker, when, who, what, pupil, detail. A trust-level reader's pupil cell starts with the
    /// school's short code, as in the queue ("OA Name Y8"); the panel names the school in full.
    static func columns(width: Int) -> [Int] {
        let wide = width >= 100
        let fixed = [1, 16, wide ? 16 : 10, wide ? 24 : 20, wide ? 20 : 14]
        // One space between columns, none after the marker.
        return fixed + [max(8, width - fixed.reduce(0, +) - (fixed.count - 1))]
    }

    static func title(_ state: AppState) -> String {
        let audit = state.audit
        if let looks = audit.looks { return "Who has looked · " + subjectName(looks.subject) }
        let count = audit.exhausted ? "\(audit.items.count)" : "\(audit.items.count)+"
        return audit.draft.isEmpty ? "Audit log (\(count))" : "Audit log · filtered (\(count))"
    }

    static func drawList(_ state: AppState, into frame: inout Frame) {
        if let looks = state.audit.looks {
            LooksView.draw(looks, state: state, into: &frame)
        } else {
            draw(state, into: &frame)
        }
    }

    /// The event opened in full (at 80 columns in place of the list), or, beside the list, the
    /// selected event or reader. False when there is nothing to draw in place of the list.
    static func drawDetail(_ state: AppState, into frame: inout Frame) -> Bool {
        let width = frame.size.width
        if PaneLayout.isSplit(state.size) {
            if let looks = state.audit.looks {
                if let row = looks.selectedRow {
                    TextPanel.draw(LooksView.readerLines(row, subject: looks.subject, width: width), scroll: 0, noun: "reader", into: &frame)
                }
            } else if let event = state.audit.event {
                TextPanel.draw(eventLines(event.record, width: width), scroll: event.scroll, noun: "event", into: &frame)
            } else if let record = state.audit.selectedItem {
                TextPanel.draw(eventLines(record, width: width), scroll: 0, noun: "event", into: &frame)
            }
            return true
        }
        guard state.audit.looks == nil, let event = state.audit.event else { return false }
        TextPanel.draw(eventLines(event.record, width: width), scroll: event.scroll, noun: "event", into: &frame)
        return true
    }

    static func draw(_ state: AppState, into frame: inout Frame) {
        let audit = state.audit
        let width = frame.size.width
        drawFilterLine(state, into: &frame)
        let widths = columns(width: width)
        frame.row(["", "WHEN", "WHO", "WHAT", "PUPIL", "DETAIL"], widths: widths, y: 2, role: .label)
        guard audit.loaded else {
            frame.put(" Loading…", x: 0, y: 3, role: .muted)
            return
        }
        if audit.items.isEmpty {
            frame.put(audit.draft.isEmpty ? " No events yet." : " No events match this filter. c clears it.", x: 0, y: 4, role: .muted)
            return
        }
        let whatX = widths[0] + widths[1] + 1 + widths[2] + 1
        for (offset, record) in audit.items.dropFirst(audit.top).prefix(state.auditRows).enumerated() {
            let index = audit.top + offset
            let selected = index == audit.selected
            let y = 3 + offset
            let pupil = record.pupil.map {
                QueueView.pupilCell($0.name, year: $0.yearGroup, width: widths[4], school: SchoolTag.short($0.school, state))
            } ?? "—"
            frame.row([selected ? "▸" : "", UKDate.dateTime(record.at), QueueView.shortName(AuditWords.who(record), width: widths[2]),
                       AuditWords.what(record), pupil, TextLayout.clean(record.detail)],
                      widths: widths, y: y, role: selected ? .selected : .normal)
            if AuditWords.isRefused(record), !selected {
                frame.cell(AuditWords.what(record), x: whatX, y: y, width: widths[3], role: .warning)
            }
            if selected { frame.fill(x: 0, y: y, width: width, role: .selected) }
        }
        if audit.loading { frame.put(" loading more…", x: 0, y: frame.size.height - 3, role: .muted) }
    }

    /// What the log is narrowed to, in words; the keys that change it.
    private static func drawFilterLine(_ state: AppState, into frame: inout Frame) {
        let words = filterWords(state.audit)
        var x = frame.put(" Filter: ", x: 0, y: 1, role: .label)
        let keys = words == nil ? "  f sets one" : "  c clears"
        let room = max(8, frame.size.width - x - DisplayWidth.of(keys) - 1)
        x += frame.put(DisplayWidth.truncate(words ?? "none, every event", to: room), x: x, y: 1, role: words == nil ? .muted : .normal)
        frame.put(keys, x: x, y: 1, role: .muted)
    }

    /// "by Sam Carter (demo.dsl) · about Amara Okafor Y7 · read chronology · from 01/11/2026 · to 23/11/2026"
    static func filterWords(_ audit: AuditState) -> String? {
        let draft = audit.draft
        guard !draft.isEmpty else { return nil }
        var parts: [String] = []
        if !draft.staff.isEmpty {
            let name = audit.items.first { $0.actor == draft.staff }?.actorName
            parts.append("by " + TextLayout.clean(name.map { "\($0) (\(draft.staff))" } ?? draft.staff))
        }
        if let pupil = audit.filter.pupil {
            if let known = audit.items.lazy.compactMap(\.pupil).first(where: { $0.id == pupil }) {
                parts.append("about \(TextLayout.clean(known.name)) \(known.yearGroup.short)")
            } else {
                parts.append(draft.upn.isEmpty ? "about one pupil" : "about UPN \(draft.upn)")
            }
        }
        if let operation = draft.operation { parts.append(AuditWords.operation(operation)) }
        if let since = draft.since { parts.append("from \(UKDate.date(since))") }
        if let until = draft.until { parts.append("to \(UKDate.date(until))") }
        return parts.joined(separator: " · ")
    }

    /// The whole event: who, role, when, what, which record, which pupil, all the detail.
    static func eventLines(_ record: AuditRecord, width: Int) -> [TextPanel.Line] {
        var out = [TextPanel.Line(text: "Audit event \(record.sequence)", role: .title)]
        out += TextPanel.field("When", UKDate.dateTime(record.at), width: width)
        out += TextPanel.field("Who", record.actorName.map { "\($0) (\(record.actor))" } ?? "\(record.actor) (not on the staff list)", width: width)
        out += TextPanel.field("Role", record.actorRole?.label ?? "—", width: width)
        out += TextPanel.field("Operation", AuditWords.what(record), width: width)
        if AuditWords.isRefused(record) { out[out.count - 1].role = .warning }
        out += TextPanel.field("Record", "\(record.recordKind) \(record.recordID)", width: width)
        if let pupil = record.pupil {
            out += TextPanel.field("Pupil", "\(pupil.name) · \(pupil.yearGroup)" + (pupil.upn.isEmpty ? "" : " · UPN \(pupil.upn)"), width: width)
            out += TextPanel.field("School", pupil.schoolName, width: width)
        }
        out += TextPanel.field("Event number", "\(record.sequence)", width: width)
        out += TextPanel.heading("Detail")
        out += TextPanel.paragraph(record.detail.isEmpty ? "—" : record.detail, width: width)
        if record.pupil != nil {
            out.append(TextPanel.Line(text: "", role: .normal))
            out.append(TextPanel.Line(text: "w shows who has looked at this pupil's file.", role: .muted))
        }
        return out
    }

    /// "Amara Okafor · Year 7", or the UPN when no event has named the pupil yet.
    static func subjectName(_ subject: LookSubject) -> String {
        if !subject.name.isEmpty {
            return TextLayout.clean(subject.name) + (subject.yearGroup.map { " · \($0)" } ?? "")
        }
        return subject.upn.isEmpty ? "this pupil" : "UPN \(subject.upn)"
    }
}
