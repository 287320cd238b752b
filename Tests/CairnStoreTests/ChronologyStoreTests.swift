import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

extension Fixture {
    func pupilID(_ upn: UPN) throws -> PupilID {
        try raw { db in
            PupilID(rawValue: try Int64.fetchOne(db, sql: "SELECT id FROM pupils WHERE upn = ?", arguments: [upn.value]) ?? -1)
        }
    }

    /// Writes a chronology entry straight into the file, as the store's own writers would.
    @discardableResult
    func addEntry(_ upn: UPN, at: Date, kind: ChronologyKind = .note, summary: String, author: Staff? = nil,
                  significant: Bool = false, restricted: Bool = false) throws -> Int64 {
        try addEntries(upn, [(at, kind, summary, significant)], author: author, restricted: restricted)[0]
    }

    /// Several entries in one transaction (one fsync), returning their ids in order.
    func addEntries(_ upn: UPN, _ entries: [(at: Date, kind: ChronologyKind, summary: String, significant: Bool)],
                    author: Staff? = nil, restricted: Bool = false) throws -> [Int64] {
        let recordedAt = Millis.from(clock.now())
        let author = (author ?? dsl).username
        return try raw { db in
            let pupil = try Int64.fetchOne(db, sql: "SELECT id FROM pupils WHERE upn = ?", arguments: [upn.value]) ?? -1
            return try entries.map { entry in
                try db.execute(sql: """
                    INSERT INTO chronology_entries (pupil_id, occurred_at, recorded_at, kind, summary, author, significant, restricted)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [pupil, Millis.from(entry.at), recordedAt, entry.kind.rawValue, entry.summary, author,
                                     entry.significant, restricted])
                return db.lastInsertedRowID
            }
        }
    }

    func addFlag(_ upn: UPN, _ kind: ContextFlagKind, start: Date, end: Date? = nil) throws {
        let pupil = try pupilID(upn)
        try raw { db in
            try db.execute(sql: """
                INSERT INTO pupil_flags (pupil_id, kind, start_at, end_at, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [pupil.rawValue, kind.rawValue, Millis.from(start), end.map(Millis.from), dsl.username,
                                 Millis.from(clock.now())])
        }
    }

    /// The pupil id written on the newest audit event.
    func lastAuditPupilID() throws -> Int64? {
        try raw { db in try Int64.fetchOne(db, sql: "SELECT pupil_id FROM audit_events ORDER BY seq DESC LIMIT 1") }
    }

    func allChronology(actor: Staff, pupil: PupilID, order: ChronologyOrder, filter: ChronologyFilter = ChronologyFilter(),
                       limit: Int) throws -> [ChronologyRow] {
        try Self.walk(limit: limit, cursor: \.cursor) {
            try store.chronology(actor: actor, pupil: pupil, order: order, filter: filter, after: $0, limit: limit)
        }
    }
}

@Suite struct ChronologyStoreTests {
    /// 23 entries for the Year 7 pupil, some sharing a time (so the id breaks the tie), added out of order.
    static func seeded() throws -> (Fixture, PupilID, [Int64]) {
        let f = try Fixture()
        let day: TimeInterval = 86_400
        let ids = try f.addEntries(f.year7, (0..<23).map { index in
            let offset = Double((index * 7) % 23 / 2) * day   // pairs of equal times, shuffled
            let kind: ChronologyKind = index % 3 == 0 ? .contact : (index % 3 == 1 ? .note : .meeting)
            return (Fixture.start.addingTimeInterval(-offset), kind, "Synthetic entry \(index)", index % 5 == 0)
        })
        _ = try f.addEntry(f.year8, at: Fixture.start, summary: "Another pupil's entry")
        return (f, try f.pupilID(f.year7), ids)
    }

    static func expectedOrder(_ f: Fixture, _ pupil: PupilID) throws -> [Int64] {
        try f.raw { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM chronology_entries WHERE pupil_id = ? ORDER BY occurred_at, id",
                               arguments: [pupil.rawValue])
        }
    }

    @Test func newestFirstByDefaultAndOldestFirstOnRequest() throws {
        let (f, pupil, _) = try Self.seeded()
        let oldestFirst = try Self.expectedOrder(f, pupil)
        let newest = try f.store.chronology(actor: f.dsl, pupil: pupil)
        #expect(newest.map(\.entry.id) == oldestFirst.reversed())
        let oldest = try f.store.chronology(actor: f.dsl, pupil: pupil, order: .oldestFirst)
        #expect(oldest.map(\.entry.id) == oldestFirst)
        #expect(newest.allSatisfy { $0.entry.pupil == pupil && $0.authorName == "Petra Marsh" })
        #expect(zip(newest, newest.dropFirst()).allSatisfy { $0.entry.occurredAt >= $1.entry.occurredAt })
    }

    @Test(arguments: [ChronologyOrder.newestFirst, .oldestFirst], [1, 4, 7, 23, 50])
    func keysetPagingReturnsEveryEntryExactlyOnce(order: ChronologyOrder, limit: Int) throws {
        let (f, pupil, ids) = try Self.seeded()
        let expected = try Self.expectedOrder(f, pupil)
        let rows = try f.allChronology(actor: f.dsl, pupil: pupil, order: order, limit: limit)
        #expect(rows.map(\.entry.id) == (order == .oldestFirst ? expected : expected.reversed()))
        #expect(Set(rows.map(\.entry.id)) == Set(ids))
    }

    @Test func kindFilterAndSignificantOnly() throws {
        let (f, pupil, _) = try Self.seeded()
        let contacts = try f.store.chronology(actor: f.dsl, pupil: pupil, filter: ChronologyFilter(kinds: [.contact]))
        #expect(contacts.count == 8)
        #expect(contacts.allSatisfy { $0.entry.kind == .contact })

        let two = try f.allChronology(actor: f.dsl, pupil: pupil, order: .oldestFirst,
                                      filter: ChronologyFilter(kinds: [.contact, .meeting]), limit: 3)
        #expect(two.count == 15)
        #expect(two.allSatisfy { $0.entry.kind != .note })

        let significant = try f.store.chronology(actor: f.dsl, pupil: pupil, filter: ChronologyFilter(significantOnly: true))
        #expect(significant.count == 5)
        #expect(significant.allSatisfy { $0.entry.significant })

        let both = try f.store.chronology(actor: f.dsl, pupil: pupil,
                                          filter: ChronologyFilter(kinds: [.contact], significantOnly: true))
        #expect(both.map(\.entry.summary).sorted() == ["Synthetic entry 0", "Synthetic entry 15"])

        #expect(try f.store.chronology(actor: f.dsl, pupil: pupil, filter: ChronologyFilter(kinds: [])).isEmpty)
    }

    @Test func restrictedEntriesAreLeftOutForPastoralUnlessTheyAreTheirOwn() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year7)
        let reference = try f.log(f.teacher, about: [f.year7], text: "Said something worrying at break.")
        try f.triage(reference, level: .targeted, restricted: true)   // case holder: the deputy
        _ = try f.note(f.dsl, f.year7)

        // Restricting a concern restricts all of it, the report logged before the decision included.
        // A reader who may not see it is not shown a placeholder: no row, so no count either.
        let forPastoral = try f.store.chronology(actor: f.pastoral, pupil: pupil)
        #expect(!forPastoral.isEmpty, "the unrestricted note is still there")
        #expect(forPastoral.allSatisfy { $0.entry.kind != .triage && $0.entry.kind != .concern })
        #expect(forPastoral.allSatisfy { !$0.entry.summary.contains("worrying") })

        // The pastoral lead's own report stays visible to them after it is restricted.
        let own = try f.log(f.pastoral, about: [f.year7], text: "Seen crying in the corridor.")
        try f.triage(own, level: .targeted, restricted: true)
        let ownRows = try f.store.chronology(actor: f.pastoral, pupil: pupil).filter { $0.entry.kind == .concern }
        #expect(ownRows.count == 1)
        #expect(ownRows.first?.entry.summary.contains("crying") == true)

        for team in [f.dsl, f.deputy] {
            let full = try #require(f.store.chronology(actor: team, pupil: pupil).first { $0.entry.kind == .triage })
            #expect(full.entry.summary.contains("level 3 Targeted"))
            #expect(full.authorName == "Petra Marsh")
        }

        // A pastoral lead who holds the case sees it in full.
        let second = try f.log(f.teacher, about: [f.year8])
        try f.store.triage(actor: f.dsl, id: f.id(of: second),
                           decision: TriageDecision(level: .earlyHelp, caseHolder: f.pastoral.username, restricted: true))
        let held = try #require(f.store.chronology(actor: f.pastoral, pupil: f.pupilID(f.year8)).first { $0.entry.kind == .triage })
        #expect(held.entry.summary.contains("case holder Tamsin Lowe"))
    }

    @Test func pastoralOutsideTheirYearsIsRefusedAndTheRefusalAudited() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year10)
        try f.addEntry(f.year10, at: Fixture.start, summary: "Synthetic note")
        let before = try f.store.auditEventCount()

        let denied = #expect(throws: AccessDenied.self) { try f.store.chronology(actor: f.pastoral, pupil: pupil) }
        #expect(denied?.operation == .readChronology)
        #expect(throws: AccessDenied.self) { try f.store.pupilHeader(actor: f.pastoral, pupil: pupil) }
        #expect(try f.store.auditEventCount() == before + 2)
        let event = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(event.actor == f.pastoral.username)
        #expect(event.operation == .readChronology)
        #expect(event.recordKind == "pupil")
        #expect(event.recordID == String(pupil.rawValue))
        #expect(event.detail.hasPrefix("refused: "))

        for outsider in [f.teacher, f.admin, f.auditor] {
            #expect(throws: AccessDenied.self, "\(outsider.role)") { try f.store.chronology(actor: outsider, pupil: pupil) }
        }
        #expect(throws: StoreError.notFound("Pupil 9999")) { try f.store.chronology(actor: f.dsl, pupil: PupilID(rawValue: 9999)) }
    }

    @Test func aPupilAtAnotherSchoolIsRefused() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year7)
        var elsewhere = f.dsl
        elsewhere.school = SchoolID(rawValue: f.school.id.rawValue + 1)
        #expect(throws: AccessDenied.self) { try f.store.chronology(actor: elsewhere, pupil: pupil) }
    }

    @Test func everyReadIsAuditedWithThePupil() throws {
        let (f, pupil, _) = try Self.seeded()
        var count = try f.store.auditEventCount()

        _ = try f.store.pupilHeader(actor: f.pastoral, pupil: pupil)
        #expect(try f.store.auditEventCount() == count + 1)
        #expect(try f.lastAuditPupilID() == pupil.rawValue)
        var event = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(event.operation == .readChronology)
        #expect(event.actor == f.pastoral.username)
        count += 1

        // Past the ten minutes in which the same read is written once (see CairnStore.audit).
        f.clock.advance(by: 600)
        let page = try f.store.chronology(actor: f.pastoral, pupil: pupil, limit: 5)
        #expect(try f.store.auditEventCount() == count + 1)
        #expect(try f.lastAuditPupilID() == pupil.rawValue)
        event = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(event.operation == .readChronology)
        #expect(event.detail.hasPrefix("first page"))
        #expect(event.detail.contains("5 rows"))
        count += 1

        f.clock.advance(by: 600)
        _ = try f.store.chronology(actor: f.pastoral, pupil: pupil, after: page.last?.cursor, limit: 5)
        #expect(try f.store.auditEventCount() == count + 1)
        #expect(try f.lastAuditPupilID() == pupil.rawValue)
        event = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(event.detail.hasPrefix("page after "))
        #expect(event.detail.contains("#\(page.last!.entry.id)"))
        #expect(try f.store.verifyAuditWithoutRecording() == .intact(count: count + 1, lastHash: event.hash))
    }

    @Test func headerShowsFlagsLevelCaseHolderAndOpenActions() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year10)
        let day: TimeInterval = 86_400
        try f.addFlag(f.year10, .eal, start: Fixture.start.addingTimeInterval(-400 * day))
        try f.addFlag(f.year10, .childInNeed, start: Fixture.start.addingTimeInterval(-90 * day),
                      end: Fixture.start.addingTimeInterval(-10 * day))
        try f.addFlag(f.year10, .childProtectionPlan, start: Fixture.start.addingTimeInterval(-5 * day))

        var header = try f.store.pupilHeader(actor: f.dsl, pupil: pupil)
        #expect(header.id == pupil)
        #expect(header.upn == f.year10.value)
        #expect(header.name == "Billy Carrow")
        #expect(header.legalName == "Wilf Carrow")
        #expect(header.yearGroup == .year10)
        #expect(header.form == "10CA")
        #expect(UKDate.date(header.dateOfBirth) == "30/01/2011")
        #expect(header.flags.map(\.kind) == [.childProtectionPlan, .childInNeed, .eal])
        #expect(header.flags[1].end != nil)
        #expect(header.levelOfNeed == nil)
        #expect(header.caseHolderName == nil)
        #expect(header.openActions == 0)

        let early = try f.log(f.teacher, about: [f.year10])
        try f.triage(early, level: .earlyHelp)
        let statutory = try f.log(f.teacher, about: [f.year10, f.year11])
        try f.store.triage(actor: f.dsl, id: f.id(of: statutory),
                           decision: TriageDecision(level: .statutory, caseHolder: f.dsl.username, restricted: false))
        let closed = try f.log(f.teacher, about: [f.year10])
        try f.store.triage(actor: f.dsl, id: f.id(of: closed),
                           decision: TriageDecision(level: .statutory, caseHolder: f.deputy.username, restricted: false))
        f.clock.advance(by: 60)
        try f.store.close(actor: f.dsl, id: f.id(of: closed), outcome: Outcome(kind: .noFurtherAction, reason: "Synthetic reason"))
        _ = try f.log(f.teacher, about: [f.year10])   // not triaged: no level yet

        let first = try f.store.addAction(actor: f.dsl, pupil: f.year10, description: "Phone home", owner: f.deputy.username,
                                          due: Fixture.start.addingTimeInterval(2 * day))
        try f.store.addAction(actor: f.dsl, pupil: f.year10, description: "Meet with the form tutor", owner: f.dsl.username,
                              due: Fixture.start.addingTimeInterval(3 * day))
        try f.store.addAction(actor: f.dsl, pupil: f.year11, description: "Another pupil's action", owner: f.dsl.username,
                              due: Fixture.start.addingTimeInterval(3 * day))
        try f.store.completeAction(actor: f.deputy, id: first, status: .done, outcome: "Spoke to carer")

        header = try f.store.pupilHeader(actor: f.dsl, pupil: pupil)
        #expect(header.levelOfNeed == .statutory)
        #expect(header.caseHolderName == "Petra Marsh")
        #expect(header.openActions == 1)

        // Closing the statutory concern leaves the early help one, held by the deputy.
        try f.store.close(actor: f.dsl, id: f.id(of: statutory), outcome: Outcome(kind: .noFurtherAction, reason: "Synthetic"))
        header = try f.store.pupilHeader(actor: f.dsl, pupil: pupil)
        #expect(header.levelOfNeed == .earlyHelp)
        #expect(header.caseHolderName == "Rowan Quill")
    }

    @Test func aRestrictedConcernsLevelIsLeftOutOfTheHeaderForThoseWhoMayNotSeeIt() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year7)
        try f.triage(try f.log(f.teacher, about: [f.year7]), level: .earlyHelp)
        try f.triage(try f.log(f.teacher, about: [f.year7]), level: .statutory, restricted: true)
        #expect(try f.store.pupilHeader(actor: f.dsl, pupil: pupil).levelOfNeed == .statutory)
        let header = try f.store.pupilHeader(actor: f.pastoral, pupil: pupil)
        #expect(header.levelOfNeed == .earlyHelp)
        #expect(header.caseHolderName == "Rowan Quill")
    }

    @Test func thePageQueryUsesThePupilTimeIndex() throws {
        let (f, pupil, _) = try Self.seeded()
        let cursor = ChronologyCursor(occurredAt: Fixture.start, id: 10)
        for order in [ChronologyOrder.newestFirst, .oldestFirst] {
            for after in [nil, cursor] {
                for filter in [ChronologyFilter(), ChronologyFilter(kinds: [.note, .contact], significantOnly: true)] {
                    let text = try f.queryPlan(CairnStore.chronologyQuery(pupil: pupil, order: order, filter: filter,
                                                                          after: after, limit: 50, reader: f.pastoral))
                    #expect(text.contains("chronology_pupil_time"), "\(order) \(String(describing: after)): \(text)")
                    #expect(!text.contains("SCAN e"), "no full scan of chronology_entries: \(text)")
                    #expect(!text.contains("TEMP B-TREE"), "the index gives the order: \(text)")
                }
            }
        }
    }

    @Test func controlCharactersInSummariesAreStoredAsWrittenForTheScreenToNeutralise() throws {
        // The store returns text as written; neutralising it is the renderer's job, so nothing is lost here.
        let f = try Fixture()
        let pupil = try f.pupilID(f.year7)
        try f.addEntry(f.year7, at: Fixture.start, summary: "Synthetic\u{1B}[2J note")
        #expect(try f.store.chronology(actor: f.dsl, pupil: pupil).first?.entry.summary == "Synthetic\u{1B}[2J note")
    }
}
