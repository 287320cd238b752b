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

/// The chronology export shows a disputed entry with the family's statement and a concern typed from
/// paper with where it came from; the blank paper form asks the dashboard's questions.
@Suite struct BackfillExchangeTests {
    typealias Base = ChronologyExporterTests

    static let paper = PaperOriginal(writtenAt: Base.at("14/11/2026 09:30"), writtenBy: "Jo Bright", typedBy: "dsl.marsh",
                                     typedByName: "Ada Marsh", typedAt: Base.at("16/11/2026 08:10"))

    static let statement = "We do not agree Sam was left alone.\n\nHis aunt was there <all night> & \"we can prove it\".\n"

    /// The concern, typed from paper and unverified, disputed by his mother.
    static var disputedConcern: EntryDetail {
        var detail = Base.concern
        detail.row.paper = paper
        detail.disputes = [Dispute(id: 5, entryID: 1, statement: statement, madeBy: "Mother, Kerry Pellow",
                                   receivedAt: UKDate.parseDate("21/11/2026")!, recordedBy: "dsl.marsh",
                                   recordedByName: "Ada Marsh", recordedAt: Base.at("21/11/2026 15:30"))]
        detail.row.disputes = 1
        return detail
    }

    @Test func theTextExportSaysDisputedAndGivesTheStatementWordForWord() throws {
        let text = ChronologyExporter.text(Base.export([Base.call, Self.disputedConcern]))
        let lines = Base.lines(text)
        #expect(lines.contains("14/11/2026 09:15  Concern · by Jo Bright · Disclosed by the child ·"))
        #expect(lines.contains("                  SIGNIFICANT · (amended) · paper, unverified · DISPUTED"))
        #expect(text.contains("  From paper written 14/11/2026 09:30 by Jo Bright, typed 16/11/2026 08:10 by\n"
            + "  Ada Marsh, awaiting verification against the paper"))
        #expect(lines.contains("  Disputed by the family: 1 statement, oldest first"))
        #expect(lines.contains("    1. Disputed by Mother, Kerry Pellow: statement received 21/11/2026,"))
        #expect(lines.contains("       recorded 21/11/2026 15:30 by Ada Marsh"))
        #expect(lines.contains("       Their statement, word for word:"))
        // Each line of the statement as written, the blank line between its paragraphs kept.
        let start = try #require(lines.firstIndex(of: "         We do not agree Sam was left alone."))
        #expect(lines[start + 1] == "")
        #expect(lines[start + 2] == "         His aunt was there <all night> & \"we can prove it\".")
        #expect(try Base.position("Amendment history", in: text) < Base.position("Disputed by the family", in: text))
        #expect(lines.allSatisfy { $0.count <= ChronologyExporter.textWidth })
        // The call is neither disputed nor from paper.
        let call = try #require(lines.first { $0.hasPrefix("20/11/2026 16:40") })
        #expect(!call.contains("DISPUTED") && !call.contains("paper"))
    }

    @Test func theHTMLExportMarksItAndEscapesTheStatement() {
        let html = ChronologyExporter.html(Base.export([Base.call, Self.disputedConcern]))
        #expect(html.contains("(amended) · paper, unverified · <strong class=\"tag\">DISPUTED</strong></p>"))
        #expect(html.contains("<p class=\"recorded paper\">From paper written 14/11/2026 09:30 by Jo Bright, typed 16/11/2026 08:10 by Ada Marsh, awaiting verification against the paper</p>"))
        #expect(html.contains("<section class=\"disputes\">\n<h3>Disputed by the family: 1 statement, oldest first</h3>"))
        #expect(html.contains("<div class=\"statement\">We do not agree Sam was left alone.\n\nHis aunt was there &lt;all night&gt; &amp; &quot;we can prove it&quot;.</div>"))
        #expect(!html.contains("<all night>"))
        #expect(html.components(separatedBy: "class=\"disputes\"").count == 2, "one entry is disputed")
    }

    @Test func aVerifiedPaperSaysWhoCheckedIt() {
        var detail = Self.disputedConcern
        detail.row.paper?.verifiedBy = "deputy.quill"
        detail.row.paper?.verifiedByName = "Rowan Quill"
        detail.row.paper?.verifiedAt = Base.at("16/11/2026 09:00")
        let text = ChronologyExporter.text(Base.export([detail]))
        #expect(text.contains("(amended) · paper, verified · DISPUTED"))
        #expect(text.contains("verified by Rowan Quill on 16/11/2026 09:00"))
    }

    // MARK: The paper form

    @Test func thePaperFormAsksEveryQuestionOfTheDashboardsFormInOrder() throws {
        let html = PaperConcernForm.html()
        var last = html.startIndex
        for question in ConcernQuestion.report {
            let label = "<p class=\"label\">\(ChronologyExporterHTMLEscape.escape(question.label))</p>"
            let found = try #require(html.range(of: label, range: last..<html.endIndex), "\(question.label) is missing or out of order")
            last = found.upperBound
        }
        for category in ConcernCategory.allCases {
            #expect(html.contains("<li><span class=\"tick\"></span>\(ChronologyExporterHTMLEscape.escape(category.label))</li>"))
        }
        for answer in Nature.allCases.map(\.label) + Urgency.allCases.map(\.answer) {
            #expect(html.contains("<span class=\"tick\"></span>\(ChronologyExporterHTMLEscape.escape(answer))</li>"))
        }
        for label in ["Your name", "Signature", "Written at", "Checked against this paper by (not the typist)"] {
            #expect(html.contains(label))
        }
        #expect(html.contains("size: A4;"))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
    }

    @Test func theFormIsWrittenOnceAndReplacedOnlyWhenAsked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-form-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(PaperConcernForm.defaultFileName).path
        try PaperConcernForm.write(to: path, replacing: false)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == PaperConcernForm.html())
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o644, "a blank form may be read by anyone, to print")

        try "mine".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: PaperFormExists(path: path)) { try PaperConcernForm.write(to: path, replacing: false) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mine", "nothing is overwritten without asking")
        try PaperConcernForm.write(to: path, replacing: true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == PaperConcernForm.html())
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [PaperConcernForm.defaultFileName],
                "no temporary file is left behind")
        #expect(throws: ChronologyExportError.self) { try PaperConcernForm.write(to: folder.path, replacing: true) }
    }
}

/// The exporter's escaping, as the tests expect to see it in the page.
enum ChronologyExporterHTMLEscape {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
