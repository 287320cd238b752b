import CairnDomain
import CairnStore
import Foundation
import GRDB
import Testing

// The hand-written matrix and a world of invented schools, staff and pupils to try each cell on,
// for MatrixThroughStoreTests.

/// The domain's table is pinned cell by cell against a hand-written copy in AccessPolicyTests; here
/// the question is only whether this path obeys it.
let columns: [Role] = [.dsl, .deputy, .pastoral, .staff, .admin, .auditor]

func grant(_ operation: AccessOperation, _ role: Role) -> Character {
    switch AccessMatrix.grant(role, operation) {
    case .all: "Y"
    case .inScope: "S"
    case .inScopeOrOwn: "B"
    case .own: "O"
    case .none: "-"
    }
}

/// Whether a record is someone's own for an operation: the action's owner for completing or adding
/// (moving) actions, either the owner or the reporter for seeing past a restriction, the reporter
/// for everything else.
func isOwn(_ operation: AccessOperation, reporter: Bool, owner: Bool) -> Bool {
    switch operation {
    case .completeAction, .addAction: owner
    case .readRestricted: owner || reporter
    default: reporter
    }
}

/// Roles that can be given an action.
let actionOwnerRoles: Set<Role> = [.dsl, .deputy, .pastoral, .staff]

/// Where a record is, from the home school, whose pastoral lead covers Years 7 and 8.
enum MatrixPlace: String, CaseIterable, Sendable {
    case inYears = "Year 7 at their school"
    case outOfYears = "Year 11 at their school"
    case otherSchool = "Year 7 at another school"
}

/// One cell: an operation, a role, and the record it touches, if any.
struct MatrixCell: CustomStringConvertible {
    var operation: AccessOperation
    var role: Role
    var place: MatrixPlace?
    var restricted: Bool
    /// They reported the concern the record belongs to.
    var reporter: Bool
    /// The action is theirs.
    var owner: Bool

    init(_ operation: AccessOperation, _ role: Role, _ place: MatrixPlace? = nil, restricted: Bool = false,
         reporter: Bool = false, owner: Bool = false) {
        self.operation = operation
        self.role = role
        self.place = place
        self.restricted = restricted
        self.reporter = reporter
        self.owner = owner
    }

    var description: String {
        var parts = ["\(operation.rawValue) by \(role.rawValue)"]
        if let place { parts.append(place.rawValue) }
        if restricted { parts.append("restricted") }
        if reporter { parts.append("reported by them") }
        if owner { parts.append("their action") }
        return parts.joined(separator: ", ")
    }

    /// What the matrix says: the role's grant must reach the record, and a restricted
    /// record needs the read_restricted grant to reach it too; another school's record is refused.
    var expected: Bool {
        let cell = grant(operation, role)
        guard cell != "-" else { return false }
        guard let place else { return true }
        guard place != .otherSchool else { return false }
        func reaches(_ grant: Character, own: Bool) -> Bool {
            switch grant {
            case "Y": true
            case "S": place == .inYears
            case "B": place == .inYears || own
            case "O": own
            default: false
            }
        }
        return reaches(cell, own: isOwn(operation, reporter: reporter, owner: owner))
            && (!restricted || operation == .readRestricted
                || reaches(grant(.readRestricted, role), own: isOwn(.readRestricted, reporter: reporter, owner: owner)))
    }
}

struct MatrixWorldError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a store function did with one attempt.
enum MatrixVerdict {
    case allowed
    case refused(String)
    /// `StoreError.invalid`: the store's way of refusing a pupil at another school when logging a concern.
    case invalid(String)
    case failed(String)

    var wasRefused: Bool {
        if case .refused = self { return true }
        return false
    }
}

func attempt(_ body: () throws -> Void) -> MatrixVerdict {
    do {
        try body()
        return .allowed
    } catch let denied as AccessDenied {
        return .refused(denied.reason)
    } catch let error as StoreError {
        if case .invalid = error { return .invalid(error.description) }
        return .failed(error.description)
    } catch {
        return .failed(String(describing: error))
    }
}

/// For reads that answer with less rather than refusing: a record left out of a list, or shown
/// redacted, is refused as surely as by AccessDenied.
func attemptToSee(_ body: () throws -> Bool) -> MatrixVerdict {
    var seen = false
    let verdict = attempt { seen = try body() }
    if case .allowed = verdict, !seen { return .refused("left out or redacted") }
    return verdict
}

/// Counts the cells checked and collects every disagreement with the matrix, so that one failure
/// lists them all.
final class MatrixTally {
    private(set) var cells = 0
    private(set) var disagreements: [String] = []
    private var byPath: [String: Int] = [:]
    /// Disagreements the store has on purpose, each with why; the test fails if one goes away, so
    /// that the list is kept true.
    private let known: [String: String]

    init(known: [String: String] = [:]) {
        self.known = known
    }

    func check(_ cell: MatrixCell, via path: String, _ verdict: MatrixVerdict, want: Bool? = nil,
               invalidRefuses: Bool = false) {
        cells += 1
        byPath[path, default: 0] += 1
        let want = want ?? cell.expected
        switch verdict {
        case .allowed:
            if !want { disagreements.append("\(path) allowed \(cell); the matrix refuses it") }
        case .refused(let reason):
            if want { disagreements.append("\(path) refused \(cell) (\(reason)); the matrix allows it") }
        case .invalid(let message):
            if want || !invalidRefuses { disagreements.append("\(path) failed on \(cell): \(message)") }
        case .failed(let message):
            disagreements.append("\(path) failed on \(cell): \(message)")
        }
    }

    func finish(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let paths = byPath.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("\(name): \(cells) cells checked (\(paths)); \(disagreements.count) disagreements, of which "
              + "\(disagreements.filter { known[$0] != nil }.count) known")
        let all = disagreements
        let gone = known.keys.filter { !all.contains($0) }.sorted()
        #expect(gone.isEmpty, "no longer disagrees, so take it off the known list:\n\(gone.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
        let unknown = all.filter { known[$0] == nil }
        #expect(unknown.isEmpty,
                "\(unknown.count) disagreement(s) with the matrix:\n\(unknown.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }
}

/// Two schools of a trust on one real SQLite file. At the home school, one member of staff of every
/// role (the pastoral lead covers Years 7 and 8) and a colleague who is "someone else"; at the other
/// school, a member of staff and a DSL. Pupils: Year 7 and Year 11 at home, Year 7 at the other
/// school. For every pupil, a concern restricted and one not, reported by each of the six and by
/// someone else.
final class MatrixWorld {
    let directory: URL
    let path: String
    let clock: FixedClock
    let store: CairnStore
    /// Trust-level DSL: sets the world up.
    let trust: Staff
    let home: School
    let other: School
    let actors: [Role: Staff]
    let colleague: Staff
    let otherStaff: Staff
    let otherDSL: Staff
    let upns: [MatrixPlace: UPN]
    let pupils: [MatrixPlace: PupilID]

    struct ConcernKey: Hashable {
        var place: MatrixPlace
        var restricted: Bool
        var reporter: String
    }

    private var concerns: [ConcernKey: ConcernID] = [:]
    private var entries: [ConcernID: Int64] = [:]
    private var spares: [String: Int64] = [:]
    private var counter = 0

    /// Monday 2 March 2026, 08:30 in London.
    static let start = Date(timeIntervalSince1970: 1_772_440_200)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-matrix-\(UUID().uuidString)")
        path = directory.appendingPathComponent("cairn.sqlite").path
        clock = FixedClock(Self.start)
        store = try CairnStore.create(path: path, clock: clock)
        trust = Staff(username: "trust.obi", displayName: "Grace Obi", role: .dsl, school: nil)
        home = try store.bootstrap(school: "Hollin Vale Academy", dsl: trust, trustLevel: true)
        other = try store.addSchool(actor: trust, name: "Brackenfold School")

        let id = home.id
        actors = [
            .dsl: Staff(username: "dsl.marsh", displayName: "Petra Marsh", role: .dsl, school: id),
            .deputy: Staff(username: "deputy.quill", displayName: "Rowan Quill", role: .deputy, school: id),
            .pastoral: Staff(username: "hoy.lowe", displayName: "Tamsin Lowe", role: .pastoral, years: [.year7, .year8], school: id),
            .staff: Staff(username: "t.birch", displayName: "Ned Birch", role: .staff, school: id),
            .admin: Staff(username: "it.moss", displayName: "Kit Moss", role: .admin, school: id),
            .auditor: Staff(username: "dpo.wren", displayName: "Isla Wren", role: .auditor, school: id),
        ]
        colleague = Staff(username: "t.fenn", displayName: "Ada Fenn", role: .staff, school: id)
        otherStaff = Staff(username: "t.holt", displayName: "Jem Holt", role: .staff, school: other.id)
        otherDSL = Staff(username: "dsl.ware", displayName: "Noor Ware", role: .dsl, school: other.id)
        for role in columns { try store.addStaff(actor: trust, actors[role]!) }
        for member in [colleague, otherStaff, otherDSL] { try store.addStaff(actor: trust, member) }

        upns = [
            .inYears: UPN.make(la: 935, establishment: 4101, year: 19, serial: 1),
            .outOfYears: UPN.make(la: 935, establishment: 4101, year: 15, serial: 2),
            .otherSchool: UPN.make(la: 936, establishment: 4202, year: 19, serial: 3),
        ]
        _ = try store.importPupils(actor: trust, [
            Self.row(upns[.inYears]!, "Juniper", "Ashdown", dob: "14/05/2014", .year7, "7AS"),
            Self.row(upns[.outOfYears]!, "Maud", "Dunmore", dob: "09/09/2009", .year11, "11DU"),
        ], school: home.id)
        _ = try store.importPupils(actor: trust, [
            Self.row(upns[.otherSchool]!, "Ivo", "Fairlie", dob: "21/03/2014", .year7, "7F"),
        ], school: other.id)
        var pupils: [MatrixPlace: PupilID] = [:]
        for (place, upn) in upns { pupils[place] = try store.pupilID(upn: upn) }
        self.pupils = pupils

        for place in MatrixPlace.allCases {
            for restricted in [false, true] {
                for reporter in columns.map({ actors[$0]! }) + [someoneElse(at: place)] {
                    concerns[ConcernKey(place: place, restricted: restricted, reporter: reporter.username)] =
                        try log(by: reporter, at: place, restricted: restricted)
                }
            }
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    static func row(_ upn: UPN, _ forename: String, _ surname: String, dob: String, _ year: YearGroup,
                    _ form: String) -> PupilRow {
        PupilRow(upn: upn, legalForename: forename, legalSurname: surname, preferredForename: nil,
                 dateOfBirth: UKDate.parseDate(dob)!, yearGroup: year, form: form)
    }

    func actor(_ role: Role) -> Staff { actors[role]! }

    /// The colleague at home, or the member of staff at the other school.
    func someoneElse(at place: MatrixPlace) -> Staff { place == .otherSchool ? otherStaff : colleague }

    /// A number not used before, for texts and dates that must differ.
    func next() -> Int {
        counter += 1
        return counter
    }

    /// The standing concern about the pupil at `place`.
    func concern(_ place: MatrixPlace, restricted: Bool, by reporter: Staff) -> ConcernID {
        concerns[ConcernKey(place: place, restricted: restricted, reporter: reporter.username)]!
    }

    /// Logs a concern as `reporter`; restricted ones (and `triaged` ones) are then triaged by the trust's DSL.
    func log(by reporter: Staff, at place: MatrixPlace, restricted: Bool, triaged: Bool = false,
             urgent: Bool = false) throws -> ConcernID {
        var author = reporter
        // Home staff reporting a pupil at the other school: as if they had logged it while working there.
        if place == .otherSchool, reporter.school != other.id { author.school = nil }
        let draft = ConcernDraft(pupils: [upns[place]!], categories: [.neglect],
                                 accounts: [Account(nature: .seen, text: "Came in hungry and without a coat, concern \(next()).")],
                                 urgency: urgent ? .atRiskNow : .routine, occurredAt: clock.now().addingTimeInterval(-3600))
        let reference = try store.logConcern(actor: author, draft)
        clock.advance(by: 60)
        guard let id = try store.concernID(reference: reference) else { throw MatrixWorldError("no concern \(reference)") }
        if restricted || triaged {
            try store.triage(actor: trust, id: id, decision: TriageDecision(level: .targeted, caseHolder: trust.username,
                                                                            restricted: restricted))
        }
        return id
    }

    /// The chronology entry that reports the concern.
    func entry(of concern: ConcernID) throws -> Int64 {
        if let known = entries[concern] { return known }
        let id = try raw { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM chronology_entries WHERE concern_id = ? AND kind = 'concern'",
                               arguments: [concern.rawValue])
        }
        guard let id else { throw MatrixWorldError("no entry for concern \(concern.rawValue)") }
        entries[concern] = id
        return id
    }

    /// An open action for `owner` about the pupil at `place`, belonging to someone else's concern,
    /// restricted or not.
    func action(owner: Staff, at place: MatrixPlace, restricted: Bool, due: Date? = nil) throws -> Int64 {
        let concern = self.concern(place, restricted: restricted, by: someoneElse(at: place))
        let due = due ?? clock.now().addingTimeInterval(7 * 86_400)
        if place == .otherSchool, owner.school != other.id {
            // Given to them while they worked at the other school: the store lets nobody do that now.
            let pupil = pupils[place]!
            return try raw { db in
                try db.execute(sql: """
                    INSERT INTO actions (school_id, pupil_id, concern_id, description, owner, due_at, created_by, created_at)
                    VALUES (?, ?, ?, 'Check in with the child', ?, ?, ?, ?)
                    """, arguments: [self.other.id.rawValue, pupil.rawValue, concern.rawValue, owner.username,
                                     Int64(due.timeIntervalSince1970 * 1000), self.trust.username,
                                     Int64(self.clock.now().timeIntervalSince1970 * 1000)])
                return db.lastInsertedRowID
            }
        }
        return try store.addAction(actor: trust, pupil: pupils[place]!,
                                   ActionInput(description: "Check in with the child", owner: owner.username, due: due,
                                               concern: concern))
    }

    /// A record for an attempt that may change it: the same one until an attempt gets through.
    func spare(_ key: String, _ make: () throws -> Int64) rethrows -> Int64 {
        if let known = spares[key] { return known }
        let made = try make()
        spares[key] = made
        return made
    }

    /// Checks `verdict` and, unless it was refused, has the next attempt use a fresh record.
    func used(_ key: String, _ verdict: MatrixVerdict) -> MatrixVerdict {
        if !verdict.wasRefused { spares[key] = nil }
        return verdict
    }

    /// A separate connection straight to the file.
    func raw<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        return try queue.write(body)
    }
}
