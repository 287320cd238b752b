import CairnDomain
import CairnStore
import Foundation
import GRDB
import Testing

// Every cell of the access matrix, through the real store functions on a real SQLite file.
// Invented schools, staff and pupils only.

/// The access matrix written out by hand, as in AccessPolicyTests. Columns, in order:
///
///     dsl  deputy  pastoral  staff  admin  auditor
///
/// "Y" all (their school, restricted included), "S" in scope, "B" in scope or own, "O" own only,
/// "-" never. Changing the policy means changing this table, on purpose.
fileprivate let matrix: [AccessOperation: String] = [
    .listQueue:        "YY----",
    .listOwnConcerns:  "YYYYYY",
    .readConcern:      "YYSO--",
    .readChronology:   "YYS---",
    .readRestricted:   "YYOO--",
    .logConcern:       "YYYYYY",
    .triage:           "YY----",
    .close:            "YY----",
    .amend:            "YY----",
    .addAction:        "YYB---",
    .addNote:          "YYS---",
    .addReferral:      "YY----",
    .completeAction:   "YYBO--",
    .manageActions:    "YY----",
    .setFlag:          "YY----",
    .search:           "YYS---",
    .exportChronology: "YY----",
    .sarExport:        "YY----",
    .transfer:         "YY----",
    .retentionReview:  "YY----",
    .retentionPurge:   "Y-----",
    .legalHold:        "Y-----",
    .importPupils:     "YY--Y-",
    .manageStaff:      "Y---Y-",
    .readAudit:        "YY---Y",
    .verifyAudit:      "YY--YY",
    .acknowledgeAudit: "Y-----",
    .readStatistics:   "YY--YY",
    .backup:           "Y---Y-",
]

fileprivate let columns: [Role] = [.dsl, .deputy, .pastoral, .staff, .admin, .auditor]

fileprivate func grant(_ operation: AccessOperation, _ role: Role) -> Character {
    guard let row = matrix[operation], row.count == columns.count, let column = columns.firstIndex(of: role) else { return "?" }
    return Array(row)[column]
}

/// Whether a record is someone's own for an operation: the action's owner for completing or adding
/// (moving) actions, either the owner or the reporter for seeing past a restriction, the reporter
/// for everything else.
fileprivate func isOwn(_ operation: AccessOperation, reporter: Bool, owner: Bool) -> Bool {
    switch operation {
    case .completeAction, .addAction: owner
    case .readRestricted: owner || reporter
    default: reporter
    }
}

/// Roles that can be given an action.
fileprivate let actionOwnerRoles: Set<Role> = [.dsl, .deputy, .pastoral, .staff]

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

    /// What the hand-written matrix says: the role's grant must reach the record, and a restricted
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

fileprivate func attempt(_ body: () throws -> Void) -> MatrixVerdict {
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
fileprivate func attemptToSee(_ body: () throws -> Bool) -> MatrixVerdict {
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

@Suite(.timeLimit(.minutes(5)))
struct MatrixThroughStoreTests {
    static let places = MatrixPlace.allCases

    // MARK: Reads

    @Test func everyReadFollowsTheMatrix() throws {
        let w = try MatrixWorld()
        // PupilFinder.findPupils: staff may not search records, but may look a child up to name them in
        // a concern, and see only name, year and form. The finder treats every lookup by staff as that
        // (checked as log_concern, whole school), so it finds pupils for them without forConcern.
        let identifiesOnly = "staff look a pupil up only to name them in a concern (log_concern)"
        let t = MatrixTally(known: [
            "findPupils allowed search by staff, Year 7 at their school; the matrix refuses it": identifiesOnly,
            "findPupils allowed search by staff, Year 11 at their school; the matrix refuses it": identifiesOnly,
        ])
        for role in columns {
            let actor = w.actor(role)
            t.check(MatrixCell(.listQueue, role), via: "queue(.open)", attempt { _ = try w.store.queue(actor: actor, scope: .open) })
            t.check(MatrixCell(.listOwnConcerns, role), via: "queue(.mine)",
                    attempt { _ = try w.store.queue(actor: actor, scope: .mine) })
            t.check(MatrixCell(.manageActions, role), via: "actions(.all)", attempt { _ = try w.store.actions(actor: actor, view: .all) })
            t.check(MatrixCell(.manageStaff, role), via: "listStaff", attempt { _ = try w.store.listStaff(actor: actor) })
            t.check(MatrixCell(.verifyAudit, role), via: "verifyAudit", attempt { _ = try w.store.verifyAudit(actor: actor) })
            t.check(MatrixCell(.readAudit, role), via: "auditLog", attempt { _ = try w.store.auditLog(actor: actor) })
            t.check(MatrixCell(.acknowledgeAudit, role), via: "acknowledgeAuditBreak",
                    attempt { _ = try w.store.acknowledgeAuditBreak(actor: actor) })
            t.check(MatrixCell(.importPupils, role), via: "importPupils(dryRun:)", attempt {
                _ = try w.store.importPupils(actor: actor, [MatrixWorld.row(w.upns[.inYears]!, "Juniper", "Ashdown",
                                                                            dob: "14/05/2014", .year7, "7AS")], dryRun: true)
            })

            for place in Self.places {
                let pupil = w.pupils[place]!
                let upn = w.upns[place]!.value
                t.check(MatrixCell(.search, role, place), via: "findPupils", attemptToSee {
                    try w.store.findPupils(actor: actor, matching: upn).contains { $0.id == pupil }
                })
                // Choosing a concern's pupils: anyone may name any pupil of their school, and no other.
                t.check(MatrixCell(.logConcern, role, place), via: "findPupils(forConcern:)", attemptToSee {
                    try w.store.findPupils(actor: actor, matching: upn, forConcern: true).contains { $0.id == pupil }
                })
                t.check(MatrixCell(.readChronology, role, place), via: "pupilHeader",
                        attempt { _ = try w.store.pupilHeader(actor: actor, pupil: pupil) })
                t.check(MatrixCell(.readAudit, role, place), via: "auditLog(pupil:)",
                        attempt { _ = try w.store.auditLog(actor: actor, filter: AuditFilter(pupil: pupil)) })
                t.check(MatrixCell(.readAudit, role, place), via: "whoHasLooked",
                        attempt { _ = try w.store.whoHasLooked(actor: actor, pupil: pupil) })

                for restricted in [false, true] {
                    for own in [false, true] {
                        let concern = w.concern(place, restricted: restricted, by: own ? actor : w.someoneElse(at: place))
                        let entry = try w.entry(of: concern)
                        func cell(_ operation: AccessOperation) -> MatrixCell {
                            MatrixCell(operation, role, place, restricted: restricted, reporter: own)
                        }
                        let readConcern = attempt { _ = try w.store.concern(actor: actor, id: concern) }
                        t.check(cell(.readConcern), via: "concern(id:)", readConcern)
                        t.check(cell(.readChronology), via: "chronology", attemptToSee {
                            try w.store.chronology(actor: actor, pupil: pupil, limit: 1000).contains { $0.entry.id == entry }
                        })
                        let readEntry = attempt { _ = try w.store.entry(actor: actor, id: entry) }
                        t.check(cell(.readChronology), via: "entry(id:)", readEntry)
                        t.check(cell(.exportChronology), via: "chronologyExport", attemptToSee {
                            try w.store.chronologyExport(actor: actor, pupil: pupil).entries.contains { $0.row.entry.id == entry }
                        })
                        if restricted {
                            // read_restricted is never enough alone: it is the second grant a restricted
                            // record needs, on top of the read that reaches it.
                            t.check(cell(.readRestricted), via: "entry(id:) of a restricted entry", readEntry,
                                    want: cell(.readRestricted).expected && cell(.readChronology).expected)
                            t.check(cell(.readRestricted), via: "concern(id:) of a restricted concern", readConcern,
                                    want: cell(.readRestricted).expected && cell(.readConcern).expected)
                        }
                    }
                }
            }
        }
        t.finish("Reads through the store")
    }

    // MARK: Writes

    @Test func everyWriteFollowsTheMatrix() throws {
        let w = try MatrixWorld()
        let t = MatrixTally()
        let flags = ContextFlagKind.allCases
        var flagsUsed: [MatrixPlace: Int] = [:]
        for role in columns {
            let actor = w.actor(role)
            for place in Self.places {
                let pupil = w.pupils[place]!
                let now = w.clock.now()
                t.check(MatrixCell(.logConcern, role, place), via: "logConcern", attempt {
                    _ = try w.store.logConcern(actor: actor, ConcernDraft(
                        pupils: [w.upns[place]!], categories: [.emotional],
                        accounts: [Account(nature: .disclosed, text: "Said she was scared to go home.")],
                        occurredAt: now.addingTimeInterval(-600)))
                }, invalidRefuses: true)
                t.check(MatrixCell(.addNote, role, place), via: "addNote", attempt {
                    try w.store.addNote(actor: actor, pupil: pupil,
                                        NoteInput(kind: .note, occurredAt: now.addingTimeInterval(-60),
                                                  summary: "Spoke with the child at break; settled."))
                })
                let flag = flags[flagsUsed[place, default: 0] % flags.count]
                let setFlag = attempt { try w.store.setFlag(actor: actor, pupil: pupil, kind: flag, start: now.addingTimeInterval(-86_400)) }
                if case .allowed = setFlag { flagsUsed[place, default: 0] += 1 }
                t.check(MatrixCell(.setFlag, role, place), via: "setFlag", setFlag)

                for restricted in [false, true] {
                    let elsewhere = w.someoneElse(at: place)
                    let theirConcern = w.concern(place, restricted: restricted, by: elsewhere)
                    func cell(_ operation: AccessOperation, reporter: Bool = false, owner: Bool = false) -> MatrixCell {
                        MatrixCell(operation, role, place, restricted: restricted, reporter: reporter, owner: owner)
                    }
                    t.check(cell(.addReferral), via: "recordReferral", attempt {
                        _ = try w.store.recordReferral(actor: actor, pupil: pupil, ReferralInput(
                            concern: theirConcern, agency: .earlyHelp, outcome: .notReferred, madeAt: now.addingTimeInterval(-60),
                            reasoning: "Below the threshold; support in school instead."))
                    })
                    // A new action has no owner yet: it is checked on the pupil's file (and its concern).
                    t.check(cell(.addAction), via: "addAction", attempt {
                        _ = try w.store.addAction(actor: actor, pupil: pupil, ActionInput(
                            description: "Ring home about attendance", owner: elsewhere.username,
                            due: now.addingTimeInterval(7 * 86_400), concern: theirConcern))
                    })
                    let reassignKey = "reassign \(elsewhere.username) \(place) \(restricted)"
                    let reassigned = try w.spare(reassignKey) { try w.action(owner: elsewhere, at: place, restricted: restricted) }
                    let newOwner = place == .otherSchool ? w.otherDSL : w.actor(.deputy)
                    t.check(cell(.manageActions), via: "reassignAction", w.used(reassignKey, attempt {
                        try w.store.reassignAction(actor: actor, id: reassigned, owner: newOwner.username, reason: "Covering an absence")
                    }))

                    for own in [false, true] {
                        // Moving an action is adding to your own (.addAction) or managing someone else's.
                        if !own || actionOwnerRoles.contains(role) {
                            let owner = own ? actor : elsewhere
                            let completeKey = "complete \(owner.username) \(place) \(restricted)"
                            let completing = try w.spare(completeKey) { try w.action(owner: owner, at: place, restricted: restricted) }
                            t.check(cell(.completeAction, owner: own), via: "completeAction", w.used(completeKey, attempt {
                                try w.store.completeAction(actor: actor, id: completing, status: .done, outcome: "Spoke to mum; all fine.")
                            }))
                            let moveKey = "move \(owner.username) \(place) \(restricted)"
                            let moving = try w.spare(moveKey) { try w.action(owner: owner, at: place, restricted: restricted) }
                            let due = now.addingTimeInterval(Double(14 + w.next()) * 86_400)
                            t.check(cell(own ? .addAction : .manageActions, owner: own), via: "moveAction", w.used(moveKey, attempt {
                                try w.store.moveAction(actor: actor, id: moving, due: due, reason: "Waiting for the parent's reply")
                            }))
                        }

                        let reporter = own ? actor : elsewhere
                        let triageKey = "triage \(reporter.username) \(place) \(restricted)"
                        let triaging = try w.spare(triageKey) { try w.log(by: reporter, at: place, restricted: restricted).rawValue }
                        t.check(cell(.triage, reporter: own), via: "triage", w.used(triageKey, attempt {
                            try w.store.triage(actor: actor, id: ConcernID(rawValue: triaging), decision: TriageDecision(
                                level: .earlyHelp, caseHolder: w.trust.username, restricted: restricted))
                        }))
                        let closeKey = "close \(reporter.username) \(place) \(restricted)"
                        let closing = try w.spare(closeKey) {
                            try w.log(by: reporter, at: place, restricted: restricted, triaged: true).rawValue
                        }
                        t.check(cell(.close, reporter: own), via: "close", w.used(closeKey, attempt {
                            try w.store.close(actor: actor, id: ConcernID(rawValue: closing),
                                              outcome: try Outcome(kind: .noFurtherAction, reason: "Explained by a family bereavement"))
                        }))
                        let entry = try w.entry(of: w.concern(place, restricted: restricted, by: reporter))
                        let text = "Came in hungry, corrected account \(w.next())."
                        t.check(cell(.amend, reporter: own), via: "amendEntry", attempt {
                            try w.store.amendEntry(actor: actor, entry: entry, AmendmentInput(newText: text, reason: "Typing error"))
                        })
                    }
                }
            }
        }
        t.finish("Writes through the store")
    }

    // MARK: The check itself

    /// `permits` against every cell: no record, a pupil's file, a concern, an action and an entry.
    @Test func permitsAnswersEveryCellAsTheMatrixDoes() throws {
        let w = try MatrixWorld()
        let t = MatrixTally()
        func verdict(_ decision: AccessDecision) -> MatrixVerdict {
            if case .deny(let reason) = decision { return .refused(reason) }
            return .allowed
        }
        // Standing actions: each owner role's own, and someone else's, about every pupil.
        var actions: [String: Int64] = [:]
        for place in Self.places {
            for restricted in [false, true] {
                for owner in actionOwnerRoles.map({ w.actor($0) }) + [w.someoneElse(at: place)] {
                    actions["\(owner.username) \(place) \(restricted)"] = try w.action(owner: owner, at: place, restricted: restricted)
                }
            }
        }
        for operation in AccessOperation.allCases {
            for role in columns {
                let actor = w.actor(role)
                t.check(MatrixCell(operation, role), via: "permits", verdict(try w.store.permits(actor: actor, operation)))
                for place in Self.places {
                    t.check(MatrixCell(operation, role, place), via: "permits(pupil:)",
                            verdict(try w.store.permits(actor: actor, operation, pupil: w.pupils[place]!)))
                    for restricted in [false, true] {
                        for own in [false, true] {
                            let concern = w.concern(place, restricted: restricted, by: own ? actor : w.someoneElse(at: place))
                            let asReporter = MatrixCell(operation, role, place, restricted: restricted, reporter: own)
                            t.check(asReporter, via: "permits(concern:)",
                                    verdict(try w.store.permits(actor: actor, operation, concern: concern)))
                            t.check(asReporter, via: "permits(entry:)",
                                    verdict(try w.store.permits(actor: actor, operation, entry: w.entry(of: concern))))
                            if own && !actionOwnerRoles.contains(role) { continue }
                            let owner = own ? actor : w.someoneElse(at: place)
                            let action = try #require(actions["\(owner.username) \(place) \(restricted)"])
                            t.check(MatrixCell(operation, role, place, restricted: restricted, owner: own), via: "permits(action:)",
                                    verdict(try w.store.permits(actor: actor, operation, action: action)))
                        }
                    }
                }
            }
        }
        t.finish("permits")
    }

    @Test func permitsChangesNothingAndIsNotAudited() throws {
        let w = try MatrixWorld()
        let before = try w.store.auditEventCount()
        let concern = w.concern(.inYears, restricted: true, by: w.colleague)
        for role in columns {
            _ = try w.store.permits(actor: w.actor(role), .readConcern, concern: concern)
            _ = try w.store.permits(actor: w.actor(role), .sarExport, pupil: w.pupils[.otherSchool]!)
        }
        #expect(try w.store.auditEventCount() == before)
        #expect(throws: StoreError.self) { try w.store.permits(actor: w.trust, .readConcern, concern: ConcernID(rawValue: 999_999)) }
        #expect(throws: StoreError.self) { try w.store.permits(actor: w.trust, .readConcern, action: 999_999) }
        #expect(throws: StoreError.self) { try w.store.permits(actor: w.trust, .readConcern, entry: 999_999) }
        let both = #expect(throws: StoreError.self) {
            try w.store.permits(actor: w.trust, .readConcern, pupil: w.pupils[.inYears]!, concern: concern)
        }
        #expect(both?.description.contains("one record at most") == true)
        var disabled = w.actor(.dsl)
        disabled.active = false
        #expect(try w.store.permits(actor: disabled, .listQueue) == .deny("dsl.marsh's account is disabled"))
    }

    // MARK: What cannot be seen is not counted

    @Test func whatARoleMayNotSeeIsNeitherListedNorCountedNorFound() throws {
        let w = try MatrixWorld()
        // Urgent concerns at both schools, and overdue actions: every owner's own and someone else's,
        // restricted and not, at both schools (home staff's at the other school from before they moved).
        for place in Self.places {
            _ = try w.log(by: w.someoneElse(at: place), at: place, restricted: false, urgent: true)
        }
        let due = w.clock.now().addingTimeInterval(86_400)
        for place in Self.places {
            for restricted in [false, true] {
                for owner in actionOwnerRoles.map({ w.actor($0) }) + [w.someoneElse(at: place)] {
                    _ = try w.action(owner: owner, at: place, restricted: restricted, due: due)
                }
            }
        }
        w.clock.advance(by: 10 * 86_400)
        let otherSchool = w.other.id
        let everything = try w.raw { db in
            (concerns: try Int.fetchOne(db, sql: "SELECT count(*) FROM concerns") ?? 0,
             open: try Int.fetchOne(db, sql: "SELECT count(*) FROM actions WHERE status = 'open'") ?? 0)
        }
        let elsewhere = try w.raw { db in
            Set(try Int64.fetchAll(db, sql: "SELECT id FROM concerns WHERE school_id = ?", arguments: [otherSchool.rawValue]))
        }
        var problems: [String] = []
        func require(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }

        for role in columns {
            let actor = w.actor(role)
            let seesQueue = grant(.listQueue, role) != "-"
            let seesEveryonesActions = grant(.manageActions, role) != "-"

            // The queue, and the status-line counts beside it.
            let counts = try w.store.counts(actor: actor)
            if seesQueue {
                let queue = try w.store.queue(actor: actor, scope: .open, limit: 1000)
                require(queue.allSatisfy { !elsewhere.contains($0.id.rawValue) }, "\(role): the queue lists another school's concern")
                require(queue.contains { $0.restricted }, "\(role): the queue leaves out restricted concerns, which they may see")
                require(queue.count < everything.concerns, "\(role): the queue is the whole database")
                require(counts.new == queue.filter { $0.status == .new }.count,
                        "\(role): counts.new is \(counts.new), but the queue they see has \(queue.filter { $0.status == .new }.count) new")
                require(counts.urgent == queue.filter(\.urgent).count,
                        "\(role): counts.urgent is \(counts.urgent), but the queue they see has \(queue.filter(\.urgent).count) urgent")
            } else {
                require(counts.new == 0 && counts.urgent == 0, "\(role): counts show the queue (\(counts)) to a role that may not list it")
            }
            let mine = try w.store.queue(actor: actor, scope: .mine, limit: 1000)
            require(mine.allSatisfy { $0.reportedBy == actor.username }, "\(role): their own concerns include someone else's")
            require(mine.allSatisfy { !elsewhere.contains($0.id.rawValue) },
                    "\(role): their own concerns include one at another school")

            // Actions, and their counts.
            // Admin and auditor own no actions and may list none.
            let listsActions = grant(.completeAction, role) != "-"
            let actionCounts = try w.store.actionCounts(actor: actor)
            let listed = listsActions ? try w.store.actions(actor: actor, view: seesEveryonesActions ? .all : .mine, limit: 1000) : []
            let overdue = listsActions ? try w.store.actions(actor: actor, view: .overdue, limit: 1000) : []
            require(listed.allSatisfy { $0.upn != w.upns[.otherSchool]!.value }, "\(role): their actions include another school's")
            require(seesEveryonesActions || listed.allSatisfy { $0.action.owner == actor.username },
                    "\(role): their actions include someone else's")
            require(actionCounts.open == listed.count,
                    "\(role): actionCounts.open is \(actionCounts.open), but they may list \(listed.count)")
            require(actionCounts.overdue == overdue.count,
                    "\(role): actionCounts.overdue is \(actionCounts.overdue), but they may list \(overdue.count) overdue")
            require(counts.overdue == overdue.count,
                    "\(role): counts.overdue is \(counts.overdue), but they may list \(overdue.count) overdue")
            require(listed.count < everything.open, "\(role): the action list is every action in the database")

            // The finder: the file's search, and choosing a concern's pupils.
            if grant(.search, role) != "-" {
                for place in Self.places {
                    let found = try w.store.findPupils(actor: actor, matching: w.upns[place]!.value).map(\.id)
                    let want = place == .inYears || (place == .outOfYears && grant(.search, role) == "Y")
                    require(found.contains(w.pupils[place]!) == want,
                            "\(role): the finder \(want ? "does not find" : "finds") the pupil in \(place.rawValue)")
                }
            }
            for place in Self.places {
                let found = try w.store.findPupils(actor: actor, matching: w.upns[place]!.value, forConcern: true).map(\.id)
                require(found.contains(w.pupils[place]!) == (place != .otherSchool),
                        "\(role): choosing a concern's pupil \(place == .otherSchool ? "finds" : "does not find") \(place.rawValue)")
            }

            // The chronology: every row the pupil's, and a restricted entry there only if they may see it.
            for place in Self.places where MatrixCell(.readChronology, role, place).expected {
                let pupil = w.pupils[place]!
                let shown = Set(try w.store.chronology(actor: actor, pupil: pupil, limit: 1000).map { row in
                    require(row.entry.pupil == pupil, "\(role): the chronology holds another pupil's entry")
                    return row.entry.id
                })
                // Every restricted entry about the pupil: theirs when they reported its concern or own its action.
                let restricted = try w.raw { db in
                    try Row.fetchAll(db, sql: """
                        SELECT e.id, c.reported_by, a.owner FROM chronology_entries e
                        LEFT JOIN concerns c ON c.id = e.concern_id LEFT JOIN actions a ON a.id = e.action_id
                        WHERE e.pupil_id = ? AND (e.restricted OR coalesce(c.restricted, 0))
                        """, arguments: [pupil.rawValue]).map { (id: $0[0] as Int64, reporter: $0[1] as String?, owner: $0[2] as String?) }
                }
                require(!restricted.isEmpty, "\(role): no restricted entries to test with")
                for entry in restricted {
                    let reported = entry.reporter == actor.username, owned = entry.owner == actor.username
                    let may = MatrixCell(.readChronology, role, place, restricted: true, reporter: reported, owner: owned).expected
                    require(shown.contains(entry.id) == may,
                            "\(role): restricted entry \(entry.id) (\(reported || owned ? "theirs" : "not theirs")) is \(may ? "left out" : "shown")")
                }
            }

            // The audit log: nothing about another school's pupils.
            if grant(.readAudit, role) != "-" {
                let events = try w.store.auditLog(actor: actor, limit: 1000)
                require(!events.isEmpty, "\(role): the audit log is empty")
                require(events.allSatisfy { $0.pupil?.school != otherSchool }, "\(role): the audit log shows another school's pupil")
            }
        }
        // ConcernStore.counts: for those who may not list the queue, the overdue count is every open
        // overdue action they own in the database, where their action list (and actionCounts) keep to
        // their school. Only an action at another school that is still theirs shows the difference:
        // nothing makes one yet (no staff move between schools, no pupil transfers), so it is latent.
        let otherSchoolAction = "counts the overdue actions they own at another school"
        let known = [
            "pastoral: counts.overdue is 6, but they may list 4 overdue": otherSchoolAction,
            "staff: counts.overdue is 6, but they may list 4 overdue": otherSchoolAction,
        ]
        let gone = known.keys.filter { !problems.contains($0) }.sorted()
        #expect(gone.isEmpty, "no longer leaks, so take it off the known list:\n\(gone.joined(separator: "\n"))")
        let leaks = problems.filter { known[$0] == nil }
        #expect(leaks.isEmpty, "\(leaks.count) leak(s):\n\(leaks.joined(separator: "\n"))")
    }
}
