import CairnDomain
import CairnStore
import Foundation

/// The pupil the who-has-looked view is about, with what is known of them where it was opened.
public struct LookSubject: Equatable, Sendable {
    public var id: PupilID
    /// Empty when only the UPN is known (a filter typed by UPN, before any event names the pupil).
    public var name: String
    public var yearGroup: YearGroup?
    /// Empty in privacy mode.
    public var upn: String

    public init(id: PupilID, name: String, yearGroup: YearGroup?, upn: String) {
        self.id = id
        self.name = name
        self.yearGroup = yearGroup
        self.upn = upn
    }

    init(_ pupil: AuditPupil) {
        self.init(id: pupil.id, name: pupil.name, yearGroup: pupil.yearGroup, upn: pupil.upn)
    }
}

/// The audit filter as the user typed it: fills the form again, and says in words what the log is
/// narrowed to. `until` is the last day included (the store's `until` is the moment after it).
public struct AuditFilterDraft: Equatable, Sendable {
    public var staff = ""
    public var upn = ""
    public var operation: AccessOperation?
    public var since: Date?
    public var until: Date?

    public init(staff: String = "", upn: String = "", operation: AccessOperation? = nil, since: Date? = nil, until: Date? = nil) {
        self.staff = staff
        self.upn = upn
        self.operation = operation
        self.since = since
        self.until = until
    }

    public var isEmpty: Bool { self == AuditFilterDraft() }
}

/// One audit event opened in full (Enter), scrolled as a panel.
public struct AuditEventState: Equatable, Sendable {
    public var record: AuditRecord
    public var scroll = 0
}

/// "Who has looked at this file": one row per member of staff, most recent first.
public struct LooksState: Equatable, Sendable {
    public var subject: LookSubject
    public var rows: [LookSummary] = []
    public var selected = 0
    public var top = 0
    public var loaded = false
    /// Where Esc goes back to when the view was opened from another pane (a pupil's chronology).
    public var returnPane: Pane?

    public var selectedRow: LookSummary? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// A filter waiting for its first page; it replaces the current one only when the page arrives.
public struct PendingAuditFilter: Equatable, Sendable {
    public var filter: AuditFilter
    public var draft: AuditFilterDraft
}

/// The Audit pane: the audit log, newest first, loaded by keyset as the user scrolls. Every page
/// read is itself an audit event, so the log is read on the first visit, when scrolling needs
/// more, and when the filter changes; never on a key that only moves.
public struct AuditState: Equatable, Sendable {
    public var filter = AuditFilter()
    public var draft = AuditFilterDraft()
    public var pending: PendingAuditFilter?
    public var items: [AuditRecord] = []
    public var selected = 0
    public var top = 0
    public var exhausted = false
    public var loading = false
    public var loaded = false
    public var event: AuditEventState?
    public var looks: LooksState?

    public init() {}

    public var selectedItem: AuditRecord? { items.indices.contains(selected) ? items[selected] : nil }
}

extension AuditState: PagedList {
    var count: Int { items.count }
}

extension LooksState: PagedList {
    var count: Int { rows.count }
    var exhausted: Bool { true }
    var loading: Bool { false }
}

extension AppState {
    /// Rows of the audit log under its filter line and column names.
    public var auditRows: Int { max(1, size.height - 5) }

    /// Rows of the who-has-looked list under its two heading lines and column names.
    public var looksRows: Int { max(1, size.height - 6) }
}

/// The form's field ids.
extension FieldID {
    public static let auditStaff = "audit staff"
    public static let auditUPN = "audit upn"
    public static let auditOperation = "audit operation"
    public static let auditSince = "audit since"
    public static let auditUntil = "audit until"
}

// MARK: Privacy mode

extension AuditState {
    /// Privacy mode, for `PrivacyMask.apply`: pupils become initials with their year group, UPNs
    /// are blanked (views leave a blank UPN out), and the text of searches, which is usually a
    /// child's name, is hidden.
    func masked(_ initials: (String) -> String) -> AuditState {
        var shown = self
        func mask(_ record: AuditRecord) -> AuditRecord {
            var masked = record
            if var pupil = record.pupil {
                pupil.name = initials(pupil.name)
                pupil.upn = ""
                masked.pupil = pupil
            }
            if record.accessOperation == .search { masked.detail = AuditWords.hidingSearchText(record.detail) }
            return masked
        }
        func mask(_ subject: LookSubject) -> LookSubject {
            var masked = subject
            masked.name = subject.name.isEmpty ? "" : initials(subject.name)
            masked.upn = ""
            return masked
        }
        shown.items = items.map(mask)
        shown.event = event.map { AuditEventState(record: mask($0.record), scroll: $0.scroll) }
        if var looks {
            looks.subject = mask(looks.subject)
            shown.looks = looks
        }
        shown.draft.upn = ""
        return shown
    }
}

// MARK: Keys and loading

enum AuditPane {
    /// First visit: the newest page. Later visits show what was loaded.
    static func entered(_ state: inout AppState) -> [Effect] {
        guard !state.audit.loaded, !state.audit.loading else { return [] }
        state.audit.loading = true
        return [.loadAudit(state.audit.filter, before: nil, limit: App.pageSize)]
    }

    static func command(_ command: Command, _ state: inout AppState) -> [Effect] {
        if state.audit.looks != nil { return looksCommand(command, &state) }
        if state.audit.event != nil, let effects = eventCommand(command, &state) { return effects }
        if state.audit.move(command, page: state.auditRows) {
            state.audit.keepVisible(rows: state.auditRows)
            guard state.audit.needsMore(rows: state.auditRows), let last = state.audit.items.last else { return [] }
            state.audit.loading = true
            return [.loadAudit(state.audit.filter, before: last.sequence, limit: App.pageSize)]
        }
        switch command {
        case .open:
            guard let record = state.audit.selectedItem else { return [] }
            state.audit.event = AuditEventState(record: record)
        case .filter:
            FormFlow.open(.auditFilter, FormCatalogue.auditFilter(state.audit.draft), &state)
        case .clearFilter:
            return clear(&state)
        case .whoHasLooked:
            guard let subject = subjectForLooks(state) else {
                state.notice = Notice(kind: .problem, text: "This event names no pupil: choose one that does, or filter by a pupil (f).")
                return []
            }
            return openLooks(subject, returnPane: nil, &state)
        default:
            break
        }
        return []
    }

    /// Keys on an event opened in full: scrolling and Esc; nil for keys the log itself handles.
    private static func eventCommand(_ command: Command, _ state: inout AppState) -> [Effect]? {
        guard var event = state.audit.event else { return nil }
        switch command {
        case .back:
            state.audit.event = nil
            return []
        case .moveDown, .moveUp, .pageDown, .pageUp:
            _ = TextPanel.scroll(command, &event.scroll, page: max(1, state.size.height - 4))
            let lines = AuditView.eventLines(event.record, width: PaneLayout.detailSize(state.size).width)
            event.scroll = min(event.scroll, TextPanel.maxScroll(lines: lines.count, size: PaneLayout.detailSize(state.size)))
            state.audit.event = event
            return []
        case .open:
            return []
        default:
            // f, c and w work on the log behind the event.
            state.audit.event = nil
            return nil
        }
    }

    private static func looksCommand(_ command: Command, _ state: inout AppState) -> [Effect] {
        guard var looks = state.audit.looks else { return [] }
        let page = state.looksRows
        if looks.move(command, page: page) {
            looks.keepVisible(rows: page)
            state.audit.looks = looks
            return []
        }
        switch command {
        case .back:
            state.audit.looks = nil
            if let pane = looks.returnPane { state.pane = pane }
            return []
        case .open:
            // This person's events about this pupil, in the log.
            guard let row = looks.selectedRow else { return [] }
            let draft = AuditFilterDraft(staff: row.username, upn: looks.subject.upn)
            let filter = AuditFilter(staff: row.username, pupil: looks.subject.id)
            return load(PendingAuditFilter(filter: filter, draft: draft), &state)
        case .filter:
            // The view stays until the new filter's first page arrives; a cancelled form leaves it.
            FormFlow.open(.auditFilter, FormCatalogue.auditFilter(state.audit.draft), &state)
            return []
        case .clearFilter:
            return clear(&state)
        case .whoHasLooked:
            state.notice = Notice(kind: .info, text: "This is who has looked at the file; Esc goes back.")
            return []
        default:
            return []
        }
    }

    /// `c`: the whole log again, from the newest event.
    private static func clear(_ state: inout AppState) -> [Effect] {
        state.audit.event = nil
        let effects = load(PendingAuditFilter(filter: AuditFilter(), draft: AuditFilterDraft()), &state)
        state.notice = Notice(kind: .info, text: "Showing the whole log, newest first.")
        return effects
    }

    private static func load(_ pending: PendingAuditFilter, _ state: inout AppState) -> [Effect] {
        state.pane = .audit
        state.audit.pending = pending
        state.audit.loading = true
        return [.loadAudit(pending.filter, before: nil, limit: App.pageSize)]
    }

    /// The pupil `w` asks about: the selected event's, else the filter's.
    static func subjectForLooks(_ state: AppState) -> LookSubject? {
        if let pupil = state.audit.selectedItem?.pupil { return LookSubject(pupil) }
        guard let id = state.audit.filter.pupil else { return nil }
        if let known = state.audit.items.lazy.compactMap(\.pupil).first(where: { $0.id == id }) { return LookSubject(known) }
        return LookSubject(id: id, name: "", yearGroup: nil, upn: state.audit.draft.upn)
    }

    /// `w` on a pupil's chronology: who has looked at the open file.
    static func looksFromChronology(_ state: inout AppState) -> [Effect] {
        guard let header = state.chronology?.header else {
            state.notice = Notice(kind: .problem, text: "Open a pupil first: press / to find one.")
            return []
        }
        let subject = LookSubject(id: header.id, name: header.name, yearGroup: header.yearGroup, upn: header.upn)
        return openLooks(subject, returnPane: .chronology, &state)
    }

    private static func openLooks(_ subject: LookSubject, returnPane: Pane?, _ state: inout AppState) -> [Effect] {
        state.audit.event = nil
        state.audit.looks = LooksState(subject: subject, returnPane: returnPane)
        state.pane = .audit
        return [.loadLooks(subject.id)]
    }

    // MARK: Messages

    static func loaded(_ filter: AuditFilter, _ records: [AuditRecord], reset: Bool, requested: Int, _ state: inout AppState) {
        if let pending = state.audit.pending, pending.filter == filter, reset {
            // A new filter's first page: now it replaces the old one, and the form closes.
            state.audit.pending = nil
            state.audit.filter = pending.filter
            state.audit.draft = pending.draft
            state.audit.selected = 0
            state.audit.top = 0
            state.audit.event = nil
            state.audit.looks = nil
            if case .form(let session) = state.overlay, session.purpose == .auditFilter { state.overlay = nil }
        } else if filter != state.audit.filter {
            return  // an answer to a filter no longer shown
        }
        if reset { state.audit.items = records } else { state.audit.items += records }
        state.audit.exhausted = records.count < requested
        state.audit.loading = false
        state.audit.loaded = true
        state.audit.keepVisible(rows: state.auditRows)
    }

    /// The filter form's names and UPN are real: read its first page.
    static func resolved(_ filter: AuditFilter, _ draft: AuditFilterDraft, _ state: inout AppState) -> [Effect] {
        load(PendingAuditFilter(filter: filter, draft: draft), &state)
    }

    static func looksLoaded(_ pupil: PupilID, _ rows: [LookSummary], _ state: inout AppState) {
        guard var looks = state.audit.looks, looks.subject.id == pupil else { return }
        looks.rows = rows
        looks.loaded = true
        looks.selected = min(looks.selected, max(0, rows.count - 1))
        looks.keepVisible(rows: state.looksRows)
        state.audit.looks = looks
    }

    /// Something failed (the notice or the open form says what): nothing changes.
    static func failed(_ state: inout AppState) {
        state.audit.loading = false
        state.audit.pending = nil
        if let looks = state.audit.looks, !looks.loaded {
            state.audit.looks = nil
            if let pane = looks.returnPane { state.pane = pane }
        }
    }

    static func resized(_ state: inout AppState) {
        let rows = state.auditRows
        state.audit.keepVisible(rows: rows)
        let looksRows = state.looksRows
        state.audit.looks?.keepVisible(rows: looksRows)
    }

    // MARK: The filter form

    /// Checks the form can answer without the store: a well-formed UPN, dates in order.
    static func formErrors(_ form: Form) -> [String: String] {
        var errors: [String: String] = [:]
        let upn = form.text(FieldID.auditUPN).trimmingCharacters(in: .whitespaces)
        if !upn.isEmpty {
            do { _ = try UPN(upn) } catch { errors[FieldID.auditUPN] = "Not a UPN: \(error.description)" }
        }
        if let since = form.date(FieldID.auditSince), let until = form.date(FieldID.auditUntil), until < since {
            errors[FieldID.auditUntil] = "The end date is before the start date"
        }
        return errors
    }

    /// A valid form: the store checks the username and the UPN, then the first page is read.
    static func submit(_ form: Form, _ session: inout FormSession) -> [Effect] {
        let draft = AuditFilterDraft(staff: form.text(FieldID.auditStaff).trimmingCharacters(in: .whitespaces).lowercased(),
                                     upn: form.text(FieldID.auditUPN).trimmingCharacters(in: .whitespaces).uppercased(),
                                     operation: form.choice(FieldID.auditOperation).flatMap(AccessOperation.init(rawValue:)),
                                     since: form.date(FieldID.auditSince), until: form.date(FieldID.auditUntil))
        session.saving = true
        session.problem = nil
        return [.resolveAuditFilter(draft)]
    }

    /// Turns what was typed into the store's filter; an unknown person or pupil is a problem
    /// beside its field. Looking a name or UPN up reads no record, so is not audited.
    static func resolve(_ draft: AuditFilterDraft, in store: CairnStore) throws -> AuditFilter {
        var problems: [FieldProblem] = []
        var filter = AuditFilter(operation: draft.operation, since: draft.since.map { UKDate.calendar.startOfDay(for: $0) },
                                 until: draft.until.flatMap { UKDate.calendar.date(byAdding: .day, value: 1, to: UKDate.calendar.startOfDay(for: $0)) })
        if !draft.staff.isEmpty {
            if try store.staff(username: draft.staff) != nil {
                filter.staff = draft.staff
            } else {
                problems.append(FieldProblem(field: FieldID.auditStaff, message: "No member of staff has the username \(TextLayout.clean(draft.staff))"))
            }
        }
        if !draft.upn.isEmpty {
            do {
                if let id = try store.pupilID(upn: try UPN(draft.upn)) {
                    filter.pupil = id
                } else {
                    problems.append(FieldProblem(field: FieldID.auditUPN, message: "No pupil has the UPN \(draft.upn)"))
                }
            } catch let error as UPNError {
                problems.append(FieldProblem(field: FieldID.auditUPN, message: "Not a UPN: \(error.description)"))
            }
        }
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        return filter
    }
}

extension FormCatalogue {
    /// The audit filter: every part optional; the operation in words, "Any" first.
    static func auditFilter(_ draft: AuditFilterDraft) -> Form {
        let any = FormOption(id: "any", label: "Any")
        let operations = AuditWords.filterOrder.map { FormOption(id: $0.rawValue, label: AuditWords.operation($0)) }
        return Form(title: "Filter the audit log", fields: [
            .text(FieldID.auditStaff, "Staff username", value: draft.staff, hint: "e.g. demo.dsl; empty for anyone", maxLength: 64),
            .text(FieldID.auditUPN, "Pupil UPN", value: draft.upn, hint: "13 characters; empty for any pupil", maxLength: 20),
            .choice(FieldID.auditOperation, "Operation", options: [any] + operations, value: draft.operation?.rawValue ?? "any",
                    hint: "←/→ or the first letter: read chronology, search…"),
            .date(FieldID.auditSince, "From", value: draft.since, hint: "Empty for the beginning of the log"),
            .date(FieldID.auditUntil, "To", value: draft.until, hint: "That day included; empty for up to now"),
        ])
    }
}
