@testable import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

extension DashboardFixture {
    /// The first Year 7 pupil of the demo: the pupil of these tests' paper concern.
    func paperPupil() throws -> PupilSummary {
        try #require(try pupils(in: .year7).sorted { $0.upn < $1.upn }.first)
    }

    /// Friday's concern about the Year 7 pupil, written on paper by Ann Lee during an outage and
    /// typed in this morning by `typist`. The dashboard sees it at its next poll.
    @discardableResult
    func logFromPaper(by typist: String) throws -> ConcernReference {
        let pupil = try paperPupil()
        let draft = ConcernDraft(pupils: [try UPN(pupil.upn)], categories: [.physical],
                                 accounts: [Account(nature: .seen, text: "Bruise on the left cheek at morning drop-off.")],
                                 childWords: "I walked into a door.", reporterAction: "Told the DSL by phone.",
                                 location: "School gate", occurredAt: UKDate.parseDateTime("20/11/2026 08:40")!)
        let reference = try store.logConcern(actor: try staff(typist), draft,
                                             paper: PaperInput(writtenAt: UKDate.parseDateTime("20/11/2026 09:05")!, writtenBy: "Ann Lee"))
        poll()
        return reference
    }

    /// Two seconds on, so that the dashboard polls and shows what was written outside it.
    func poll() {
        clock.advance(by: 3)
        tick()
    }

    /// The concern's entry in the paper pupil's file, disputed by the pupil's mother.
    func disputeThePaperConcern() throws {
        let entry = try #require(try storedChronology(of: try paperPupil().id).first { $0.entry.kind == .concern && $0.paper != nil })
        try store.recordDispute(actor: try dsl, entry: entry.entry.id, DisputeInput(
            statement: "We do not accept this. He walked into the door of the car that morning;\nwe told the school at the time.",
            madeBy: "Mother, Jo Testwood", receivedAt: UKDate.parseDate("22/11/2026")!))
        poll()
    }
}

/// Concerns typed from paper and checked against it, and entries the family disputes, as the
/// dashboard shows them: every changed screen at 80x24 and 132x43, and the keys end to end.
@Suite struct BackfillScreenTests {
    @Test(arguments: ScreenSize.allCases)
    func theQueueSaysABackfillIsUnverified(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let reference = try fixture.logFromPaper(by: "demo.deputy")
        try fixture.selectRow { $0.reference == reference }
        let frame = fixture.redraw()
        let row = try #require((0..<frame.size.height).map(frame.line).first { $0.hasPrefix("▸") })
        #expect(row.hasPrefix("▸PAPER  new"), "the badge says it in words: \(row)")
        #expect(row.contains("paper, unveri"), "row: \(row)")
        let account = try #require(fixture.state.queue.selectedItem.map { QueueView.cells(for: $0, now: DashboardFixture.now).last })
        #expect(account == "paper, unverified · Bruise on the left cheek at morning drop-off.")
        Snapshot.check(frame, named: "dsl-queue-paper-unverified-\(screen.rawValue)")
    }

    @Test(arguments: ScreenSize.allCases)
    func theConcernSaysWhereItCameFrom(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let reference = try fixture.logFromPaper(by: "demo.deputy")
        try fixture.disputeThePaperConcern()
        try fixture.selectRow { $0.reference == reference }
        let frame = fixture.press(.enter)
        #expect(frame.text.contains("Paper original from paper written 20/11/2026"), "screen:\n\(frame.text)")
        #expect(frame.text.contains("Not yet checked against the paper"))
        Snapshot.check(frame, named: "dsl-concern-from-paper-\(screen.rawValue)")
        // The family's statement is further down.
        fixture.press(.pageDown)
        #expect(fixture.text.contains("Disputed by the family (1 statement)"), "screen:\n\(fixture.text)")
    }

    /// `v` asks first, then records the check; the marker goes from the queue.
    @Test(arguments: ScreenSize.allCases)
    func someoneElseChecksItFromTheQueue(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let reference = try fixture.logFromPaper(by: "demo.deputy")
        try fixture.selectRow { $0.reference == reference }
        fixture.press(.char("v"))
        let session = try fixture.openForm()
        #expect(session.purpose == .verifyBackfill(try #require(fixture.state.queue.selectedItem?.id)))
        Snapshot.check(fixture.frame, named: "dsl-verify-form-\(screen.rawValue)")

        fixture.press(.ctrl("s"))
        #expect(try fixture.openForm().form.errors[FieldID.checked] == "Compare the typed record with the paper, then choose Yes (Space)",
                "nothing is recorded until the check is confirmed")
        #expect(fixture.state.queue.selectedItem?.paper?.isVerified == false)
        fixture.press(.char(" "), .ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        #expect(fixture.noticeLine.contains("Checked against the paper written 20/11/2026 09:05 by Ann Lee."))
        let item = try #require(fixture.state.queue.items.first { $0.reference == reference })
        #expect(item.paper?.verifiedByName == "Sam Carter")
        #expect(!fixture.text.contains("paper, unverified"))
    }

    @Test func theTypistIsToldSomeoneElseMustCheckIt() throws {
        let fixture = try DashboardFixture()
        let reference = try fixture.logFromPaper(by: "demo.dsl")
        try fixture.selectRow { $0.reference == reference }
        fixture.press(.char("v"))
        #expect(fixture.state.overlay == nil)
        #expect(fixture.noticeLine == " You typed this from the paper: someone else must check it against the paper.",
                "notice: \(fixture.noticeLine)")
        // On a concern not typed from paper, `v` says so.
        fixture.press(.char("g"))
        try fixture.selectRow { $0.paper == nil }
        fixture.press(.char("v"))
        #expect(fixture.noticeLine.contains("Only a concern typed from a paper form is checked against the paper."))
    }

    @Test(arguments: ScreenSize.allCases)
    func theChronologyMarksThePaperAndTheDispute(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.logFromPaper(by: "demo.deputy")
        try fixture.disputeThePaperConcern()
        try fixture.openChronology(of: try fixture.paperPupil())
        try fixture.selectChronologyRow { $0.paper != nil }
        let frame = fixture.redraw()
        #expect(frame.text.contains("[disputed] [paper, unverified]"), "screen:\n\(frame.text)")
        Snapshot.check(frame, named: "dsl-chronology-paper-disputed-\(screen.rawValue)")

        let entry = fixture.press(.enter)
        #expect(entry.text.contains("DISPUTED"))
        Snapshot.check(entry, named: "dsl-entry-paper-disputed-\(screen.rawValue)")
        let words = EntryViewText.words(fixture)
        #expect(words.contains("Disputed by Mother, Jo Testwood: statement received 22/11/2026"), "\(words)")
        #expect(words.contains("│ We do not accept this."))
        #expect(EntryViewText.all(fixture).contains { $0.hasSuffix("│ we told the school at the time.") }, "the statement keeps its lines")
    }

    /// `v` on the entry opened in full, by someone else: the entry then says who checked it.
    @Test func someoneElseChecksItFromTheEntry() throws {
        let fixture = try DashboardFixture()
        try fixture.logFromPaper(by: "demo.staff")
        try fixture.openChronology(of: try fixture.paperPupil())
        try fixture.selectChronologyRow { $0.paper != nil }
        fixture.press(.enter, .char("v"), .char(" "), .ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        let paper = try #require(fixture.state.chronology?.entry?.detail.row.paper)
        #expect(paper.verifiedBy == "demo.dsl")
        #expect(EntryViewText.words(fixture).contains("verified by Sam Carter on 23/11/2026 08:00"))
    }

    /// `D` on a chronology row: the form, then the statement recorded and the row marked.
    @Test(arguments: ScreenSize.allCases)
    func theFamilysStatementFromTheChronology(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        try fixture.selectChronologyRow { $0.entry.kind == .contact }
        let contact = try #require(fixture.state.chronology?.selectedRow)
        fixture.press(.char("D"))
        #expect(try fixture.openForm().purpose == .dispute(entry: contact.entry.id, entryDate: contact.entry.occurredAt))
        Snapshot.check(fixture.frame, named: "dsl-dispute-form-\(screen.rawValue)")

        let before = try fixture.storedChronology(of: pupil.id).count
        fixture.press(.ctrl("s"))
        #expect(try fixture.openForm().form.errors.keys.sorted() == [RecordField.madeBy, RecordField.statement])
        #expect(try fixture.storedChronology(of: pupil.id).count == before, "nothing is written while the form is wrong")
        try fixture.fill(RecordField.madeBy, "Mother, Dee Testwood")
        try fixture.fill(RecordField.statement, "I never said the arguments were with his brother.")
        fixture.press(.enter)
        fixture.type("  It was his cousin.")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        #expect(fixture.noticeLine.contains("The family's statement is recorded"))
        let detail = try fixture.store.entry(actor: try fixture.dsl, id: contact.entry.id)
        #expect(detail.disputes.map(\.statement) == ["I never said the arguments were with his brother.\n  It was his cousin."])
        #expect(detail.disputes.first?.receivedAt == UKDate.calendar.startOfDay(for: DashboardFixture.now))
        let row = try #require(fixture.state.chronology?.rows.first { $0.entry.id == contact.entry.id })
        #expect(row.disputed)
        #expect(fixture.state.chronology?.rows.contains { $0.entry.kind == .dispute } == true)
    }

    /// `D` belongs to the safeguarding team; the pastoral lead is told so.
    @Test func onlyTheSafeguardingTeamRecordsADispute() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        fixture.press(.char("D"))
        #expect(fixture.state.overlay == nil)
        #expect(fixture.noticeLine.contains("cannot do that here"))
    }

    /// The concern form's paper part: the toggle shows when and by whom the paper was written.
    @Test(arguments: ScreenSize.allCases)
    func theConcernFormTakesAPaperOriginal(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        fixture.press(.char("l"))
        try fixture.focus(FieldID.fromPaper)
        #expect(try fixture.openForm().form.isVisible(RecordField.writtenBy) == false)
        fixture.press(.char(" "))
        #expect(try fixture.openForm().form.isVisible(RecordField.writtenBy))
        // The paper part, its last field in focus so that all of it is on screen.
        try fixture.focus(RecordField.writtenBy)
        Snapshot.check(fixture.frame, named: "dsl-concern-form-from-paper-\(screen.rawValue)")
    }

    @Test func aConcernTypedFromPaperIsSavedWithItsPaperOriginal() throws {
        let fixture = try DashboardFixture(as: "demo.deputy")
        let pupil = try fixture.paperPupil()
        fixture.press(.char("l"))
        fixture.type(pupil.upn)
        fixture.press(.char(" "))
        try fixture.focus(FieldID.date)
        fixture.press(Array(repeating: .backspace, count: 10))
        fixture.type("20/11/2026")
        try fixture.focus(FieldID.time)
        fixture.press(Array(repeating: .backspace, count: 5))
        fixture.type("10:15")
        try fixture.fill(FieldID.account, "Said she had not eaten since Thursday lunch.")
        try fixture.choose(RecordField.nature, Nature.disclosed.rawValue)
        try fixture.focus(FieldID.categories)
        fixture.type("negl")
        fixture.press(.char(" "))
        try fixture.choose(FieldID.atRisk, Urgency.routine.rawValue)
        try fixture.focus(FieldID.fromPaper)
        fixture.press(.char(" "))
        try fixture.fill(RecordField.writtenAt, "20/11/2026")
        try fixture.fill(FieldID.writtenTime, "10:05")
        try fixture.fill(RecordField.writtenBy, "Ann Lee")

        // Written before it happened: refused beside the field, nothing saved.
        let before = try fixture.storedChronology(of: pupil.id).count
        fixture.press(.ctrl("s"))
        #expect(try fixture.openForm().form.errors[RecordField.writtenAt]
            == "The paper cannot have been written before what it describes happened (20/11/2026 10:15)")
        #expect(try fixture.storedChronology(of: pupil.id).count == before)

        try fixture.focus(FieldID.writtenTime)
        fixture.press(Array(repeating: .backspace, count: 5))
        fixture.type("10:35")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        #expect(fixture.noticeLine.contains("typed from paper"), "notice: \(fixture.noticeLine)")
        let row = try #require(try fixture.storedChronology(of: pupil.id).first { $0.paper != nil })
        #expect(row.paper?.writtenBy == "Ann Lee" && row.paper?.typedBy == "demo.deputy")
        #expect(row.paper.map { UKDate.dateTime($0.writtenAt) } == "20/11/2026 10:35")
        #expect(UKDate.dateTime(row.entry.occurredAt) == "20/11/2026 10:15")
    }

    /// The amend form's rectification toggle is the reason, in one key; more may be added.
    @Test(arguments: ScreenSize.allCases)
    func anAmendmentForARectificationRequest(_ screen: ScreenSize) throws {
        let fixture = try DashboardFixture(size: screen.size)
        let pupil = try fixture.earlyHelpPupil()
        try fixture.openChronology(of: pupil)
        try fixture.selectChronologyRow { $0.entry.kind == .meeting }
        let meeting = try #require(fixture.state.chronology?.selectedRow)
        fixture.press(.char("A"))
        try fixture.focus(RecordField.text)
        fixture.press(.end)
        fixture.type(" Review moved to January.")
        try fixture.focus(FieldID.rectification)
        fixture.press(.char(" "))
        Snapshot.check(fixture.frame, named: "dsl-amend-form-rectification-\(screen.rawValue)")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        let detail = try fixture.store.entry(actor: try fixture.dsl, id: meeting.entry.id)
        #expect(detail.amendments.last?.reason == AmendmentInput.rectificationReason)
    }

    @Test func anAmendmentStillNeedsAReasonWithoutTheToggle() throws {
        let fixture = try DashboardFixture()
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        try fixture.selectChronologyRow { $0.entry.kind == .meeting }
        fixture.press(.char("A"))
        try fixture.focus(RecordField.text)
        fixture.press(.end)
        fixture.type(" More.")
        fixture.press(.ctrl("s"))
        #expect(try fixture.openForm().form.errors == [RecordField.reason: "Say why the entry is being amended"])
        try fixture.focus(FieldID.rectification)
        fixture.press(.char(" "))
        try fixture.fill(RecordField.reason, "Mum's letter of 20/11/2026")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
    }
}

/// The open entry's text however it is wrapped or scrolled: its lines as the panel lays them out.
enum EntryViewText {
    static func all(_ fixture: DashboardFixture) -> [String] {
        guard let detail = fixture.state.chronology?.entry?.detail else { return [] }
        return EntryView.lines(detail, width: PaneLayout.detailSize(fixture.state.size).width).map { String(repeating: " ", count: $0.indent) + $0.text }
    }

    /// The same as one line of words, single-spaced, so that a phrase wrapped across lines is found.
    static func words(_ fixture: DashboardFixture) -> String {
        all(fixture).joined(separator: " ").split(separator: " ").joined(separator: " ")
    }
}
