import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    // MARK: Schools

    /// Creates the first school and its first DSL in one transaction: `cairn init` and `cairn demo`.
    /// A trust starts with a trust-level DSL, who can then add its other schools and their staff.
    public func bootstrap(school name: String, dsl: Staff, trustLevel: Bool = false) throws -> School {
        try pool.write { db in
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM staff") ?? 0 > 0 {
                throw StoreError.invalid([FieldProblem(field: "database", message: "already has staff")])
            }
            try db.execute(sql: "INSERT INTO schools (name) VALUES (?)", arguments: [name])
            let school = School(id: SchoolID(rawValue: db.lastInsertedRowID), name: name)
            var first = dsl
            first.school = trustLevel ? nil : school.id
            try Self.insertStaff(db, first, at: self.clock.now())
            try self.recordChange(db, first, first.username, "added", nil, "dsl at \(trustLevel ? "the trust" : name)")
            try self.audit(db, first, .manageStaff, recordKind: "staff", recordID: first.username,
                           detail: "created database for \(name) with \(first.username) as \(trustLevel ? "trust-level " : "")DSL")
            return school
        }
    }

    /// Adds another school to a trust. Only trust-level managers may: a school's staff manage that school.
    public func addSchool(actor: Staff, name: String) throws -> School {
        let name = name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { throw StoreError.invalid([FieldProblem(field: "name", message: "the school's name is empty")]) }
        let result: Result<School, AccessDenied> = try guarded(actor, .manageStaff, recordKind: "school", recordID: name) { db in
            guard actor.school == nil else {
                // Audited and committed like the matrix's own refusals: nothing else has been written.
                let reason = "only the trust's DSL or admin can add a school; you manage staff at one school"
                try self.audit(db, actor, .manageStaff, recordKind: "school", recordID: name, detail: "refused: \(reason)")
                return .failure(AccessDenied(operation: .manageStaff, reason: reason))
            }
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM schools WHERE name = ? COLLATE NOCASE", arguments: [name]) ?? 0 > 0 {
                throw StoreError.invalid([FieldProblem(field: "name", message: "a school called \"\(name)\" already exists; see `cairn schools list`")])
            }
            try db.execute(sql: "INSERT INTO schools (name) VALUES (?)", arguments: [name])
            let school = School(id: SchoolID(rawValue: db.lastInsertedRowID), name: name)
            try self.audit(db, actor, .manageStaff, recordKind: "school", recordID: String(school.id.rawValue),
                           detail: "added school \(name)")
            return .success(school)
        }
        return try result.get()
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

    // MARK: Pupils

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
