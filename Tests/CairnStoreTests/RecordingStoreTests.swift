import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

extension Fixture {
    static let recordTables = ["chronology_entries", "entry_amendments", "entry_marks", "referrals", "actions", "action_updates",
                               "action_changes", "pupil_flags", "audit_events"]

    /// Rows in every table recording writes, and audit events: compare before and after a call.
    func tally() throws -> [String: Int] {
        try raw { db in
            var counts: [String: Int] = [:]
            for table in Self.recordTables { counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            return counts
        }
    }

    /// The tally with `changes` added, for expectations such as "one entry and one audit event".
    func tally(_ before: [String: Int], plus changes: [String: Int]) -> [String: Int] {
        before.merging(changes, uniquingKeysWith: +)
    }

    func lastEvent() throws -> AuditEvent {
        try #require(store.recentAuditEvents(limit: 1).first)
    }

    func note(_ actor: Staff? = nil, _ upn: UPN? = nil, _ text: String = "Seemed tired and quiet in tutor time.",
              significant: Bool = false) throws -> Int64 {
        try store.addNote(actor: actor ?? dsl, pupil: pupilID(upn ?? year7),
                          NoteInput(kind: .note, occurredAt: clock.now().addingTimeInterval(-600), summary: text,
                                    nature: .seen, significant: significant))
    }

    func entryRow(_ id: Int64, as actor: Staff? = nil, upn: UPN? = nil) throws -> ChronologyRow {
        try #require(allChronology(actor: actor ?? dsl, pupil: pupilID(upn ?? year7), order: .oldestFirst, limit: 100)
            .first { $0.entry.id == id })
    }
}

@Suite struct RecordingStoreTests {
    static let call = NoteInput(kind: .contact, occurredAt: Fixture.start.addingTimeInterval(-1800), party: .parentCarer,
                                who: "Ms R. Example (mother)", method: .phone,
                                summary: "Said he has not been sleeping.\nAgreed to speak again on Friday.", nature: .reported)

    // MARK: Notes, contacts, meetings

    @Test func aContactIsOneEntryWithItsPartsAndOneAuditEvent() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year7)
        let before = try f.tally()
        let id = try f.store.addNote(actor: f.dsl, pupil: pupil, Self.call)
        #expect(try f.tally() == f.tally(before, plus: ["chronology_entries": 1, "audit_events": 1]))
        let event = try f.lastEvent()
        #expect(event.operation == .addNote)
        #expect(event.recordKind == "entry")
        #expect(event.recordID == String(id))
        #expect(try f.lastAuditPupilID() == pupil.rawValue)

        let row = try f.entryRow(id)
        #expect(row.entry.kind == .contact)
        #expect(row.entry.summary == "Telephone with Ms R. Example (mother): Said he has not been sleeping.")
        #expect(row.entry.nature == .reported)
        #expect(row.entry.occurredAt == Self.call.occurredAt)
        #expect(!row.entry.significant)
        #expect(!row.amended)
        #expect(row.authorName == "Petra Marsh")

        let detail = try f.store.entry(actor: f.dsl, id: id)
        #expect(detail.body == "Said he has not been sleeping.\nAgreed to speak again on Friday.")
        #expect(detail.fields == [EntryField(label: "Who", value: "Ms R. Example (mother)"),
                                  EntryField(label: "With", value: "Parent or carer"),
                                  EntryField(label: "How", value: "Telephone")])
        #expect(detail.amendments.isEmpty)
        #expect(detail.awaitingDecision == nil)
        #expect(detail.recordedAt == Fixture.start)
        #expect(try f.lastEvent().operation == .readChronology, "opening an entry is an audited read")
    }

    @Test func aNoteKeepsItsNatureAndSignificance() throws {
        let f = try Fixture()
        let id = try f.note(f.pastoral, f.year8, "First line\nSecond line", significant: true)
        let row = try f.entryRow(id, upn: f.year8)
        #expect(row.entry.kind == .note)
        #expect(row.entry.summary == "First line")
        #expect(row.entry.nature == .seen)
        #expect(row.entry.significant)
        #expect(row.authorName == "Tamsin Lowe")
        #expect(try f.store.entry(actor: f.pastoral, id: id).body == "First line\nSecond line")
    }

    @Test func aMeetingIsSignificantAndKeepsWhoCameAndWhatWasDecided() throws {
        let f = try Fixture()
        let held = Fixture.start.addingTimeInterval(-2 * 86_400)
        let id = try f.store.addMeeting(actor: f.deputy, pupil: f.pupilID(f.year10),
                                        MeetingInput(type: .strategyDiscussion, heldAt: held,
                                                     attendees: "Rowan Quill (deputy DSL), social worker, police",
                                                     decisions: "Section 47 enquiry to begin.\nSchool to share attendance."))
        let row = try f.entryRow(id, upn: f.year10)
        #expect(row.entry.kind == .meeting)
        #expect(row.entry.occurredAt == held)
        #expect(row.entry.significant)
        #expect(row.entry.summary == "Strategy discussion: Section 47 enquiry to begin.")
        let detail = try f.store.entry(actor: f.dsl, id: id)
        #expect(detail.body == "Section 47 enquiry to begin.\nSchool to share attendance.")
        #expect(detail.fields.map(\.label) == ["Meeting", "Held on", "Attendees"])
        #expect(detail.fields[1].value == "28/02/2026")
    }

    @Test func invalidNotesAndMeetingsChangeNothing() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year7)
        let before = try f.tally()
        let bare = NoteInput(kind: .contact, occurredAt: f.clock.now().addingTimeInterval(86_400), summary: "")
        let problems = #expect(throws: StoreError.self) { try f.store.addNote(actor: f.dsl, pupil: pupil, bare) }
        guard case .invalid(let list) = problems else { Issue.record("expected invalid"); return }
        #expect(list.map(\.field) == [RecordField.when, RecordField.party, RecordField.who, RecordField.method, RecordField.summary])
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.attendees, message: "List who attended")])) {
            try f.store.addMeeting(actor: f.dsl, pupil: pupil, MeetingInput(type: .coreGroup, heldAt: f.clock.now(), attendees: "",
                                                                           decisions: "Plan reviewed"))
        }
        #expect(try f.tally() == before, "no row and no audit event")
    }

    @Test func whoMayAddNotes() throws {
        let f = try Fixture()
        let before = try f.tally()
        // A pastoral lead outside their year groups, staff, admin: refused, and each refusal audited.
        for (actor, upn) in [(f.pastoral, f.year10), (f.teacher, f.year7), (f.admin, f.year7)] {
            let denied = #expect(throws: AccessDenied.self) {
                try f.store.addNote(actor: actor, pupil: f.pupilID(upn), Self.call)
            }
            #expect(denied?.operation == .addNote)
        }
        #expect(try f.tally() == f.tally(before, plus: ["audit_events": 3]))
        #expect(try f.lastEvent().detail.hasPrefix("refused: "))
        #expect(throws: StoreError.notFound("Pupil 999")) {
            try f.store.addNote(actor: f.dsl, pupil: PupilID(rawValue: 999), Self.call)
        }
    }

    // MARK: Flags

    @Test func flagsStartAndEndOnceEachAsSignificantEntries() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year10)
        let start = UKDate.parseDate("10/02/2026")!, end = UKDate.parseDate("27/02/2026")!
        try f.store.setFlag(actor: f.deputy, pupil: pupil, kind: .childInNeed, start: start)
        #expect(try f.lastEvent().operation == .setFlag)
        var header = try f.store.pupilHeader(actor: f.dsl, pupil: pupil)
        #expect(header.flags == [ContextFlag(kind: .childInNeed, start: start)])

        let before = try f.tally()
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.flag,
                                                         message: "Child in need is already set; end it before setting it again")])) {
            try f.store.setFlag(actor: f.dsl, pupil: pupil, kind: .childInNeed, start: end)
        }
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.end,
                                                         message: "The end date cannot be before the start date, 10/02/2026")])) {
            try f.store.endFlag(actor: f.dsl, pupil: pupil, kind: .childInNeed, end: UKDate.parseDate("09/02/2026")!)
        }
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.flag, message: "Looked after is not set, so it cannot be ended")])) {
            try f.store.endFlag(actor: f.dsl, pupil: pupil, kind: .lookedAfter, end: end)
        }
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.start, message: "The start date cannot be in the future")])) {
            try f.store.setFlag(actor: f.dsl, pupil: pupil, kind: .eal, start: f.clock.now().addingTimeInterval(2 * 86_400))
        }
        #expect(try f.tally() == before)

        try f.store.endFlag(actor: f.dsl, pupil: pupil, kind: .childInNeed, end: end)
        try f.store.setFlag(actor: f.dsl, pupil: pupil, kind: .childProtectionPlan, start: end)
        // Ended, it may be set again later.
        try f.store.setFlag(actor: f.dsl, pupil: pupil, kind: .childInNeed, start: f.clock.now())
        header = try f.store.pupilHeader(actor: f.dsl, pupil: pupil)
        #expect(header.flags.map(\.kind) == [.childInNeed, .childProtectionPlan, .childInNeed])
        #expect(header.flags[2].end == end)

        let changes = try f.store.chronology(actor: f.dsl, pupil: pupil, order: .oldestFirst,
                                             filter: ChronologyFilter(kinds: [.flagChange], significantOnly: true))
        #expect(changes.map(\.entry.summary) == ["Child in need started on 10/02/2026", "Child in need ended on 27/02/2026",
                                                 "Child protection plan started on 27/02/2026", "Child in need started on 02/03/2026"])
        #expect(try f.store.entry(actor: f.dsl, id: changes[1].entry.id).fields.map(\.value)
            == ["Child in need", "10/02/2026", "27/02/2026"])
    }

    @Test func onlyTheSafeguardingTeamSetsFlagsAndAnEndedFlagStaysEnded() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year8)
        for actor in [f.pastoral, f.teacher] {
            let denied = #expect(throws: AccessDenied.self) {
                try f.store.setFlag(actor: actor, pupil: pupil, kind: .youngCarer, start: Fixture.start)
            }
            #expect(denied?.operation == .setFlag)
        }
        try f.store.setFlag(actor: f.dsl, pupil: pupil, kind: .youngCarer, start: Fixture.start)
        try f.store.endFlag(actor: f.dsl, pupil: pupil, kind: .youngCarer, end: Fixture.start)
        #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "UPDATE pupil_flags SET end_at = NULL") }
        }
        #expect(throws: DatabaseError.self) {
            try f.raw { db in try db.execute(sql: "UPDATE pupil_flags SET kind = 'eal'") }
        }
    }

    // MARK: Category filter

    @Test func theCategoryFilterKeepsEntriesOfConcernsInThatCategory() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year7)
        let neglect = try f.log(about: [f.year7])   // the fixture's concerns are neglect
        let online = try f.store.logConcern(actor: f.teacher, ConcernDraft(
            pupils: [f.year7, f.year8], categories: [.online, .childOnChild],
            accounts: [Account(nature: .reported, text: "A photo is being shared in a group chat")], occurredAt: f.clock.now()))
        try f.triage(neglect)
        try f.triage(online)
        _ = try f.note()
        try f.store.addAction(actor: f.dsl, pupil: pupil, ActionInput(description: "Speak to the group chat members",
                                                                      owner: f.deputy.username, due: f.clock.now(),
                                                                      concern: f.id(of: online)))

        let onlineRows = try f.allChronology(actor: f.dsl, pupil: pupil, order: .oldestFirst,
                                             filter: ChronologyFilter(category: .online), limit: 2)
        #expect(onlineRows.map(\.entry.kind) == [.concern, .triage, .action])
        #expect(onlineRows.allSatisfy { $0.entry.concern == (try? f.id(of: online)) })
        let childOnChild = try f.store.chronology(actor: f.dsl, pupil: pupil, filter: ChronologyFilter(kinds: [.triage], category: .childOnChild))
        #expect(childOnChild.count == 1)
        #expect(try f.store.chronology(actor: f.dsl, pupil: pupil, filter: ChronologyFilter(category: .neglect)).count == 2)
        f.clock.advance(by: 600)  // past the ten minutes in which a repeated read is written once
        #expect(try f.store.chronology(actor: f.dsl, pupil: pupil, filter: ChronologyFilter(category: .fgm)).isEmpty)
        #expect(try f.lastEvent().detail.contains("category fgm"))
    }

    @Test func theCategoryAndAmendmentLookupsUseIndexes() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year7)
        for after in [nil, ChronologyCursor(occurredAt: Fixture.start, id: 3)] {
            let plan = try f.queryPlan(CairnStore.chronologyQuery(pupil: pupil, order: .newestFirst,
                                                                  filter: ChronologyFilter(kinds: [.concern, .triage], category: .online),
                                                                  after: after, limit: 50, reader: f.pastoral))
            #expect(plan.contains("chronology_pupil_time"), "\(plan)")
            #expect(plan.contains("entry_amendments_entry"), "\(plan)")
            #expect(plan.contains("SEARCH cc USING PRIMARY KEY"), "\(plan)")
            #expect(!plan.contains("SCAN"), "no table scan: \(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }

    // MARK: Export

    @Test func theExportHoldsEveryEntryOldestFirstWithItsHistoryAndIsAuditedOnce() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year7)
        try f.triage(try f.log(about: [f.year7]))
        let call = try f.store.addNote(actor: f.dsl, pupil: pupil, Self.call)
        try f.store.setFlag(actor: f.dsl, pupil: pupil, kind: .eal, start: UKDate.parseDate("01/09/2025")!)
        try f.store.amendEntry(actor: f.dsl, entry: call, AmendmentInput(newText: "Said she has not been sleeping.", reason: "Pronoun"))
        let expected = try ChronologyStoreTests.expectedOrder(f, pupil)

        let before = try f.store.auditEventCount()
        let export = try f.store.chronologyExport(actor: f.deputy, pupil: pupil)
        #expect(try f.store.auditEventCount() == before + 1, "one event for the export, not one per entry")
        let event = try f.lastEvent()
        #expect(event.operation == .exportChronology)
        #expect(event.detail == "exported \(expected.count) entries")
        #expect(try f.lastAuditPupilID() == pupil.rawValue)

        #expect(export.entries.map(\.row.entry.id) == expected)
        #expect(export.schoolName == "Hollin Vale Academy")
        #expect(export.exportedBy == "Rowan Quill")
        #expect(export.exportedAt == f.clock.now())
        #expect(export.header.name == "Juniper Ashdown")
        #expect(export.header.flags.map(\.kind) == [.eal])
        let amended = try #require(export.entries.first { $0.row.entry.id == call })
        #expect(amended.row.amended)
        #expect(amended.body == "Said she has not been sleeping.")
        #expect(amended.amendments.map(\.previousText) == ["Said he has not been sleeping.\nAgreed to speak again on Friday."])

        for outsider in [f.pastoral, f.teacher, f.auditor] {
            #expect(throws: AccessDenied.self) { try f.store.chronologyExport(actor: outsider, pupil: pupil) }
        }
    }

    // MARK: Live refresh

    @Test func theVersionChangesWhenAnyoneRecordsAndNotWhenAnyoneReads() throws {
        let f = try Fixture()
        let pupil = try f.pupilID(f.year8)
        let action = try f.store.addAction(actor: f.dsl, pupil: pupil, ActionInput(description: "Check in", owner: f.pastoral.username,
                                                                                    due: f.clock.now().addingTimeInterval(86_400)))
        var version = try f.store.queueVersion()

        // Reads write audit events, which must not look like news.
        _ = try f.store.pupilHeader(actor: f.dsl, pupil: pupil)
        _ = try f.store.chronology(actor: f.pastoral, pupil: pupil)
        _ = try f.store.actions(actor: f.dsl, view: .all)
        _ = try f.store.chronologyExport(actor: f.dsl, pupil: pupil)
        #expect(try f.store.queueVersion() == version)

        let changes: [(String, () throws -> Void)] = [
            ("a note by someone else", { _ = try f.note(f.deputy, f.year8) }),
            ("a flag", { try f.store.setFlag(actor: f.deputy, pupil: pupil, kind: .eal, start: Fixture.start) }),
            ("a due date moved", { try f.store.moveAction(actor: f.pastoral, id: action, due: Fixture.start.addingTimeInterval(3 * 86_400),
                                                           reason: "Pupil absent") }),
            ("a reassignment", { try f.store.reassignAction(actor: f.dsl, id: action, owner: f.deputy.username, reason: "Cover") }),
            ("a significance mark", { try f.store.setSignificant(actor: f.dsl, entry: f.note(f.dsl, f.year7), significant: true) }),
        ]
        for (what, change) in changes {
            try change()
            let next = try f.store.queueVersion()
            #expect(next != version, "\(what) should change the version")
            version = next
        }
        _ = try f.store.entry(actor: f.dsl, id: f.note())
        version = try f.store.queueVersion()
        _ = try f.store.entry(actor: f.dsl, id: 1)
        #expect(try f.store.queueVersion() == version)
    }
}
