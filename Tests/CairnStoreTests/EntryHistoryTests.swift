import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

/// Corrections and marks on entries already written: amendments keep the old text, restricted
/// entries are refused to those who may not see them, and significance is set by an author or the DSL.
@Suite struct EntryHistoryTests {
    static let call = RecordingStoreTests.call

    // MARK: Amendments

    @Test func anAmendmentKeepsTheOldTextAndShowsTheNew() throws {
        let f = try Fixture()
        let id = try f.store.addNote(actor: f.dsl, pupil: f.pupilID(f.year7), Self.call)
        f.clock.advance(by: 3600)
        let before = try f.tally()
        try f.store.amendEntry(actor: f.deputy, entry: id, AmendmentInput(newText: "Said she has not been sleeping.",
                                                                         reason: "Wrong pronoun recorded"))
        #expect(try f.tally() == f.tally(before, plus: ["entry_amendments": 1, "chronology_entries": 1, "audit_events": 1]))
        let event = try f.lastEvent()
        #expect(event.operation == .amend)
        #expect(event.actor == f.deputy.username)

        let row = try f.entryRow(id)
        #expect(row.amended)
        #expect(row.entry.summary == "Telephone with Ms R. Example (mother): Said she has not been sleeping.",
                "the line is rebuilt from the new text and keeps its lead-in")
        let stored = try f.raw { db in try String.fetchOne(db, sql: "SELECT summary FROM chronology_entries WHERE id = ?", arguments: [id]) }
        #expect(stored == "Telephone with Ms R. Example (mother): Said he has not been sleeping.", "the stored line is untouched")

        let note = try #require(f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year7)).first { $0.entry.kind == .amendment })
        #expect(note.entry.summary == "Entry of 02/03/2026 amended: Wrong pronoun recorded")
        #expect(!note.amended)

        f.clock.advance(by: 60)
        try f.store.amendEntry(actor: f.dsl, entry: id, AmendmentInput(newText: "Said she has not slept well since Sunday.",
                                                                      reason: "Mum rang back with more detail"))
        let detail = try f.store.entry(actor: f.dsl, id: id)
        #expect(detail.body == "Said she has not slept well since Sunday.")
        #expect(detail.fields.count == 3, "the labelled parts are unchanged")
        #expect(detail.amendments == [
            EntryAmendment(previousText: "Said he has not been sleeping.\nAgreed to speak again on Friday.",
                           newText: "Said she has not been sleeping.", reason: "Wrong pronoun recorded", byName: "Rowan Quill",
                           at: Fixture.start.addingTimeInterval(3600)),
            EntryAmendment(previousText: "Said she has not been sleeping.", newText: "Said she has not slept well since Sunday.",
                           reason: "Mum rang back with more detail", byName: "Petra Marsh",
                           at: Fixture.start.addingTimeInterval(3660)),
        ])
    }

    @Test func anEntryWithoutFullTextIsAmendedFromItsLine() throws {
        let f = try Fixture()
        let id = try f.addEntry(f.year7, at: Fixture.start, summary: "Old-style entry")
        try f.store.amendEntry(actor: f.dsl, entry: id, AmendmentInput(newText: "Corrected entry\nwith more", reason: "Typo"))
        #expect(try f.entryRow(id).entry.summary == "Corrected entry")
        #expect(try f.store.entry(actor: f.dsl, id: id).amendments.first?.previousText == "Old-style entry")
    }

    @Test func badAmendmentsChangeNothingAndOnlyTheTeamMayAmend() throws {
        let f = try Fixture()
        let id = try f.note(f.pastoral, f.year8, "Seen crying at break")
        let before = try f.tally()
        #expect(throws: StoreError.invalid([FieldProblem(field: RecordField.text, message: "The text is unchanged"),
                                            FieldProblem(field: RecordField.reason, message: "Say why the entry is being amended")])) {
            try f.store.amendEntry(actor: f.dsl, entry: id, AmendmentInput(newText: "Seen crying at break ", reason: " "))
        }
        #expect(try f.tally() == before)
        // Even the author, if a pastoral lead, corrects through the DSL.
        let denied = #expect(throws: AccessDenied.self) {
            try f.store.amendEntry(actor: f.pastoral, entry: id, AmendmentInput(newText: "Seen upset at break", reason: "Clearer"))
        }
        #expect(denied?.operation == .amend)
        #expect(try f.tally() == f.tally(before, plus: ["audit_events": 1]))
        #expect(throws: StoreError.notFound("Entry 999")) {
            try f.store.amendEntry(actor: f.dsl, entry: 999, AmendmentInput(newText: "x", reason: "y"))
        }
    }

    @Test func amendmentsAndTheTextTheyReplaceCannotBeChangedOrDeleted() throws {
        let f = try Fixture()
        let id = try f.note()
        try f.store.amendEntry(actor: f.dsl, entry: id, AmendmentInput(newText: "Corrected", reason: "Typo"))
        try f.store.setSignificant(actor: f.dsl, entry: id, significant: true)
        for sql in ["UPDATE entry_amendments SET new_text = 'softened'", "UPDATE entry_amendments SET reason = ''",
                    "DELETE FROM entry_amendments", "UPDATE chronology_entries SET body = 'softened'",
                    "UPDATE chronology_entries SET summary = 'softened'", "UPDATE chronology_entries SET details = NULL",
                    "UPDATE entry_marks SET significant = 0", "DELETE FROM entry_marks"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try f.raw { db in try db.execute(sql: sql) } }
        }
        #expect(try f.store.entry(actor: f.dsl, id: id).amendments.count == 1)
    }

    // MARK: Restricted entries

    @Test func aRestrictedEntryIsRefusedToThoseWhoMayNotSeeIt() throws {
        let f = try Fixture()
        let reference = try f.log(f.teacher, about: [f.year8], text: "Said something worrying at break.")
        try f.triage(reference, level: .targeted, restricted: true)
        let triage = try #require(f.store.chronology(actor: f.dsl, pupil: f.pupilID(f.year8)).first { $0.entry.kind == .triage })
        try f.store.amendEntry(actor: f.dsl, entry: triage.entry.id, AmendmentInput(newText: "Triaged: level 3, held by the deputy",
                                                                                    reason: "Clearer wording"))
        #expect(throws: AccessDenied(operation: .readChronology, reason: "this record is restricted to the safeguarding team")) {
            try f.store.entry(actor: f.pastoral, id: triage.entry.id)
        }
        #expect(try f.lastEvent().detail == "refused: this record is restricted to the safeguarding team")
        // The amendment's own entry is restricted with it, as is the report of the restricted concern:
        // none of them is in the pastoral lead's list.
        let rows = try f.store.chronology(actor: f.pastoral, pupil: f.pupilID(f.year8))
        #expect(rows.allSatisfy { ![.amendment, .concern, .triage].contains($0.entry.kind) })
        #expect(rows.allSatisfy { !$0.entry.summary.contains("level 3") })

        let full = try f.store.entry(actor: f.deputy, id: triage.entry.id)
        #expect(full.body == "Triaged: level 3, held by the deputy")
        #expect(full.amendments.count == 1)
        // Outside their years a pastoral lead cannot open an entry at all.
        let other = try f.note(f.dsl, f.year10)
        #expect(throws: AccessDenied.self) { try f.store.entry(actor: f.pastoral, id: other) }
        #expect(throws: AccessDenied.self) { try f.store.entry(actor: f.teacher, id: other) }
    }

    // MARK: Significance

    @Test func anAuthorOrTheDSLMayMarkAnEntrySignificant() throws {
        let f = try Fixture()
        let own = try f.note(f.pastoral, f.year8, "Own note")
        let theirs = try f.note(f.dsl, f.year8, "DSL's note")
        let pupil = try f.pupilID(f.year8)

        try f.store.setSignificant(actor: f.pastoral, entry: own, significant: true)
        var event = try f.lastEvent()
        #expect(event.operation == .addNote, "the author adds to their own record")
        #expect(event.detail == "marked significant")
        let denied = #expect(throws: AccessDenied.self) { try f.store.setSignificant(actor: f.pastoral, entry: theirs, significant: true) }
        #expect(denied?.operation == .amend)
        try f.store.setSignificant(actor: f.deputy, entry: theirs, significant: true)
        #expect(try f.lastEvent().operation == .amend)

        let significant = try f.store.chronology(actor: f.dsl, pupil: pupil, filter: ChronologyFilter(significantOnly: true))
        #expect(Set(significant.map(\.entry.id)) == [own, theirs])

        // Setting what is already set writes nothing; taking it off is on record.
        let before = try f.tally()
        try f.store.setSignificant(actor: f.dsl, entry: own, significant: true)
        #expect(try f.tally() == before)
        try f.store.setSignificant(actor: f.dsl, entry: own, significant: false)
        event = try f.lastEvent()
        #expect(event.detail == "no longer marked significant")
        #expect(try f.tally() == f.tally(before, plus: ["entry_marks": 1, "audit_events": 1]))
        #expect(!(try f.entryRow(own, upn: f.year8).entry.significant))
        #expect(throws: AccessDenied.self) { try f.store.setSignificant(actor: f.teacher, entry: own, significant: true) }
    }
}
