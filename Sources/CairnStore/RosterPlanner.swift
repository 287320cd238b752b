import CairnDomain
import Foundation
import GRDB

/// A pupil as the database holds them, for comparing with a roster row.
struct HeldPupil {
    static let columns = """
        id, upn, legal_forename, legal_surname, preferred_forename, date_of_birth, year_group, form, school_id, left_at, destination
        """

    let id: Int64
    let upn: String
    let forename: String
    let surname: String
    let preferred: String?
    let dateOfBirth: Date
    let year: Int
    let form: String
    let school: Int64
    let leftAt: Date?
    let destination: String?

    init(_ row: Row) {
        id = row["id"]
        upn = row["upn"]
        forename = row["legal_forename"]
        surname = row["legal_surname"]
        preferred = row["preferred_forename"]
        dateOfBirth = Millis.date(row["date_of_birth"])
        year = row["year_group"]
        form = row["form"]
        school = row["school_id"]
        leftAt = (row["left_at"] as Int64?).map(Millis.date)
        destination = row["destination"]
    }

    var name: String { PupilName.display(legal: forename, preferred: preferred, surname: surname) }

    /// Every field the row changes, in the order a person reads a record. A row without a form
    /// (a CTF) leaves the form alone.
    func changes(to row: PupilRow) -> [RosterChange] {
        let none = "(none)"
        var changes: [RosterChange] = []
        func compare(_ field: String, _ old: String, _ new: String) {
            if old != new { changes.append(RosterChange(field: field, old: old, new: new)) }
        }
        compare("legal surname", surname, row.legalSurname)
        compare("legal forename", forename, row.legalForename)
        compare("preferred forename", preferred ?? none, row.preferredForename ?? none)
        compare("date of birth", UKDate.date(dateOfBirth), UKDate.date(row.dateOfBirth))
        compare("year group", (YearGroup(rawValue: year) ?? .reception).description, row.yearGroup.description)
        if let form = row.form { compare("form", self.form.isEmpty ? none : self.form, form.isEmpty ? none : form) }
        return changes
    }
}

/// One write an import makes, decided before anything is written.
enum RosterWrite {
    /// The DSL's action to send a leaver's safeguarding file on.
    struct Transfer {
        let owner: Staff
        let due: Date
        let description: String
    }

    case insert(PupilRow)
    /// `rejoining` carries when they had left and whether they have a file that should say they are back.
    case update(id: Int64, PupilRow, rejoining: (leftOn: Date, hasFile: Bool)?)
    case destination(id: Int64, String)
    case leave(id: Int64, leftOn: Date, destination: String?, transfer: Transfer?)
}

/// Works out what an import changes, only reading: a dry run stops here, a real run writes `writes`.
struct RosterPlanner {
    let db: Database
    let school: SchoolID
    let actor: Staff
    let coverage: RosterCoverage
    /// The start of the import day in London: a leaving date on or before it means the pupil has left.
    let today: Date
    var sync: RosterSync
    var writes: [RosterWrite] = []
    private var owner: Staff?

    init(db: Database, school: SchoolID, actor: Staff, coverage: RosterCoverage, now: Date, dryRun: Bool) throws {
        self.db = db
        self.school = school
        self.actor = actor
        self.coverage = coverage
        today = UKDate.calendar.startOfDay(for: now)
        sync = RosterSync(school: try CairnStore.schoolName(db, school), coverage: coverage, dryRun: dryRun)
    }

    mutating func plan(_ rows: [PupilRow]) throws {
        var elsewhere: [FieldProblem] = []
        for row in rows {
            let held = try Row.fetchOne(db, sql: "SELECT \(HeldPupil.columns) FROM pupils WHERE upn = ?",
                                        arguments: [row.upn.value]).map(HeldPupil.init)
            // A pupil at another school is theirs to update; one who has moved comes with a transfer.
            if let held, held.school != school.rawValue {
                elsewhere.append(FieldProblem(field: "upn", message: """
                    \(row.upn.value) (\(row.legalForename) \(row.legalSurname)) is a pupil at \
                    \(try CairnStore.schoolName(db, SchoolID(rawValue: held.school))), not \(sync.school); take them out of the file
                    """))
                continue
            }
            try plan(row, held: held)
        }
        if !elsewhere.isEmpty {
            throw StoreError.invalid(elsewhere + [FieldProblem(field: "file", message: "nothing was imported")])
        }
        if coverage == .full { try planAbsentees(inFile: Set(rows.map(\.upn.value))) }
    }

    private mutating func plan(_ row: PupilRow, held: HeldPupil?) throws {
        // A leaving date still to come leaves the pupil on roll until a later import.
        let leaving = row.leftOn.map { UKDate.calendar.startOfDay(for: $0) }.flatMap { $0 <= today ? $0 : nil }
        guard let held else {
            if let leaving {
                sync.notAdded.append(RosterLeaver(upn: row.upn.value, name: row.displayName, leftOn: leaving,
                                                  destination: row.destination))
            } else {
                sync.added.append(RosterPupil(upn: row.upn.value, name: row.displayName, yearGroup: row.yearGroup,
                                              form: row.form ?? ""))
                writes.append(.insert(row))
            }
            return
        }
        if let leaving {
            if held.leftAt == nil {
                try planLeaver(held, on: leaving, destination: row.destination)
            } else if held.destination == nil, let destination = row.destination {
                sync.updated.append(RosterUpdate(upn: held.upn, name: held.name, changes: [
                    RosterChange(field: "destination", old: "not known", new: destination),
                ]))
                writes.append(.destination(id: held.id, destination))
            } else {
                sync.unchanged += 1
            }
            return
        }
        var changes = held.changes(to: row)
        var rejoining: (leftOn: Date, hasFile: Bool)?
        if let leftAt = held.leftAt {
            changes.insert(RosterChange(field: "on roll", old: "left \(UKDate.date(leftAt))", new: "back on roll"), at: 0)
            rejoining = (leftAt, try Self.hasFile(db, pupil: held.id))
        }
        if changes.isEmpty {
            sync.unchanged += 1
            return
        }
        sync.updated.append(RosterUpdate(upn: held.upn, name: row.displayName, changes: changes))
        writes.append(.update(id: held.id, row, rejoining: rejoining))
    }

    /// On a full roster, everyone on roll at the school whom the file leaves out has left today.
    private mutating func planAbsentees(inFile: Set<String>) throws {
        let onRoll = try Row.fetchAll(db, sql: """
            SELECT \(HeldPupil.columns) FROM pupils WHERE school_id = ? AND left_at IS NULL
            ORDER BY legal_surname COLLATE NOCASE, legal_forename COLLATE NOCASE, id
            """, arguments: [school.rawValue]).map(HeldPupil.init)
        let absent = onRoll.filter { !inFile.contains($0.upn) }
        // A leaving is written into files for good, so a year group's list imported by mistake as the
        // whole roll must not mark most of the school left.
        if absent.count > 5, absent.count * 2 > onRoll.count {
            throw StoreError.invalid([FieldProblem(field: "file", message: """
                leaves out \(absent.count) of the \(onRoll.count) pupils on roll at \(sync.school), who would all be marked \
                as left; if it lists only some pupils, import it with --partial (pupils who really have left can be \
                given a leaving date in the file); nothing was imported
                """)])
        }
        for held in absent { try planLeaver(held, on: today, destination: nil) }
    }

    private mutating func planLeaver(_ held: HeldPupil, on leftOn: Date, destination: String?) throws {
        sync.left.append(RosterLeaver(upn: held.upn, name: held.name, leftOn: leftOn, destination: destination))
        var transfer: RosterWrite.Transfer?
        if try Self.hasFile(db, pupil: held.id) {
            let owner = try transferOwner()
            // Keeping Children Safe in Education: the file goes to the new school within 5 school days.
            let due = WorkingDays.addingWorkingDays(5, to: leftOn)
            let description = destination.map { "Transfer the safeguarding file to \($0)" }
                ?? "Transfer the safeguarding file: destination unknown — find out where \(held.name) has gone"
            transfer = RosterWrite.Transfer(owner: owner, due: due, description: description)
            sync.actions.append(LeaverAction(upn: held.upn, pupilName: held.name, owner: owner.username,
                                             ownerName: owner.displayName, due: due, description: description))
        }
        writes.append(.leave(id: held.id, leftOn: leftOn, destination: destination, transfer: transfer))
    }

    /// A pupil has a safeguarding file once anything is on it: a concern or any chronology entry.
    static func hasFile(_ db: Database, pupil: Int64) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM concern_pupils WHERE pupil_id = ?)
                OR EXISTS (SELECT 1 FROM chronology_entries WHERE pupil_id = ?)
            """, arguments: [pupil, pupil]) ?? false
    }

    /// Who sends leavers' files on: an active DSL at the school (the importer if they are one, else the
    /// longest-serving), else the trust's DSL, else a deputy. Chosen once for the whole import.
    private mutating func transferOwner() throws -> Staff {
        if let owner { return owner }
        guard let found = try Row.fetchOne(db, sql: """
            SELECT * FROM staff WHERE active = 1 AND role IN ('dsl', 'deputy') AND (school_id = ? OR school_id IS NULL)
            ORDER BY role = 'dsl' DESC, school_id IS NULL, username = ? DESC, created_at, username LIMIT 1
            """, arguments: [school.rawValue, actor.username]).map(CairnStore.staff(from:)) else {
            throw StoreError.invalid([FieldProblem(field: "dsl", message: """
                \(sync.school) has no active DSL or deputy to send leavers' safeguarding files on; \
                add one with `cairn staff add` and import again; nothing was imported
                """)])
        }
        owner = found
        return found
    }
}
