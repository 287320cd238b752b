@testable import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// The Audit pane (`4`): the audit log for the DSL, the deputy and the auditor, filtered by staff,
/// pupil, operation and dates, and "who has looked at this file". Every row is checked against
/// what the store itself answers.
@Suite struct AuditPaneTests {
    /// The store's page for the same filter, as of the pane's read (the pane's own read of the log
    /// is written after its query, so it is not on the page the pane shows).
    private func storePage(_ fixture: DashboardFixture, _ filter: AuditFilter = AuditFilter()) throws -> [AuditRecord] {
        let shown = fixture.state.audit.items
        guard let newest = shown.first else {
            return try fixture.store.auditLog(actor: fixture.actor, filter: filter, limit: 1000)
                .filter { !($0.operation == AccessOperation.readAudit.rawValue && $0.actor == fixture.actor.username) }
        }
        return try fixture.store.auditLog(actor: fixture.actor, filter: filter, before: newest.sequence + 1, limit: shown.count)
    }

    /// Opens the filter form on the Audit pane, fills it, and saves.
    @discardableResult
    private func filter(_ fixture: DashboardFixture, staff: String? = nil, upn: String? = nil, operation: AccessOperation? = nil,
                        since: String? = nil, until: String? = nil) throws -> Frame {
        if fixture.state.pane != .audit { fixture.press(.char("4")) }
        fixture.press(.char("f"))
        if let staff { try fixture.fill(FieldID.auditStaff, staff) }
        if let upn { try fixture.fill(FieldID.auditUPN, upn) }
        if let operation { try fixture.choose(FieldID.auditOperation, operation.rawValue) }
        if let since { try fixture.fill(FieldID.auditSince, since) }
        if let until { try fixture.fill(FieldID.auditUntil, until) }
        return fixture.press(.ctrl("s"))
    }

    // MARK: Who has the pane

    @Test(arguments: ["demo.auditor", "demo.dsl", "demo.deputy"])
    func thePaneIsThereForThoseWhoMayReadTheAudit(_ username: String) throws {
        let fixture = try DashboardFixture(as: username)
        #expect(Pane.available(to: fixture.actor).contains(.audit))
        #expect(fixture.frame.line(0).contains(" 4 "), "tab line: \(fixture.frame.line(0))")
        let frame = fixture.press(.char("4"))
        #expect(fixture.state.pane == .audit)
        #expect(frame.line(0).contains("[4 Audit log ("), "tab line: \(frame.line(0))")
        #expect(fixture.state.audit.loaded)
        #expect(!fixture.state.audit.items.isEmpty)
        #expect(fixture.state.audit.items == (try storePage(fixture)))
        // The rows on screen are the store's, newest first.
        let first = try #require(fixture.state.audit.items.first)
        let row = try #require(frame.text.split(separator: "\n").first { $0.hasPrefix("▸") })
        #expect(row.contains(UKDate.dateTime(first.at)), "row: \(row)")
        #expect(fixture.state.audit.items.map(\.sequence) == fixture.state.audit.items.map(\.sequence).sorted(by: >))
    }

    @Test func theAuditorsTabLineShowsTheirConcernsAndTheAudit() throws {
        let fixture = try DashboardFixture(as: "demo.auditor")
        let tabs = fixture.frame.line(0)
        #expect(tabs.contains("[1 Concerns you have logged"), "tab line: \(tabs)")
        #expect(tabs.contains(" 4 Audit "), "tab line: \(tabs)")
        #expect(!tabs.contains("Chronology") && !tabs.contains("Actions"))
        fixture.press(.tab)
        #expect(fixture.state.pane == .audit, "Tab goes to the Audit pane")
        fixture.press(.tab)
        #expect(fixture.state.pane == .queue)
    }

    @Test(arguments: ["demo.pastoral", "demo.staff", "demo.admin"])
    func thePaneIsNotThereForOthers(_ username: String) throws {
        let fixture = try DashboardFixture(as: username)
        #expect(!Pane.available(to: fixture.actor).contains(.audit))
        #expect(!fixture.frame.line(0).contains("Audit"), "tab line: \(fixture.frame.line(0))")
        let before = fixture.state.pane
        fixture.press(.char("4"))
        #expect(fixture.state.pane == before)
        #expect(fixture.noticeLine.contains("Your role has no Audit pane."), "notice: \(fixture.noticeLine)")
        #expect(!fixture.state.audit.loaded && fixture.state.audit.items.isEmpty, "nothing was read")
    }

    /// The pastoral lead's `w` on a chronology says they cannot, and reads nothing.
    @Test func thePastoralLeadCannotAskWhoHasLooked() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        fixture.press(.char("w"))
        #expect(fixture.state.pane == .chronology)
        #expect(fixture.state.audit.looks == nil)
        #expect(fixture.noticeLine.contains("cannot do that"), "notice: \(fixture.noticeLine)")
    }

    // MARK: Filters

    @Test func filterByStaff() throws {
        let fixture = try DashboardFixture(as: "demo.auditor")
        fixture.press(.char("4"))
        let everything = fixture.state.audit.items
        let frame = try filter(fixture, staff: "demo.pastoral")
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(frame.text)")
        let rows = fixture.state.audit.items
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.actor == "demo.pastoral" })
        #expect(rows != everything)
        #expect(rows == (try storePage(fixture, AuditFilter(staff: "demo.pastoral"))))
        #expect(frame.text.contains("Filter: by Tom Hughes (demo.pastoral)"), "\(frame.text)")
        #expect(frame.line(0).contains("Audit log · filtered"))
        // c clears it: the whole log again.
        fixture.press(.char("c"))
        #expect(fixture.state.audit.filter == AuditFilter())
        #expect(fixture.state.audit.items.contains { $0.actor != "demo.pastoral" })
    }

    @Test func filterByPupil() throws {
        let fixture = try DashboardFixture(as: "demo.deputy")
        let pupil = try fixture.earlyHelpPupil()
        let frame = try filter(fixture, upn: pupil.upn)
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(frame.text)")
        let rows = fixture.state.audit.items
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.pupil?.id == pupil.id })
        #expect(rows == (try storePage(fixture, AuditFilter(pupil: pupil.id))))
        #expect(frame.text.contains("about \(pupil.name) \(pupil.yearGroup.short)"), "\(frame.text)")
    }

    @Test func filterByOperation() throws {
        let fixture = try DashboardFixture()
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        let frame = try filter(fixture, operation: .readChronology)
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(frame.text)")
        let rows = fixture.state.audit.items
        #expect(!rows.isEmpty, "the DSL has just read a chronology")
        #expect(rows.allSatisfy { $0.operation == AccessOperation.readChronology.rawValue })
        #expect(rows == (try storePage(fixture, AuditFilter(operation: .readChronology))))
        let row = try #require(frame.text.split(separator: "\n").first { $0.hasPrefix("▸") })
        #expect(row.contains("read chronology"), "row: \(row)")
    }

    @Test func filterByDates() throws {
        let fixture = try DashboardFixture(as: "demo.auditor")
        fixture.press(.char("4"))
        let all = try fixture.store.auditLog(actor: fixture.actor, limit: 1000)
        // A day with events that is not every event's day.
        let days = Set(all.map { UKDate.date($0.at) })
        let day = try #require(days.sorted { UKDate.parseDate($0)! < UKDate.parseDate($1)! }.dropLast().last, "the demo log spans one day: \(days)")
        try filter(fixture, since: day, until: day)
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        let rows = fixture.state.audit.items
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { UKDate.date($0.at) == day }, "rows: \(rows.map { UKDate.dateTime($0.at) })")
        let start = try #require(UKDate.parseDate(day))
        let end = try #require(UKDate.calendar.date(byAdding: .day, value: 1, to: start))
        #expect(rows == (try storePage(fixture, AuditFilter(since: start, until: end))))
        #expect(fixture.text.contains("from \(day) · to \(day)"))

        // A range with nothing in it says so.
        fixture.press(.char("f"))
        for id in [FieldID.auditSince, FieldID.auditUntil] {
            try fixture.focus(id)
            fixture.press(Array(repeating: Key.backspace, count: 10))
        }
        try fixture.fill(FieldID.auditSince, "01/01/2020")
        try fixture.fill(FieldID.auditUntil, "02/01/2020")
        let frame = fixture.press(.ctrl("s"))
        #expect(fixture.state.audit.items.isEmpty)
        #expect(frame.text.contains("No events match this filter."))
    }

    @Test func theEndDateMayNotBeBeforeTheStart() throws {
        let fixture = try DashboardFixture(as: "demo.auditor")
        try filter(fixture, since: "20/11/2026", until: "19/11/2026")
        let form = try fixture.openForm().form
        #expect(form.errors[FieldID.auditUntil] == "The end date is before the start date")
        #expect(fixture.state.audit.filter == AuditFilter())
    }

    /// A UPN that is not one, a UPN of no pupil, a username of no one: each is said beside its
    /// field, the form stays open with what was typed, and the log is as it was.
    @Test func badUPNsAndUnknownStaffAreSaidBesideTheirFields() throws {
        let fixture = try DashboardFixture(as: "demo.auditor")
        fixture.press(.char("4"))
        let before = fixture.state.audit

        try filter(fixture, upn: "A1234")
        var form = try fixture.openForm().form
        #expect(form.errors[FieldID.auditUPN] == "Not a UPN: UPN must be 13 characters (got 5)")
        #expect(fixture.text.contains("! Not a UPN: UPN must be 13 characters (got 5)"), "\(fixture.text)")
        #expect(fixture.state.audit == before)
        fixture.press(.escape, .char("y"))

        let unknown = UPN.make(la: 999, establishment: 9999, year: 99, serial: 999).value
        try filter(fixture, staff: "nobody.here", upn: unknown)
        form = try fixture.openForm().form
        #expect(form.errors[FieldID.auditUPN] == "No pupil has the UPN \(unknown)")
        #expect(form.errors[FieldID.auditStaff] == "No member of staff has the username nobody.here")
        #expect(form.text(FieldID.auditStaff) == "nobody.here", "what was typed stays")
        #expect(fixture.text.contains("! No member of staff has the username nobody.here"), "\(fixture.text)")
        #expect(fixture.state.audit.filter == before.filter)
        #expect(fixture.state.audit.items == before.items)
    }

    // MARK: Who has looked

    /// The DSL opens a file, then asks from the chronology who has looked at it: they are listed,
    /// as the store counts it. Esc goes back to the file.
    @Test func whoHasLookedFromTheChronology() throws {
        let fixture = try DashboardFixture()
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        let frame = fixture.press(.char("w"))
        #expect(fixture.state.pane == .audit)
        let looks = try #require(fixture.state.audit.looks)
        #expect(looks.subject.id == pupil.id)
        let stored = try fixture.store.whoHasLooked(actor: fixture.actor, pupil: pupil.id)
        #expect(looks.rows == stored)
        let dsl = try #require(looks.rows.first { $0.username == "demo.dsl" }, "the DSL's read is counted")
        #expect(dsl.reads >= 1)
        #expect(looks.rows.first?.username == "demo.dsl", "most recent first")
        #expect(frame.text.contains("Who has looked at the file of \(pupil.name)"), "\(frame.text)")
        let row = try #require(frame.text.split(separator: "\n").first { $0.hasPrefix("▸") })
        #expect(row.contains("Sam Carter") && row.contains("DSL") && row.contains(UKDate.dateTime(dsl.last)), "row: \(row)")
        fixture.press(.escape)
        #expect(fixture.state.pane == .chronology)
        #expect(fixture.state.chronology?.header.id == pupil.id)
        #expect(fixture.state.audit.looks == nil)
    }

    /// The auditor, after the DSL has read a file: the log filtered to the pupil, `w` on one of
    /// its events, and Enter on the DSL lists the DSL's events on that file.
    @Test func theAuditorSeesWhoHasLookedAndWhatTheyDid() throws {
        let fixture = try DashboardFixture(as: "demo.auditor")
        let pupil = try fixture.earlyHelpPupil()
        _ = try fixture.store.chronology(actor: try fixture.dsl, pupil: pupil.id, limit: 100)
        try filter(fixture, upn: pupil.upn)
        fixture.press(.char("w"))
        let looks = try #require(fixture.state.audit.looks)
        #expect(looks.rows == (try fixture.store.whoHasLooked(actor: fixture.actor, pupil: pupil.id)))
        #expect(looks.rows.contains { $0.username == "demo.dsl" })
        while fixture.state.audit.looks?.selectedRow?.username != "demo.dsl" { fixture.press(.char("j")) }
        let frame = fixture.press(.enter)
        #expect(fixture.state.audit.looks == nil)
        #expect(fixture.state.audit.filter == AuditFilter(staff: "demo.dsl", pupil: pupil.id))
        let rows = fixture.state.audit.items
        #expect(!rows.isEmpty && rows.allSatisfy { $0.actor == "demo.dsl" && $0.pupil?.id == pupil.id })
        #expect(rows.contains { $0.operation == AccessOperation.readChronology.rawValue })
        #expect(frame.text.contains("by Sam Carter (demo.dsl) · about \(pupil.name)"), "\(frame.text)")
    }

    @Test func whoHasLookedNeedsAPupil() throws {
        let fixture = try DashboardFixture(as: "demo.auditor")
        fixture.press(.char("4"))
        // The auditor's own read of the log names no pupil.
        try #require(fixture.state.audit.selectedItem?.pupil == nil)
        fixture.press(.char("w"))
        #expect(fixture.state.audit.looks == nil)
        #expect(fixture.noticeLine.contains("This event names no pupil"), "notice: \(fixture.noticeLine)")
    }

    /// A trust's DSL reads the log of every school, each pupil tagged with their school; a
    /// school's DSL reads only events about their own pupils.
    @Test func trustLevelReadersSeeEachPupilsSchool() throws {
        let (store, trustDSL, schoolDSL, directory) = try TrustViewTests.trust()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trust = try Dashboard(store: store, actor: trustDSL, clock: FixedClock(TrustViewTests.now))
        _ = trust.start(size: Size(width: 132, height: 43))
        trust.handle(.char("4"))
        var frame = trust.render()
        let rows = frame.text.split(separator: "\n").filter { $0.contains("log concern") }
        #expect(rows.contains { $0.contains("OA Ayla") } && rows.contains { $0.contains("RPS Bram") }, "\(frame.text)")
        while trust.state.audit.selectedItem?.pupil?.schoolName != "Riverside Primary School" { trust.handle(.char("j")) }
        frame = trust.render()
        #expect(frame.text.contains("School         Riverside Primary School"), "\(frame.text)")

        let school = try Dashboard(store: store, actor: schoolDSL, clock: FixedClock(TrustViewTests.now))
        _ = school.start(size: Size(width: 132, height: 43))
        school.handle(.char("4"))
        frame = school.render()
        let pupils = school.state.audit.items.compactMap(\.pupil)
        #expect(!pupils.isEmpty && pupils.allSatisfy { $0.schoolName == "Riverside Primary School" })
        #expect(!frame.text.contains("Ayla") && !frame.text.contains("RPS Bram"), "\(frame.text)")
    }

    // MARK: Paging and the event in full

    /// Scrolling to the end of what is loaded reads the next page, older events, by keyset.
    @Test func pagingLoadsMore() throws {
        let fixture = try DashboardFixture()
        fixture.press(.char("4"))
        let first = fixture.state.audit.items
        try #require(first.count == App.pageSize, "the demo log has more than a page")
        #expect(!fixture.state.audit.exhausted)
        fixture.press(.char("G"))
        let all = fixture.state.audit.items
        #expect(all.count > first.count)
        #expect(Array(all.prefix(first.count)) == first)
        let next = try fixture.store.auditLog(actor: fixture.actor, before: first.last!.sequence, limit: App.pageSize)
        #expect(Array(all.dropFirst(first.count)) == next)
        #expect(Set(all.map(\.sequence)).count == all.count, "no event twice")
        // Moving within what is loaded reads nothing more.
        let reads = try fixture.store.auditLog(actor: fixture.actor, filter: AuditFilter(operation: .readAudit), limit: 1000).count
        fixture.press(.char("k"), .char("k"), .char("g"), .char("j"))
        let after = try fixture.store.auditLog(actor: fixture.actor, filter: AuditFilter(operation: .readAudit), limit: 1000).count
        #expect(after == reads + 1, "only the test's own count was written")
    }

    /// At 80 columns Enter shows the event in full in place of the list; Esc goes back.
    @Test func enterShowsTheWholeEvent() throws {
        let fixture = try DashboardFixture()
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        try filter(fixture, upn: pupil.upn)
        let record = try #require(fixture.state.audit.selectedItem)
        let frame = fixture.press(.enter)
        #expect(frame.text.contains("Audit event \(record.sequence)"), "\(frame.text)")
        #expect(frame.text.contains("UPN \(pupil.upn)"))
        #expect(frame.text.contains("Event number   \(record.sequence)"))
        Snapshot.check(frame, named: "audit-event-80x24")
        fixture.press(.escape)
        #expect(fixture.state.audit.event == nil)
        #expect(fixture.text.contains("Filter: about"))
    }

    // MARK: Screens

    @Test(arguments: ScreenSize.allCases)
    func auditLogScreen(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        let frame = fixture.press(.char("4"))
        if screen == .large {
            let record = try #require(fixture.state.audit.selectedItem)
            #expect(frame.text.contains("Audit event \(record.sequence)"), "the panel shows the selected event")
        }
        Snapshot.check(frame, named: "audit-dsl-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func auditorFilteredScreen(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.auditor", size: screen.size)
        let frame = try filter(fixture, staff: "demo.dsl")
        Snapshot.check(frame, named: "audit-auditor-filtered-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func whoHasLookedScreen(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        _ = try fixture.store.chronology(actor: try fixture.staff("demo.pastoral"), pupil: pupil.id, limit: 100)
        try fixture.openChronology(of: pupil)
        let frame = fixture.press(.char("w"))
        #expect(frame.text.contains("Tom Hughes"), "the pastoral lead's read is listed:\n\(frame.text)")
        Snapshot.check(frame, named: "audit-looks-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func filterFormScreen(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(as: "demo.auditor", size: screen.size)
        fixture.press(.char("4"), .char("f"))
        try fixture.fill(FieldID.auditUPN, "A12")
        let frame = fixture.press(.ctrl("s"))
        Snapshot.check(frame, named: "audit-filter-form-\(screen.rawValue)")
    }

    /// Privacy mode (`p`): pupils as initials and year group, no UPN, no search text; in the
    /// log, the event in full and the who-has-looked view.
    @Test(arguments: ScreenSize.allCases)
    func privacyModeHidesPupilsAndSearchText(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        fixture.press(.char("4"))
        try #require(fixture.state.audit.items.contains { $0.detail.contains(pupil.upn) }, "the finder's search is in the log")
        var frame = fixture.press(.char("p"))
        try #require(fixture.state.privacy)
        let initials = PrivacyMask.initials(pupil.name)
        #expect(!frame.text.contains(pupil.upn) && !frame.text.contains(pupil.name), "\(frame.text)")
        #expect(frame.text.contains("find \"…\""), "\(frame.text)")
        try filter(fixture, upn: pupil.upn)
        frame = fixture.press(.enter)
        #expect(frame.text.contains("Pupil          \(initials) · \(pupil.yearGroup)"), "\(frame.text)")
        #expect(!frame.text.contains(pupil.upn) && !frame.text.contains(pupil.name), "\(frame.text)")
        frame = fixture.press(.escape, .char("w"))
        #expect(frame.text.contains("Who has looked at the file of \(initials) · \(pupil.yearGroup)"), "\(frame.text)")
        #expect(!frame.text.contains(pupil.upn) && !frame.text.contains(pupil.name), "\(frame.text)")
        #expect(AuditWords.hidingSearchText("find \"Amara\" for a concern: 1 found") == "find \"…\" for a concern: 1 found")
    }
}
