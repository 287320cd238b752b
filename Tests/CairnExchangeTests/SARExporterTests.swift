import CairnDomain
import CairnExchange
@testable import CairnStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The subject access bundle for Sam Pellow (synthetic): the chronology exporter's amended concern
/// and call, a restricted note withheld whole, passages withheld under each kind of exemption, one
/// withholding lifted, a dispute, and two readers of the file.
@Suite struct SARExporterTests {
    typealias Chronology = ChronologyExporterTests
    static let at = Chronology.at

    /// Words that must not reach either file, in any form.
    static let secrets = [
        "left alone overnight",                      // in the concern's text, its line and both sides of its amendment
        "He asked me not to tell his dad.",
        "an aunt",
        "The man at number 12 was cautioned by police",  // the restricted note, withheld whole
        "Science lab 2",                             // a labelled part
    ]

    static let note = EntryDetail(
        row: ChronologyRow(
            entry: ChronologyEntry(id: 5, pupil: Chronology.pupil, occurredAt: at("21/11/2026 11:00"), kind: .note,
                                   summary: "The man at number 12 was cautioned by police", author: "dsl.marsh",
                                   nature: .reported, restricted: true),
            authorName: "Ada Marsh"),
        body: "The man at number 12 was cautioned by police for what he did on 19/11.",
        fields: [EntryField(label: "Source", value: "PC A. Example, by telephone")],
        recordedAt: at("21/11/2026 11:05"))

    static func withholding(_ id: Int64, entry: Int64, _ passage: String?, _ reason: ExemptionReason, other: String? = nil,
                            lifted: Bool = false) -> Withholding {
        Withholding(id: id, entry: entry, passage: passage, reason: reason, otherReason: other, by: "dsl.marsh",
                    byName: "Ada Marsh", at: at("22/11/2026 09:0\(id)"), liftedByName: lifted ? "Rowan Quill" : nil,
                    liftedAt: lifted ? at("22/11/2026 10:00") : nil)
    }

    static let request = SARRequest(
        id: 1, pupil: Chronology.pupil, upn: Chronology.upn, pupilName: "Sam Pellow", yearGroup: .year8,
        received: UKDate.parseDate("31/10/2026")!, requester: "Ms R. Pellow", relationship: "mother",
        due: UKDate.parseDate("30/11/2026")!, action: 9, openedBy: "dsl.marsh", openedByName: "Ada Marsh",
        openedAt: at("02/11/2026 08:00"), status: .open, closedAt: nil)

    static func bundle() -> SARBundle {
        SARBundle(
            schoolName: "Hollins Brook Academy", header: Chronology.header(),
            entries: [Chronology.call, note, Chronology.concern],
            withholdings: [
                withholding(1, entry: 1, "left alone overnight", .thirdParty),
                withholding(2, entry: 1, "He asked me not to tell his dad.", .seriousHarm),
                withholding(3, entry: 3, "an aunt", .other, other: "legal professional privilege"),
                withholding(4, entry: 5, nil, .crimePrevention),
                withholding(5, entry: 3, "Phoned mum", .thirdParty, lifted: true),
                withholding(6, entry: 1, "Science lab 2", .thirdParty),
            ],
            disputes: [SARBundle.Dispute(entry: 3, statement: "We were never told an aunt would be there.",
                                         madeBy: "Ms R. Pellow (mother)", receivedAt: UKDate.parseDate("21/11/2026")!,
                                         recordedByName: "Ada Marsh", recordedAt: at("21/11/2026 15:00"))],
            requests: [request],
            looks: [LookSummary(username: "deputy.quill", name: "Rowan Quill", role: .deputy, reads: 4,
                                first: at("14/11/2026 10:30"), last: at("21/11/2026 16:00")),
                    LookSummary(username: "hoy.lowe", name: "Tamsin Lowe", role: .pastoral, reads: 1,
                                first: at("15/11/2026 12:00"), last: at("15/11/2026 12:00"))],
            exportedBy: "Ada Marsh", exportedAt: at("22/11/2026 14:05"))
    }

    static func contains(_ data: Data, _ text: String) -> Bool { data.range(of: Data(text.utf8)) != nil }

    @Test func withheldTextIsInNeitherFileAndEachPlaceSaysWhy() throws {
        let document = SARDocument(Self.bundle())
        let html = Data(SARHTML.html(document).utf8)
        let json = try SARExporter.json(document)
        for secret in Self.secrets {
            #expect(!Self.contains(html, secret), "HTML holds \(secret)")
            #expect(!Self.contains(json, secret), "JSON holds \(secret)")
        }
        for data in [html, json] {
            #expect(Self.contains(data, "[withheld: third-party information]"))
            #expect(Self.contains(data, "[withheld: serious harm]"))
            #expect(Self.contains(data, "[withheld: legal professional privilege]"))
            #expect(Self.contains(data, "[withheld: crime prevention]"))
            // Lifted: the family sees it. Kept: what nothing withholds.
            #expect(Self.contains(data, "Phoned mum about Monday night."))
            #expect(Self.contains(data, "and had no tea."))
        }
        let text = SARHTML.html(document)
        #expect(text.contains("Sam said he was [withheld: third-party information] on Monday and had no tea.\n\n[withheld: serious harm]"))
        // The whole entry keeps only when, what kind, who, its nature and the marker.
        let withheld = try #require(document.entries.first { $0.id == 5 })
        #expect(withheld.withheld == .whole && withheld.text == "[withheld: crime prevention]")
        #expect(withheld.fields.isEmpty && withheld.amendments.isEmpty)
        #expect(document.entries.first { $0.id == 1 }?.withheld == .part)
        #expect(document.entries.first { $0.id == 3 }?.withheld == .part)
    }

    @Test func entriesAreInTimeOrderWithNatureLabelsAmendmentsAndDisputes() throws {
        let document = SARDocument(Self.bundle())
        #expect(document.entries.map(\.id) == [1, 3, 5], "oldest first")
        let html = SARHTML.html(document)
        #expect(html.contains("<h1>Subject access bundle: Sam Pellow (legal name Samuel Pellow)</h1>"))
        #expect(html.contains("Disclosed by the child") && html.contains("Reported by someone else"))
        #expect(html.contains("Amendment history (oldest first)") && html.contains("Wrong day recorded"))
        #expect(html.contains("Sam said he was [withheld: third-party information] on Tuesday"), "the earlier text, redacted too")
        #expect(html.contains("<strong class=\"tag\">DISPUTED</strong>"))
        #expect(html.contains("Disputed by Ms R. Pellow (mother), received 21/11/2026; recorded by Ada Marsh on 21/11/2026"))
        #expect(html.contains("We were never told [withheld: legal professional privilege] would be there."))
        #expect(html.contains("<strong class=\"tag\">WITHHELD</strong>") && html.contains("<strong class=\"tag\">WITHHELD IN PART</strong>"))
        #expect(html.contains("<th scope=\"row\">Requested by</th><td>Ms R. Pellow (mother)</td>"))
        #expect(html.contains("<th scope=\"row\">Answer due by</th><td>30/11/2026</td>"))
        #expect(html.contains("size: A4"))
        #expect(document.restrictedCount == 1)

        let root = try #require(try JSONSerialization.jsonObject(with: SARExporter.json(document)) as? [String: Any])
        #expect(root["format"] as? String == "cairn-subject-access" && root["version"] as? Int == 1)
        #expect((root["pupil"] as? [String: Any])?["dateOfBirth"] as? String == "2013-04-03")
        #expect((root["request"] as? [String: Any])?["due"] as? String == "2026-11-30")
        let entries = try #require(root["entries"] as? [[String: Any]])
        #expect(entries.map { $0["id"] as? Int } == [1, 3, 5])
        #expect(entries.map { $0["natureLabel"] as? String } == ["Disclosed by the child", nil, "Reported by someone else"])
        #expect(entries[1]["nature"] is NSNull, "every key is present, null when empty")
        #expect(entries.map { $0["withheld"] as? String } == ["part", "part", "whole"])
        #expect(entries.map { $0["disputed"] as? Bool } == [false, true, false])
        #expect(entries.map { $0["restricted"] as? Bool } == [false, false, true])
        let amendments = try #require(entries[0]["amendments"] as? [[String: Any]])
        #expect(amendments.first?["reason"] as? String == "Wrong day recorded")
        #expect(amendments.first?["previousText"] as? String == "Sam said he was [withheld: third-party information] on Tuesday")
    }

    @Test func theRedactionLogSaysWhatWhyWhoAndWhenButNotTheText() throws {
        let document = SARDocument(Self.bundle())
        #expect(document.redactions.map(\.part) == ["Passage of 20 characters", "Passage of 32 characters", "Passage of 7 characters",
                                                    "Whole entry", "Passage of 13 characters"])
        #expect(document.redactions.map(\.reason) == ["third-party information", "serious harm", "legal professional privilege",
                                                      "crime prevention", "third-party information"])
        #expect(document.redactions.allSatisfy { $0.byName == "Ada Marsh" })
        let html = SARHTML.html(document)
        #expect(html.contains("<td>Concern of 14/11/2026 09:15</td><td>Passage of 20 characters</td><td>third-party information</td><td>Ada Marsh</td><td>22/11/2026 09:01</td>"))
        #expect(!html.contains("Passage of 10 characters"), "a lifted withholding is not in the log of what is withheld")
        let root = try #require(try JSONSerialization.jsonObject(with: SARExporter.json(document)) as? [String: Any])
        let log = try #require(root["redactionLog"] as? [[String: Any]])
        #expect(log.count == 5 && log[3]["part"] as? String == "Whole entry" && log[3]["entry"] as? Int == 5)
    }

    @Test func whoHasLookedIsListed() throws {
        let document = SARDocument(Self.bundle())
        let html = SARHTML.html(document)
        #expect(html.contains("<h2>Who has looked at this file</h2>"))
        #expect(html.contains("<td>Rowan Quill (deputy.quill)</td><td>Deputy DSL</td><td>4</td><td>14/11/2026 10:30</td><td>21/11/2026 16:00</td>"))
        #expect(html.contains("<td>Tamsin Lowe (hoy.lowe)</td><td>Pastoral lead</td><td>1</td>"))
        let root = try #require(try JSONSerialization.jsonObject(with: SARExporter.json(document)) as? [String: Any])
        let looks = try #require(root["accessLog"] as? [[String: Any]])
        #expect(looks.map { $0["username"] as? String } == ["deputy.quill", "hoy.lowe"])
        #expect(looks.map { $0["reads"] as? Int } == [4, 1])
    }

    @Test func theFilesAreOwnerOnlyInANewFolderAndAFolderHoldsOneBundle() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-sar-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent("requests/pellow")
        let files = try SARExporter.write(SARDocument(Self.bundle()), to: folder)
        #expect(files.html.lastPathComponent == "subject-access.html" && files.json.lastPathComponent == "subject-access.json")
        func mode(_ path: String) -> Int {
            var info = stat()
            return stat(path, &info) == 0 ? Int(info.st_mode) & 0o7777 : -1
        }
        #expect(mode(folder.path) == 0o700)
        #expect(mode(files.html.path) == 0o600 && mode(files.json.path) == 0o600)
        let written = try Data(contentsOf: files.html) + Data(contentsOf: files.json)
        for secret in Self.secrets { #expect(!Self.contains(written, secret), "the files hold \(secret)") }

        let before = try Data(contentsOf: files.html)
        #expect(throws: SARExportError.bundleExists(path: files.html.path)) {
            try SARExporter.write(SARDocument(Self.bundle()), to: folder)
        }
        #expect(try Data(contentsOf: files.html) == before, "the bundle already there is untouched")
        // Half a bundle is a bundle too.
        try FileManager.default.removeItem(at: files.html)
        #expect(throws: SARExportError.bundleExists(path: files.json.path)) {
            try SARExporter.write(SARDocument(Self.bundle()), to: folder)
        }
        #expect(!FileManager.default.fileExists(atPath: files.html.path))
    }
}
