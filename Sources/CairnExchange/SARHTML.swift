import CairnDomain
import CairnStore
import Foundation

/// The bundle as one print-ready page, in the chronology export's A4 style: the child's details,
/// the request, every entry oldest first with its nature label, history and any dispute, the
/// redaction log, and who has looked at the file. Text is sanitised, then escaped.
public enum SARHTML {
    public static func html(_ document: SARDocument) -> String {
        let e = ChronologyExporter.escape
        let exported = "Prepared by \(clean(document.exportedBy)) on \(UKDate.dateTime(document.exportedAt))"
        var out: [String] = []
        out.append("""
            \(ChronologyExporter.htmlHead(title: title(document), extraStyle: stylesheet))
            <header>
            <p class="school">\(e(clean(document.schoolName)))</p>
            <h1>\(e(title(document)))</h1>
            """)
        out.append(table(headerRows(document)))
        out.append("<h2>The request</h2>")
        out.append(table(requestRows(document.request)))
        out.append("""
            <p class="exported">\(e(exported))</p>
            </header>
            <main>
            <section class="about">
            <h2>About this file</h2>
            \(about.map { "<p>\(e($0))</p>" }.joined(separator: "\n"))
            </section>
            <h2>Entries</h2>
            <p class="count">\(e(countLine(document.entries.count)))</p>
            <ol class="entries">
            """)
        out += document.entries.map { entry(document, $0) }
        out.append("</ol>")
        out.append("<h2>Redaction log</h2>")
        if document.redactions.isEmpty {
            out.append("<p>Nothing in this file has been withheld.</p>")
        } else {
            out.append(grid(["Entry", "What was withheld", "Reason", "By", "When"], document.redactions.map { line in
                ["\(line.entryKind.label) of \(UKDate.dateTime(line.entryOccurredAt))", line.part, line.reason, line.byName,
                 UKDate.dateTime(line.at)]
            }))
        }
        out.append("<h2>Who has looked at this file</h2>")
        if document.looks.isEmpty {
            out.append("<p>Nobody has opened this file.</p>")
        } else {
            out.append(grid(["Member of staff", "Role", "Times", "First", "Most recent"], document.looks.map { look in
                ["\(look.name ?? look.username) (\(look.username))", look.role?.label ?? "", String(look.reads),
                 UKDate.dateTime(look.first), UKDate.dateTime(look.last)]
            }))
        }
        out.append("""
            </main>
            <footer>
            <p class="end">End of the subject access bundle. \(e(exported))</p>
            <p class="marking">\(e(ChronologyExporter.marking))</p>
            </footer>
            </body>
            </html>
            """)
        return out.joined(separator: "\n") + "\n"
    }

    /// "Subject access bundle: Sam Pellow (legal name Samuel Pellow)".
    static func title(_ document: SARDocument) -> String {
        ChronologyExporter.title(document.header).replacingOccurrences(of: "Chronology of ", with: "Subject access bundle: ")
    }

    static func headerRows(_ document: SARDocument) -> [(String, [String])] {
        ChronologyExporter.headerFields(ChronologyExport(schoolName: document.schoolName, header: document.header, entries: [],
                                                         exportedBy: document.exportedBy, exportedAt: document.exportedAt))
    }

    static func requestRows(_ request: SARRequest?) -> [(String, [String])] {
        guard let request else { return [("Request", ["No request is recorded in Cairn for this pupil."])] }
        return [
            ("Requested by", ["\(clean(request.requester)) (\(clean(request.relationship)))"]),
            ("Received", [UKDate.date(request.received)]),
            ("Answer due by", [UKDate.date(request.due)]),
        ]
    }

    /// What a family needs to read the file.
    static let about = [
        "This is every entry in the safeguarding file the school keeps in Cairn, oldest first. Each account says "
            + "how it is known: seen by the person who wrote it, disclosed by the child, reported by someone else, or "
            + "that person's opinion.",
        "Entries are never overwritten. Where an entry was corrected, its earlier text is shown under it with who "
            + "corrected it, when and why. Where the family disputes an entry, their statement is shown with it.",
        "Where information has been withheld under an exemption in the Data Protection Act 2018, it is replaced by "
            + "[withheld: the reason]. The redaction log lists each thing withheld, why, by whom and when.",
    ]

    static func countLine(_ count: Int) -> String {
        "\(count) \(count == 1 ? "entry" : "entries"), oldest first."
    }

    private static func entry(_ document: SARDocument, _ entry: SARDocument.Entry) -> String {
        let e = ChronologyExporter.escape
        let meta = document.metaParts(entry).map { part in
            ["SIGNIFICANT", "DISPUTED", "WITHHELD", "WITHHELD IN PART"].contains(part) ? "<strong class=\"tag\">\(e(part))</strong>" : e(part)
        }.joined(separator: " · ")
        var out = ["<li class=\"entry\">",
                   "<p class=\"meta\"><span class=\"when\">\(e(UKDate.dateTime(entry.occurredAt)))</span> \(meta)</p>"]
        if UKDate.dateTime(entry.occurredAt) != UKDate.dateTime(entry.recordedAt) {
            out.append("<p class=\"recorded\">\(e("Recorded \(UKDate.dateTime(entry.recordedAt))"))</p>")
        }
        out.append("<div class=\"body\(entry.withheld == .whole ? " withheld" : "")\">\(ChronologyExporter.block(entry.text))</div>")
        if !entry.fields.isEmpty {
            out.append("<dl class=\"fields\">")
            out += entry.fields.map { "<dt>\(e(clean($0.label)))</dt><dd>\(ChronologyExporter.block($0.value))</dd>" }
            out.append("</dl>")
        }
        if !entry.amendments.isEmpty {
            out.append("<section class=\"history\">\n<h3>Amendment history (oldest first)</h3>\n<ol>")
            for amendment in entry.amendments {
                out.append("""
                    <li><p class="byline">\(e(ChronologyExporter.amendmentByline(amendment)))</p>\
                    <p><span class="label">Reason:</span> \(ChronologyExporter.block(amendment.reason))</p>\
                    <p class="label">Previous text:</p><div class="previous">\(ChronologyExporter.block(amendment.previousText))</div></li>
                    """)
            }
            out.append("</ol>\n</section>")
        }
        for dispute in entry.disputes {
            out.append("""
                <section class="dispute"><h3>\(e(disputeHeading(dispute)))</h3>\
                <div class="statement">\(ChronologyExporter.block(dispute.statement))</div></section>
                """)
        }
        out.append("</li>")
        return out.joined(separator: "\n")
    }

    /// "Disputed by Ms R. Example (mother), received 12/03/2026; recorded by Petra Marsh".
    static func disputeHeading(_ dispute: SARBundle.Dispute) -> String {
        "Disputed by \(clean(dispute.madeBy)), received \(UKDate.date(dispute.receivedAt)); "
            + "recorded by \(clean(dispute.recordedByName)) on \(UKDate.date(dispute.recordedAt))"
    }

    /// Label and value rows, as the chronology export's header table.
    private static func table(_ rows: [(String, [String])]) -> String {
        let e = ChronologyExporter.escape
        return "<table class=\"header\">\n<tbody>\n" + rows.map { label, values in
            "<tr><th scope=\"row\">\(e(label))</th><td>\(values.map(e).joined(separator: "<br>"))</td></tr>"
        }.joined(separator: "\n") + "\n</tbody>\n</table>"
    }

    /// A table with column headings; every cell is one sanitised, escaped line.
    private static func grid(_ headings: [String], _ rows: [[String]]) -> String {
        let e = ChronologyExporter.escape
        let head = headings.map { "<th scope=\"col\">\(e($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\(e(clean($0)))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table class=\"grid\">\n<thead><tr>\(head)</tr></thead>\n<tbody>\n\(body)\n</tbody>\n</table>"
    }

    private static func clean(_ text: String) -> String { TextSanitiser.line(text) }

    /// Added to the chronology export's sheet: the marker and a dispute stand out in black and white.
    static let stylesheet = """
        .about p { margin: 1mm 0; }
        .withheld { font-weight: 700; }
        .dispute { margin: 2mm 0 0 3mm; padding-left: 3mm; border-left: 1.5pt double #000; break-inside: avoid; }
        .statement { white-space: pre-wrap; overflow-wrap: anywhere; }
        table.grid { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
        table.grid th, table.grid td { text-align: left; vertical-align: top; padding: 1mm 1.5mm; border: 0.5pt solid #888; }
        table.grid tr { break-inside: avoid; page-break-inside: avoid; }
        """
}
