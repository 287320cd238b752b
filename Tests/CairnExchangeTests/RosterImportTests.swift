import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import Testing

/// A real SQLite file with one school and its DSL; shared with the JSON tests.
final class ExchangeStore {
    let directory: URL
    let clock: FixedClock
    let store: CairnStore
    let dsl: Staff

    /// Monday 2 March 2026, 08:30 in London (GMT).
    init(now: Date = Date(timeIntervalSince1970: 1_772_440_200)) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-exchange-\(UUID().uuidString)")
        clock = FixedClock(now)
        store = try CairnStore.create(path: directory.appendingPathComponent("cairn.sqlite").path, clock: clock)
        let school = try store.bootstrap(school: "Hollin Vale Academy",
                                         dsl: Staff(username: "dsl.marsh", displayName: "Petra Marsh", role: .dsl, school: nil))
        dsl = Staff(username: "dsl.marsh", displayName: "Petra Marsh", role: .dsl, school: school.id)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// What `cairn pupils import` does with a CSV: parse everything first, then write all or nothing.
    @discardableResult
    func importRoster(_ data: Data, coverage: RosterCoverage = .full, dryRun: Bool = false) throws -> RosterSync {
        let rows = try RosterCSV.parse(data).get()
        return try store.importPupils(actor: dsl, rows, coverage: coverage, dryRun: dryRun)
    }

    /// Added, updated, left, unchanged.
    func importCounts(_ data: Data, coverage: RosterCoverage = .full, dryRun: Bool = false) throws -> [Int] {
        let sync = try importRoster(data, coverage: coverage, dryRun: dryRun)
        return [sync.added.count, sync.updated.count, sync.left.count, sync.unchanged]
    }
}

@Suite struct RosterImportTests {
    static let roster = csv([
        "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group",
        "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7AS",
        "\(otto.value),Brackley,Otto,Ott,02/11/2012,8,8BR",
        "\(wilf.value),Carrow,Wilf,,01/09/2020,R,RWI",
    ], lineEnding: "\r\n", bom: true)

    @Test func aGoodFileImportsEveryPupil() throws {
        let s = try ExchangeStore()
        #expect(try s.importCounts(Self.roster) == [3, 0, 0, 0])
        #expect(try s.store.pupilCount() == 3)
        let event = try #require(s.store.recentAuditEvents(limit: 1).first)
        #expect(event.operation == .importPupils)
        #expect(event.detail == "imported a full roster: 3 added, 0 updated, 0 left, 0 transfer actions, 0 unchanged")
    }

    @Test func oneBadLineMeansNothingIsWritten() throws {
        let s = try ExchangeStore()
        try s.importRoster(Self.roster)
        let events = try s.store.auditEventCount()
        let newPupil = UPN.make(la: 935, establishment: 4101, year: 19, serial: 14)
        let data = csv([
            "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group",
            "\(newPupil.value),Eastry,Hal,01/01/2014,7,7AS",
            "\(otto.value),Brackley,Otto,02/11/2012,9,9BR",
            "\(wilf.value),Carrow,Wilf,30/02/2020,R,RWI",
        ])
        let thrown = #expect(throws: RosterErrors.self) { try s.importRoster(data) }
        #expect(thrown?.problems.map(\.description) == ["line 4, date of birth: \"30/02/2020\" is not a real date (dd/mm/yyyy or yyyy-mm-dd)"])
        #expect(try s.store.pupilCount() == 3)
        #expect(try s.store.auditEventCount() == events)
        // Otto's move to Year 9 on the same file was not applied either, nor was Juniper marked left.
        #expect(try s.importCounts(Self.roster) == [0, 0, 0, 3])
    }

    @Test func reimportingTheSameFileChangesNothing() throws {
        let s = try ExchangeStore()
        try s.importRoster(Self.roster)
        #expect(try s.importCounts(Self.roster) == [0, 0, 0, 3])
        #expect(try s.store.pupilCount() == 3)
    }

    @Test func aChangedFormIsAnUpdateAndIsStored() throws {
        let s = try ExchangeStore()
        try s.importRoster(Self.roster)
        let moved = csv([
            "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group",
            "\(juniper.value),Ashdown,Juniper,,14/05/2014,7,7CH",
            "\(otto.value),Brackley,Otto,Ott,02/11/2012,8,8BR",
            "\(wilf.value),Carrow,Wilf,,01/09/2020,R,RWI",
        ])
        #expect(try s.importCounts(moved, dryRun: true) == [0, 1, 0, 2])
        let sync = try s.importRoster(moved)
        #expect(sync.updated == [RosterUpdate(upn: juniper.value, name: "Juniper Ashdown",
                                              changes: [RosterChange(field: "form", old: "7AS", new: "7CH")])])
        // Read the form back the way a DSL sees it.
        _ = try s.store.logConcern(actor: s.dsl, ConcernDraft(
            pupils: [juniper], categories: [.attendance], accounts: [Account(nature: .seen, text: "Late four days running")],
            occurredAt: s.clock.now()))
        #expect(try s.store.queue(actor: s.dsl).first?.pupils.first?.form == "7CH")
    }

    @Test func aFullRosterMarksTheAbsentLeftAndAPartialOneDoesNot() throws {
        let s = try ExchangeStore()
        try s.importRoster(Self.roster)
        let withoutWilf = csv([
            "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group",
            "\(juniper.value),Ashdown,Juniper,14/05/2014,7,7AS",
            "\(otto.value),Brackley,Otto,02/11/2012,8,8BR",
        ])
        #expect(try s.importCounts(withoutWilf, coverage: .partial) == [0, 1, 0, 1], "Otto's preferred name is cleared")
        let sync = try s.importRoster(withoutWilf)
        #expect(sync.left == [RosterLeaver(upn: wilf.value, name: "Wilf Carrow", leftOn: day("02/03/2026"), destination: nil)])
        #expect(sync.actions.isEmpty, "Wilf has no safeguarding file, so there is nothing to transfer")
    }
}

@Suite struct RosterReportTests {
    static let monday = day("02/03/2026")

    /// One of everything, as a dry run shows it.
    static var sync: RosterSync {
        var sync = RosterSync(school: "Hollin Vale Academy", coverage: .full, dryRun: true)
        sync.added = [RosterPupil(upn: wilf.value, name: "Wilf Carrow", yearGroup: .reception, form: "RWI")]
        sync.updated = [RosterUpdate(upn: otto.value, name: "Ott Brackley", changes: [
            RosterChange(field: "year group", old: "Year 8", new: "Year 9"),
            RosterChange(field: "form", old: "8BR", new: "9BR"),
        ])]
        sync.left = [RosterLeaver(upn: juniper.value, name: "Juniper Ashdown", leftOn: monday, destination: nil)]
        sync.actions = [LeaverAction(upn: juniper.value, pupilName: "Juniper Ashdown", owner: "dsl.marsh",
                                     ownerName: "Petra Marsh", due: day("09/03/2026"),
                                     description: "Transfer the safeguarding file: destination unknown — find out where Juniper Ashdown has gone")]
        sync.unchanged = 40
        return sync
    }

    @Test func aDryRunListsEveryChange() {
        #expect(RosterReport.text(Self.sync) == """
            Dry run for Hollin Vale Academy (full roster); nothing has been written.
            Added (1):
              \(wilf.value)  Wilf Carrow, Reception, RWI
            Updated (1):
              \(otto.value)  Ott Brackley
                year group: Year 8 -> Year 9
                form: 8BR -> 9BR
            Left (1):
              \(juniper.value)  Juniper Ashdown: left 02/03/2026, destination unknown
            Actions (1):
              \(juniper.value)  Juniper Ashdown: for Petra Marsh, due 09/03/2026: Transfer the safeguarding file: destination unknown — find out where Juniper Ashdown has gone
            Would add 1, update 1, mark 1 left, set 1 transfer action; 40 unchanged.

            """)
    }

    @Test func aRealRunPrintsTheCounts() {
        var sync = Self.sync
        sync.dryRun = false
        #expect(RosterReport.text(sync) == "Added 1, updated 1, marked 1 left, set 1 transfer action; 40 unchanged.\n")
    }

    @Test func anImporterWhoMayNotReadFilesIsNotToldWhoHasOne() {
        var sync = Self.sync
        sync.actions = []
        sync.actionsWithheld = true
        let text = RosterReport.text(sync)
        #expect(!text.contains("Actions"))
        #expect(!text.contains("transfer action"))
        #expect(text.hasSuffix("Would add 1, update 1, mark 1 left; 40 unchanged.\nAny leaver with a safeguarding file would be passed to the DSL to transfer.\n"))
    }

    @Test func namesFromAFileCannotMoveTheCursor() {
        var sync = RosterSync(school: "Hollin Vale Academy", coverage: .partial, dryRun: true)
        sync.added = [RosterPupil(upn: wilf.value, name: "Wilf \u{1B}[2JCarrow", yearGroup: .reception, form: "")]
        #expect(!RosterReport.text(sync).contains("\u{1B}"))
    }
}
