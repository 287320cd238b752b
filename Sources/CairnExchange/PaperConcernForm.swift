import CairnDomain
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A blank concern form to print and keep by, for the day Cairn cannot be reached (`cairn form`).
/// It asks the dashboard's questions, in the dashboard's order and words (`ConcernQuestion`, the
/// category and nature lists of the domain), so that a filled-in paper types straight back in with
/// `--from-paper`. One self-contained page of HTML laid out for A4: boxes and lines to write in,
/// tick boxes to tick, nothing fetched from anywhere and no personal data.
public enum PaperConcernForm {
    public static let defaultFileName = "cairn-concern-form.html"
    /// The marking a filled-in form carries; it is blank when printed.
    public static let marking = "OFFICIAL-SENSITIVE once filled in: safeguarding record"

    public static func html() -> String {
        var out = [ChronologyExporter.documentHead(title: "Safeguarding concern: paper form", stylesheet: stylesheet)]
        out.append("""
            <body>
            <p class="marking">\(escape(marking))</p>
            <h1>Safeguarding concern</h1>
            <p class="use">For when Cairn cannot be reached. Write clearly in black ink. If the child is at risk now, \
            tell a DSL in person at once: do not wait to finish this form. Hand the form to the DSL the same day. \
            It is typed into Cairn later, and a second person checks the typing against this paper, so keep it \
            until the DSL says it has been checked.</p>
            <ol class="questions">
            """)
        for question in ConcernQuestion.report { out.append(item(question)) }
        out.append("""
            <li class="question signed">
            <p class="label">\(escape(ConcernQuestion.writtenBy.label))</p>
            \(line("Your name"))
            \(line("Your role"))
            \(line("Signature"))
            <p class="label">\(escape(ConcernQuestion.writtenAt.label))</p>
            \(dateAndTime)
            </li>
            </ol>
            <section class="office">
            <h2>For the DSL: typing in and checking</h2>
            <p class="hint">Type it in with the concern form's "typed from paper" part (or <code>cairn concern log --from-paper</code>), \
            giving the name and time written above. A different member of staff then checks the typed record against this paper.</p>
            \(line("Typed into Cairn by"))
            \(line("Concern reference"))
            \(line("Checked against this paper by (not the typist)"))
            <p class="label">Checked on</p>
            \(dateAndTime)
            </section>
            <p class="marking">\(escape(marking))</p>
            </body>
            </html>
            """)
        return out.joined(separator: "\n") + "\n"
    }

    /// One question: its label and guidance, and somewhere to answer it.
    private static func item(_ question: ConcernQuestion) -> String {
        var out = ["<li class=\"question\">", "<p class=\"label\">\(escape(question.label))</p>"]
        if let hint = question.hint, question != .time { out.append("<p class=\"hint\">\(escape(hint))</p>") }
        switch question {
        case .pupils:
            out.append("<table class=\"pupils\"><thead><tr><th>Name</th><th>Year and form</th><th>UPN, if known</th></tr></thead><tbody>")
            out += Array(repeating: "<tr><td></td><td></td><td></td></tr>", count: 3)
            out.append("</tbody></table>")
        case .date:
            out.append("<p class=\"boxes\">\(cells(2)) / \(cells(2)) / \(cells(4))</p>")
        case .time:
            out.append("<p class=\"boxes\">\(cells(2)) : \(cells(2)) <span class=\"hint\">\(escape(question.hint ?? ""))</span></p>")
        case .location:
            out.append(lines(1))
        case .account:
            out.append(lines(12))
        case .childWords:
            out.append(lines(6))
        case .nature:
            out.append(ticks(Nature.allCases.map(\.label), rule: "Tick one"))
        case .reporterAction:
            out.append(lines(5))
        case .categories:
            out.append(ticks(ConcernCategory.allCases.map(\.label), rule: "Tick all that apply", columns: true))
        case .atRisk:
            out.append(ticks(Urgency.allCases.map(\.answer), rule: "Tick one"))
        case .writtenBy, .writtenAt:
            break
        }
        out.append("</li>")
        return out.joined(separator: "\n")
    }

    private static let dateAndTime = "<p class=\"boxes\">\(cells(2)) / \(cells(2)) / \(cells(4)) &nbsp; at &nbsp; \(cells(2)) : \(cells(2))</p>"

    private static func cells(_ count: Int) -> String {
        String(repeating: "<span class=\"cell\"></span>", count: count)
    }

    private static func lines(_ count: Int) -> String {
        "<div class=\"lines\">" + String(repeating: "<div class=\"line\"></div>", count: count) + "</div>"
    }

    /// A labelled line to write on.
    private static func line(_ label: String) -> String {
        "<p class=\"write\"><span class=\"label\">\(escape(label))</span><span class=\"rule\"></span></p>"
    }

    private static func ticks(_ options: [String], rule: String, columns: Bool = false) -> String {
        let items = options.map { "<li><span class=\"tick\"></span>\(escape($0))</li>" }.joined()
        return "<p class=\"hint\">\(escape(rule))</p><ul class=\"ticks\(columns ? " columns" : "")\">\(items)</ul>"
    }

    private static func escape(_ text: String) -> String { ChronologyExporter.escape(text) }

    /// Black on white, borders only (browsers leave backgrounds out of print), system fonts.
    static let stylesheet = """
        @page {
          size: A4;
          margin: 14mm 14mm 16mm 14mm;
          @bottom-left { content: "Cairn: safeguarding concern, paper form"; font: 8pt Arial, Helvetica, sans-serif; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, Helvetica, sans-serif; }
        }
        html { font: 10.5pt/1.35 Arial, Helvetica, "Liberation Sans", sans-serif; color: #000; background: #fff; }
        body { margin: 0 auto; max-width: 182mm; padding: 2mm; }
        .marking { font-weight: 700; text-align: center; border: 1.5pt solid #000; padding: 1.5mm; margin: 0 0 3mm; }
        h1 { font-size: 16pt; margin: 0 0 2mm; }
        h2 { font-size: 12pt; margin: 0 0 1mm; }
        .use { margin: 0 0 3mm; }
        ol.questions { margin: 0; padding-left: 7mm; }
        .question { margin: 0 0 3mm; break-inside: avoid; page-break-inside: avoid; }
        .label { font-weight: 700; margin: 0; }
        .hint { font-size: 9pt; margin: 0 0 1mm; }
        .boxes { margin: 1mm 0; }
        .cell { display: inline-block; width: 6mm; height: 8mm; border: 1pt solid #000; margin-right: 0.5mm; vertical-align: middle; }
        .lines { border: 1pt solid #000; padding: 0 2mm; }
        .line { height: 8mm; border-bottom: 0.5pt solid #666; }
        .line:last-child { border-bottom: none; }
        .write { display: flex; align-items: flex-end; margin: 2mm 0; }
        .write .rule { flex: 1; border-bottom: 1pt solid #000; height: 7mm; margin-left: 2mm; }
        .write .label { font-weight: 400; white-space: nowrap; }
        ul.ticks { list-style: none; margin: 0; padding: 0; }
        ul.ticks li { margin: 1mm 0; break-inside: avoid; }
        ul.ticks.columns { columns: 3; column-gap: 6mm; }
        .tick { display: inline-block; width: 4.5mm; height: 4.5mm; border: 1pt solid #000; margin-right: 2mm; vertical-align: -1mm; }
        table.pupils { border-collapse: collapse; width: 100%; }
        table.pupils th { text-align: left; font-size: 9pt; font-weight: 400; padding: 0 1mm; }
        table.pupils td { border: 1pt solid #000; height: 9mm; }
        table.pupils th:first-child { width: 50%; }
        .office { border: 1pt dashed #000; padding: 2mm 3mm; margin: 2mm 0 3mm; break-inside: avoid; page-break-inside: avoid; }
        code { font-size: 9pt; }
        """
}

// MARK: The file

extension PaperConcernForm {
    /// Writes the form to `path`: a new file only, unless `replacing` (then it is swapped in whole).
    /// A blank form holds nothing personal, so it may be read by anyone (0644) to print.
    public static func write(to path: String, replacing: Bool) throws {
        let data = Data(html().utf8)
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw ChronologyExportError.cannotWrite(path: path, reason: "it is a folder")
        }
        guard replacing else {
            guard try ChronologyExporter.createNew(path, data, mode: 0o644) else { throw PaperFormExists(path: path) }
            return
        }
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.cairn-form-\(UUID().uuidString).tmp"
        guard try ChronologyExporter.createNew(temporary, data, mode: 0o644) else { throw PaperFormExists(path: temporary) }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw ChronologyExportError.cannotWrite(path: path, reason: ChronologyExporter.reason(code))
        }
    }
}

/// The form was not written because a file of that name is there already.
public struct PaperFormExists: Error, Equatable, CustomStringConvertible {
    public let path: String
    public init(path: String) { self.path = path }
    public var description: String { "\(path) already exists; choose another --out, or add --force to replace it" }
}
