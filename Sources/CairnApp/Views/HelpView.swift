/// The `?` overlay, generated from the keymap table.
enum HelpView {
    static func draw(into frame: inout Frame) {
        var lines: [(String, StyleRole)] = []
        for context in KeyContext.allCases {
            let bindings = Keymap.bindings(in: context)
            guard !bindings.isEmpty, context != .help else { continue }
            lines.append((context.title, .title))
            for binding in bindings {
                lines.append((DisplayWidth.pad(Keymap.keyLabel(binding), to: 16) + binding.help, .normal))
            }
        }
        let width = min(frame.size.width - 2, 54)
        let height = frame.size.height - 2
        let x = (frame.size.width - width) / 2
        frame.box(x: x, y: 1, width: width, height: height, title: "Keys – Esc or ? to close")
        // Two columns when the screen is wide enough, so that every key fits at 80x24.
        let rowsPerColumn = height - 2
        let columns = (lines.count + rowsPerColumn - 1) / rowsPerColumn
        let columnWidth = (width - 4) / max(1, columns)
        if columns > 1, frame.size.width >= 100 {
            let wide = min(frame.size.width - 2, 54 * columns)
            let wideX = (frame.size.width - wide) / 2
            frame.box(x: wideX, y: 1, width: wide, height: height, title: "Keys – Esc or ? to close")
            for (index, line) in lines.enumerated() {
                let column = index / rowsPerColumn
                frame.put(line.0, x: wideX + 2 + column * ((wide - 4) / columns), y: 2 + index % rowsPerColumn,
                          role: line.1, width: (wide - 4) / columns - 1)
            }
            return
        }
        for (index, line) in lines.prefix(rowsPerColumn * max(1, columns)).enumerated() {
            let column = index / rowsPerColumn
            frame.put(line.0, x: x + 2 + column * columnWidth, y: 2 + index % rowsPerColumn, role: line.1,
                      width: columnWidth - 1)
        }
    }
}
