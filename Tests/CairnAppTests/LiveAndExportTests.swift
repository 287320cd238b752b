import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// Other people's work appearing on a running dashboard, and `x` exporting a chronology.
@Suite struct LiveAndExportTests {
    /// A note added by the deputy from elsewhere appears in the DSL's open chronology at the first
    /// poll after two seconds, and the DSL's selection stays on the same entry.
    @Test func aNoteAddedElsewhereAppearsAtTheNextPollKeepingTheSelection() throws {
        let fixture = try DashboardFixture()
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        try fixture.selectChronologyRow { $0.entry.kind == .meeting }
        let selected = try #require(fixture.state.chronology?.selectedRow?.entry.id)
        let rows = try #require(fixture.state.chronology?.rows.count)
        #expect(fixture.tick() == false, "nothing has changed yet")

        let deputy = try fixture.staff("demo.deputy")
        _ = try fixture.store.addNote(actor: deputy, pupil: pupil.id, NoteInput(
            kind: .note, occurredAt: DashboardFixture.now.addingTimeInterval(-120),
            summary: "Quinn's mum called the office to say thank you for the check-ins.", nature: .reported))

        // Within the poll interval: not yet.
        fixture.clock.advance(by: 1)
        #expect(fixture.tick() == false)
        #expect(fixture.state.chronology?.rows.count == rows)

        fixture.clock.advance(by: 1)
        #expect(fixture.tick() == true, "the change was not noticed after two seconds")
        let chronology = try #require(fixture.state.chronology)
        #expect(chronology.rows.count == rows + 1)
        #expect(chronology.rows.first?.entry.summary.hasPrefix("Quinn's mum called the office") == true)
        #expect(chronology.rows.first?.authorName == "Priya Shah")
        #expect(chronology.selectedRow?.entry.id == selected, "the selection moved off the entry")
        #expect(fixture.text.contains("Quinn's mum called the"), "not on screen:\n\(fixture.text)")
        let line = try #require(fixture.frame.text.split(separator: "\n").first { $0.hasPrefix("▸") })
        #expect(line.contains("Meeting"), "selected row: \(line)")

        // Nothing more changed: the next poll draws nothing.
        fixture.clock.advance(by: 2)
        #expect(fixture.tick() == false)
    }

    /// The journey (2): staff log an urgent concern through the form while a DSL's dashboard
    /// runs; at the DSL's next poll it is at the top of the queue.
    @Test func anUrgentConcernLoggedByStaffTopsTheDSLsQueueAtTheNextPoll() throws {
        let fixture = try DashboardFixture()
        _ = fixture.tick()
        let selected = try #require(fixture.state.queue.selectedItem?.id)

        let staff = try Dashboard(store: fixture.store, actor: try fixture.staff("demo.staff"), clock: fixture.clock,
                                  exportDirectory: fixture.exportDirectory)
        _ = staff.start(size: ScreenSize.small.size)
        staff.handle(.char("l"))
        for character in "Yasmi" { staff.handle(.char(character)) }
        staff.handle(.char(" "))
        let form = try #require(staff.state.form?.form)
        try #require(!form.selected(ConcernForm.pupils).isEmpty, "no pupil chosen:\n\(staff.render().text)")
        func tab(to id: String) {
            var form = staff.state.form?.form
            for _ in 0..<20 where form?.focusedFieldID != id {
                staff.handle(.tab)
                form = staff.state.form?.form
            }
        }
        tab(to: ConcernForm.account)
        "Said a man at the gate told her to come with him.".forEach { staff.handle(.char($0)) }
        tab(to: RecordField.nature)
        staff.handle(.char("d")) // Disclosed by the child
        tab(to: ConcernForm.categories)
        "expl".forEach { staff.handle(.char($0)) }
        staff.handle(.char(" "))
        tab(to: ConcernForm.atRisk)
        staff.handle(.char("y")) // Yes: at risk now
        staff.handle(.ctrl("s"))
        #expect(staff.state.form == nil, "the staff member's form did not save:\n\(staff.render().text)")

        fixture.clock.advance(by: 2)
        #expect(fixture.tick() == true)
        let top = try #require(fixture.state.queue.items.first)
        #expect(top.urgent && top.reportedBy == "demo.staff" && top.firstLine.hasPrefix("Said a man at the gate"),
                "top of the queue: \(top.reference) \(top.firstLine)")
        #expect(fixture.frame.line(2).contains("URGENT"), "first row: \(fixture.frame.line(2))")
        #expect(fixture.state.queue.selectedItem?.id == selected, "the DSL's selection stays where it was")
    }

    @Test(arguments: ScreenSize.allCases)
    func exportWritesTheTextAndHTMLFilesAndSaysWhere(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        let events = try fixture.store.auditEventCount()
        fixture.press(.char("x"))

        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.exportDirectory.path).sorted()
        #expect(files.count == 2, "files: \(files)")
        let text = try #require(files.first { $0.hasSuffix(".txt") })
        let html = try #require(files.first { $0.hasSuffix(".html") })
        #expect(text.dropLast(4) == html.dropLast(5), "the two files share a name")
        #expect(text.contains(pupil.upn))

        let textPath = fixture.exportDirectory.appendingPathComponent(text).path
        let notice = try #require(fixture.state.notice?.text)
        #expect(notice.contains(text) && notice.contains(fixture.exportDirectory.path), "notice: \(notice)")
        #expect(notice.contains(".html"), "notice: \(notice)")
        let contents = try String(contentsOfFile: textPath, encoding: .utf8)
        #expect(contents.contains(pupil.name))
        #expect(contents.contains("arguments with a younger brother"), "the export carries the amended text")
        let page = try String(contentsOfFile: fixture.exportDirectory.appendingPathComponent(html).path, encoding: .utf8)
        #expect(page.contains("<html") && page.contains(pupil.name))
        #expect(try fixture.store.auditEventCount() > events, "the export is audited")
        #expect(try fixture.store.recentAuditEvents(limit: 5).contains { $0.operation == .exportChronology })

        // The notice on screen names the file first, so that its name is whole even at 80 columns
        // (the directory here is a long temporary one); from 132 columns the folder is whole too.
        #expect(fixture.noticeLine.contains(text), "the file's name is cut off: \(fixture.noticeLine)")
        if screen == .large {
            #expect(fixture.noticeLine.contains(fixture.exportDirectory.path), "notice line: \(fixture.noticeLine)")
        }
    }
}
