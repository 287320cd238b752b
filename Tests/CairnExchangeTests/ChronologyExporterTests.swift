import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Synthetic pupil: Sam Pellow (legal name Samuel Pellow), Year 8, with two entries handed to the
/// exporter out of order: an amended, significant concern and a call to a parent. (Entries the
/// exporter may not see never reach it: the store leaves them out.)
@Suite struct ChronologyExporterTests {
    static let upn = UPN.make(la: 937, establishment: 5102, year: 14, serial: 27).value
    static let pupil = PupilID(rawValue: 41)

    static func at(_ text: String) -> Date {
        UKDate.parseDateTime(text)!
    }

    static func header(name: String = "Sam Pellow", legalName: String = "Samuel Pellow") -> PupilHeader {
        PupilHeader(
            id: pupil, upn: upn, name: name, legalName: legalName, yearGroup: .year8, form: "8K",
            dateOfBirth: UKDate.parseDate("03/04/2013")!,
            flags: [ContextFlag(kind: .childInNeed, start: UKDate.parseDate("01/09/2025")!),
                    ContextFlag(kind: .youngCarer, start: UKDate.parseDate("01/01/2024")!,
                                end: UKDate.parseDate("31/07/2025")!)],
            levelOfNeed: .targeted, caseHolderName: "Rowan Quill", openActions: 2)
    }

    static let concern = EntryDetail(
        row: ChronologyRow(
            entry: ChronologyEntry(id: 1, pupil: pupil, occurredAt: at("14/11/2026 09:15"), kind: .concern,
                                   summary: "Sam said he was left alone overnight on Monday", author: "jo.bright",
                                   nature: .disclosed, significant: true),
            authorName: "Jo Bright", amended: true),
        body: "Sam said he was left alone overnight on Monday and had no tea.\n\nHe asked me not to tell his dad.",
        fields: [EntryField(label: "Where", value: "Science lab 2"),
                 EntryField(label: "Action taken", value: "Passed to the DSL at break")],
        amendments: [EntryAmendment(previousText: "Sam said he was left alone overnight on Tuesday",
                                    newText: "Sam said he was left alone overnight on Monday",
                                    reason: "Wrong day recorded", byName: "Jo Bright", at: at("15/11/2026 08:30"))],
        recordedAt: at("14/11/2026 10:02"))

    static let call = EntryDetail(
        row: ChronologyRow(
            entry: ChronologyEntry(id: 3, pupil: pupil, occurredAt: at("20/11/2026 16:40"), kind: .contact,
                                   summary: "Phoned mum about Monday night", author: "deputy.quill"),
            authorName: "Rowan Quill"),
        body: "Phoned mum about Monday night. She said an aunt was meant to be there.",
        recordedAt: at("20/11/2026 16:40"))

    static func export(_ entries: [EntryDetail] = [call, concern], header: PupilHeader = header(),
                       school: String = "Hollins Brook Academy", by: String = "Ada Marsh",
                       when: Date = at("22/11/2026 14:05")) -> ChronologyExport {
        ChronologyExport(schoolName: school, header: header, entries: entries, exportedBy: by, exportedAt: when)
    }

    static func entry(body: String, author: String = "Jo Bright", label: String = "Where") -> EntryDetail {
        var detail = concern
        detail.row.entry.summary = body
        detail.row.authorName = author
        detail.body = body
        detail.fields = [EntryField(label: label, value: body)]
        detail.amendments[0].previousText = body
        detail.amendments[0].reason = body
        return detail
    }

    static func lines(_ text: String) -> [String] {
        text.components(separatedBy: "\n")
    }

    static func position(_ needle: String, in text: String) throws -> String.Index {
        try #require(text.range(of: needle), "missing \(needle)").lowerBound
    }

    // MARK: Content

    @Test func headerSaysWhoTheChildIsAndWhoExported() {
        let text = ChronologyExporter.text(Self.export())
        let lines = Self.lines(text)
        #expect(lines.first == "OFFICIAL-SENSITIVE: safeguarding record")
        for expected in [
            "Hollins Brook Academy",
            "Chronology of Sam Pellow (legal name Samuel Pellow)",
            "UPN             \(Self.upn)",
            "Date of birth   03/04/2013 (age 13)",
            "Year group      Year 8",
            "Form            8K",
            "Context flags   Child in need from 01/09/2025 (current)",
            "                Young carer from 01/01/2024 to 31/07/2025",
            "Level of need   3 Targeted",
            "Case holder     Rowan Quill",
            "Open actions    2",
            "Exported by Ada Marsh on 22/11/2026 14:05",
        ] {
            #expect(lines.contains(expected), "text header lacks \(expected)")
        }
        // Marked at the top, again under the header, and at the end.
        #expect(lines.filter { $0.contains("OFFICIAL-SENSITIVE: safeguarding record") }.count == 3)
        #expect(lines.last(where: { !$0.isEmpty }) == "End of chronology. OFFICIAL-SENSITIVE: safeguarding record")

        let html = ChronologyExporter.html(Self.export())
        for expected in [
            "<html lang=\"en-GB\">",
            "<h1>Chronology of Sam Pellow (legal name Samuel Pellow)</h1>",
            "<tr><th scope=\"row\">UPN</th><td>\(Self.upn)</td></tr>",
            "<td>03/04/2013 (age 13)</td>",
            "<td>Child in need from 01/09/2025 (current)<br>Young carer from 01/01/2024 to 31/07/2025</td>",
            "<td>3 Targeted</td>", "<td>Rowan Quill</td>",
            "Exported by Ada Marsh on 22/11/2026 14:05",
        ] {
            #expect(html.contains(expected), "HTML header lacks \(expected)")
        }
    }

    @Test func legalNameOnlyWhenItDiffersAndEmptyFieldsSaySo() {
        var header = Self.header(name: "Samuel Pellow", legalName: "Samuel Pellow")
        header.flags = []
        header.levelOfNeed = nil
        header.caseHolderName = nil
        let lines = Self.lines(ChronologyExporter.text(Self.export([], header: header)))
        #expect(lines.contains("Chronology of Samuel Pellow"))
        #expect(!lines.contains { $0.contains("legal name") })
        #expect(lines.contains("Context flags   None recorded"))
        #expect(lines.contains("Level of need   None recorded"))
        #expect(lines.contains("Case holder     None assigned"))
        #expect(lines.contains("0 entries, oldest first."))
    }

    @Test func summerExportIsInLondonTime() {
        // 10 June 2026 08:15 UTC is 09:15 in London (BST).
        let when = Date(timeIntervalSince1970: 1_781_079_300)
        let text = ChronologyExporter.text(Self.export(when: when))
        #expect(text.contains("Exported by Ada Marsh on 10/06/2026 09:15"))
    }

    @Test func entriesRunOldestFirstWithTheAmendmentHistory() throws {
        // Handed over newest first and shuffled: the files still read oldest first.
        let text = ChronologyExporter.text(Self.export())
        // Wrapped between its parts, the continuation under the first.
        let concern = try Self.position("""
            14/11/2026 09:15  Concern · by Jo Bright · Disclosed by the child ·
                              SIGNIFICANT · (amended)
            """, in: text)
        let call = try Self.position("20/11/2026 16:40  Contact · by Rowan Quill", in: text)
        #expect(concern < call)
        #expect(text.contains("2 entries, oldest first."))

        let lines = Self.lines(text)
        let body = try #require(lines.firstIndex(of: "  Sam said he was left alone overnight on Monday and had no tea."))
        #expect(lines[body + 1] == "", "the blank line between paragraphs is kept")
        #expect(lines[body + 2] == "  He asked me not to tell his dad.")
        #expect(lines.contains("  Recorded 14/11/2026 10:02"))
        #expect(lines.contains("  Where:        Science lab 2"))
        #expect(lines.contains("  Action taken: Passed to the DSL at break"))
        let history = try #require(lines.firstIndex(of: "  Amendment history (oldest first):"))
        #expect(history > body)
        #expect(Array(lines[(history + 1)...(history + 4)]) == [
            "    1. Amended 15/11/2026 08:30 by Jo Bright",
            "       Reason: Wrong day recorded",
            "       Previous text:",
            "         Sam said he was left alone overnight on Tuesday",
        ])
        // The call has no markers it was not given.
        let callLine = try #require(lines.first { $0.hasPrefix("20/11/2026 16:40") })
        #expect(!callLine.contains("SIGNIFICANT") && !callLine.contains("amended"))

        let html = ChronologyExporter.html(Self.export())
        let htmlConcern = try Self.position("14/11/2026 09:15", in: html)
        let htmlCall = try Self.position("20/11/2026 16:40", in: html)
        #expect(htmlConcern < htmlCall)
        #expect(html.contains("<strong class=\"tag\">SIGNIFICANT</strong> · (amended)"))
        #expect(html.contains("<div class=\"body\">Sam said he was left alone overnight on Monday and had no tea.\n\nHe asked me not to tell his dad.</div>"))
        #expect(html.contains("Amended 15/11/2026 08:30 by Jo Bright"))
        #expect(html.contains("<span class=\"label\">Reason:</span> Wrong day recorded"))
        #expect(html.contains("<div class=\"previous\">Sam said he was left alone overnight on Tuesday</div>"))
        #expect(html.contains("<dt>Where</dt><dd>Science lab 2</dd>"))
    }

    @Test func textWrapsAt78ColumnsWithoutLosingWords() {
        let words = (1...120).map { "word\($0)" } + [String(repeating: "x", count: 150)]
        let long = words.joined(separator: " ")
        let text = ChronologyExporter.text(Self.export([Self.entry(body: long)],
                                                       school: "The " + String(repeating: "Very Long ", count: 12) + "School"))
        let lines = Self.lines(text)
        #expect(lines.allSatisfy { $0.count <= 78 }, "longest line is \(lines.map(\.count).max() ?? 0)")
        // The body, the field, the reason and the previous text each still hold every word, in order.
        let joined = lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(joined.components(separatedBy: "word1 word2 word3").count - 1 == 4)
        #expect(joined.components(separatedBy: "word119 word120 ").count - 1 == 4)
        #expect(lines.filter { $0.contains("word") }.count > 4 * 10, "wrapped onto many lines")
        let tokens: [Substring] = lines.flatMap { line in line.split(separator: " ") }
        let xs = tokens.filter { token in token.allSatisfy { character in character == "x" } }
            .reduce(0) { sum, token in sum + token.count }
        #expect(xs == 150 * 4, "the unbroken word is split, not cut")
    }

    // MARK: Hostile text

    @Test func hostileTextIsEscapedInTheHTML() throws {
        let hostile = "<script>alert(\"x\")</script> Tom & Jerry's <img src=x onerror=alert(1)>"
        let html = ChronologyExporter.html(Self.export(
            [Self.entry(body: hostile, author: "Eve \"<b>\"", label: "<i>Where</i>")],
            header: Self.header(name: "Sam <u>Pellow</u>"), school: "Hollins & 'Brook'", by: "Ada <Marsh>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry&#39;s &lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("by Eve &quot;&lt;b&gt;&quot;"))
        #expect(html.contains("<dt>&lt;i&gt;Where&lt;/i&gt;</dt>"))
        #expect(html.contains("Chronology of Sam &lt;u&gt;Pellow&lt;/u&gt;"))
        #expect(html.contains("Hollins &amp; &#39;Brook&#39;"))
        #expect(html.contains("Exported by Ada &lt;Marsh&gt;"))

        // Every tag in the file is one the exporter wrote.
        let allowed: Set<String> = ["!doctype", "html", "head", "meta", "title", "style", "body", "p", "header", "h1",
                                    "h2", "h3", "table", "tbody", "tr", "th", "td", "br", "main", "ol", "li", "span",
                                    "strong", "div", "dl", "dt", "dd", "section", "footer"]
        let tags = try Regex("<(/?)([!A-Za-z][A-Za-z0-9]*)")
        let found = Set(html.matches(of: tags).map { String(html[$0.range].dropFirst().drop { $0 == "/" }).lowercased() })
        #expect(found.isSubset(of: allowed), "unexpected tags \(found.subtracting(allowed))")
        // Escaping the apostrophe and quotes matters inside attributes; the text file keeps them as typed.
        #expect(ChronologyExporter.text(Self.export([Self.entry(body: hostile)])).contains(hostile))
    }

    @Test func escapeSequencesAreNeutralisedInBothFiles() throws {
        let clear = "\u{1B}[2J"
        let clipboard = "\u{1B}]52;c;SGVsbG8=\u{07}"
        let hostile = "Before\(clear)after \(clipboard) \u{9B}31mred \u{202E}reversed\r\nnext line"
        let export = Self.export([Self.entry(body: hostile, author: "Jo\u{1B}[5m Bright")],
                                 header: Self.header(name: "Sam\u{1B}[8m Pellow"),
                                 school: "Hollins\u{1B}]0;title\u{07} Brook", by: "Ada\u{7F} Marsh")
        for (name, output) in [("text", ChronologyExporter.text(export)), ("html", ChronologyExporter.html(export))] {
            let bad = output.unicodeScalars.filter { scalar in
                (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
                    || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            }
            #expect(bad.isEmpty, "\(name) holds \(bad.map { String($0.value, radix: 16) })")
            // Shown, not obeyed: the DSL can see something odd was there.
            #expect(output.contains("Before␛[2Jafter ␛]52;c;SGVsbG8=␇"), "\(name)")
            #expect(output.contains("Sam␛[8m Pellow") && output.contains("Hollins␛]0;title␇ Brook"), "\(name)")
            #expect(output.contains("Jo␛[5m Bright") && output.contains("Ada␡ Marsh"), "\(name)")
        }
        // CRLF in the body is a line break, not a stray CR.
        #expect(Self.lines(ChronologyExporter.text(export)).contains("  next line"))
    }

    @Test func htmlIsSelfContainedAndPrintsOnA4() {
        let html = ChronologyExporter.html(Self.export())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en-GB\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("size: A4;"))
        #expect(html.contains("li.entry { break-inside: avoid; page-break-inside: avoid;"))
        #expect(html.contains("@top-center { content: \"OFFICIAL-SENSITIVE: safeguarding record\""))
        #expect(html.contains("@bottom-left { content: \"OFFICIAL-SENSITIVE: safeguarding record\""))
        #expect(html.components(separatedBy: "<p class=\"marking\">OFFICIAL-SENSITIVE: safeguarding record</p>").count - 1 == 2)
        let lower = html.lowercased()
        for forbidden in ["<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "http://", "https://", "javascript:"] {
            #expect(!lower.contains(forbidden), "HTML contains \(forbidden)")
        }
        #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""))
    }

    // MARK: Files

    static func scratchFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        return url
    }

    static func permissions(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }

    static func contents(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    @Test func filesAreOwnerOnlyInAnOwnerOnlyFolder() throws {
        let scratch = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("exports/sam")
        let export = Self.export()
        let paths = try ChronologyExporter.write(export, to: folder)

        #expect(paths.text.lastPathComponent == "chronology-\(Self.upn)-20261122-1405.txt")
        #expect(paths.html.lastPathComponent == "chronology-\(Self.upn)-20261122-1405.html")
        #expect(paths.text.deletingLastPathComponent().standardizedFileURL.path == folder.standardizedFileURL.path)
        #expect(try Self.permissions(folder) == 0o700)
        #expect(try Self.permissions(folder.deletingLastPathComponent()) == 0o700)
        #expect(try Self.permissions(paths.text) == 0o600)
        #expect(try Self.permissions(paths.html) == 0o600)
        #expect(try Self.contents(paths.text) == ChronologyExporter.text(export))
        #expect(try Self.contents(paths.html) == ChronologyExporter.html(export))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 2)
    }

    @Test func fileNameUsesLondonTime() throws {
        let scratch = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // 10 June 2026 08:15 UTC: 09:15 in London.
        let paths = try ChronologyExporter.write(Self.export(when: Date(timeIntervalSince1970: 1_781_079_300)), to: scratch)
        #expect(paths.text.lastPathComponent == "chronology-\(Self.upn)-20260610-0915.txt")
    }

    @Test func exportsInTheSameMinuteNeverOverwrite() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var earlier = Self.export()
        earlier.exportedBy = "First Exporter"
        let first = try ChronologyExporter.write(earlier, to: folder)
        let second = try ChronologyExporter.write(Self.export(), to: folder)
        #expect(Set([first.text, first.html, second.text, second.html].map(\.path)).count == 4)
        #expect(second.text.lastPathComponent == "chronology-\(Self.upn)-20261122-1405-2.txt")
        #expect(second.html.lastPathComponent == "chronology-\(Self.upn)-20261122-1405-2.html")
        #expect(try Self.contents(first.text).contains("Exported by First Exporter"), "first export untouched")
        #expect(try Self.contents(second.text).contains("Exported by Ada Marsh"))

        // Someone's own file holding one of the next names: left alone, and the pair moves on together.
        let squatter = folder.appendingPathComponent("chronology-\(Self.upn)-20261122-1405-3.html")
        try "keep me".write(to: squatter, atomically: false, encoding: .utf8)
        let third = try ChronologyExporter.write(Self.export(), to: folder)
        #expect(third.text.lastPathComponent == "chronology-\(Self.upn)-20261122-1405-4.txt")
        #expect(third.html.lastPathComponent == "chronology-\(Self.upn)-20261122-1405-4.html")
        #expect(try Self.contents(squatter) == "keep me")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("chronology-\(Self.upn)-20261122-1405-3.txt").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 7)
    }

    /// Root ignores folder permissions, so this runs only as an ordinary user.
    @Test(.enabled(if: geteuid() != 0, "root can write anywhere"))
    func unwritableFolderNamesThePath() throws {
        let folder = try Self.scratchFolder()
        defer {
            chmod(folder.path, 0o700)
            try? FileManager.default.removeItem(at: folder)
        }
        #expect(chmod(folder.path, 0o500) == 0)
        let path = folder.standardizedFileURL.path + "/chronology-\(Self.upn)-20261122-1405.txt"
        #expect(throws: ChronologyExportError.cannotWrite(path: path, reason: "permission denied")) {
            try ChronologyExporter.write(Self.export(), to: folder)
        }
        #expect(ChronologyExportError.cannotWrite(path: path, reason: "permission denied").description
            == "Cannot write to \(path): permission denied")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func folderThatCannotBeMadeNamesThePath() throws {
        let scratch = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("notes.txt")
        try "not a folder".write(to: file, atomically: false, encoding: .utf8)
        let filePath = file.standardizedFileURL.path

        do {
            _ = try ChronologyExporter.write(Self.export(), to: file)
            Issue.record("wrote into a file")
        } catch let error as ChronologyExportError {
            #expect(error == .notAFolder(path: filePath))
            #expect(error.description == "Cannot write to \(filePath): it is not a folder")
        }

        let below = file.appendingPathComponent("exports")
        do {
            _ = try ChronologyExporter.write(Self.export(), to: below)
            Issue.record("made a folder inside a file")
        } catch let error as ChronologyExportError {
            #expect(error.path == filePath + "/exports")
            #expect(error.description == "Cannot create the folder \(filePath)/exports: part of the path is not a folder")
        }
        #expect(try Self.contents(file) == "not a folder")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["notes.txt"])
    }
}
