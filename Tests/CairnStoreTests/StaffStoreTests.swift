import CairnDomain
import CairnStore
import Foundation
import Testing

/// A trust of two schools on a real SQLite file: a trust-level DSL and admin, and at each school a
/// DSL and a teacher. All names are invented.
final class TrustFixture {
    let directory: URL
    let store: CairnStore
    let clock = FixedClock(Fixture.start)
    let north: School
    let south: School
    let trustDSL = Staff(username: "trust.dsl", displayName: "Morag Hale", role: .dsl, school: nil)
    let trustAdmin = Staff(username: "trust.it", displayName: "Jude Penn", role: .admin, school: nil)
    let northDSL: Staff
    let southDSL: Staff
    let northTeacher: Staff
    let southTeacher: Staff

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-trust-\(UUID().uuidString)")
        store = try CairnStore.create(path: directory.appendingPathComponent("cairn.sqlite").path, clock: clock)
        north = try store.bootstrap(school: "Northgate Primary", dsl: trustDSL, trustLevel: true)
        south = try store.addSchool(actor: trustDSL, name: "Southmead Academy")
        northDSL = Staff(username: "north.dsl", displayName: "Ivy Roe", role: .dsl, school: north.id)
        southDSL = Staff(username: "south.dsl", displayName: "Col Barr", role: .dsl, school: south.id)
        northTeacher = Staff(username: "north.t", displayName: "Ben Ash", role: .staff, school: north.id)
        southTeacher = Staff(username: "south.t", displayName: "Fay Lock", role: .staff, school: south.id)
        try store.addStaff(actor: trustDSL, trustAdmin, trustLevel: true)
        for member in [northDSL, southDSL, northTeacher, southTeacher] { try store.addStaff(actor: trustDSL, member) }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

@Suite struct StaffStoreTests {
    static func invalid(_ field: String, _ message: String) -> StoreError {
        .invalid([FieldProblem(field: field, message: message)])
    }

    static func refusal(_ reason: String, _ body: () throws -> Void) {
        let denied = #expect(throws: AccessDenied.self) { try body() }
        #expect(denied?.reason == reason)
    }

    // MARK: Who may manage whom

    @Test func onlyTheDSLAndAdminManageStaff() throws {
        let f = try Fixture()
        let newcomer = Staff(username: "t.new", displayName: "Nia New", role: .staff, school: f.school.id)
        for outsider in [f.deputy, f.pastoral, f.teacher, f.auditor] {
            Self.refusal("the \(outsider.role.label) role may not manage staff") { try f.store.addStaff(actor: outsider, newcomer) }
            #expect(throws: AccessDenied.self) { try f.store.disableStaff(actor: outsider, username: f.otherTeacher.username) }
        }
        try f.store.addStaff(actor: f.admin, newcomer)
        #expect(try f.store.staff(username: "t.new") == newcomer)
    }

    @Test func addingIsHistoryAndAudited() throws {
        let f = try Fixture()
        try f.store.addStaff(actor: f.dsl, Staff(username: "hoy.vance", displayName: "Eli Vance", role: .pastoral,
                                                 years: [.year10, .year11], school: nil))
        #expect(try f.store.staff(username: "hoy.vance")?.school == f.school.id, "no school given: the actor's")
        let history = try f.store.staffHistory(actor: f.admin, username: "hoy.vance")
        #expect(history.map(\.change) == ["added"])
        #expect(history.first?.newValue == "pastoral (Y10,Y11) at Hollin Vale Academy")
        #expect(history.first?.changedBy == f.dsl.username)
        #expect(history.first?.changedAt == f.clock.now())
        let event = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(event.operation == .manageStaff && event.recordID == "hoy.vance" && event.actor == f.dsl.username)
        #expect(event.detail == "added as pastoral at Hollin Vale Academy")
        #expect(throws: Self.invalid("username", "hoy.vance already exists; see `cairn staff list --all`")) {
            try f.store.addStaff(actor: f.dsl, Staff(username: "hoy.vance", displayName: "Someone Else", role: .staff, school: nil))
        }
    }

    @Test func anAdminCannotGiveAnyoneAccessToRecords() throws {
        let f = try Fixture()
        for role in [Role.dsl, .deputy, .pastoral] {
            let years: Set<YearGroup> = role == .pastoral ? [.year7] : []
            // A second account of the admin's own is refused like anyone else's.
            Self.refusal("role: only a DSL can give anyone the \(role.label) role; ask a DSL") {
                try f.store.addStaff(actor: f.admin, Staff(username: "it.moss2", displayName: "Kit Moss", role: role,
                                                           years: years, school: nil))
            }
            Self.refusal("role: only a DSL can give anyone the \(role.label) role; ask a DSL") {
                try f.store.setRole(actor: f.admin, username: f.teacher.username, role: role, years: years)
            }
        }
        #expect(try f.store.staff(username: "it.moss2") == nil)
        let refused = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(refused.actor == f.admin.username && refused.detail.hasPrefix("refused: role: only a DSL"))

        Self.refusal("role: only a DSL can change a pastoral lead's year groups, which decide whose records they read; ask a DSL") {
            try f.store.setYears(actor: f.admin, username: f.pastoral.username, years: [.year7, .year8, .year9, .year10])
        }
        try f.store.disableStaff(actor: f.dsl, username: f.deputy.username)
        Self.refusal("role: only a DSL can enable deputy.quill, whose Deputy DSL role reads safeguarding records; ask a DSL") {
            try f.store.enableStaff(actor: f.admin, username: f.deputy.username)
        }
        // Roles without record access are the admin's to manage.
        try f.store.addStaff(actor: f.admin, Staff(username: "gov.ames", displayName: "Ros Ames", role: .auditor, school: nil))
        try f.store.setRole(actor: f.admin, username: f.teacher.username, role: .admin)
        try f.store.disableStaff(actor: f.admin, username: f.otherTeacher.username)
        try f.store.enableStaff(actor: f.admin, username: f.otherTeacher.username)
        // The DSL can do all that the admin could not.
        try f.store.enableStaff(actor: f.dsl, username: f.deputy.username)
        try f.store.setRole(actor: f.dsl, username: f.otherTeacher.username, role: .deputy)
        try f.store.setYears(actor: f.dsl, username: f.pastoral.username, years: [.year10])
        #expect(try f.store.staff(username: f.pastoral.username)?.years == [.year10])
    }

    @Test func nobodyChangesTheirOwnAccount() throws {
        let f = try Fixture()
        let reason = "nobody may change their own account (role, years, school, disabled or enabled); ask another DSL or admin"
        try f.store.addStaff(actor: f.dsl, Staff(username: "dsl.kerr", displayName: "Ann Kerr", role: .dsl, school: nil))
        Self.refusal(reason) { try f.store.disableStaff(actor: f.dsl, username: f.dsl.username) }
        Self.refusal(reason) { try f.store.setRole(actor: f.admin, username: f.admin.username, role: .auditor) }
        Self.refusal(reason) { try f.store.setRole(actor: f.dsl, username: f.dsl.username, role: .pastoral, years: [.year7]) }
        #expect(try f.store.staff(username: f.dsl.username)?.role == .dsl)
        // Someone else may.
        try f.store.setRole(actor: f.dsl, username: f.admin.username, role: .auditor)
        let kerr = try #require(try f.store.staff(username: "dsl.kerr"))
        try f.store.disableStaff(actor: kerr, username: f.dsl.username)
        #expect(try f.store.staff(username: f.dsl.username)?.active == false)
    }

    @Test func pastoralLeadsHaveYearsAndNobodyElseDoes() throws {
        let f = try Fixture()
        #expect(throws: Self.invalid("years", "a pastoral lead needs year groups, e.g. --years 7,8,9")) {
            try f.store.addStaff(actor: f.dsl, Staff(username: "hoy.x", displayName: "X Y", role: .pastoral, school: nil))
        }
        #expect(throws: Self.invalid("years", "only a pastoral lead has year groups; leave them out for the Staff role")) {
            try f.store.addStaff(actor: f.dsl, Staff(username: "t.x", displayName: "X Y", role: .staff, years: [.year7], school: nil))
        }
        #expect(throws: Self.invalid("years", "a pastoral lead needs year groups, e.g. --years 7,8,9")) {
            try f.store.setRole(actor: f.dsl, username: f.teacher.username, role: .pastoral)
        }
        #expect(throws: Self.invalid("years", "t.birch's role is Staff, and only a pastoral lead has year groups; to make them one: `cairn staff set-role t.birch pastoral --years 7,8`")) {
            try f.store.setYears(actor: f.dsl, username: f.teacher.username, years: [.year7])
        }
        #expect(throws: Self.invalid("years", "hoy.lowe already covers Y7,Y8,Y9; nothing was changed")) {
            try f.store.setYears(actor: f.dsl, username: f.pastoral.username, years: [.year7, .year8, .year9])
        }
        try f.store.setRole(actor: f.dsl, username: f.teacher.username, role: .pastoral, years: [.year11])
        try f.store.setRole(actor: f.dsl, username: f.pastoral.username, role: .staff)
        #expect(try f.store.staff(username: f.teacher.username)?.years == [.year11])
        #expect(try f.store.staff(username: f.pastoral.username)?.years == [], "moving off pastoral drops the years")
        let history = try f.store.staffHistory(actor: f.dsl, username: f.pastoral.username)
        #expect(history.map(\.change) == ["added", "role", "years"])
        #expect(history.dropFirst().map { [$0.oldValue, $0.newValue] } == [["pastoral", "staff"], ["7,8,9", ""]])
    }

    // MARK: Disabling and enabling

    @Test func disablingKeepsEveryRowTheirActionsAndTheirHistory() throws {
        let f = try Fixture()
        let reference = try f.log(f.teacher)
        try f.store.addAction(actor: f.dsl, pupil: f.year8, description: "Check in after lunch", owner: f.pastoral.username,
                              due: f.clock.now().addingTimeInterval(86_400))
        let eventsBefore = try f.store.auditEventCount()
        try f.store.disableStaff(actor: f.dsl, username: f.teacher.username, reason: "  left the school  ")
        try f.store.disableStaff(actor: f.dsl, username: f.pastoral.username)
        #expect(try f.store.auditEventCount() == eventsBefore + 2)
        #expect(try f.store.recentAuditEvents(limit: 2).map(\.detail) == ["disabled", "disabled: left the school"])

        let teacher = try #require(try f.store.staff(username: f.teacher.username))
        #expect(teacher.active == false && teacher.role == .staff)
        #expect(try f.store.queue(actor: f.dsl).first?.reference == reference, "what they logged stays")
        #expect(try f.store.actions(actor: f.dsl, view: .all).map(\.action.owner) == [f.pastoral.username], "their open action stays")
        #expect(try f.store.listStaff(actor: f.dsl).contains { $0.username == teacher.username } == false)
        #expect(try f.store.listStaff(actor: f.dsl, includeDisabled: true).contains(teacher))
        // Refused at once, with the account as it now is.
        #expect(throws: AccessDenied.self) { try f.log(teacher) }

        #expect(throws: Self.invalid("username", "t.birch is already disabled")) {
            try f.store.disableStaff(actor: f.dsl, username: f.teacher.username)
        }
        try f.store.enableStaff(actor: f.dsl, username: f.teacher.username)
        #expect(throws: Self.invalid("username", "t.birch is already active")) {
            try f.store.enableStaff(actor: f.dsl, username: f.teacher.username)
        }
        let history = try f.store.staffHistory(actor: f.dsl, username: f.teacher.username)
        #expect(history.map(\.change) == ["added", "disabled", "enabled"])
        #expect(history[1].oldValue == "active" && history[1].newValue == "disabled: left the school")
        #expect(history[2].newValue == "active" && history[2].changedBy == f.dsl.username)
        let enabled = try #require(try f.store.staff(username: f.teacher.username))
        _ = try f.log(enabled)
    }

    @Test func aManagerWhoHasJustBeenDisabledIsRefusedAtOnce() throws {
        let f = try Fixture()
        let staleAdmin = f.admin
        try f.store.disableStaff(actor: f.dsl, username: f.admin.username)
        Self.refusal("it.moss's account is disabled") { try f.store.disableStaff(actor: staleAdmin, username: f.teacher.username) }
        #expect(try f.store.staff(username: f.teacher.username)?.active == true)
    }

    @Test func someoneWhoDoesNotExistIsNamed() throws {
        let f = try Fixture()
        #expect(throws: Self.invalid("username", "no member of staff is called nobody; see `cairn staff list --all`")) {
            try f.store.disableStaff(actor: f.dsl, username: "nobody")
        }
    }

    // MARK: The last DSL

    @Test func theLastDSLOfASchoolCannotBeDisabledOrMoved() throws {
        let f = try Fixture()
        let message = "dsl.marsh is the last active DSL for Hollin Vale Academy, so %@; add another DSL first (`cairn staff add USERNAME --name NAME --role dsl`)"
        #expect(throws: Self.invalid("username", message.replacingOccurrences(of: "%@", with: "cannot be disabled"))) {
            try f.store.disableStaff(actor: f.admin, username: f.dsl.username)
        }
        #expect(throws: Self.invalid("username", message.replacingOccurrences(of: "%@", with: "cannot move to another role"))) {
            try f.store.setRole(actor: f.admin, username: f.dsl.username, role: .admin)
        }
        let second = Staff(username: "dsl.kerr", displayName: "Ann Kerr", role: .dsl, school: f.school.id)
        try f.store.addStaff(actor: f.dsl, second)
        try f.store.setRole(actor: f.admin, username: f.dsl.username, role: .admin)
        #expect(throws: StoreError.self) { try f.store.disableStaff(actor: f.admin, username: second.username) }
    }

    @Test func aTrustLevelDSLCoversEverySchool() throws {
        let t = try TrustFixture()
        // The trust DSL covers Northgate, so its own DSL may go...
        try t.store.disableStaff(actor: t.trustDSL, username: t.northDSL.username)
        // ...and then the trust DSL is Northgate's last, though Southmead has its own.
        #expect(throws: Self.invalid("username", "trust.dsl is the last active DSL for Northgate Primary, so cannot be disabled; add another DSL first (`cairn staff add USERNAME --name NAME --role dsl`)")) {
            try t.store.disableStaff(actor: t.trustAdmin, username: t.trustDSL.username)
        }
        #expect(throws: AccessDenied.self) { try t.store.enableStaff(actor: t.southDSL, username: t.northDSL.username) }
        try t.store.enableStaff(actor: t.trustDSL, username: t.northDSL.username)
        try t.store.disableStaff(actor: t.trustAdmin, username: t.trustDSL.username)
        #expect(try t.store.staff(username: t.trustDSL.username)?.active == false)
    }

    // MARK: Trusts

    @Test func aSchoolManagerManagesOnlyTheirSchool() throws {
        let t = try TrustFixture()
        Self.refusal("south.t works at Southmead Academy; you manage staff at Northgate Primary only") {
            try t.store.disableStaff(actor: t.northDSL, username: t.southTeacher.username)
        }
        Self.refusal("trust.it is trust-level staff; only the trust's DSL or admin can change them") {
            try t.store.setRole(actor: t.northDSL, username: t.trustAdmin.username, role: .auditor)
        }
        Self.refusal("school: you manage staff at Northgate Primary only, not Southmead Academy") {
            try t.store.addStaff(actor: t.northDSL, Staff(username: "x.y", displayName: "X Y", role: .staff, school: t.south.id))
        }
        Self.refusal("school: only the trust's DSL or admin can add trust-level staff; you manage staff at Northgate Primary only") {
            try t.store.addStaff(actor: t.northDSL, Staff(username: "x.y", displayName: "X Y", role: .staff, school: nil), trustLevel: true)
        }
        Self.refusal("south.t works at Southmead Academy; only that school's or the trust's DSL or admin can see their history") {
            _ = try t.store.staffHistory(actor: t.northDSL, username: t.southTeacher.username)
        }
        // A school DSL sees their school's staff and the trust-level staff who can read its records.
        #expect(try t.store.listStaff(actor: t.northDSL).map(\.username) == ["north.dsl", "north.t", "trust.dsl", "trust.it"])
        try t.store.disableStaff(actor: t.northDSL, username: t.northTeacher.username)
        // The trust manages everyone everywhere.
        #expect(try t.store.listStaff(actor: t.trustDSL).count == 5)
        try t.store.disableStaff(actor: t.trustAdmin, username: t.southTeacher.username)
        #expect(try t.store.staffHistory(actor: t.trustDSL, username: t.southTeacher.username).map(\.change) == ["added", "disabled"])
    }

    @Test func aTrustLevelManagerSaysWhereNewStaffWork() throws {
        let t = try TrustFixture()
        #expect(throws: Self.invalid("school", "this database holds 2 schools (\"Northgate Primary\", \"Southmead Academy\"); say which one x.y works at with --school NAME, or make them trust-level with --trust")) {
            try t.store.addStaff(actor: t.trustDSL, Staff(username: "x.y", displayName: "X Y", role: .staff, school: nil))
        }
        #expect(throws: Self.invalid("school", "choose a school or the trust, not both")) {
            try t.store.addStaff(actor: t.trustDSL, Staff(username: "x.y", displayName: "X Y", role: .staff, school: t.south.id),
                                 trustLevel: true)
        }
        try t.store.addStaff(actor: t.trustDSL, Staff(username: "x.y", displayName: "X Y", role: .deputy, school: nil), trustLevel: true)
        try t.store.addStaff(actor: t.trustAdmin, Staff(username: "y.z", displayName: "Y Z", role: .staff, school: t.south.id))
        #expect(try t.store.staff(username: "x.y")?.school == nil)
        #expect(try t.store.staff(username: "y.z")?.school == t.south.id)
        #expect(try t.store.staffHistory(actor: t.trustDSL, username: "x.y").first?.newValue == "deputy at the trust")
    }

    @Test func onlyTheTrustAddsSchools() throws {
        let f = try Fixture()
        Self.refusal("only the trust's DSL or admin can add a school; you manage staff at one school") {
            _ = try f.store.addSchool(actor: f.dsl, name: "Elsewhere High")
        }
        #expect(try f.store.recentAuditEvents(limit: 1).first?.detail.hasPrefix("refused: only the trust's") == true)
        #expect(try f.store.schools().count == 1)

        let t = try TrustFixture()
        _ = try t.store.addSchool(actor: t.trustAdmin, name: "  Westfield Infants ")
        #expect(try t.store.schools().map(\.name) == ["Northgate Primary", "Southmead Academy", "Westfield Infants"])
        #expect(throws: Self.invalid("name", "a school called \"southmead academy\" already exists; see `cairn schools list`")) {
            _ = try t.store.addSchool(actor: t.trustDSL, name: "southmead academy")
        }
        #expect(throws: Self.invalid("name", "the school's name is empty")) { _ = try t.store.addSchool(actor: t.trustDSL, name: " ") }
    }

    @Test func pupilsAreImportedForOneSchoolAndNeverTakenFromAnother() throws {
        let t = try TrustFixture()
        let northPupil = Fixture.row(UPN.make(la: 935, establishment: 4101, year: 19, serial: 1), "Juniper", "Ashdown",
                                     dob: "14/05/2014", .year7, "7AS")
        let southPupil = Fixture.row(UPN.make(la: 935, establishment: 4102, year: 19, serial: 2), "Otto", "Brackley",
                                     dob: "02/11/2013", .year7, "7BR")
        #expect(throws: Self.invalid("school", "this database holds 2 schools (\"Northgate Primary\", \"Southmead Academy\"); say which one the pupils are at with --school NAME")) {
            _ = try t.store.importPupils(actor: t.trustDSL, [northPupil])
        }
        #expect(try t.store.importPupils(actor: t.trustDSL, [southPupil], school: t.south.id).added.count == 1)
        #expect(try t.store.importPupils(actor: t.northDSL, [northPupil]).added.count == 1, "a school's staff import for their school")
        Self.refusal("school: you may import pupils only for Northgate Primary, your own school") {
            _ = try t.store.importPupils(actor: t.northDSL, [southPupil], school: t.south.id)
        }
        var renamed = southPupil
        renamed.legalSurname = "Changed"
        let newcomer = Fixture.row(UPN.make(la: 935, establishment: 4101, year: 19, serial: 3), "Ada", "Crane",
                                   dob: "01/01/2014", .year7, "7AS")
        #expect(throws: StoreError.invalid([
            FieldProblem(field: "upn", message: "\(southPupil.upn.value) (Otto Changed) is a pupil at Southmead Academy, not Northgate Primary; take them out of the file"),
            FieldProblem(field: "file", message: "nothing was imported"),
        ])) {
            _ = try t.store.importPupils(actor: t.northDSL, [newcomer, renamed])
        }
        #expect(try t.store.pupilCount() == 2, "all or nothing: the newcomer was not added either")
        #expect(try t.store.importPupils(actor: t.southDSL, [renamed]).updated.count == 1)
    }
}
