import CairnDomain
import Foundation
import GRDB

/// An action as its writers need it.
struct StoredAction {
    var id: Int64
    var pupil: Int64
    var school: Int64
    var concern: Int64?
    var description: String
    var owner: String
    var ownerName: String
    var due: Date
    var status: ActionStatus
    /// The concern it belongs to is restricted: its chronology entries are too.
    var restricted: Bool

    static func fetch(_ db: Database, id: Int64) throws -> StoredAction {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT a.pupil_id, a.school_id, a.concern_id, a.description, a.owner, s.display_name, a.due_at, a.status,
                   COALESCE(c.restricted, 0)
            FROM actions a LEFT JOIN staff s ON s.username = a.owner LEFT JOIN concerns c ON c.id = a.concern_id
            WHERE a.id = ?
            """, arguments: [id]) else { throw StoreError.notFound("Action \(id)") }
        return StoredAction(id: id, pupil: row[0], school: row[1], concern: row[2], description: row[3], owner: row[4],
                            ownerName: (row[5] as String?) ?? row[4], due: Millis.date(row[6]),
                            status: ActionStatus(rawValue: row[7]) ?? .open, restricted: row[8])
    }

    func requireOpen() throws {
        guard status == .open else {
            throw StoreError.invalid([FieldProblem(field: RecordField.status, message: "This action is already \(status.rawValue)")])
        }
    }

    /// A chronology entry about this action, linked to it and to its concern.
    func entry(at now: Date, headline: String, body: String?) -> NewEntry {
        var entry = NewEntry(pupil: pupil, kind: .action, occurredAt: now, headline: headline, body: body)
        entry.field("Action", CairnStore.firstLine(of: description))
        entry.action = id
        entry.concern = concern
        entry.restricted = restricted
        return entry
    }
}

extension CairnStore {
    // MARK: Setting actions

    /// Sets an action for a named owner (an active member of staff at the pupil's school); it
    /// appears in the pupil's chronology. Returns the action id.
    @discardableResult
    public func addAction(actor: Staff, pupil: PupilID, _ action: ActionInput) throws -> Int64 {
        let now = clock.now()
        return try writing(actor, .addAction, pupil: pupil, linking: action.concern, problems: action.problems(now: now)) { db, scope in
            let school = scope.school?.rawValue ?? 0
            let owner = try Self.actionOwner(db, username: action.owner, school: school)
            let concern = try Self.linkedConcern(db, action.concern, pupil: pupil.rawValue)
            if let referral = action.referral,
               try Int64.fetchOne(db, sql: "SELECT id FROM referrals WHERE id = ? AND pupil_id = ?",
                                  arguments: [referral, pupil.rawValue]) == nil {
                throw StoreError.invalid([FieldProblem(field: RecordField.referral, message: "That referral is not about this pupil")])
            }
            return try self.insertAction(db, actor: actor, pupil: pupil.rawValue, school: school, concern: concern,
                                         referral: action.referral, description: action.description, owner: owner,
                                         due: action.due, followUp: false, at: now)
        }
    }

    /// The same, naming the pupil by UPN (the demo and the command line).
    @discardableResult
    public func addAction(actor: Staff, pupil upn: UPN, concern: ConcernID? = nil, description: String, owner: String,
                          due: Date) throws -> Int64 {
        guard let pupil = try pupilID(upn: upn) else { throw StoreError.notFound("Pupil \(upn.value)") }
        return try addAction(actor: actor, pupil: pupil,
                             ActionInput(description: description, owner: owner, due: due, concern: concern))
    }

    /// Inserts an action, its chronology entry and its audit event, under the operation that set it
    /// (a roster import sets leavers' transfer actions as part of importing).
    func insertAction(_ db: Database, actor: Staff, pupil: Int64, school: Int64, concern: (id: Int64, restricted: Bool)?,
                      referral: Int64?, description: String, owner: Staff, due: Date, followUp: Bool, at now: Date,
                      audited operation: AccessOperation = .addAction) throws -> Int64 {
        let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        try db.execute(sql: """
            INSERT INTO actions (school_id, pupil_id, concern_id, referral_id, description, owner, due_at, created_by,
            created_at, follow_up) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [school, pupil, concern?.id, referral, text, owner.username, Millis.from(due), actor.username,
                             Millis.from(now), followUp])
        let actionID = db.lastInsertedRowID
        var entry = NewEntry(pupil: pupil, kind: .action, occurredAt: now,
                             headline: "Action for \(owner.displayName), due \(UKDate.date(due))", body: text)
        if let referral, let label = try Self.referralLabel(db, referral: referral) { entry.field("Referral", label) }
        entry.action = actionID
        entry.concern = concern?.id
        entry.restricted = concern?.restricted ?? false
        entry.referral = referral
        try Self.insert(db, entry, author: actor.username, at: now)
        try audit(db, actor, operation, recordKind: "action", recordID: String(actionID), pupilID: pupil,
                  detail: followUp ? "follow-up for referral \(referral ?? 0)" : "")
        return actionID
    }

    // MARK: Changing actions

    /// Marks an action done or cancelled, with its outcome; the change is a new row.
    public func completeAction(actor: Staff, id: Int64, status: ActionStatus, outcome: String) throws {
        if outcome.isBlank { throw StoreError.invalid([FieldProblem(field: RecordField.outcome, message: "Say what was done")]) }
        try guarded(actor, .completeAction, recordKind: "action", recordID: String(id),
                    scope: { db in try Self.scope(db, action: id) }) { db in
            let action = try StoredAction.fetch(db, id: id)
            try action.requireOpen()
            try self.finish(db, action, actor: actor, status: status, outcome: outcome, at: self.clock.now())
        }
    }

    /// Writes the status change, its chronology entry ("Action done: …") and its audit event.
    func finish(_ db: Database, _ action: StoredAction, actor: Staff, status: ActionStatus, outcome: String, at now: Date) throws {
        let text = outcome.trimmingCharacters(in: .whitespacesAndNewlines)
        try db.execute(sql: "INSERT INTO action_updates (action_id, status, outcome, by, at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [action.id, status.rawValue, text, actor.username, Millis.from(now)])
        try Self.insert(db, action.entry(at: now, headline: "Action \(status == .done ? "done" : "cancelled")", body: text),
                        author: actor.username, at: now)
        try audit(db, actor, .completeAction, recordKind: "action", recordID: String(action.id), pupilID: action.pupil,
                  detail: status.rawValue)
    }

    /// Moves the due date, with a reason. The owner may move their own action (checked as .addAction
    /// with the owner in scope, so a pastoral lead can even where the pupil is outside their years);
    /// moving someone else's is managing actions (.manageActions: the DSL and deputies).
    public func moveAction(actor: Staff, id: Int64, due: Date, reason: String) throws {
        let now = clock.now()
        var problems: [FieldProblem] = []
        if due < UKDate.calendar.startOfDay(for: now) {
            problems.append(FieldProblem(field: RecordField.due, message: "The due date cannot be in the past"))
        }
        if reason.isBlank { problems.append(FieldProblem(field: RecordField.reason, message: "Say why the due date is changing")) }
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        try guarded(actor, recordKind: "action", recordID: String(id), choosing: { db in
            let scope = try Self.scope(db, action: id)
            return (scope.actionOwner == actor.username ? .addAction : .manageActions, scope)
        }) { db, operation in
            let action = try StoredAction.fetch(db, id: id)
            try action.requireOpen()
            let from = UKDate.date(action.due), to = UKDate.date(due)
            if from == to {
                throw StoreError.invalid([FieldProblem(field: RecordField.due, message: "The action is already due on \(from)")])
            }
            try self.change(db, action, actor: actor, operation: operation, set: ("old_due_at", "new_due_at"),
                            from: Millis.from(action.due), to: Millis.from(due), reason: reason,
                            headline: "Action moved from \(from) to \(to)", at: now)
        }
    }

    /// Gives an action to someone else, with a reason: the DSL and deputies only.
    public func reassignAction(actor: Staff, id: Int64, owner: String, reason: String) throws {
        var problems: [FieldProblem] = []
        if owner.isBlank { problems.append(FieldProblem(field: RecordField.owner, message: "Choose who will do it")) }
        if reason.isBlank { problems.append(FieldProblem(field: RecordField.reason, message: "Say why the action is being reassigned")) }
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        try guarded(actor, .manageActions, recordKind: "action", recordID: String(id),
                    scope: { db in try Self.scope(db, action: id) }) { db in
            let action = try StoredAction.fetch(db, id: id)
            try action.requireOpen()
            let holder = try Self.actionOwner(db, username: owner, school: action.school)
            if holder.username == action.owner {
                throw StoreError.invalid([FieldProblem(field: RecordField.owner, message: "The action is already with \(holder.displayName)")])
            }
            try self.change(db, action, actor: actor, operation: .manageActions, set: ("old_owner", "new_owner"),
                            from: action.owner, to: holder.username, reason: reason,
                            headline: "Action reassigned from \(action.ownerName) to \(holder.displayName)", at: self.clock.now())
        }
    }

    /// One row in action_changes (its trigger updates the action), a chronology entry and an audit event.
    private func change(_ db: Database, _ action: StoredAction, actor: Staff, operation: AccessOperation,
                        set columns: (old: String, new: String), from: any DatabaseValueConvertible & Sendable,
                        to: any DatabaseValueConvertible & Sendable, reason: String, headline: String, at now: Date) throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        try db.execute(sql: """
            INSERT INTO action_changes (action_id, \(columns.old), \(columns.new), reason, by, at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [action.id, from, to, reason, actor.username, Millis.from(now)])
        try Self.insert(db, action.entry(at: now, headline: headline, body: reason), author: actor.username, at: now)
        try audit(db, actor, operation, recordKind: "action", recordID: String(action.id), pupilID: action.pupil, detail: headline)
    }

    // MARK: Helpers

    /// Who may own an action: an active DSL, deputy, pastoral lead or member of staff at the school.
    static func actionOwner(_ db: Database, username: String, school: Int64) throws -> Staff {
        let owner = username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let found = try fetchStaff(db, username: owner), found.active, ownerRoles.contains(found.role),
              found.school == nil || found.school?.rawValue == school else {
            throw StoreError.invalid([FieldProblem(field: RecordField.owner,
                                                   message: "Choose an active member of staff at this school")])
        }
        return found
    }

    static let ownerRoles: Set<Role> = [.dsl, .deputy, .pastoral, .staff]

    /// A concern named on a record must be about the same pupil; returns it with its restriction.
    static func linkedConcern(_ db: Database, _ concern: ConcernID?, pupil: Int64) throws -> (id: Int64, restricted: Bool)? {
        guard let concern else { return nil }
        guard let restricted = try Bool.fetchOne(db, sql: """
            SELECT c.restricted FROM concern_pupils cp JOIN concerns c ON c.id = cp.concern_id
            WHERE cp.concern_id = ? AND cp.pupil_id = ?
            """, arguments: [concern.rawValue, pupil]) else {
            throw StoreError.invalid([FieldProblem(field: RecordField.concern, message: "That concern is not about this pupil")])
        }
        return (concern.rawValue, restricted)
    }

    /// "Referral to Police, 20/11/2026".
    static func referralLabel(_ db: Database, referral id: Int64) throws -> String? {
        try Row.fetchOne(db, sql: "SELECT agency, made_at FROM referrals WHERE id = ?", arguments: [id]).map {
            referralLabel(agency: $0[0], madeAt: $0[1])
        }
    }

    static func referralLabel(agency: String, madeAt: Int64) -> String {
        "Referral to \((Agency(rawValue: agency) ?? .other).label), \(UKDate.date(Millis.date(madeAt)))"
    }

    /// An action is restricted when its concern is, and is the owner's and the concern's reporter's own.
    static func scope(_ db: Database, action id: Int64) throws -> RecordScope {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT a.school_id, p.year_group, a.owner, COALESCE(c.restricted, 0), c.reported_by
            FROM actions a JOIN pupils p ON p.id = a.pupil_id LEFT JOIN concerns c ON c.id = a.concern_id WHERE a.id = ?
            """, arguments: [id]) else { throw StoreError.notFound("Action \(id)") }
        return RecordScope(school: SchoolID(rawValue: row[0]), yearGroups: [YearGroup(rawValue: row[1]) ?? .reception],
                           restricted: row[3], reportedBy: row[4], actionOwner: row[2])
    }
}
