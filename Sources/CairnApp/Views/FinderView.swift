import CairnDomain
import CairnStore
import Foundation

/// The `/` finder: a text field, the pupils it names, and the entries whose text it finds, each
/// with its pupil, date, kind and a snippet with the matched words marked.
enum FinderView {
    static func draw(_ finder: FinderState, state: AppState, into frame: inout Frame) {
        let width = min(100, frame.size.width - 4)
        let height = min(frame.size.height - 4, 32)
        let x = (frame.size.width - width) / 2
        let y = 2
        frame.box(x: x, y: y, width: width, height: height, title: "Find a pupil, or search what was written")
        let status = statusText(finder)
        let statusWidth = DisplayWidth.of(status)
        let (visible, column) = FormView.visibleText(finder.query, width: width - 9 - statusWidth)
        frame.put("/", x: x + 2, y: y + 1, role: .key)
        frame.cell(visible, x: x + 4, y: y + 1, width: width - 7 - statusWidth, role: .fieldActive)
        frame.put(status, x: x + width - 2 - statusWidth, y: y + 1, role: .muted)
        frame.cursor = Point(x: x + 4 + column, y: y + 1)
        let inner = (x: x + 2, width: width - 4)
        let listTop = y + 3
        let rows = height - 5
        if finder.query.text.trimmingCharacters(in: .whitespaces).isEmpty {
            let help = ["Type part of a name, a UPN or a form to find a pupil,",
                        "or words from what was written to search their records."]
            for (offset, line) in help.enumerated() {
                frame.put(line, x: inner.x, y: listTop + offset, role: .muted, width: inner.width)
            }
        } else if finder.count == 0, finder.resultsFor == finder.query.text, finder.searching == nil {
            frame.put("Nothing you may see matches \"\(TextLayout.clean(finder.query.text))\".", x: inner.x, y: listTop,
                      role: .muted, width: inner.width)
        }
        let lines = self.lines(finder, state: state)
        let selectedEnd = lines.lastIndex { $0.item == finder.selected } ?? 0
        let first = max(0, selectedEnd - rows + 1)
        for (offset, line) in lines.dropFirst(first).prefix(rows).enumerated() {
            let row = listTop + offset
            switch line.content {
            case .heading(let text):
                frame.put(text, x: inner.x, y: row, role: .header, width: inner.width)
            case .title(let text):
                let chosen = line.item == finder.selected
                frame.cell("\(chosen ? "▸" : " ") " + text, x: inner.x, y: row, width: inner.width, role: chosen ? .selected : .normal)
            case .snippet(let snippet):
                Highlight.draw(snippet, x: inner.x + 4, y: row, width: inner.width - 4, into: &frame)
            }
        }
        frame.put(" ↑/↓ choose · Enter open · Esc close ", x: x + 2, y: y + height - 1, role: .muted, width: width - 4)
    }

    /// "searching…" while an answer is awaited; "2 pupils · 5 records" once it is in ("best 20 of
    /// more records" when more matched than are listed).
    static func statusText(_ finder: FinderState) -> String {
        if finder.query.text.trimmingCharacters(in: .whitespaces).isEmpty { return "" }
        if !finder.isCurrent { return "searching…" }
        let records = finder.moreHits ? "best \(finder.hits.count) of more records" : count(finder.hits.count, "record")
        return "\(count(finder.results.count, "pupil")) · \(records)"
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    struct Line {
        enum Content {
            case heading(String)
            case title(String)
            case snippet(HighlightedText)
        }
        /// The result the line belongs to (pupils then hits), or -1 for a heading.
        var item: Int
        var content: Content
    }

    /// Pupils one line each, then each hit as its title line and its snippet.
    static func lines(_ finder: FinderState, state: AppState) -> [Line] {
        var lines: [Line] = []
        if !finder.results.isEmpty { lines.append(Line(item: -1, content: .heading("Pupils"))) }
        for (index, pupil) in finder.results.enumerated() {
            let parts = [TextLayout.clean(pupil.name), pupil.yearGroup.short, TextLayout.clean(pupil.form), pupil.upn]
            lines.append(Line(item: index, content: .title(parts.filter { !$0.isEmpty }.joined(separator: " · "))))
        }
        if !finder.hits.isEmpty { lines.append(Line(item: -1, content: .heading("In their records, best match first"))) }
        for (offset, hit) in finder.hits.enumerated() {
            let index = finder.results.count + offset
            lines.append(Line(item: index, content: .title(title(hit, state: state))))
            lines.append(Line(item: index, content: .snippet(hit.snippet)))
        }
        return lines
    }

    /// "OA · restricted · Amara Okafor · Y8 · 12/02/2026 · Concern, account [seen]": restriction in
    /// words, as the queue says it, and first, so that a narrow screen never cuts it off.
    static func title(_ hit: SearchHit, state: AppState) -> String {
        let parts = [SchoolTag.short(hit.school, state), hit.restricted ? "restricted" : nil, TextLayout.clean(hit.pupil.name),
                     hit.pupil.yearGroup.short, UKDate.date(hit.occurredAt), hit.kindAndPart]
        return parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
    }
}

/// Draws a snippet's runs, the matched words in the `match` role; a snippet whose first match
/// would fall past the right edge is shown from shortly before it, so the match is always seen.
enum Highlight {
    static func draw(_ text: HighlightedText, x: Int, y: Int, width: Int, into frame: inout Frame) {
        guard width > 1 else { return }
        var runs = text.runs
        if let match = runs.firstIndex(where: \.matched) {
            let before = DisplayWidth.of(runs[..<match].map(\.text).joined())
            let needed = before + min(DisplayWidth.of(runs[match].text), width / 2)
            if needed > width {
                // Keep about a third of the width of context before the match.
                var drop = before - width / 3
                var trimmed: [HighlightedText.Run] = [HighlightedText.Run("…", matched: false)]
                for run in runs {
                    let runWidth = DisplayWidth.of(run.text)
                    if drop >= runWidth {
                        drop -= runWidth
                        continue
                    }
                    var rest = Substring(run.text)
                    while drop > 0, let head = rest.first {
                        drop -= DisplayWidth.of(head)
                        rest = rest.dropFirst()
                    }
                    drop = 0
                    trimmed.append(HighlightedText.Run(String(rest), matched: run.matched))
                }
                runs = HighlightedText(runs: trimmed).runs
            }
        }
        var column = 0
        for run in runs where column < width {
            column += frame.put(run.text, x: x + column, y: y, role: run.matched ? .match : .normal, width: width - column)
        }
    }
}
