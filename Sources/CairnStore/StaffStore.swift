import CairnDomain
import Foundation
import GRDB

/// One row of a member of staff's history. Rows are never edited or deleted, so who could read
/// what, and when, can always be worked out afterwards.
public struct StaffChange: Equatable, Sendable {
    public var username: String
    /// "added", "disabled", "enabled", "role" or "years".
    public var change: String
    public var oldValue: String?
    public var newValue: String?
    public var changedBy: String
    public var changedAt: Date
}

/// A refusal by the staff rules (rather than by the access matrix), carried out of the rolled-back
/// transaction so that it can be audited on its own.
private struct StaffRefusal: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

extension CairnStore {
    // MARK: Looking staff up

    /// Looks up who someone is, for signing in; no record content, so no audit.
    public func staff(username: String) throws -> Staff? {
        try pool.read { db in try Self.fetchStaff(db, username: username) }
    }

    /// Who can hold a case: active DSLs and deputies at the actor's school. Not record content.
    public func caseHolders(actor: Staff) throws -> [Staff] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM staff WHERE active = 1 AND role IN ('dsl', 'deputy')
                AND (? IS NULL OR school_id IS NULL OR school_id = ?) ORDER BY role, display_name
                """, arguments: [actor.school?.rawValue, actor.school?.rawValue]).map(Self.staff(from:))
        }
    }

    /// Staff the actor may manage: at a school, that school's staff and the trust-level staff who can
    /// also read its records; for trust-level managers, everyone.
    public func listStaff(actor: Staff, includeDisabled: Bool = false) throws -> [Staff] {
        try guarded(actor, .manageStaff, recordKind: "staff", recordID: "*") { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM staff WHERE (? IS NULL OR school_id IS NULL OR school_id = ?) AND (? OR active = 1)
                ORDER BY username
                """, arguments: [actor.school?.rawValue, actor.school?.rawValue, includeDisabled]).map(Self.staff(from:))
        }
    }

    public func staffHistory(actor: Staff, username: String) throws -> [StaffChange] {
        try managing(actor, username) { db, me in
            let target = try Self.existing(db, username)
            if let mine = me.school, let theirs = target.school, theirs != mine {
                throw StaffRefusal("\(username) works at \(try Self.schoolName(db, theirs)); only that school's or the trust's DSL or admin can see their history")
            }
            return try Row.fetchAll(db, sql: """
                SELECT username, change, old_value, new_value, changed_by, changed_at FROM staff_changes
                WHERE username = ? ORDER BY id
                """, arguments: [username]).map {
                StaffChange(username: $0[0], change: $0[1], oldValue: $0[2], newValue: $0[3], changedBy: $0[4],
                            changedAt: Millis.date($0[5]))
            }
        }
    }

    // MARK: Changing staff

    /// Adds a member of staff at `staff.school`; when that is nil, at the actor's school (for a
    /// trust-level actor, the only school, if there is just one). `trustLevel` puts them at the trust.
    public func addStaff(actor: Staff, _ staff: Staff, trustLevel: Bool = false) throws {
        if let problem = Staff.validateUsername(staff.username) {
            throw StoreError.invalid([FieldProblem(field: "username", message: problem)])
        }
        if staff.displayName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.invalid([FieldProblem(field: "name", message: "is empty")])
        }
        if trustLevel, staff.school != nil {
            throw StoreError.invalid([FieldProblem(field: "school", message: "choose a school or the trust, not both")])
        }
        try Self.checkYears(staff.role, staff.years)
        try managing(actor, staff.username) { db, me in
            if try Self.fetchStaff(db, username: staff.username) != nil {
                throw StoreError.invalid([FieldProblem(field: "username", message: "\(staff.username) already exists; see `cairn staff list --all`")])
            }
            var added = staff
            added.school = trustLevel ? nil : try Self.chooseSchool(db, staff.school ?? me.school,
                                                                     "say which one \(staff.username) works at with --school NAME, or make them trust-level with --trust")
            try Self.checkPlace(db, me, added.school)
            try Self.checkGrant(me, added.role, "give anyone the \(added.role.label) role")
            try Self.insertStaff(db, added, at: self.clock.now())
            let place = try Self.schoolName(db, added.school)
            try self.recordChange(db, me, added.username, "added", nil, "\(Self.describe(added.role, added.years)) at \(place)")
            try self.audit(db, me, .manageStaff, recordKind: "staff", recordID: added.username,
                           detail: "added as \(added.role.rawValue) at \(place)")
        }
    }

    /// Stops someone signing in. Every row they wrote, every action they own and their history stay.
    public func disableStaff(actor: Staff, username: String, reason: String? = nil) throws {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        try managing(actor, username) { db, me in
            let target = try Self.manageable(db, me, username)
            guard target.active else {
                throw StoreError.invalid([FieldProblem(field: "username", message: "\(username) is already disabled")])
            }
            try Self.checkNotLastDSL(db, target, "cannot be disabled")
            try db.execute(sql: "UPDATE staff SET active = 0 WHERE username = ?", arguments: [username])
            let new = reason.flatMap { $0.isEmpty ? nil : "disabled: \($0)" } ?? "disabled"
            try self.recordChange(db, me, username, "disabled", "active", new)
            try self.audit(db, me, .manageStaff, recordKind: "staff", recordID: username, detail: new)
        }
    }

    public func enableStaff(actor: Staff, username: String) throws {
        try managing(actor, username) { db, me in
            let target = try Self.manageable(db, me, username)
            guard !target.active else {
                throw StoreError.invalid([FieldProblem(field: "username", message: "\(username) is already active")])
            }
            try Self.checkGrant(me, target.role, "enable \(username), whose \(target.role.label) role reads safeguarding records")
            try db.execute(sql: "UPDATE staff SET active = 1 WHERE username = ?", arguments: [username])
            try self.recordChange(db, me, username, "enabled", "disabled", "active")
            try self.audit(db, me, .manageStaff, recordKind: "staff", recordID: username, detail: "enabled")
        }
    }

    /// Changes someone's role; `years` are for a pastoral lead and must be empty otherwise.
    public func setRole(actor: Staff, username: String, role: Role, years: Set<YearGroup> = []) throws {
        try Self.checkYears(role, years)
        try managing(actor, username) { db, me in
            let target = try Self.manageable(db, me, username)
            guard target.role != role || target.years != years else {
                throw StoreError.invalid([FieldProblem(field: "role", message: "\(username) is already \(Self.describe(role, years)); nothing was changed")])
            }
            try Self.checkGrant(me, role, "give anyone the \(role.label) role")
            if target.role == .dsl, role != .dsl { try Self.checkNotLastDSL(db, target, "cannot move to another role") }
            try self.update(db, me, target, role: role, years: years)
        }
    }

    /// Changes the year groups a pastoral lead covers, and so whose records they read.
    public func setYears(actor: Staff, username: String, years: Set<YearGroup>) throws {
        try managing(actor, username) { db, me in
            let target = try Self.manageable(db, me, username)
            guard target.role == .pastoral else {
                throw StoreError.invalid([FieldProblem(field: "years", message: "\(username)'s role is \(target.role.label), and only a pastoral lead has year groups; to make them one: `cairn staff set-role \(username) pastoral --years 7,8`")])
            }
            try Self.checkYears(.pastoral, years)
            guard target.years != years else {
                throw StoreError.invalid([FieldProblem(field: "years", message: "\(username) already covers \(Self.yearList(years)); nothing was changed")])
            }
            try Self.checkGrant(me, .pastoral, "change a pastoral lead's year groups, which decide whose records they read")
            try self.update(db, me, target, role: .pastoral, years: years)
        }
    }

    // MARK: Rules

    /// Runs a staff change in one transaction once the access matrix allows it. The rules below
    /// refuse with `StaffRefusal`; the change is rolled back and the refusal audited, as the matrix's are.
    private func managing<T: Sendable>(_ actor: Staff, _ username: String,
                                       _ body: @escaping @Sendable (Database, Staff) throws -> T) throws -> T {
        do {
            return try guarded(actor, .manageStaff, recordKind: "staff", recordID: username) { db in
                // The account as it is now, not as it was at sign-in: a manager disabled or moved a
                // moment ago is refused at once.
                let me = try Self.fetchStaff(db, username: actor.username) ?? actor
                if case .deny(let reason) = AccessPolicy.decide(me, .manageStaff) { throw StaffRefusal(reason) }
                return try body(db, me)
            }
        } catch let refusal as StaffRefusal {
            try pool.write { db in
                try self.audit(db, actor, .manageStaff, recordKind: "staff", recordID: username, detail: "refused: \(refusal.reason)")
            }
            throw AccessDenied(operation: .manageStaff, reason: refusal.reason)
        }
    }

    private static func existing(_ db: Database, _ username: String) throws -> Staff {
        guard let target = try fetchStaff(db, username: username) else {
            throw StoreError.invalid([FieldProblem(field: "username", message: "no member of staff is called \(username); see `cairn staff list --all`")])
        }
        return target
    }

    /// The member of staff, if `me` may change them: never themselves, and at a school only its own staff.
    private static func manageable(_ db: Database, _ me: Staff, _ username: String) throws -> Staff {
        let target = try existing(db, username)
        if target.username == me.username {
            throw StaffRefusal("nobody may change their own account (role, years, school, disabled or enabled); ask another DSL or admin")
        }
        if let mine = me.school, target.school != mine {
            throw StaffRefusal(target.school == nil
                ? "\(username) is trust-level staff; only the trust's DSL or admin can change them"
                : "\(username) works at \(try schoolName(db, target.school)); you manage staff at \(try schoolName(db, mine)) only")
        }
        return target
    }

    /// A manager at a school adds staff only there; a trust-level manager, anywhere.
    private static func checkPlace(_ db: Database, _ me: Staff, _ school: SchoolID?) throws {
        guard let mine = me.school, school != mine else { return }
        throw StaffRefusal(school == nil
            ? "school: only the trust's DSL or admin can add trust-level staff; you manage staff at \(try schoolName(db, mine)) only"
            : "school: you manage staff at \(try schoolName(db, mine)) only, not \(try schoolName(db, school))")
    }

    /// Roles that read records are given only by a DSL: an admin reads no record content, so must not
    /// be able to give that access to anyone, a second account of their own included.
    private static func checkGrant(_ me: Staff, _ role: Role, _ what: String) throws {
        guard AccessMatrix.grant(role, .readChronology) != .none, me.role != .dsl else { return }
        throw StaffRefusal("role: only a DSL can \(what); ask a DSL")
    }

    /// Every school keeps at least one active DSL: one of its own or an active trust-level DSL.
    private static func checkNotLastDSL(_ db: Database, _ target: Staff, _ consequence: String) throws {
        guard target.role == .dsl, target.active else { return }
        let covered = try target.school.map { [$0] }
            ?? Int64.fetchAll(db, sql: "SELECT id FROM schools ORDER BY id").map(SchoolID.init(rawValue:))
        for school in covered {
            let others = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM staff WHERE role = 'dsl' AND active = 1 AND username != ?
                AND (school_id IS NULL OR school_id = ?)
                """, arguments: [target.username, school.rawValue]) ?? 0
            if others == 0 {
                throw StoreError.invalid([FieldProblem(field: "username", message: "\(target.username) is the last active DSL for \(try schoolName(db, school)), so \(consequence); add another DSL first (`cairn staff add USERNAME --name NAME --role dsl`)")])
            }
        }
    }

    static func checkYears(_ role: Role, _ years: Set<YearGroup>) throws {
        if role == .pastoral, years.isEmpty {
            throw StoreError.invalid([FieldProblem(field: "years", message: "a pastoral lead needs year groups, e.g. --years 7,8,9")])
        }
        if role != .pastoral, !years.isEmpty {
            throw StoreError.invalid([FieldProblem(field: "years", message: "only a pastoral lead has year groups; leave them out for the \(role.label) role")])
        }
    }

    /// A school by id, or (given nil) the only school; refuses when there is a choice to make.
    static func chooseSchool(_ db: Database, _ school: SchoolID?, _ whatToDo: String) throws -> SchoolID {
        let all = try Row.fetchAll(db, sql: "SELECT id, name FROM schools ORDER BY id").map {
            School(id: SchoolID(rawValue: $0[0]), name: $0[1])
        }
        if let school {
            guard all.contains(where: { $0.id == school }) else {
                throw StoreError.invalid([FieldProblem(field: "school", message: "there is no such school; see `cairn schools list`")])
            }
            return school
        }
        guard all.count == 1, let only = all.first else {
            let names = all.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw StoreError.invalid([FieldProblem(field: "school", message: "this database holds \(all.count) schools (\(names)); \(whatToDo)")])
        }
        return only.id
    }

    // MARK: Rows

    private func update(_ db: Database, _ me: Staff, _ target: Staff, role: Role, years: Set<YearGroup>) throws {
        try db.execute(sql: "UPDATE staff SET role = ?, years = ? WHERE username = ?",
                       arguments: [role.rawValue, Self.yearsColumn(years), target.username])
        if role != target.role { try recordChange(db, me, target.username, "role", target.role.rawValue, role.rawValue) }
        if years != target.years {
            try recordChange(db, me, target.username, "years", Self.yearsColumn(target.years), Self.yearsColumn(years))
        }
        try audit(db, me, .manageStaff, recordKind: "staff", recordID: target.username,
                  detail: "now \(Self.describe(role, years)) (was \(Self.describe(target.role, target.years)))")
    }

    func recordChange(_ db: Database, _ by: Staff, _ username: String, _ change: String, _ old: String?, _ new: String?) throws {
        try db.execute(sql: """
            INSERT INTO staff_changes (username, change, old_value, new_value, changed_by, changed_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [username, change, old, new, by.username, Millis.from(clock.now())])
    }

    static func insertStaff(_ db: Database, _ staff: Staff, at: Date) throws {
        try db.execute(sql: """
            INSERT INTO staff (username, display_name, role, years, school_id, active, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [staff.username, staff.displayName, staff.role.rawValue, yearsColumn(staff.years),
                             staff.school?.rawValue, staff.active, Millis.from(at)])
    }

    static func fetchStaff(_ db: Database, username: String) throws -> Staff? {
        try Row.fetchOne(db, sql: "SELECT * FROM staff WHERE username = ?", arguments: [username]).map(staff(from:))
    }

    static func staff(from row: Row) -> Staff {
        let years = (row["years"] as String).split(separator: ",").compactMap { Int($0).flatMap(YearGroup.init(rawValue:)) }
        return Staff(username: row["username"], displayName: row["display_name"],
                     role: Role(rawValue: row["role"]) ?? .staff, years: Set(years),
                     school: (row["school_id"] as Int64?).map(SchoolID.init(rawValue:)), active: row["active"])
    }

    static func schoolName(_ db: Database, _ id: SchoolID?) throws -> String {
        guard let id else { return "the trust" }
        return try String.fetchOne(db, sql: "SELECT name FROM schools WHERE id = ?", arguments: [id.rawValue]) ?? "?"
    }

    private static func yearsColumn(_ years: Set<YearGroup>) -> String {
        years.sorted().map { String($0.rawValue) }.joined(separator: ",")
    }

    private static func yearList(_ years: Set<YearGroup>) -> String {
        years.sorted().map(\.short).joined(separator: ",")
    }

    /// "pastoral (Y7,Y8)", "dsl".
    private static func describe(_ role: Role, _ years: Set<YearGroup>) -> String {
        years.isEmpty ? role.rawValue : "\(role.rawValue) (\(yearList(years)))"
    }
}
