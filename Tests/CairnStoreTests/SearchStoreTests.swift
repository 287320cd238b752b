import CairnDomain
@testable import CairnStore
import Foundation
import GRDB
import Testing

extension Fixture {
    func search(_ text: String, as actor: Staff? = nil, limit: Int = 20) throws -> [SearchHit] {
        try store.searchRecords(actor: actor ?? dsl, text: text, limit: limit)
    }

    /// FTS5's own check of the index against the text it was built from: throws if they differ.
    func checkSearchIndex() throws {
        try raw { db in try db.execute(sql: "INSERT INTO search_index(search_index, rank) VALUES ('integrity-check', 1)") }
    }

    /// A concern with the child's words and a location, about these pupils.
    @discardableResult
    func logConcern(about pupils: [UPN], text: String, childWords: String? = nil, location: String? = nil,
                    by actor: Staff? = nil) throws -> ConcernReference {
        let draft = ConcernDraft(pupils: pupils, categories: [.physical], accounts: [Account(nature: .disclosed, text: text)],
                                 childWords: childWords, reporterAction: "Told the DSL at break.", location: location,
                                 urgency: .routine, occurredAt: clock.now().addingTimeInterval(-3600))
        let reference = try store.logConcern(actor: actor ?? teacher, draft)
        clock.advance(by: 60)
        return reference
    }
}

@Suite struct SearchStoreTests {
    @Test func everyKindOfTextIsFoundAndEachHitNamesItsPupilDateKindAndPlace() throws {
        let f = try Fixture()
        try f.logConcern(about: [f.year8], text: "Said her arm hurt where the door caught it.",
                         childWords: "Mum's boyfriend shouted at the dog", location: "Science corridor")
        _ = try f.note(f.dsl, f.year8, "Phoned the allotment society about the lost key.")
        let reference = try f.logConcern(about: [f.year10], text: "Ran off at lunch.")
        try f.triage(reference)
        try f.store.close(actor: f.dsl, id: f.id(of: reference), outcome: Outcome(kind: .noFurtherAction,
                                                                                    reason: "Grandmother confirmed the dentist visit"))

        let words = try #require(try f.search("boyfriend", as: f.dsl).first)
        #expect(words.pupil.upn == f.year8.value && words.pupil.name == "Otto Brackley" && words.pupil.yearGroup == .year8)
        #expect(words.kind == .concern && words.part == .childWords && words.kindAndPart == "Concern, child's words")
        #expect(words.occurredAt == Fixture.start.addingTimeInterval(-3600))
        #expect(try f.search("hurt").first?.kindAndPart == "Concern, account [disclosed]")
        #expect(try f.search("corridor").first?.part == .location)
        #expect(try f.search("break").first?.part == .reporterAction)
        #expect(try f.search("allotment").first?.kindAndPart == "Note [seen]")
        let closure = try #require(f.search("dentist").first)
        #expect(closure.kind == .closure && closure.pupil.upn == f.year10.value)
        #expect(try f.search("zebra").isEmpty)
    }

    @Test func hitsAreRankedBestFirstAndOneEachPerEntry() throws {
        let f = try Fixture()
        let weak = try f.note(f.dsl, f.year7, """
            Attended the lunchtime club, ate well, chatted to friends about the weekend football match, mentioned a \
            bruise in passing, then went to maths and science and stayed behind to help tidy the art room.
            """)
        let strong = try f.note(f.dsl, f.year8, "Bruise on the cheek; a second bruise on the arm.")
        let hits = try f.search("bruise")
        #expect(hits.map(\.entry) == [strong, weak], "the short note that says it twice ranks first")
        // The concern's entry matches through its one line and its account: still one hit.
        try f.logConcern(about: [f.year7], text: "Marmalade stain on the shirt.")
        #expect(try f.search("marmalade").count == 1)
        #expect(try f.search("bruise", limit: 1).map(\.entry) == [strong])
    }

    @Test func snippetsMarkTheMatchAndAreSanitised() throws {
        let f = try Fixture()
        _ = try f.note(f.dsl, f.year7, "Came in late.\nSaid the \u{1B}[31m bruising \u{1B}[0m was from football.\u{202E}")
        let hit = try #require(f.search("bru").first)
        #expect(hit.snippet.runs.filter(\.matched).map(\.text) == ["bruising"], "the prefix marks the whole word")
        #expect(hit.snippet.text.contains("␛[31m"), "the escape shows as a picture, never obeyed: \(hit.snippet.text)")
        #expect(!hit.snippet.text.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" || (0xFDD0...0xFDD1).contains($0.value) })
        #expect(hit.snippet.text.hasPrefix("Came in late. Said"), "one line: \(hit.snippet.text)")
        let offsets = try #require(hit.snippet.matchOffsets.first)
        #expect(String(String.UnicodeScalarView(Array(hit.snippet.text.unicodeScalars)[offsets])) == "bruising")
        // Accents do not matter either way.
        _ = try f.note(f.dsl, f.year7, "Zoë walked home with her.")
        #expect(try f.search("zoe").first?.snippet.runs.first { $0.matched }?.text == "Zoë")
    }

    @Test func aPastoralLeadFindsOnlyTheirYearGroupsAndNeverRestrictedEntriesOfOthers() throws {
        let f = try Fixture()
        _ = try f.note(f.dsl, f.year8, "Quince jam at breakfast club.")
        _ = try f.note(f.dsl, f.year10, "Quince jam again, year 10.")
        let restricted = try f.logConcern(about: [f.year7], text: "Quince tree fell on the shed.")
        try f.triage(restricted, restricted: true)
        #expect(Set(try f.search("quince", as: f.dsl).map(\.pupil.upn)) == [f.year7.value, f.year8.value, f.year10.value])
        let theirs = try f.search("quince", as: f.pastoral)
        #expect(theirs.map(\.pupil.upn) == [f.year8.value], "not Year 10, not the restricted concern: \(theirs)")
        // Restricted, but their own (they logged it): they see it, as they would in the file.
        let own = try f.logConcern(about: [f.year7], text: "Quince again, logged by the head of year.", by: f.pastoral)
        try f.triage(own, restricted: true)
        let now = try f.search("quince", as: f.pastoral)
        #expect(now.count == 2 && now.contains { $0.restricted && $0.pupil.upn == f.year7.value })
        // The chronology agrees, entry for entry.
        let file = try f.store.chronology(actor: f.pastoral, pupil: f.pupilID(f.year7), limit: 100).map(\.entry.id)
        #expect(now.filter { $0.pupil.upn == f.year7.value }.allSatisfy { file.contains($0.entry) })
    }

    /// A concern's own text (child's words, accounts) needs the concern to be readable: every one
    /// of its pupils in scope. Its one line in a pupil's file is readable as the file is.
    @Test func aConcernAboutPupilsInAndOutOfScopeKeepsItsOwnTextFromThePastoralLead() throws {
        let f = try Fixture()
        try f.logConcern(about: [f.year8, f.year10], text: "Fight by the gates.", childWords: "He started the lemonade thing")
        let dsl = try f.search("lemonade", as: f.dsl)
        #expect(Set(dsl.map(\.pupil.upn)) == [f.year8.value, f.year10.value], "one hit in each pupil's file")
        #expect(try f.search("lemonade", as: f.pastoral).isEmpty)
        #expect(try f.search("gates", as: f.pastoral).map(\.part) == [.entry], "the line in Year 8's file, not the account")
    }

    @Test func anotherSchoolsRecordsAreNeverFound() throws {
        let f = try Fixture()
        let elsewhere = try f.addOtherSchool()
        let theirDSL = Staff(username: "dsl.fell", displayName: "Bryn Fell", role: .dsl, school: elsewhere)
        try f.insertStaff(theirDSL)
        let theirPupil = try f.raw { db in
            PupilID(rawValue: try Int64.fetchOne(db, sql: "SELECT id FROM pupils WHERE school_id = ?", arguments: [elsewhere.rawValue])!)
        }
        try f.store.addNote(actor: theirDSL, pupil: theirPupil,
                            NoteInput(kind: .note, occurredAt: Fixture.start.addingTimeInterval(-60), summary: "Walnut allergy noted."))
        _ = try f.note(f.dsl, f.year7, "Walnut cake at the party.")
        #expect(try f.search("walnut", as: f.dsl).map(\.pupil.upn) == [f.year7.value])
        #expect(try f.search("walnut", as: theirDSL).map(\.pupil.name) == ["Juniper Zeal"])
        let trust = Staff(username: "trust.dsl", displayName: "Cal Ormerod", role: .dsl, school: nil)
        #expect(try f.search("walnut", as: trust).count == 2)
    }

    @Test func rolesThatMayNotSearchAreRefusedOnRecord() throws {
        let f = try Fixture()
        _ = try f.note(f.dsl, f.year7, "Pineapple.")
        for outsider in [f.teacher, f.admin, f.auditor] {
            let before = try f.store.auditEventCount()
            #expect(throws: AccessDenied.self) { try f.search("pineapple", as: outsider) }
            let event = try #require(f.store.recentAuditEvents(limit: 1).first)
            #expect(try f.store.auditEventCount() == before + 1)
            #expect(event.actor == outsider.username && event.operation == .search && event.detail.hasPrefix("refused"))
        }
    }

    @Test func eachSearchIsAuditedWithItsTextAndCount() throws {
        let f = try Fixture()
        _ = try f.note(f.dsl, f.year7, "Kiwi fruit.")
        _ = try f.note(f.dsl, f.year8, "Kiwi again.")
        _ = try f.search("kiwi", as: f.deputy)
        let event = try #require(f.store.recentAuditEvents(limit: 1).first)
        #expect(event.operation == .search && event.actor == f.deputy.username && event.detail == "search \"kiwi\": 2 found")
        _ = try f.store.finderSearch(actor: f.deputy, text: "Otto")
        #expect(try f.store.recentAuditEvents(limit: 1).first?.detail == "find \"Otto\": 1 pupil and 0 records found")
        let some = try f.store.finderSearch(actor: f.deputy, text: "kiwi", limit: 1)
        #expect(some.hits.count == 1 && some.moreHits)
        #expect(try f.store.recentAuditEvents(limit: 1).first?.detail == "find \"kiwi\": 0 pupils and 1+ record found")
        #expect(try f.store.finderSearch(actor: f.deputy, text: "kiwi", limit: 2).moreHits == false)
        // Blank text asks nothing and writes nothing.
        let count = try f.store.auditEventCount()
        #expect(try f.store.finderSearch(actor: f.deputy, text: "  ") == FinderResults())
        #expect(try f.store.auditEventCount() == count)
    }

    /// Whatever is typed, the answer is results or "type a word": never an SQL error.
    @Test func anyTypedTextIsSafe() throws {
        let f = try Fixture()
        _ = try f.note(f.dsl, f.year7, "The bruise (on the left arm) was \"old\", she said: don't worry.")
        let tricky = ["\"bruise", "bruise\"", "(bruise", "bruise)", "bruise*", "*bruise", "^bruise", "text:bruise",
                      "bruise AND", "AND bruise", "bruise OR", "NOT bruise", "bruise NOT arm", "NEAR(bruise arm)",
                      "NEAR(bruise", "\"\"bruise\"\"", "bruise -arm", "+bruise", "{text}: bruise", "bruise'; DROP TABLE pupils; --",
                      "don't", "bruise\u{0}", "bruise\u{1B}[2J", "💥 bruise", "bruise ", "  bruise\t", "\"old\"", "left-arm",
                      "a*b*c", "(((", "\"\"\"", "'", "*", "AND", "OR NOT", "NEAR", ")(", "bruise:arm", "#bruise", "bruise@"]
        for text in tricky {
            do {
                _ = try f.search(text)
            } catch let error as StoreError {
                guard case .invalid(let problems) = error else { Issue.record("\(text): \(error)"); continue }
                #expect(problems.map(\.field) == ["search text"])
                #expect(!text.contains { $0.isLetter || $0.isNumber }, "\(text) has words but was refused")
            }
        }
        // Every word must be there: "AND" and "NOT" are words too, so "bruise AND" finds nothing here.
        for text in ["\"bruise", "(bruise", "bruise)", "bruise*", "^bruise", "\"\"bruise\"\"", "bruise'; --", "don't",
                     "bruise\u{0}", "left-arm", "\"old\"", "#bruise", "left:arm", "(on the left arm)"] {
            #expect(try f.search(text).count == 1, "\(text) did not find the note")
        }
        #expect(try f.search("AND").isEmpty && f.search("NEAR").isEmpty && f.search("bruise AND").isEmpty,
                "words like AND are only words")
        for text in ["", "   ", "(((", "*", "\"\"\"", "'", ")(", "💥", String(repeating: "a", count: 201)] {
            #expect(throws: StoreError.self, "\(text.prefix(10))") { try f.search(text) }
        }
        // A deterministic spray of syntax characters and words.
        var generator = SplitMix(seed: 5)
        let pieces = ["\"", "*", "(", ")", "^", ":", "-", "+", "AND", "OR", "NOT", "NEAR", "bruise", "arm", "{", "}", ",", "'", " ", "\\", "%", "_"]
        for _ in 0..<400 {
            let text = (0..<Int(generator.next() % 8 + 1)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            do { _ = try f.search(text) } catch StoreError.invalid {} catch { Issue.record("\(text): \(error)") }
        }
    }

    @Test func theLastWordMatchesAsAPrefixUntilASpaceFollowsIt() throws {
        #expect(try SearchQuery("bru").match == "\"bru\"*")
        #expect(try SearchQuery("arm bru").match == "\"arm\" \"bru\"*")
        #expect(try SearchQuery("bruise ").match == "\"bruise\"")
        #expect(try SearchQuery("arm b").match == "\"arm\" \"b\"", "one letter is a word, not a prefix")
        #expect(try SearchQuery("say \"hi\" !").match == "\"say\" \"\"\"hi\"\"\"")
        let f = try Fixture()
        _ = try f.note(f.dsl, f.year7, "Bruising on the forearm.")
        #expect(try f.search("bru").count == 1)
        #expect(try f.search("bru ").isEmpty, "a finished word is a whole word")
        #expect(try f.search("forearm bru").count == 1)
    }

    @Test func theIndexKeepsInStepWithNewEntriesAndAmendments() throws {
        let f = try Fixture()
        let entry = try f.note(f.dsl, f.year7, "Spoke about the trampoline accident.")
        #expect(try f.search("trampoline").map(\.entry) == [entry])
        try f.store.amendEntry(actor: f.dsl, entry: entry,
                               AmendmentInput(newText: "Spoke about the bicycle accident.", reason: "Wrong word typed"))
        let amended = try #require(f.search("bicycle").first)
        #expect(amended.entry == entry && amended.part == .amendment && !amended.superseded && amended.kindAndPart == "Note, amended text")
        let earlier = try #require(f.search("trampoline").first { $0.entry == entry })
        #expect(earlier.superseded && earlier.kindAndPart == "Note [seen] (earlier text)")
        // The amendment is an entry of its own, with its reason.
        #expect(try f.search("typed").map(\.kind) == [.amendment])
        try f.store.amendEntry(actor: f.dsl, entry: entry, AmendmentInput(newText: "Spoke about the scooter accident.", reason: "Again"))
        #expect(try f.search("bicycle").first?.superseded == true)
        try f.checkSearchIndex()
    }

    /// Retention purge deletes rows; their triggers take them out of the index, and compacting
    /// leaves nothing of them in the index's pages.
    @Test func deletingRowsTakesThemOutOfTheIndex() throws {
        let f = try Fixture()
        let reference = try f.logConcern(about: [f.year7], text: "Xylophone lesson upset.", childWords: "the quokka did it",
                                         location: "Music block")
        let note = try f.note(f.dsl, f.year7, "Zeppelin drawing shown to the tutor.")
        _ = try f.note(f.dsl, f.year8, "Zeppelin kite, another pupil.")
        let concern = try f.id(of: reference)
        let stored = try f.raw { db in
            try Data(Row.fetchAll(db, sql: "SELECT block FROM search_index_data").flatMap { ($0[0] as Data?) ?? Data() })
        }
        #expect(stored.range(of: Data("quokka".utf8)) != nil, "the index holds the word before it is deleted")
        try f.raw { db in
            // As purge does: inside its own transaction the guards against deleting records stand aside.
            try db.execute(sql: "INSERT INTO purge_session (started_by) VALUES ('test')")
            try db.execute(sql: "DELETE FROM chronology_entries WHERE id = ? OR concern_id = ?", arguments: [note, concern.rawValue])
            try db.execute(sql: "DELETE FROM concern_accounts WHERE concern_id = ?", arguments: [concern.rawValue])
            for table in ["concern_pupils", "concern_categories"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE concern_id = ?", arguments: [concern.rawValue])
            }
            try db.execute(sql: "DELETE FROM concerns WHERE id = ?", arguments: [concern.rawValue])
            try db.execute(sql: "DELETE FROM purge_session")
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try CairnStore.compactSearchIndex(db)
        }
        for word in ["xylophone", "quokka", "music", "told"] { #expect(try f.search(word).isEmpty, "\(word) still found") }
        #expect(try f.search("zeppelin").map(\.pupil.upn) == [f.year8.value])
        #expect(try f.raw { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM search_documents WHERE concern_id = ?",
                                                  arguments: [concern.rawValue]) } == 0)
        try f.checkSearchIndex()
        let after = try f.raw { db in
            try Data(Row.fetchAll(db, sql: "SELECT block FROM search_index_data").flatMap { ($0[0] as Data?) ?? Data() })
        }
        #expect(after.range(of: Data("quokka".utf8)) == nil, "compacting leaves no trace of the word")
    }

    @Test func theRankedQueryStartsFromTheIndex() throws {
        let f = try Fixture()
        let statement = try #require(CairnStore.searchStatement(actor: f.pastoral, query: SearchQuery("bruise"), limit: 20))
        let plan = try f.queryPlan(statement)
        #expect(plan.contains("MATERIALIZE matched\nSCAN search_index VIRTUAL TABLE INDEX"), "\(plan)")
        #expect(plan.contains("SCAN m\nSEARCH d USING INTEGER PRIMARY KEY"), "\(plan)")
        #expect(plan.contains("SCAN b\nSEARCH d USING INTEGER PRIMARY KEY"), "what a hit shows is read for the hits kept: \(plan)")
        #expect(plan.contains("MULTI-INDEX OR") && plan.contains("chronology_concern_entries"), "\(plan)")
        #expect(!plan.contains("SCAN e") && !plan.contains("SCAN p") && !plan.contains("SCAN d"), "\(plan)")
    }
}

/// A small seeded generator, so the spray of characters is the same every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
