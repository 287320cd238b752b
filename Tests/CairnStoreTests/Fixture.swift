import CairnDomain
import CairnStore
import Foundation
import GRDB

/// A real SQLite file in a fresh temporary directory, with a small synthetic school: every role,
/// and pupils in years inside and outside the pastoral lead's scope. All names are invented.
final class Fixture {
    let directory: URL
    let path: String
    let clock: FixedClock
    let store: CairnStore
    let school: School

    let dsl: Staff
    let deputy: Staff
    let pastoral: Staff
    let teacher: Staff
    let otherTeacher: Staff
    let admin: Staff
    let auditor: Staff

    /// Year 7, Year 8, Year 10 and Year 11 (form names as an MIS would give them).
    let year7: UPN
    let year8: UPN
    let year10: UPN
    let year11: UPN

    /// Monday 2 March 2026, 08:30 in London (GMT).
    static let start = Date(timeIntervalSince1970: 1_772_440_200)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-store-\(UUID().uuidString)")
        path = directory.appendingPathComponent("cairn.sqlite").path
        clock = FixedClock(Self.start)
        store = try CairnStore.create(path: path, clock: clock)
        let firstDSL = Staff(username: "dsl.marsh", displayName: "Petra Marsh", role: .dsl, school: nil)
        school = try store.bootstrap(school: "Hollin Vale Academy", dsl: firstDSL)
        var dsl = firstDSL
        dsl.school = school.id
        self.dsl = dsl

        deputy = Staff(username: "deputy.quill", displayName: "Rowan Quill", role: .deputy, school: school.id)
        pastoral = Staff(username: "hoy.lowe", displayName: "Tamsin Lowe", role: .pastoral,
                         years: [.year7, .year8, .year9], school: school.id)
        teacher = Staff(username: "t.birch", displayName: "Ned Birch", role: .staff, school: school.id)
        otherTeacher = Staff(username: "t.fenn", displayName: "Ada Fenn", role: .staff, school: school.id)
        admin = Staff(username: "it.moss", displayName: "Kit Moss", role: .admin, school: school.id)
        auditor = Staff(username: "dpo.wren", displayName: "Isla Wren", role: .auditor, school: school.id)
        for member in [deputy, pastoral, teacher, otherTeacher, admin, auditor] {
            try store.addStaff(actor: dsl, member)
        }

        year7 = UPN.make(la: 935, establishment: 4101, year: 19, serial: 1)
        year8 = UPN.make(la: 935, establishment: 4101, year: 18, serial: 2)
        year10 = UPN.make(la: 935, establishment: 4101, year: 16, serial: 3)
        year11 = UPN.make(la: 935, establishment: 4101, year: 15, serial: 4)
        _ = try store.importPupils(actor: admin, [
            Self.row(year7, "Juniper", "Ashdown", dob: "14/05/2014", .year7, "7AS"),
            Self.row(year8, "Otto", "Brackley", dob: "02/11/2012", .year8, "8BR"),
            Self.row(year10, "Wilf", "Carrow", dob: "30/01/2011", .year10, "10CA", preferred: "Billy"),
            Self.row(year11, "Maud", "Dunmore", dob: "09/09/2009", .year11, "11DU"),
        ])
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    static func row(_ upn: UPN, _ forename: String, _ surname: String, dob: String, _ year: YearGroup, _ form: String,
                    preferred: String? = nil) -> PupilRow {
        PupilRow(upn: upn, legalForename: forename, legalSurname: surname, preferredForename: preferred,
                 dateOfBirth: UKDate.parseDate(dob)!, yearGroup: year, form: form)
    }

    /// Logs a routine (or urgent) concern as `actor`, then moves the clock on so that times differ.
    @discardableResult
    func log(_ actor: Staff? = nil, about pupils: [UPN]? = nil, urgent: Bool = false,
             text: String = "Came in without a coat again and said there was no heating at home.") throws -> ConcernReference {
        let draft = ConcernDraft(pupils: pupils ?? [year7], categories: [.neglect],
                                 accounts: [Account(nature: .seen, text: text)],
                                 urgency: urgent ? .atRiskNow : .routine,
                                 occurredAt: clock.now().addingTimeInterval(-3600))
        let reference = try store.logConcern(actor: actor ?? teacher, draft)
        clock.advance(by: 60)
        return reference
    }

    /// The concern's id, looked up in the file (closed concerns are not in the open queue).
    func id(of reference: ConcernReference) throws -> ConcernID {
        try raw { db in
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM concerns WHERE year = ? AND number = ?",
                                        arguments: [reference.year, reference.number])
            return ConcernID(rawValue: id ?? -1)
        }
    }

    /// Walks the queue page by page with the keyset cursor.
    func allPages(actor: Staff, scope: QueueScope, limit: Int) throws -> [QueueItem] {
        try Self.walk(limit: limit, cursor: \.cursor) { try store.queue(actor: actor, scope: scope, after: $0, limit: limit) }
    }

    /// Every row of a keyset-paged list: asks for the page after the last row's cursor until a page is short.
    static func walk<Item, Cursor>(limit: Int, cursor: (Item) -> Cursor, _ page: (Cursor?) throws -> [Item]) rethrows -> [Item] {
        var items: [Item] = []
        var after: Cursor?
        while true {
            let next = try page(after)
            items += next
            guard next.count == limit, let last = next.last else { return items }
            after = cursor(last)
        }
    }

    /// How SQLite would run a query, one line per step ("SEARCH a USING INDEX …").
    func queryPlan(_ query: (sql: String, arguments: StatementArguments)) throws -> String {
        try raw { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query.sql, arguments: query.arguments).map { $0["detail"] as String }
        }.joined(separator: "\n")
    }

    func triage(_ reference: ConcernReference, level: LevelOfNeed = .earlyHelp, restricted: Bool = false) throws {
        try store.triage(actor: dsl, id: id(of: reference),
                         decision: TriageDecision(level: level, caseHolder: deputy.username, restricted: restricted))
    }

    /// A separate connection straight to the file, as someone with shell access would open it.
    func raw<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        return try queue.write(body)
    }
}
