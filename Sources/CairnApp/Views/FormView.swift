import CairnDomain
import CairnStore

/// Every form, drawn with the one form widget: over the whole pane at 80 columns, as a box of
/// readable width on a wider screen.
enum FormView {
    /// The box the form sits in: the whole screen between the tab line and the status line, so
    /// that nothing of the pane beneath shows through beside it. The widget keeps text to a
    /// readable measure on wide screens.
    static func box(_ size: Size) -> (x: Int, y: Int, width: Int, height: Int) {
        (0, 1, size.width, size.height - 2)
    }

    /// The width the form's fields are laid out in, inside the box's borders.
    static func innerWidth(_ size: Size) -> Int { box(size).width - 4 }

    static func draw(_ session: FormSession, into frame: inout Frame) {
        let outer = box(frame.size)
        frame.box(x: outer.x, y: outer.y, width: outer.width, height: outer.height, title: session.form.title)
        var inner = (x: outer.x + 2, y: outer.y + 1, width: outer.width - 4, height: outer.height - 2)
        var message: [String] = []
        if let problem = session.problem {
            // A problem may take two lines; never cut silently.
            message = TextLayout.wrap(problem, width: inner.width - 2)
            if message.count > 2 { message = [message[0], DisplayWidth.truncate(message[1...].joined(separator: " "), to: inner.width - 2)] }
        } else if session.saving {
            message = ["Saving…"]
        }
        inner.height -= message.count
        FormRenderer.draw(session.form, in: inner, into: &frame, showsTitle: false)
        drawMarks(session.form, inner: inner, outer: outer, into: &frame)
        for (index, line) in message.enumerated() {
            frame.put("! " + line, x: inner.x, y: inner.y + inner.height + index, role: session.problem == nil ? .muted : .warning,
                      width: inner.width)
        }
    }

    /// On the top border, right: whether fields lie above or below what fits, and what "*" means.
    private static func drawMarks(_ form: Form, inner: (x: Int, y: Int, width: Int, height: Int),
                                  outer: (x: Int, y: Int, width: Int, height: Int), into frame: inout Frame) {
        let height = inner.height - 1
        let body = FormRenderer.layout(form, geometry: FormGeometry(width: inner.width), height: height)
        let offset = FormRenderer.scrollOffset(body, height: height)
        var marks: [String] = []
        if offset > 0 { marks.append("↑ more above") }
        if offset + height < body.rows.count { marks.append("↓ more below") }
        marks.append("* required")
        let text = " " + marks.joined(separator: " · ") + " "
        let x = outer.x + outer.width - 2 - DisplayWidth.of(text)
        let titleEnd = outer.x + 4 + DisplayWidth.of(form.title) + 2
        guard x > titleEnd else { return }
        frame.put(text, x: x, y: outer.y, role: .muted)
    }

    /// The part of a text field that fits, scrolled so that the cursor is visible.
    static func visibleText(_ field: TextField, width: Int) -> (String, Int) {
        let characters = Array(TextLayout.clean(field.text))
        var start = 0
        while DisplayWidth.of(String(characters[start..<min(field.cursor, characters.count)])) > width { start += 1 }
        let shown = DisplayWidth.truncate(String(characters[start...]), to: width + 1, ellipsis: false)
        let column = DisplayWidth.of(String(characters[start..<min(field.cursor, characters.count)]))
        return (shown, column)
    }
}
