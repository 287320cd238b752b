import CairnDomain
import CairnStore
import Foundation
import Testing

// The access matrix through the real `cairn` binary: `cairn access check` for every operation and
// role against every kind of record, and the real commands that exist. Invented people only.

/// The domain's table is pinned cell by cell against a hand-written copy in AccessPolicyTests; here
/// the question is only whether this path obeys it.
fileprivate let columns: [Role] = [.dsl, .deputy, .pastoral, .staff, .admin, .auditor]

fileprivate func grant(_ operation: AccessOperation, _ role: Role) -> Character {
    switch AccessMatrix.grant(role, operation) {
    case .all: "Y"
    case .inScope: "S"
    case .inScopeOrOwn: "B"
    case .own: "O"
    case .none: "-"
    }
}

/// The action's owner for completing or moving actions; either, for restricted records; else the reporter.
fileprivate func isOwn(_ operation: AccessOperation, reporter: Bool, owner: Bool) -> Bool {
    switch operation {
    case .completeAction, .addAction: owner
    case .readRestricted: owner || reporter
    default: reporter
    }
}

fileprivate let actionOwnerRoles: Set<Role> = [.dsl, .deputy, .pastoral, .staff]

/// Where a record is, from the home school, whose pastoral lead covers Years 7 and 8.
fileprivate enum Place: String, CaseIterable {
    case inYears = "Year 7 at their school"
    case outOfYears = "Year 11 at their school"
    case otherSchool = "Year 7 at another school"
}

/// The kind of record `cairn access check` is asked about.
fileprivate enum Target: String {
    case pupil, concern, entry, action
}

fileprivate struct Cell: CustomStringConvertible {
    var operation: AccessOperation
    var role: Role
    var target: Target?
    var place: Place?
    var restricted = false
    var own = false

    var reporter: Bool { own && target != .action }
    var owner: Bool { own && target == .action }

    var description: String {
        var parts = ["\(operation.rawValue) as \(role.rawValue)"]
        if let target, let place { parts.append("\(target.rawValue), \(place.rawValue)") }
        if restricted { parts.append("restricted") }
        if own { parts.append(target == .action ? "their action" : "reported by them") }
        return parts.joined(separator: ", ")
    }

    /// What the matrix says (as in MatrixThroughStoreTests).
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

/// A demo-marked database (so `--as` may choose the user) prepared through the store: two schools,
/// one member of staff of every role at home (the pastoral lead covers Years 7 and 8), pupils in
/// Years 7 and 11 at home and Year 7 at the other school; for each pupil a concern restricted and
/// not, reported by each of the six and by someone else; open actions given to each who can own
/// one and to someone else.
fileprivate struct CLIWorld {
    var usernames: [Role: String] = [:]
    var upns: [Place: String] = [:]
    /// By place, restricted, and reporter (a role, or nil for someone else).
    var concerns: [String: String] = [:]
    var entries: [String: Int64] = [:]
    var actions: [String: Int64] = [:]

    static func key(_ place: Place, _ restricted: Bool, _ role: Role?) -> String {
        "\(place) \(restricted) \(role?.rawValue ?? "someone else")"
    }

    init(path: String) throws {
        let store = try CairnStore.create(path: path)
        let trust = Staff(username: "trust.obi", displayName: "Grace Obi", role: .dsl, school: nil)
        let home = try store.bootstrap(school: "Hollin Vale Academy", dsl: trust, trustLevel: true)
        let other = try store.addSchool(actor: trust, name: "Brackenfold School")
        var actors: [Role: Staff] = [
            .dsl: Staff(username: "dsl.marsh", displayName: "Petra Marsh", role: .dsl, school: home.id),
            .deputy: Staff(username: "deputy.quill", displayName: "Rowan Quill", role: .deputy, school: home.id),
            .pastoral: Staff(username: "hoy.lowe", displayName: "Tamsin Lowe", role: .pastoral, years: [.year7, .year8], school: home.id),
            .staff: Staff(username: "t.birch", displayName: "Ned Birch", role: .staff, school: home.id),
            .admin: Staff(username: "it.moss", displayName: "Kit Moss", role: .admin, school: home.id),
            .auditor: Staff(username: "dpo.wren", displayName: "Isla Wren", role: .auditor, school: home.id),
        ]
        let colleague = Staff(username: "t.fenn", displayName: "Ada Fenn", role: .staff, school: home.id)
        let otherStaff = Staff(username: "t.holt", displayName: "Jem Holt", role: .staff, school: other.id)
        for member in columns.map({ actors[$0]! }) + [colleague, otherStaff] { try store.addStaff(actor: trust, member) }
        for (role, staff) in actors { usernames[role] = staff.username }

        let upnValues: [Place: UPN] = [
            .inYears: UPN.make(la: 935, establishment: 4101, year: 19, serial: 1),
            .outOfYears: UPN.make(la: 935, establishment: 4101, year: 15, serial: 2),
            .otherSchool: UPN.make(la: 936, establishment: 4202, year: 19, serial: 3),
        ]
        func row(_ place: Place, _ forename: String, _ surname: String, _ year: YearGroup) -> PupilRow {
            PupilRow(upn: upnValues[place]!, legalForename: forename, legalSurname: surname, preferredForename: nil,
                     dateOfBirth: UKDate.parseDate(year == .year11 ? "09/09/2009" : "14/05/2014")!, yearGroup: year,
                     form: year == .year11 ? "11DU" : "7AS")
        }
        _ = try store.importPupils(actor: trust, [row(.inYears, "Juniper", "Ashdown", .year7),
                                                  row(.outOfYears, "Maud", "Dunmore", .year11)], school: home.id)
        _ = try store.importPupils(actor: trust, [row(.otherSchool, "Ivo", "Fairlie", .year7)], school: other.id)
        for (place, upn) in upnValues { upns[place] = upn.value }

        var ids: [String: ConcernID] = [:]
        for place in Place.allCases {
            for restricted in [false, true] {
                for role in columns.map(Optional.some) + [nil] {
                    var reporter = role.map { actors[$0]! } ?? (place == .otherSchool ? otherStaff : colleague)
                    // Home staff reporting a pupil at the other school: as if logged while they worked there.
                    if place == .otherSchool, reporter.school != other.id { reporter.school = nil }
                    let reference = try store.logConcern(actor: reporter, ConcernDraft(
                        pupils: [upnValues[place]!], categories: [.neglect],
                        accounts: [Account(nature: .seen, text: "Came in hungry and without a coat.")],
                        occurredAt: Date().addingTimeInterval(-3600)))
                    let id = try store.concernID(reference: reference)!
                    if restricted {
                        try store.triage(actor: trust, id: id, decision: TriageDecision(level: .targeted, caseHolder: trust.username,
                                                                                        restricted: true))
                    }
                    let key = Self.key(place, restricted, role)
                    concerns[key] = reference.description
                    ids[key] = id
                    let pupil = try store.pupilID(upn: upnValues[place]!)!
                    entries[key] = try store.chronology(actor: trust, pupil: pupil, limit: 1000)
                        .first { $0.entry.concern == id && $0.entry.kind == .concern }!.entry.id
                }
            }
        }
        // Actions belong to someone else's concern, so that only the owner differs.
        actors[.admin] = nil
        actors[.auditor] = nil
        for place in Place.allCases {
            for restricted in [false, true] {
                let pupil = try store.pupilID(upn: upnValues[place]!)!
                let concern = ids[Self.key(place, restricted, nil)]!
                for role in actionOwnerRoles.map(Optional.some) + [nil] {
                    let owner = role.map { actors[$0]! } ?? (place == .otherSchool ? otherStaff : colleague)
                    guard place != .otherSchool || role == nil else {
                        // Home staff cannot be given an action at the other school (they would have had
                        // to work there); `access check` on their own action elsewhere is covered through
                        // the store.
                        continue
                    }
                    actions[Self.key(place, restricted, role)] = try store.addAction(
                        actor: trust, pupil: pupil,
                        ActionInput(description: "Check in with the child", owner: owner.username,
                                    due: Date().addingTimeInterval(7 * 86_400), concern: concern))
                }
            }
        }
        try store.markAsDemo()
    }
}

/// Results of many runs of the binary at once, two at a time.
fileprivate final class Runs: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: CairnBinary.Result] = [:]
    private var cursor = 0

    func set(_ index: Int, _ result: CairnBinary.Result) { lock.withLock { results[index] = result } }
    func get(_ index: Int) -> CairnBinary.Result? { lock.withLock { results[index] } }

    /// The next command to run.
    func take() -> Int {
        lock.withLock {
            defer { cursor += 1 }
            return cursor
        }
    }

    static func run(_ cairn: CairnBinary, _ commands: [[String]]) -> Runs {
        let runs = Runs()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while true {
                let index = runs.take()
                guard index < commands.count else { return }
                if let result = try? cairn.run(commands[index]) { runs.set(index, result) }
            }
        }
        return runs
    }
}

@Suite(.serialized, .timeLimit(.minutes(10)))
struct MatrixThroughCLITests {
    /// The record variants worth asking about for one operation and role: where the grant is "-" the
    /// record cannot matter (one asking is enough); where nothing is owned, neither does owning it.
    fileprivate static func cells(_ operation: AccessOperation, _ role: Role, target: Target) -> [Cell] {
        let cell = grant(operation, role)
        let canOwn = target != .action || actionOwnerRoles.contains(role)
        if cell == "-" { return [Cell(operation: operation, role: role, target: target, place: .inYears, own: canOwn)] }
        if target == .pupil { return Place.allCases.map { Cell(operation: operation, role: role, target: target, place: $0) } }
        let ownMatters = "BO".contains(cell) || "BO".contains(grant(.readRestricted, role))
        var out: [Cell] = []
        for place in Place.allCases {
            for restricted in [false, true] {
                for own in ownMatters && canOwn ? [false, true] : [false] {
                    // The store does not let home staff be given an action at another school.
                    if target == .action, own, place == .otherSchool { continue }
                    out.append(Cell(operation: operation, role: role, target: target, place: place, restricted: restricted, own: own))
                }
            }
        }
        return out
    }

    /// Which record each operation is asked about.
    fileprivate static let targets: [AccessOperation: [Target]] = [
        .readConcern: [.concern], .triage: [.concern], .close: [.concern],
        .readRestricted: [.concern, .entry], .amend: [.entry],
        .completeAction: [.action], .addAction: [.action, .pupil], .manageActions: [.action],
        .readChronology: [.pupil, .entry], .addNote: [.pupil], .addReferral: [.pupil], .setFlag: [.pupil],
        .exportChronology: [.pupil], .sarExport: [.pupil], .transfer: [.pupil], .retentionPurge: [.pupil],
        .legalHold: [.pupil], .logConcern: [.pupil], .search: [.pupil], .readAudit: [.pupil],
    ]

    fileprivate static func arguments(_ cell: Cell, _ world: CLIWorld) -> [String] {
        var arguments = ["access", "check", cell.operation.rawValue, "--as", world.usernames[cell.role]!]
        guard let target = cell.target, let place = cell.place else { return arguments }
        let key = CLIWorld.key(place, cell.restricted, cell.own ? cell.role : nil)
        switch target {
        case .pupil: arguments += ["--pupil", world.upns[place]!]
        case .concern: arguments += ["--concern", world.concerns[key]!]
        case .entry: arguments += ["--entry", String(world.entries[key]!)]
        case .action: arguments += ["--action", String(world.actions[key]!)]
        }
        return arguments
    }

    @Test func accessCheckAnswersEveryCellAsTheMatrixDoes() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        let world = try CLIWorld(path: cairn.database)

        var cells: [Cell] = []
        for operation in AccessOperation.allCases {
            for role in columns {
                cells.append(Cell(operation: operation, role: role))
                for target in Self.targets[operation] ?? [] { cells += Self.cells(operation, role, target: target) }
            }
        }
        let runs = Runs.run(cairn, cells.map { Self.arguments($0, world) })
        var disagreements: [String] = []
        for (index, cell) in cells.enumerated() {
            guard let result = runs.get(index) else {
                disagreements.append("\(cell): the binary did not run")
                continue
            }
            let output = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
            switch (cell.expected, result.status) {
            case (true, 0) where output == "allowed", (false, 77) where output.hasPrefix("refused: "):
                continue
            default:
                disagreements.append("\(cell): exit \(result.status), \"\(output)\"\(result.errors.isEmpty ? "" : " / \(result.errors)")"
                    + "; the matrix \(cell.expected ? "allows" : "refuses") it")
            }
        }
        print("cairn access check: \(cells.count) cells through the binary; \(disagreements.count) disagreements")
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreement(s):\n\(disagreements.joined(separator: "\n"))")
    }

    @Test func theRealCommandsFollowTheMatrix() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        let world = try CLIWorld(path: cairn.database)
        let csvPath = cairn.directory.appendingPathComponent("roster.csv").path
        try "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group\n\(world.upns[.inYears]!),Ashdown,Juniper,14/05/2014,7,7AS\n"
            .write(toFile: csvPath, atomically: true, encoding: .utf8)

        // What `cairn queue` shows: never another school's concerns, and only their own to those who may not list the queue.
        let otherSchool = Set(world.concerns.filter { $0.key.hasPrefix("\(Place.otherSchool) ") }.values)
        for role in columns {
            let result = try cairn.run(["queue", "--json", "--as", world.usernames[role]!])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
            let references = Set(rows.compactMap { $0["reference"] as? String })
            #expect(references.isDisjoint(with: otherSchool), "\(role): `cairn queue` shows another school's concerns")
            if grant(.listQueue, role) == "-" {
                #expect(rows.allSatisfy { ($0["reportedBy"] as? String) == world.usernames[role] },
                        "\(role): `cairn queue` shows someone else's concerns")
                #expect(rows.count == 4, "\(role): their four concerns at their school, restricted and not")
            } else {
                #expect(rows.count == 4 * 7, "\(role): every open concern at their school")
            }
        }

        // (cell, arguments, exit code for a refusal)
        var jobs: [(cell: Cell, arguments: [String], refusal: Int32)] = []
        for role in columns {
            let me = ["--as", world.usernames[role]!]
            jobs.append((Cell(operation: .manageStaff, role: role), ["staff", "list"] + me, 77))
            jobs.append((Cell(operation: .verifyAudit, role: role), ["audit", "verify"] + me, 77))
            jobs.append((Cell(operation: .readAudit, role: role), ["audit", "log"] + me, 77))
            jobs.append((Cell(operation: .acknowledgeAudit, role: role), ["audit", "acknowledge"] + me, 77))
            jobs.append((Cell(operation: .importPupils, role: role), ["pupils", "import", csvPath, "--dry-run"] + me, 77))
            // Everyone may run `cairn queue`: the safeguarding team see the queue, everyone else their own concerns.
            jobs.append((Cell(operation: .listOwnConcerns, role: role), ["queue", "--json"] + me, 77))
            for place in Place.allCases {
                let upn = world.upns[place]!
                let cell = { (operation: AccessOperation) in Cell(operation: operation, role: role, target: .pupil, place: place) }
                // A pupil at another school is refused as bad input (65): the store names the field.
                jobs.append((cell(.logConcern), ["concern", "log", "--pupil", upn, "--category", "neglect", "--nature", "seen",
                                                 "--text", "Came in without a coat again."] + me, 65))
                jobs.append((cell(.readAudit), ["audit", "log", "--pupil", upn] + me, 77))
                jobs.append((cell(.readAudit), ["audit", "looked", upn] + me, 77))
            }
        }
        let runs = Runs.run(cairn, jobs.map(\.arguments))
        var disagreements: [String] = []
        for (index, job) in jobs.enumerated() {
            guard let result = runs.get(index) else {
                disagreements.append("\(job.arguments.joined(separator: " ")): the binary did not run")
                continue
            }
            let want: Int32 = job.cell.expected ? 0 : job.refusal
            if result.status != want {
                disagreements.append("cairn \(job.arguments.joined(separator: " ")): exit \(result.status) (\(result.errors.trimmingCharacters(in: .whitespacesAndNewlines)))"
                    + "; the matrix \(job.cell.expected ? "allows" : "refuses") \(job.cell), so \(want) was expected")
            }
        }

        print("real commands: \(jobs.count) cells through the binary; \(disagreements.count) disagreements")
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreement(s):\n\(disagreements.joined(separator: "\n"))")
    }

    @Test func accessPrintsTheMatrixAndRefusesBadInput() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        let world = try CLIWorld(path: cairn.database)
        for arguments in [["access"], ["access", "matrix"]] {
            let printed = try cairn.run(arguments)
            #expect(printed.status == 0, "\(printed.errors)")
            #expect(printed.output.hasPrefix(AccessMatrix.markdown + "\n"))
            #expect(printed.output.contains("in scope or own"))
            #expect(printed.output.contains("restricted record"))
        }
        let me = ["--as", world.usernames[.dsl]!]
        let bad: [(arguments: [String], status: Int32, names: String)] = [
            (["access", "check", "peek"] + me, 64, "operation: \"peek\" is not an operation"),
            (["access", "check", "read_chronology", "--pupil", "A12345"] + me, 64, "--pupil"),
            (["access", "check", "read_concern", "--concern", "42"] + me, 64, "--concern"),
            (["access", "check", "read_concern", "--action", "x"] + me, 64, "--action"),
            (["access", "check", "read_concern", "--concern", "2026-0001", "--pupil", world.upns[.inYears]!] + me, 64, "one record at most"),
            (["access", "check", "read_concern", "--concern", "2001-0999"] + me, 65, "--concern: no concern 2001-0999"),
            (["access", "check", "read_chronology", "--pupil", UPN.make(la: 935, establishment: 4101, year: 19, serial: 99).value] + me,
             65, "--pupil: no pupil"),
            (["access", "check", "complete_action", "--action", "99999"] + me, 65, "--action: no action 99999"),
            (["access", "check", "amend", "--entry", "99999"] + me, 65, "--entry: no entry 99999"),
        ]
        for (arguments, status, names) in bad {
            let result = try cairn.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.errors)")
            #expect(result.errors.contains(names), "\(arguments): \(result.errors)")
        }
        // Dashes for underscores, any case; and nothing is written to the audit log.
        let before = try CairnStore.open(path: cairn.database).auditEventCount()
        let checked = try cairn.run(["access", "check", "Read-Chronology", "--pupil", world.upns[.inYears]!] + me)
        #expect(checked.status == 0 && checked.output == "allowed\n", "\(checked.errors)")
        #expect(try CairnStore.open(path: cairn.database).auditEventCount() == before)
    }
}
