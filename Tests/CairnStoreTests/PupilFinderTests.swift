import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

extension Fixture {
    /// A second school with one pupil who shares a forename with a pupil here. Invented names.
    @discardableResult
    func addOtherSchool() throws -> SchoolID {
        try raw { db in
            try db.execute(sql: "INSERT INTO schools (name) VALUES ('Fellside Primary')")
            let school = db.lastInsertedRowID
            try db.execute(sql: """
                INSERT INTO pupils (upn, legal_forename, legal_surname, date_of_birth, year_group, form, school_id, created_at)
                VALUES (?, 'Juniper', 'Zeal', 0, 7, '7ZE', ?, 0)
                """, arguments: [UPN.make(la: 936, establishment: 2001, year: 19, serial: 9).value, school])
            return SchoolID(rawValue: school)
        }
    }
}

@Suite struct PupilFinderTests {
    func names(_ f: Fixture, _ actor: Staff, _ text: String, limit: Int = 20) throws -> [String] {
        try f.store.findPupils(actor: actor, matching: text, limit: limit).map(\.name)
    }

    @Test func matchesThePrefixOfEachNameUPNAndForm() throws {
        let f = try Fixture()
        #expect(try names(f, f.dsl, "jun") == ["Juniper Ashdown"], "legal forename")
        #expect(try names(f, f.dsl, "JUNIPER") == ["Juniper Ashdown"], "case-insensitive")
        #expect(try names(f, f.dsl, "bil") == ["Billy Carrow"], "preferred forename")
        #expect(try names(f, f.dsl, "wilf") == ["Billy Carrow"], "legal forename behind a preferred one")
        #expect(try names(f, f.dsl, "brack") == ["Otto Brackley"], "surname")
        #expect(try names(f, f.dsl, "otto bra") == ["Otto Brackley"], "forename surname")
        #expect(try names(f, f.dsl, "billy  car") == ["Billy Carrow"], "preferred forename surname, extra space")
        #expect(try names(f, f.dsl, "wilf carrow") == ["Billy Carrow"])
        #expect(try names(f, f.dsl, f.year11.value.lowercased()) == ["Maud Dunmore"], "UPN")
        #expect(try names(f, f.dsl, String(f.year8.value.prefix(12))) == ["Otto Brackley"], "UPN prefix")
        #expect(try names(f, f.dsl, "10c") == ["Billy Carrow"], "form")
        #expect(try names(f, f.dsl, "  7as ") == ["Juniper Ashdown"], "form, trimmed")
        #expect(try names(f, f.dsl, "row").isEmpty, "prefix, not substring")
        #expect(try names(f, f.dsl, "ashdown juniper").isEmpty)
    }

    @Test func summariesCarryNameYearAndForm() throws {
        let f = try Fixture()
        let found = try #require(f.store.findPupils(actor: f.dsl, matching: "carrow").first)
        #expect(found.id == (try f.pupilID(f.year10)))
        #expect(found.upn == f.year10.value)
        #expect(found.yearGroup == .year10)
        #expect(found.form == "10CA")
        #expect(UKDate.date(found.dateOfBirth) == "30/01/2011")
    }

    /// Three Ashdowns (one in lower case, as some MIS exports give them), an Ashby in Year 10 and an Ash in Year 8.
    func addAshes(_ f: Fixture) throws {
        _ = try f.store.importPupils(actor: f.admin, [
            Fixture.row(UPN.make(la: 935, establishment: 4101, year: 19, serial: 5), "Ada", "Ashdown", dob: "01/02/2014", .year7, "7AS"),
            Fixture.row(UPN.make(la: 935, establishment: 4101, year: 19, serial: 6), "zara", "ashdown", dob: "01/03/2014", .year7, "7AS"),
            Fixture.row(UPN.make(la: 935, establishment: 4101, year: 16, serial: 7), "Kit", "Ashby", dob: "01/03/2011", .year10, "10CA"),
            Fixture.row(UPN.make(la: 935, establishment: 4101, year: 18, serial: 8), "Ash", "Yarrow", dob: "01/04/2013", .year8, "8BR"),
        ])
    }

    @Test func rankedSurnameThenForenameAndLimited() throws {
        let f = try Fixture()
        try addAshes(f)
        #expect(try names(f, f.dsl, "ash") == ["Kit Ashby", "Ada Ashdown", "Juniper Ashdown", "zara ashdown", "Ash Yarrow"])
        #expect(try names(f, f.dsl, "ash", limit: 2) == ["Kit Ashby", "Ada Ashdown"])
        #expect(try names(f, f.dsl, "ASHD") == ["Ada Ashdown", "Juniper Ashdown", "zara ashdown"])
    }

    @Test func pastoralFindOnlyPupilsInTheirYears() throws {
        let f = try Fixture()
        try addAshes(f)
        #expect(try names(f, f.pastoral, "ash") == ["Ada Ashdown", "Juniper Ashdown", "zara ashdown", "Ash Yarrow"])
        #expect(try names(f, f.pastoral, "carrow").isEmpty, "Year 10 is outside their scope")
        #expect(try names(f, f.pastoral, "10ca").isEmpty)
        #expect(try names(f, f.pastoral, f.year11.value).isEmpty)
        #expect(try names(f, f.deputy, "10ca") == ["Kit Ashby", "Billy Carrow"])
    }

    /// Anyone may report a concern about any child of their school: picking the pupils of a new
    /// concern reaches past a pastoral lead's year groups, but never another school, and is audited.
    @Test func aPastoralLeadMayNameAnyPupilOfTheSchoolInAConcern() throws {
        let f = try Fixture()
        try f.addOtherSchool()
        let forConcern = { (text: String) in try f.store.findPupils(actor: f.pastoral, matching: text, forConcern: true).map(\.name) }
        #expect(try forConcern("carrow") == ["Billy Carrow"], "Year 10 is outside their years, but a concern may name them")
        #expect(try forConcern("juniper") == ["Juniper Ashdown"], "never a pupil of another school")
        #expect(try names(f, f.pastoral, "carrow").isEmpty, "the finder itself still keeps to their years")
        let audit = try f.store.recentAuditEvents(limit: 5).map(\.detail)
        #expect(audit.contains { $0.contains("\"carrow\" for a concern") }, "\(audit)")
    }

    @Test func pupilsAtAnotherSchoolNeverAppear() throws {
        let f = try Fixture()
        let other = try f.addOtherSchool()
        #expect(try names(f, f.dsl, "juniper") == ["Juniper Ashdown"])
        #expect(try names(f, f.pastoral, "juniper") == ["Juniper Ashdown"])
        #expect(try names(f, f.teacher, "juniper") == ["Juniper Ashdown"])
        var theirDSL = f.dsl
        theirDSL.school = other
        #expect(try names(f, theirDSL, "juniper") == ["Juniper Zeal"])
        var trustDSL = f.dsl
        trustDSL.school = nil
        #expect(try names(f, trustDSL, "juniper") == ["Juniper Ashdown", "Juniper Zeal"])
    }

    @Test func staffMayFindAPupilToReportAConcernButAdminAndAuditorMayNot() throws {
        let f = try Fixture()
        #expect(try names(f, f.teacher, "maud") == ["Maud Dunmore"])
        for outsider in [f.admin, f.auditor] {
            let before = try f.store.auditEventCount()
            let denied = #expect(throws: AccessDenied.self, "\(outsider.role)") {
                try f.store.findPupils(actor: outsider, matching: "maud")
            }
            #expect(denied?.operation == .search)
            #expect(try f.store.auditEventCount() == before + 1, "the refusal is on record")
            #expect(try f.store.recentAuditEvents(limit: 1).first?.detail.hasPrefix("refused: ") == true)
        }
    }

    @Test func eachSearchIsAuditedWithItsText() throws {
        let f = try Fixture()
        for actor in [f.dsl, f.pastoral, f.teacher] {
            let before = try f.store.auditEventCount()
            _ = try f.store.findPupils(actor: actor, matching: "Otto B")
            #expect(try f.store.auditEventCount() == before + 1)
            let event = try #require(f.store.recentAuditEvents(limit: 1).first)
            #expect(event.operation == .search)
            #expect(event.actor == actor.username)
            #expect(event.detail.contains("\"Otto B\""))
        }
    }

    @Test func emptyTextFindsNothingAndIsNotAudited() throws {
        let f = try Fixture()
        let before = try f.store.auditEventCount()
        #expect(try f.store.findPupils(actor: f.dsl, matching: "").isEmpty)
        #expect(try f.store.findPupils(actor: f.dsl, matching: "   ").isEmpty)
        #expect(try f.store.findPupils(actor: f.admin, matching: "").isEmpty)
        #expect(try f.store.auditEventCount() == before)
    }

    @Test func wildcardsAreTakenLiterally() throws {
        let f = try Fixture()
        #expect(try names(f, f.dsl, "%").isEmpty)
        #expect(try names(f, f.dsl, "_").isEmpty)
        #expect(try names(f, f.dsl, "j%r").isEmpty)
        #expect(try names(f, f.dsl, "\\").isEmpty)
    }

    @Test func theFinderDoesNotSortInATemporaryTree() throws {
        let f = try Fixture()
        for actor in [f.dsl, f.pastoral] {
            let plan = try f.queryPlan(CairnStore.finderQuery(actor: actor, text: "ash", limit: 20))
            #expect(plan.contains("pupils_surname"), "walks the name index in order and stops at the limit: \(plan)")
        }
    }
}
