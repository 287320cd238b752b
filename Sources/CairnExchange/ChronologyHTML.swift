import CairnDomain
import CairnStore
import Foundation

extension ChronologyExporter {
    /// One self-contained page for printing on A4: inline CSS, no scripts, nothing fetched from
    /// anywhere (a Content-Security-Policy says so too). Record text is sanitised, then escaped, so a
    /// summary cannot become markup. The marking is printed in every page's header and footer where
    /// the browser supports `@page` margin boxes, and at the top and end of the document everywhere.
    public static func html(_ export: ChronologyExport) -> String {
        let entries = ordered(export.entries)
        var out: [String] = []
        out.append(documentHead(title: title(export.header) + " · OFFICIAL-SENSITIVE", stylesheet: stylesheet))
        out.append("""
            <body>
            <p class="marking">\(escape(marking))</p>
            <header>
            <p class="school">\(escape(clean(export.schoolName)))</p>
            <h1>\(escape(title(export.header)))</h1>
            <table class="header">
            <tbody>
            """)
        for (label, values) in headerFields(export) {
            out.append("<tr><th scope=\"row\">\(escape(label))</th><td>\(values.map(escape).joined(separator: "<br>"))</td></tr>")
        }
        out.append("""
            </tbody>
            </table>
            <p class="exported">\(escape(exportedLine(export)))</p>
            </header>
            <main>
            <h2>Entries</h2>
            <p class="count">\(escape(countLine(entries)))</p>
            <ol class="entries">
            """)
        for entry in entries {
            out.append(htmlEntry(entry))
        }
        out.append("""
            </ol>
            </main>
            <footer>
            <p class="end">End of chronology. \(escape(exportedLine(export)))</p>
            <p class="marking">\(escape(marking))</p>
            </footer>
            </body>
            </html>
            """)
        return out.joined(separator: "\n") + "\n"
    }

    private static func htmlEntry(_ detail: EntryDetail) -> String {
        let row = detail.row
        let when = "<span class=\"when\">\(escape(UKDate.dateTime(row.entry.occurredAt)))</span>"
        let meta = metaParts(row).map { part in
            ["SIGNIFICANT", "DISPUTED"].contains(part) ? "<strong class=\"tag\">\(part)</strong>" : escape(part)
        }.joined(separator: " · ")
        var out = ["<li class=\"entry\">", "<p class=\"meta\">\(when) \(meta)</p>"]
        if let recorded = recordedNote(detail) {
            out.append("<p class=\"recorded\">\(escape(recorded))</p>")
        }
        if let paper = paperNote(row) {
            out.append("<p class=\"recorded paper\">\(escape(paper))</p>")
        }
        out.append("<div class=\"body\">\(block(bodyText(detail)))</div>")
        if !detail.fields.isEmpty {
            out.append("<dl class=\"fields\">")
            for field in detail.fields {
                out.append("<dt>\(escape(clean(field.label)))</dt><dd>\(block(field.value))</dd>")
            }
            out.append("</dl>")
        }
        if detail.awaitingDecision != nil {
            out.append("<p class=\"awaiting\">\(escape(awaitingNote))</p>")
        }
        if !detail.amendments.isEmpty {
            out.append("<section class=\"history\">")
            out.append("<h3>Amendment history (oldest first)</h3>")
            out.append("<ol>")
            for amendment in detail.amendments {
                out.append("""
                    <li><p class="byline">\(escape(amendmentByline(amendment)))</p>\
                    <p><span class="label">Reason:</span> \(block(amendment.reason))</p>\
                    <p class="label">Previous text:</p><div class="previous">\(block(amendment.previousText))</div></li>
                    """)
            }
            out.append("</ol>")
            out.append("</section>")
        }
        if !detail.disputes.isEmpty {
            out.append("<section class=\"disputes\">")
            out.append("<h3>\(escape(disputesHeading(detail)))</h3>")
            out.append("<ol>")
            for dispute in detail.disputes {
                out.append("""
                    <li><p class="byline">\(escape(clean(dispute.byline)))</p>\
                    <p class="label">Their statement, word for word:</p><div class="statement">\(block(dispute.statement))</div></li>
                    """)
            }
            out.append("</ol>")
            out.append("</section>")
        }
        out.append("</li>")
        return out.joined(separator: "\n")
    }

    /// The start of a self-contained page, to its `</head>`: inline CSS only, and a
    /// Content-Security-Policy that lets nothing be fetched from anywhere.
    static func documentHead(title: String, stylesheet: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="referrer" content="no-referrer">
        <meta name="robots" content="noindex, nofollow">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(stylesheet)
        </style>
        </head>
        """
    }

    /// The document up to the opening marking, on the A4 sheet with `extraStyle` added (the SAR bundle).
    static func htmlHead(title: String, extraStyle: String = "") -> String {
        documentHead(title: title + " · OFFICIAL-SENSITIVE", stylesheet: stylesheet + (extraStyle.isEmpty ? "" : "\n" + extraStyle))
            + "\n<body>\n<p class=\"marking\">\(escape(marking))</p>"
    }

    /// Multi-line stored text for a `white-space: pre-wrap` element: sanitised line by line,
    /// trailing blank lines dropped, escaped.
    static func block(_ text: String) -> String {
        var lines = TextSanitiser.lines(text)
        while lines.count > 1, lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            lines.removeLast()
        }
        return escape(lines.joined(separator: "\n"))
    }

    /// Escapes the five characters that can end text or an attribute value: & < > " '.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Black on white, no colour carrying meaning, system fonts only.
    static let stylesheet = """
        @page {
          size: A4;
          margin: 20mm 16mm 22mm 16mm;
          @top-center { content: "OFFICIAL-SENSITIVE: safeguarding record"; font: 700 9pt Arial, Helvetica, sans-serif; }
          @bottom-left { content: "OFFICIAL-SENSITIVE: safeguarding record"; font: 700 9pt Arial, Helvetica, sans-serif; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt Arial, Helvetica, sans-serif; }
        }
        html { font: 10.5pt/1.4 Arial, Helvetica, "Liberation Sans", sans-serif; color: #000; background: #fff; }
        body { margin: 0 auto; max-width: 178mm; padding: 4mm; }
        .marking { font-weight: 700; text-align: center; border: 1.5pt solid #000; padding: 1.5mm; margin: 0 0 4mm; }
        footer .marking { margin: 2mm 0 0; }
        .school { font-size: 11pt; margin: 0 0 1mm; }
        h1 { font-size: 15pt; margin: 0 0 3mm; }
        h2 { font-size: 12pt; margin: 5mm 0 1mm; }
        h3 { font-size: 10pt; margin: 0 0 1mm; }
        h1, h2, h3, table.header, .meta { break-after: avoid; page-break-after: avoid; }
        table.header { border-collapse: collapse; width: 100%; break-inside: avoid; page-break-inside: avoid; }
        table.header th, table.header td { text-align: left; vertical-align: top; padding: 1mm 2mm;
          border-bottom: 0.5pt solid #888; }
        table.header th { width: 34mm; }
        .exported, .count, .end { margin: 2mm 0; }
        ol.entries { list-style: none; margin: 0; padding: 0; }
        li.entry { break-inside: avoid; page-break-inside: avoid; border-top: 0.75pt solid #000; padding: 2mm 0 3mm; }
        .meta { font-weight: 700; margin: 0; }
        .when { font-variant-numeric: tabular-nums; margin-right: 2mm; }
        .tag { border: 0.75pt solid #000; padding: 0 1mm; }
        .recorded, .byline { font-size: 9pt; margin: 0.5mm 0 0; }
        .body, dd, .previous { white-space: pre-wrap; overflow-wrap: anywhere; }
        .body { margin: 1.5mm 0 0; }
        dl.fields { margin: 2mm 0 0; }
        dl.fields dt { font-weight: 700; float: left; clear: left; margin-right: 2mm; }
        dl.fields dt::after { content: ":"; }
        dl.fields dd { margin: 0 0 0.5mm 0; }
        .awaiting { font-weight: 700; margin: 1.5mm 0 0; }
        .history, .disputes { margin: 2mm 0 0 3mm; padding-left: 3mm; border-left: 1.5pt solid #555; }
        .disputes { border-left-style: double; border-left-width: 3pt; }
        .history ol, .disputes ol { margin: 0; padding-left: 5mm; }
        .history p, .disputes p { margin: 0.5mm 0; }
        .statement { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 1.5mm; padding-left: 2mm; }
        .label { font-weight: 700; }
        .previous { margin: 0 0 1.5mm; padding-left: 2mm; border-left: 0.75pt dashed #555; }
        """
}
