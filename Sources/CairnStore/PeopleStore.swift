import CairnDomain
import Foundation
import GRDB

/// A validated roster row, as the exchange layer hands it over.
public struct PupilRow: Equatable, Sendable {
    public var upn: UPN
    public var legalForename: String
    public var legalSurname: String
    public var preferredForename: String?
    public var dateOfBirth: Date
    public var yearGroup: YearGroup
    public var form: String

    public init(upn: UPN, legalForename: String, legalSurname: String, preferredForename: String?, dateOfBirth: Date,
                yearGroup: YearGroup, form: String) {
        self.upn = upn
        self.legalForename = legalForename
        self.legalSurname = legalSurname
        self.preferredForename = preferredForename
        self.dateOfBirth = dateOfBirth
        self.yearGroup = yearGroup
        self.form = form
    }
}

public struct ImportSummary: Equatable, Sendable {
    public var added: Int
    public var updated: Int
    public var unchanged: Int
}

extension CairnStore {
    // MARK: Schools

    /// Creates the first school and its first DSL in one transaction: `cairn init` and `cairn demo`.
    public func bootstrap(school name: String, dsl: Staff) throws -> School {
        try pool.write { db in
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM staff") ?? 0 > 0 {
                throw StoreError.invalid([FieldProblem(field: "database", message: "already has staff")])
            }
            try db.execute(sql: "INSERT INTO schools (name) VALUES (?)", arguments: [name])
            let school = School(id: SchoolID(rawValue: db.lastInsertedRowID), name: name)
            var first = dsl
            first.school = school.id
            try Self.insertStaff(db, first, at: self.clock.now())
            try self.audit(db, first, .manageStaff, recordKind: "staff", recordID: first.username,
                           detail: "created database for \(name) with \(first.username) as DSL")
            return school
        }
    }

    public func schools() throws -> [School] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM schools ORDER BY id").map {
                School(id: SchoolID(rawValue: $0[0]), name: $0[1])
            }
        }
    }

    public func schoolName(_ id: SchoolID?) throws -> String {
        guard let id else { return "Trust" }
        return try pool.read { db in
            try String.fetchOne(db, sql: "SELECT name FROM schools WHERE id = ?", arguments: [id.rawValue]) ?? "?"
        }
    }

    // MARK: Staff

    /// Looks up who someone is, for signing in; no record content, so no audit.
    public func staff(username: String) throws -> Staff? {
        try pool.read { db in try Self.fetchStaff(db, username: username) }
    }

    public func addStaff(actor: Staff, _ staff: Staff) throws {
        if let problem = Staff.validateUsername(staff.username) {
            throw StoreError.invalid([FieldProblem(field: "username", message: problem)])
        }
        if staff.displayName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.invalid([FieldProblem(field: "name", message: "is empty")])
        }
        if staff.role == .pastoral, staff.years.isEmpty {
            throw StoreError.invalid([FieldProblem(field: "years", message: "a pastoral lead needs year groups, e.g. --years 7,8,9")])
        }
        try guarded(actor, .manageStaff, recordKind: "staff", recordID: staff.username) { db in
            if try Self.fetchStaff(db, username: staff.username) != nil {
                throw StoreError.invalid([FieldProblem(field: "username", message: "\(staff.username) already exists")])
            }
            var added = staff
            if added.school == nil { added.school = actor.school }
            try Self.insertStaff(db, added, at: self.clock.now())
            try self.audit(db, actor, .manageStaff, recordKind: "staff", recordID: staff.username,
                           detail: "added as \(staff.role.rawValue)")
        }
    }

    public func listStaff(actor: Staff) throws -> [Staff] {
        try guarded(actor, .manageStaff, recordKind: "staff", recordID: "*") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM staff ORDER BY username").map(Self.staff(from:))
        }
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

    static func insertStaff(_ db: Database, _ staff: Staff, at: Date) throws {
        try db.execute(sql: """
            INSERT INTO staff (username, display_name, role, years, school_id, active, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [staff.username, staff.displayName, staff.role.rawValue,
                             staff.years.sorted().map { String($0.rawValue) }.joined(separator: ","),
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

    // MARK: Pupils

    /// Adds or updates pupils by UPN in one transaction: all or nothing.
    public func importPupils(actor: Staff, _ rows: [PupilRow], dryRun: Bool = false) throws -> ImportSummary {
        do {
            return try writePupils(actor: actor, rows, dryRun: dryRun)
        } catch let finished as DryRunFinished {
            return finished.summary
        }
    }

    private func writePupils(actor: Staff, _ rows: [PupilRow], dryRun: Bool) throws -> ImportSummary {
        try guarded(actor, .importPupils, recordKind: "roster", recordID: "import") { db in
            let firstSchool = try Int64.fetchOne(db, sql: "SELECT id FROM schools ORDER BY id LIMIT 1").map(SchoolID.init(rawValue:))
            guard let school = actor.school ?? firstSchool else {
                throw StoreError.notFound("A school")
            }
            var summary = ImportSummary(added: 0, updated: 0, unchanged: 0)
            let now = Millis.from(self.clock.now())
            for row in rows {
                let existing = try Row.fetchOne(db, sql: """
                    SELECT id, legal_forename, legal_surname, preferred_forename, date_of_birth, year_group, form
                    FROM pupils WHERE upn = ?
                    """, arguments: [row.upn.value])
                let dob = Millis.from(row.dateOfBirth)
                if let existing {
                    let same = (existing[1] as String) == row.legalForename && (existing[2] as String) == row.legalSurname
                        && (existing[3] as String?) == row.preferredForename && (existing[4] as Int64) == dob
                        && (existing[5] as Int) == row.yearGroup.rawValue && (existing[6] as String) == row.form
                    if same { summary.unchanged += 1; continue }
                    summary.updated += 1
                    try db.execute(sql: """
                        UPDATE pupils SET legal_forename = ?, legal_surname = ?, preferred_forename = ?, date_of_birth = ?,
                        year_group = ?, form = ? WHERE id = ?
                        """, arguments: [row.legalForename, row.legalSurname, row.preferredForename, dob,
                                         row.yearGroup.rawValue, row.form, existing[0] as Int64])
                } else {
                    summary.added += 1
                    try db.execute(sql: """
                        INSERT INTO pupils (upn, legal_forename, legal_surname, preferred_forename, date_of_birth,
                        year_group, form, school_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [row.upn.value, row.legalForename, row.legalSurname, row.preferredForename, dob,
                                         row.yearGroup.rawValue, row.form, school.rawValue, now])
                }
            }
            if dryRun {
                // Nothing may change; undo by failing the transaction after counting.
                throw DryRunFinished(summary: summary)
            }
            try self.audit(db, actor, .importPupils, recordKind: "roster", recordID: "import",
                           detail: "\(summary.added) added, \(summary.updated) updated, \(summary.unchanged) unchanged")
            return summary
        }
    }

    public func pupilCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pupils") ?? 0 }
    }

    /// Resolves a UPN to the pupil's id; says nothing about their record, so is not audited (as
    /// `concernID(reference:)`). Reading the file itself goes through `pupilHeader` and `chronology`.
    public func pupilID(upn: UPN) throws -> PupilID? {
        try pool.read { db in try Self.pupilID(db, upn: upn).map { PupilID(rawValue: $0.id) } }
    }

    static func pupilID(_ db: Database, upn: UPN) throws -> (id: Int64, school: Int64, year: Int)? {
        try Row.fetchOne(db, sql: "SELECT id, school_id, year_group FROM pupils WHERE upn = ?", arguments: [upn.value])
            .map { ($0[0], $0[1], $0[2]) }
    }
}

/// Carries a dry run's counts out of a transaction that must not commit.
struct DryRunFinished: Error {
    let summary: ImportSummary
}
