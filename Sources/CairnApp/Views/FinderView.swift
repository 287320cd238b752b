import CairnDomain
import CairnStore

/// The `/` pupil finder: a text field and the pupils it matches, updated on each key.
enum FinderView {
    static func draw(_ finder: FinderState, into frame: inout Frame) {
        let width = min(70, frame.size.width - 4)
        let height = min(frame.size.height - 4, 16)
        let x = (frame.size.width - width) / 2
        let y = 2
        frame.box(x: x, y: y, width: width, height: height, title: "Find a pupil: name, UPN or form")
        let (visible, column) = FormView.visibleText(finder.query, width: width - 8)
        frame.put("/", x: x + 2, y: y + 1, role: .key)
        frame.cell(visible, x: x + 4, y: y + 1, width: width - 6, role: .fieldActive)
        frame.cursor = Point(x: x + 4 + column, y: y + 1)
        let listTop = y + 3
        let rows = height - 5
        if finder.query.text.isEmpty {
            frame.put("Type part of a name, a UPN or a form.", x: x + 2, y: listTop, role: .muted, width: width - 4)
        } else if finder.results.isEmpty, finder.resultsFor == finder.query.text {
            frame.put("No pupil you may see matches \"\(TextLayout.clean(finder.query.text))\".", x: x + 2, y: listTop,
                      role: .muted, width: width - 4)
        }
        let first = max(0, finder.selected - rows + 1)
        for (offset, pupil) in finder.results.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let chosen = index == finder.selected
            let parts = [TextLayout.clean(pupil.name), pupil.yearGroup.short, TextLayout.clean(pupil.form), pupil.upn]
            let line = "\(chosen ? "▸" : " ") " + parts.filter { !$0.isEmpty }.joined(separator: " · ")
            frame.cell(line, x: x + 2, y: listTop + offset, width: width - 4, role: chosen ? .selected : .normal)
        }
        frame.put(" ↑/↓ choose · Enter open · Esc close ", x: x + 2, y: y + height - 1, role: .muted, width: width - 4)
    }
}
