import CairnDomain
import CairnStore
import Foundation

/// Builds the synthetic demo school that `cairn demo` and `make run` open: deterministic for a seed,
/// relative to the day it is made, so that "today's" concerns are always today's.
public enum DemoSchool {
    public static let schoolName = "Oakfield Academy (demo)"

    public static let staff: [Staff] = [
        Staff(username: "demo.dsl", displayName: "Sam Carter", role: .dsl, school: nil),
        Staff(username: "demo.deputy", displayName: "Priya Shah", role: .deputy, school: nil),
        Staff(username: "demo.pastoral", displayName: "Tom Hughes", role: .pastoral, years: [.year7, .year8, .year9], school: nil),
        Staff(username: "demo.staff", displayName: "Jo Bennett", role: .staff, school: nil),
        Staff(username: "demo.admin", displayName: "Alex Morgan", role: .admin, school: nil),
        Staff(username: "demo.auditor", displayName: "Ruth Ellis", role: .auditor, school: nil),
        Staff(username: "k.osei", displayName: "Kwame Osei", role: .staff, school: nil),
        Staff(username: "l.nowak", displayName: "Lena Nowak", role: .staff, school: nil),
        Staff(username: "r.evans", displayName: "Rhys Evans", role: .staff, school: nil),
        Staff(username: "m.ali", displayName: "Maryam Ali", role: .staff, school: nil),
    ]

    /// Creates the database at `path` and fills it. Returns the number of concerns made.
    @discardableResult
    public static func create(path: String, seed: UInt64, now: Date = Date(), pupilsPerYear: Int = 50) throws -> Int {
        let clock = FixedClock(now.addingTimeInterval(-400 * 86_400))
        let store = try CairnStore.create(path: path, clock: clock, durability: .syntheticBulkLoad)
        var random = SeededGenerator(seed: seed)
        let dsl = staff[0]
        _ = try store.bootstrap(school: schoolName, dsl: dsl)
        guard let signedIn = try store.staff(username: dsl.username) else { throw StoreError.notFound("demo DSL") }
        for member in staff.dropFirst() { try store.addStaff(actor: signedIn, member) }
        let pupils = makePupils(&random, now: now, perYear: pupilsPerYear)
        _ = try store.importPupils(actor: signedIn, pupils)
        try store.markAsDemo()

        var plan = DemoPlan(store: store, clock: clock, random: random, pupils: pupils, now: now)
        try plan.run()
        clock.set(now)
        // Referrals still waiting for a decision after a working day get their follow-up actions.
        try store.raiseReferralFollowUps(actor: signedIn)
        return plan.concernCount
    }

    static func makePupils(_ random: inout SeededGenerator, now: Date, perYear: Int) -> [PupilRow] {
        let calendar = UKDate.calendar
        let thisYear = calendar.component(.year, from: now)
        // The academic year starts in September: Reception children turn five during it.
        let academicStart = calendar.component(.month, from: now) >= 9 ? thisYear : thisYear - 1
        var rows: [PupilRow] = []
        for year in YearGroup.allCases where year <= .year11 {
            let birthYear = academicStart - 5 - year.rawValue
            let forms = year == .reception ? ["RB", "RO"] : ["\(year.rawValue)A", "\(year.rawValue)B"]
            for serial in 0..<perYear {
                let born = calendar.date(from: DateComponents(year: birthYear, month: 9, day: 1))!
                    .addingTimeInterval(Double(Int.random(in: 0..<364, using: &random)) * 86_400)
                let upn = UPN.make(la: 999, establishment: 4001, year: (birthYear + 4) % 100, serial: serial + 1)
                let preferred: String? = random.chance(0.06) ? random.pick(DemoText.preferred) : nil
                rows.append(PupilRow(upn: upn, legalForename: random.pick(DemoText.forenames),
                                     legalSurname: random.pick(DemoText.surnames), preferredForename: preferred,
                                     dateOfBirth: calendar.startOfDay(for: born), yearGroup: year,
                                     form: forms[serial % 2]))
            }
        }
        return rows
    }
}

/// A year of safeguarding work, replayed in time order through the store so that every entry,
/// chronology line and audit event is made exactly as the dashboard would make it.
struct DemoPlan {
    let store: CairnStore
    let clock: FixedClock
    var random: SeededGenerator
    let pupils: [PupilRow]
    let now: Date
    private(set) var concernCount = 0

    init(store: CairnStore, clock: FixedClock, random: SeededGenerator, pupils: [PupilRow], now: Date) {
        self.store = store
        self.clock = clock
        self.random = random
        self.pupils = pupils
        self.now = now
    }

    private enum Step {
        case log(id: Int, reporter: String, pupils: [UPN], template: Int, urgent: Bool, occurred: Date)
        case triage(id: Int, level: LevelOfNeed, holder: String, restricted: Bool)
        case close(id: Int, outcome: OutcomeKind)
        case action(id: Int, pupil: UPN, owner: String, due: Date, text: String)
        case completeLastAction(id: Int)
        case referral(id: Int, pupil: UPN, agency: Agency)
        /// The agency's answer, a few days after the referral.
        case decision(id: Int)
        /// A phone call home after triage.
        case contact(id: Int, pupil: UPN)
        /// One of the hand-made examples in `DemoShowcase`.
        case showcase(DemoShowcase.Work)
    }

    mutating func run() throws {
        var steps: [(Date, Int, Step)] = []
        let reporters = ["k.osei", "l.nowak", "r.evans", "m.ali", "demo.staff", "demo.pastoral"]
        let holders = ["demo.dsl", "demo.deputy"]
        let historic = 320
        let today = 12
        var busy: Set<UPN> = []
        for id in 0..<(historic + today) {
            let isToday = id >= historic
            let recorded = isToday ? todayTime() : schoolTime(daysAgo: Int.random(in: 2..<365, using: &random))
            // It happened a little before it was written down, and within the school day.
            let sinceSchoolOpened = recorded.timeIntervalSince(UKDate.calendar.startOfDay(for: recorded)) - 7 * 3600
            let occurred = recorded.addingTimeInterval(-Double(Int.random(in: 120..<max(180, min(7200, Int(sinceSchoolOpened))), using: &random)))
            let subject = random.pick(pupils)
            var involved = [subject.upn]
            if random.chance(0.08), let friend = pupils.filter({ $0.yearGroup == subject.yearGroup && $0.upn != subject.upn }).first {
                involved.append(friend.upn)
            }
            let urgent = isToday ? id % 4 == 0 : random.chance(0.06)
            let template = pickTemplate(for: subject.yearGroup)
            var order = 0
            func add(_ date: Date, _ step: Step) {
                order += 1
                steps.append((date, id * 100 + order, step))
            }
            add(recorded, .log(id: id, reporter: random.pick(reporters), pupils: involved, template: template,
                               urgent: urgent, occurred: occurred))
            if isToday || now.timeIntervalSince(recorded) < 7 * 86_400 { busy.formUnion(involved) }
            // Today's concerns wait in the queue; a few from the last week are still being worked.
            let age = now.timeIntervalSince(recorded) / 86_400
            guard !isToday else { continue }
            let triaged = recorded.addingTimeInterval(Double(Int.random(in: 1800..<14_400, using: &random)))
            let holder = random.pick(holders)
            let level = LevelOfNeed.allCases[min(3, Int.random(in: 0..<10, using: &random) / 3)]
            add(triaged, .triage(id: id, level: level, holder: holder, restricted: random.chance(0.07)))
            if random.chance(0.5) {
                let due = triaged.addingTimeInterval(Double(Int.random(in: 1..<15, using: &random)) * 86_400)
                let text = random.pick(["Phone parent to follow up", "Check in with pupil at morning break",
                                        "Request update from social worker", "Arrange meeting with head of year",
                                        "Chase attendance officer", "Complete early help assessment"])
                // The pastoral lead is given actions only for pupils in their year groups, as a DSL would.
                var owner = random.pick(holders + ["demo.pastoral"])
                if owner == "demo.pastoral", !(7...9).contains(subject.yearGroup.rawValue) { owner = holder }
                add(triaged.addingTimeInterval(60), .action(id: id, pupil: involved[0], owner: owner, due: due, text: text))
                // Most past actions were done; a few recent ones slipped, as they do.
                let daysOverdue = now.timeIntervalSince(due) / 86_400
                if due < now, random.chance(daysOverdue > 21 ? 0.97 : 0.7) {
                    add(due.addingTimeInterval(-3600), .completeLastAction(id: id))
                }
            }
            // Every fifth case gets a call home; no random draw, so the rest of the school is as it was.
            if id % 5 == 1 { add(triaged.addingTimeInterval(7200), .contact(id: id, pupil: involved[0])) }
            if level == .statutory || random.chance(0.05) {
                add(triaged.addingTimeInterval(600), .referral(id: id, pupil: involved[0],
                                                               agency: level == .statutory ? .socialCare : random.pick([.earlyHelp, .camhs, .police])))
                add(triaged.addingTimeInterval(Double(2 + id % 5) * 86_400), .decision(id: id))
            }
            if age > 10 || random.chance(0.3) {
                let closed = triaged.addingTimeInterval(Double(Int.random(in: 1..<9, using: &random)) * 86_400)
                if closed < now {
                    let outcome: OutcomeKind = level == .statutory ? .referralToSocialCare
                        : random.pick([.noFurtherAction, .monitor, .monitor, .supportInSchool, .earlyHelp, .unfounded])
                    add(closed, .close(id: id, outcome: outcome))
                }
            }
        }
        for (index, (time, work)) in DemoShowcase.steps(pupils: pupils, busy: busy, now: now).enumerated() {
            steps.append((time, 1_000_000 + index, .showcase(work)))
        }
        steps.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        // Nothing is recorded in the future: an answer not yet come is still awaited.
        steps.removeAll { $0.0 > now }
        try execute(steps.map(\.2), at: steps.map(\.0))
    }

    /// A weighted choice among the kinds of concern plausible for the child's age.
    private mutating func pickTemplate(for year: YearGroup) -> Int {
        let candidates = DemoText.templates.indices.filter { DemoText.templates[$0].minYear <= year }
        var roll = Int.random(in: 0..<candidates.reduce(0) { $0 + DemoText.templates[$1].weight }, using: &random)
        for index in candidates {
            roll -= DemoText.templates[index].weight
            if roll < 0 { return index }
        }
        return candidates[0]
    }

    /// A moment in the school day (08:00 to 17:00 London time), the given number of days ago, on a weekday.
    private mutating func schoolTime(daysAgo: Int) -> Date {
        let calendar = UKDate.calendar
        var day = calendar.startOfDay(for: now.addingTimeInterval(-Double(daysAgo) * 86_400))
        while calendar.isDateInWeekend(day) { day = calendar.date(byAdding: .day, value: -1, to: day)! }
        return day.addingTimeInterval(8 * 3600 + Double(Int.random(in: 0..<(9 * 3600), using: &random)))
    }

    /// This morning since 07:30; before then, yesterday's school day (still waiting for triage).
    private mutating func todayTime() -> Date {
        let start = UKDate.calendar.startOfDay(for: now).addingTimeInterval(7.5 * 3600)
        let available = now.timeIntervalSince(start) - 300
        guard available > 600 else { return schoolTime(daysAgo: 1) }
        return start.addingTimeInterval(Double(Int.random(in: 0..<Int(available), using: &random)))
    }

    private mutating func execute(_ steps: [Step], at times: [Date]) throws {
        var concerns: [Int: ConcernID] = [:]
        var referrals: [Int: Int64] = [:]
        var lastAction: [Int: (Int64, String)] = [:]
        let context = DemoContext(store: store)
        let dsl = try context.who("demo.dsl")
        for (step, time) in zip(steps, times) {
            clock.set(time)
            switch step {
            case .log(let id, let reporter, let involved, let index, let urgent, let occurred):
                let template = DemoText.templates[index]
                let draft = ConcernDraft(pupils: involved, categories: template.categories,
                                         accounts: [Account(nature: template.nature, text: template.account)],
                                         childWords: template.childWords, reporterAction: template.reporterAction,
                                         location: random.pick(DemoText.locations), urgency: urgent ? .atRiskNow : .routine,
                                         occurredAt: occurred)
                let reference = try store.logConcern(actor: try context.who(reporter), draft)
                concerns[id] = try store.concernID(reference: reference)
                concernCount += 1
            case .triage(let id, let level, let holder, let restricted):
                guard let concern = concerns[id] else { continue }
                try store.triage(actor: try context.who(holder), id: concern,
                                 decision: TriageDecision(level: level, caseHolder: holder, restricted: restricted))
            case .close(let id, let kind):
                guard let concern = concerns[id] else { continue }
                let reason = kind.needsReason || random.chance(0.5) ? random.pick(DemoText.closeReasons) : nil
                try store.close(actor: dsl, id: concern, outcome: try Outcome(kind: kind, reason: reason))
            case .action(let id, let pupil, let owner, let due, let text):
                let actionID = try store.addAction(actor: dsl, pupil: pupil, concern: concerns[id], description: text,
                                                   owner: owner, due: due)
                lastAction[id] = (actionID, owner)
            case .completeLastAction(let id):
                guard let (actionID, owner) = lastAction[id] else { continue }
                try store.completeAction(actor: try context.who(owner), id: actionID, status: .done,
                                         outcome: random.pick(["Done; no new concerns.", "Spoke to parent; agreed plan.",
                                                               "Update received and filed."]))
            case .referral(let id, let pupil, let agency):
                // Only an older child gives consent for themselves.
                let older = (pupils.first { $0.upn == pupil }?.yearGroup ?? .reception) >= .year7
                let consent: ConsentBasis = random.pick(older ? [.givenByParent, .givenByYoungPerson, .notSought]
                                                               : [.givenByParent, .givenByParent, .notSought])
                let input = ReferralInput(concern: concerns[id], agency: agency, madeAt: time, consent: consent,
                                          consentReason: consent.needsReason ? "Seeking consent would place the child at greater risk." : "",
                                          lawfulBasis: .publicTask,
                                          agencyReference: "REF-\(Int.random(in: 10_000..<99_999, using: &random))")
                referrals[id] = try store.recordReferral(actor: dsl, pupil: try context.pupil(pupil), input)
            case .decision(let id):
                guard let referral = referrals[id] else { continue }
                try store.recordReferralDecision(actor: dsl, referral: referral,
                                                 decision: DemoText.decisions[id % DemoText.decisions.count], decidedOn: time)
            case .contact(let id, let pupil):
                let surname = pupils.first { $0.upn == pupil }?.legalSurname ?? "Example"
                let call = DemoText.calls[id % DemoText.calls.count]
                try store.addNote(actor: dsl, pupil: try context.pupil(pupil),
                                  NoteInput(kind: .contact, occurredAt: time, party: .parentCarer,
                                            who: "\(call.who) \(surname) (\(call.relationship))", method: .phone,
                                            summary: call.summary, nature: .reported))
            case .showcase(let work):
                try work(context)
            }
        }
    }
}

/// Who is who and which pupil is which, looked up once each while the demo is made.
final class DemoContext {
    let store: CairnStore
    private var staff: [String: Staff] = [:]
    private var pupils: [UPN: PupilID] = [:]
    /// Ids the showcase remembers between its steps, by name.
    var ids: [String: Int64] = [:]

    init(store: CairnStore) {
        self.store = store
    }

    func who(_ username: String) throws -> Staff {
        if let known = staff[username] { return known }
        guard let found = try store.staff(username: username) else { throw StoreError.notFound(username) }
        staff[username] = found
        return found
    }

    func pupil(_ upn: UPN) throws -> PupilID {
        if let known = pupils[upn] { return known }
        guard let found = try store.pupilID(upn: upn) else { throw StoreError.notFound("Pupil \(upn.value)") }
        pupils[upn] = found
        return found
    }
}
