import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// Brings a school's pupils into line with an MIS roster or a Common Transfer File, in one
    /// transaction: all or nothing. New UPNs are added and known ones updated; a pupil who had
    /// left and is on the file again is back on roll. A row whose leaving date has come marks the
    /// pupil left; on a `.full` roster so does being left out (on the import day). Leavers are never
    /// deleted. A leaver with a safeguarding file gets an action for the school's DSL to transfer it
    /// within 5 school days, and an entry in their chronology.
    ///
    /// The pupils go to the actor's school; a trust-level actor names the school when the database
    /// holds more than one. `.partial` is the default here so that a caller adding a few pupils
    /// cannot mark the rest left by accident; `cairn pupils import` treats a CSV as the full roll.
    /// A dry run writes only its audit event (it reads pupils' details and who has a file).
    @discardableResult
    public func importPupils(actor: Staff, _ rows: [PupilRow], coverage: RosterCoverage = .partial,
                             school asked: SchoolID? = nil, dryRun: Bool = false) throws -> RosterSync {
        let now = clock.now()
        let result: Result<RosterSync, AccessDenied> = try guarded(actor, .importPupils, recordKind: "roster",
                                                                   recordID: "import") { db in
            if let mine = actor.school, let asked, asked != mine {
                // Audited and committed like the matrix's own refusals: nothing else has been written.
                let reason = "school: you may import pupils only for \(try Self.schoolName(db, mine)), your own school"
                try self.audit(db, actor, .importPupils, recordKind: "roster", recordID: "import", detail: "refused: \(reason)")
                return .failure(AccessDenied(operation: .importPupils, reason: reason))
            }
            let school = try actor.school ?? Self.chooseSchool(db, asked, "say which one the pupils are at with --school NAME")
            var planner = try RosterPlanner(db: db, school: school, actor: actor, coverage: coverage, now: now, dryRun: dryRun)
            try planner.plan(rows)
            if !dryRun {
                for write in planner.writes {
                    try self.apply(write, db, school: school, schoolName: planner.sync.school, actor: actor, at: now)
                }
            }
            var sync = planner.sync
            try self.audit(db, actor, .importPupils, recordKind: "roster", recordID: "import",
                           detail: "\(dryRun ? "dry run of a" : "imported a") \(coverage.rawValue) roster: \(sync.counts)")
            // Which leavers have a safeguarding file is record content: not for an importer who may not read files.
            let everyone = RecordScope(school: school, yearGroups: YearGroup.allCases)
            if !AccessPolicy.decide(actor, .readChronology, everyone).isAllowed {
                sync.actions = []
                sync.actionsWithheld = true
            }
            return .success(sync)
        }
        return try result.get()
    }

    private func apply(_ write: RosterWrite, _ db: Database, school: SchoolID, schoolName: String, actor: Staff,
                       at now: Date) throws {
        switch write {
        case .insert(let row):
            try db.execute(sql: """
                INSERT INTO pupils (upn, legal_forename, legal_surname, preferred_forename, date_of_birth,
                year_group, form, school_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [row.upn.value, row.legalForename, row.legalSurname, row.preferredForename,
                                 Millis.from(row.dateOfBirth), row.yearGroup.rawValue, row.form ?? "", school.rawValue,
                                 Millis.from(now)])
        case .update(let id, let row, let rejoining):
            try db.execute(sql: """
                UPDATE pupils SET legal_forename = ?, legal_surname = ?, preferred_forename = ?, date_of_birth = ?,
                year_group = ?, form = COALESCE(?, form) WHERE id = ?
                """, arguments: [row.legalForename, row.legalSurname, row.preferredForename, Millis.from(row.dateOfBirth),
                                 row.yearGroup.rawValue, row.form, id])
            guard let rejoining else { return }
            try db.execute(sql: "UPDATE pupils SET left_at = NULL, destination = NULL WHERE id = ?", arguments: [id])
            if rejoining.hasFile {
                let entry = NewEntry(pupil: id, kind: .transfer, occurredAt: now, headline: "Back on roll at \(schoolName)",
                                     body: "Had left on \(UKDate.date(rejoining.leftOn)); on the school's roster again.")
                try Self.insert(db, entry, author: actor.username, at: now)
                try audit(db, actor, .importPupils, recordKind: "pupil", recordID: String(id), pupilID: id,
                          detail: "back on roll")
            }
        case .destination(let id, let destination):
            try db.execute(sql: "UPDATE pupils SET destination = ? WHERE id = ?", arguments: [destination, id])
        case .leave(let id, let leftOn, let destination, let transfer):
            try db.execute(sql: "UPDATE pupils SET left_at = ?, destination = ? WHERE id = ?",
                           arguments: [Millis.from(leftOn), destination, id])
            guard let transfer else { return }
            let entry = NewEntry(pupil: id, kind: .transfer, occurredAt: leftOn,
                                 headline: "Left \(schoolName) on \(UKDate.date(leftOn))",
                                 body: "Destination: \(destination ?? "not known")")
            try Self.insert(db, entry, author: actor.username, at: now)
            try audit(db, actor, .importPupils, recordKind: "pupil", recordID: String(id), pupilID: id,
                      detail: "left on \(UKDate.date(leftOn))")
            _ = try insertAction(db, actor: actor, pupil: id, school: school.rawValue, concern: nil, referral: nil,
                                 description: transfer.description, owner: transfer.owner, due: transfer.due,
                                 followUp: false, at: now, audited: .importPupils)
        }
    }
}
