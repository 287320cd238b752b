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

    /// Adds or updates pupils by UPN in one transaction: all or nothing. The pupils go to the actor's
    /// school; a trust-level actor names the school when the database holds more than one.
    public func importPupils(actor: Staff, _ rows: [PupilRow], school: SchoolID? = nil, dryRun: Bool = false) throws -> ImportSummary {
        do {
            return try writePupils(actor: actor, rows, school: school, dryRun: dryRun).get()
        } catch let finished as DryRunFinished {
            return finished.summary
        }
    }

    private func writePupils(actor: Staff, _ rows: [PupilRow], school asked: SchoolID?,
                             dryRun: Bool) throws -> Result<ImportSummary, AccessDenied> {
        try guarded(actor, .importPupils, recordKind: "roster", recordID: "import") { db in
            if let mine = actor.school, let asked, asked != mine {
                // Audited and committed like the matrix's own refusals: nothing else has been written.
                let reason = "school: you may import pupils only for \(try Self.schoolName(db, mine)), your own school"
                try self.audit(db, actor, .importPupils, recordKind: "roster", recordID: "import", detail: "refused: \(reason)")
                return .failure(AccessDenied(operation: .importPupils, reason: reason))
            }
            let school = try actor.school ?? Self.chooseSchool(db, asked, "say which one the pupils are at with --school NAME")
            var summary = ImportSummary(added: 0, updated: 0, unchanged: 0)
            var elsewhere: [FieldProblem] = []
            let now = Millis.from(self.clock.now())
            for row in rows {
                let existing = try Row.fetchOne(db, sql: """
                    SELECT id, legal_forename, legal_surname, preferred_forename, date_of_birth, year_group, form, school_id
                    FROM pupils WHERE upn = ?
                    """, arguments: [row.upn.value])
                // A pupil at another school is theirs to update; one who has moved comes with a transfer.
                if let existing, (existing[7] as Int64) != school.rawValue {
                    elsewhere.append(FieldProblem(field: "upn", message: """
                        \(row.upn.value) (\(row.legalForename) \(row.legalSurname)) is a pupil at \(try Self.schoolName(db, SchoolID(rawValue: existing[7]))), \
                        not \(try Self.schoolName(db, school)); take them out of the file
                        """))
                    continue
                }
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
            if !elsewhere.isEmpty {
                throw StoreError.invalid(elsewhere + [FieldProblem(field: "file", message: "nothing was imported")])
            }
            if dryRun {
                // Nothing may change; undo by failing the transaction after counting.
                throw DryRunFinished(summary: summary)
            }
            try self.audit(db, actor, .importPupils, recordKind: "roster", recordID: "import",
                           detail: "\(summary.added) added, \(summary.updated) updated, \(summary.unchanged) unchanged")
            return .success(summary)
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
