import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// A page of open actions, by due date then id (keyset, no OFFSET). `mine` is the actor's own;
    /// `all` is everyone's at their school (DSL and deputies only, else AccessDenied); `overdue` and
    /// `dueThisWeek` (today to the end of Sunday) are everyone's for the DSL and deputies and the
    /// actor's own for everyone else.
    ///
    /// Audited as a read. Listing your own actions is checked as .completeAction, the operation every
    /// role that can own an action has (.listQueue would shut out pastoral leads and staff); listing
    /// everyone's is .manageActions.
    public func actions(actor: Staff, view: ActionView, after: ActionCursor? = nil, limit: Int = 100) throws -> [ActionRow] {
        let limit = min(max(limit, 1), 1000)
        let everyone = view == .all || (view != .mine && AccessPolicy.decide(actor, .manageActions).isAllowed)
        let operation: AccessOperation = everyone ? .manageActions : .completeAction
        let now = clock.now()
        return try guarded(actor, operation, recordKind: "actions", recordID: view.rawValue) { db in
            let query = Self.actionsQuery(actor: actor, view: view, everyone: everyone, now: now, after: after, limit: limit)
            let rows = try Row.fetchAll(db, sql: query.sql, arguments: query.arguments).map { Self.actionRow($0, now: now) }
            try self.audit(db, actor, operation, recordKind: "actions", recordID: view.rawValue,
                           detail: "\(rows.count) rows" + (after.map { " after \(UKDate.date($0.due)) #\($0.id)" } ?? ""))
            return rows
        }
    }

    /// Who can be given an action: active DSLs, deputies, pastoral leads and staff at the actor's
    /// school, by name. Not record content, so not audited.
    public func actionOwners(actor: Staff) throws -> [Staff] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM staff WHERE active = 1 AND role IN ('dsl', 'deputy', 'pastoral', 'staff')
                AND (? IS NULL OR school_id IS NULL OR school_id = ?) ORDER BY display_name, username
                """, arguments: [actor.school?.rawValue, actor.school?.rawValue]).map(Self.staff(from:))
        }
    }

    /// Open and overdue actions for the status line, over what the actor may list: everyone's at the
    /// school for the DSL and deputies, their own for everyone else. Counts only, so not audited.
    public func actionCounts(actor: Staff) throws -> (open: Int, overdue: Int) {
        let everyone = AccessPolicy.decide(actor, .manageActions).isAllowed
        let cutoff = Millis.from(ActionRules.overdueCutoff(at: clock.now()))
        let query = Self.actionsFilter(actor: actor, everyone: everyone)
        return try pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(sum(a.due_at < ?), 0) FROM actions a WHERE \(query.sql)",
                                       arguments: [cutoff] + query.arguments)
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }

    /// The page query, kept separate so that a test can ask SQLite how it runs it.
    static func actionsQuery(actor: Staff, view: ActionView, everyone: Bool, now: Date, after: ActionCursor?,
                             limit: Int) -> (sql: String, arguments: StatementArguments) {
        let filter = actionsFilter(actor: actor, everyone: everyone)
        var conditions = [filter.sql]
        var arguments = filter.arguments
        switch view {
        case .overdue:
            conditions.append("a.due_at < ?")
            _ = arguments.append(contentsOf: [Millis.from(ActionRules.overdueCutoff(at: now))])
        case .dueThisWeek:
            conditions.append("a.due_at >= ? AND a.due_at < ?")
            _ = arguments.append(contentsOf: [Millis.from(UKDate.calendar.startOfDay(for: now)),
                                              Millis.from(WorkingDays.endOfWeek(containing: now))])
        case .mine, .all:
            break
        }
        if let after {
            conditions.append("(a.due_at, a.id) > (?, ?)")
            _ = arguments.append(contentsOf: [Millis.from(after.due), after.id])
        }
        _ = arguments.append(contentsOf: [limit])
        let sql = """
            SELECT a.id, a.pupil_id, a.concern_id, a.description, a.owner, a.due_at, a.status, a.outcome, a.created_by, a.created_at, a.school_id,
                   o.display_name AS owner_name, cb.display_name AS created_by_name,
                   p.upn, p.legal_forename, p.preferred_forename, p.legal_surname, p.year_group,
                   c.year AS concern_year, c.number AS concern_number, r.agency, r.made_at
            FROM actions a
            JOIN pupils p ON p.id = a.pupil_id
            LEFT JOIN staff o ON o.username = a.owner
            LEFT JOIN staff cb ON cb.username = a.created_by
            LEFT JOIN concerns c ON c.id = a.concern_id
            LEFT JOIN referrals r ON r.id = a.referral_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY a.due_at, a.id LIMIT ?
            """
        return (sql, arguments)
    }

    /// Open actions the actor may list: their own (actions_owner_due), or everyone's at their school
    /// (actions_school_open_due; the trust-wide actions_open_due for trust staff).
    static func actionsFilter(actor: Staff, everyone: Bool) -> (sql: String, arguments: StatementArguments) {
        var conditions = ["a.status = 'open'"]
        var arguments: StatementArguments = []
        if !everyone {
            conditions.append("a.owner = ?")
            _ = arguments.append(contentsOf: [actor.username])
        }
        if let school = actor.school {
            conditions.append("a.school_id = ?")
            _ = arguments.append(contentsOf: [school.rawValue])
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    static func actionRow(_ row: Row, now: Date) -> ActionRow {
        let due = Millis.date(row["due_at"])
        let action = Action(id: row["id"], pupil: PupilID(rawValue: row["pupil_id"]),
                            concern: (row["concern_id"] as Int64?).map(ConcernID.init(rawValue:)),
                            description: row["description"], owner: row["owner"], due: due,
                            status: ActionStatus(rawValue: row["status"]) ?? .open, outcome: row["outcome"])
        let reference = (row["concern_year"] as Int?).flatMap { year in
            (row["concern_number"] as Int?).map { ConcernReference(year: year, number: $0) }
        }
        return ActionRow(action: action, ownerName: (row["owner_name"] as String?) ?? action.owner,
                         pupilName: PupilName.display(legal: row["legal_forename"], preferred: row["preferred_forename"],
                                                      surname: row["legal_surname"]),
                         upn: row["upn"], yearGroup: YearGroup(rawValue: row["year_group"]) ?? .reception,
                         concernReference: reference,
                         referralLabel: (row["agency"] as String?).map { referralLabel(agency: $0, madeAt: row["made_at"]) },
                         overdue: action.isOverdue(at: now),
                         createdByName: (row["created_by_name"] as String?) ?? row["created_by"] ?? "",
                         createdAt: Millis.date(row["created_at"]), school: (row["school_id"] as Int64?).map(SchoolID.init(rawValue:)))
    }
}
