import CairnDomain
import Foundation
import Testing
@testable import CairnApp

/// The one form widget: focus order, each kind of field, saving, discarding, and drawing.
@Suite struct FormWidgetTests {
    static let today = UKDate.parseDateTime("22/11/2026 10:30")!

    static let consent = [
        FormOption(id: "parent", label: "Given by parent"),
        FormOption(id: "youngPerson", label: "Given by the young person"),
        FormOption(id: "notSought", label: "Not sought"),
        FormOption(id: "refused", label: "Refused, proceeding"),
    ]

    static let categories = ["Neglect", "Emotional abuse", "Physical abuse", "Sexual abuse", "Online safety",
                             "Bullying", "Mental health", "Domestic abuse"]
        .map { FormOption(id: $0.lowercased(), label: $0) }

    /// The concern form, in the order the issue asks for.
    static func concernForm() -> Form {
        Form(title: "Log a concern", fields: [
            .multiSelect("pupils", "Pupils", options: [], filter: .remote, rows: 4, required: true),
            .date("when", "When it happened", required: true),
            .text("where", "Where", required: true),
            .multiline("saw", "What you saw or heard", rows: 4, required: true),
            .multiline("words", "The child's own words (verbatim)", rows: 3,
                       hint: "Exactly as the child said them, even if they are rude or unclear"),
            .choice("nature", "Nature of the account", options: [
                FormOption(id: "seen", label: "Seen"), FormOption(id: "disclosed", label: "Disclosed by the child"),
                FormOption(id: "reported", label: "Reported by someone else"), FormOption(id: "opinion", label: "My opinion"),
            ], required: true),
            .multiline("did", "What you did", rows: 3),
            .multiSelect("categories", "Categories", options: categories, rows: 4),
            .toggle("risk", "Is the child at risk now?"),
        ])
    }

    static func referralForm() -> Form {
        Form(title: "Record a referral", fields: [
            .text("agency", "Agency", required: true),
            .choice("consent", "Consent", options: consent, required: true),
            .multiline("reason", "Reason", rows: 2, required: true).shown(when: "consent", isOneOf: ["notSought", "refused"]),
            .text("reference", "Agency's reference"),
        ])
    }

    @discardableResult
    private func press(_ form: inout Form, _ keys: Key...) -> FormEvent {
        var last = FormEvent.none
        for key in keys { last = form.handle(key, today: Self.today) }
        return last
    }

    private func type(_ form: inout Form, _ text: String) -> FormEvent {
        var last = FormEvent.none
        for character in text { last = form.handle(character == "\n" ? .enter : .char(character), today: Self.today) }
        return last
    }

    private func render(_ form: Form, width: Int, height: Int) -> Frame {
        var frame = Frame(size: Size(width: width, height: height))
        FormRenderer.draw(form, in: (x: 2, y: 2, width: width - 4, height: height - 5), into: &frame)
        return frame
    }

    private func lines(_ frame: Frame) -> [String] { (0..<frame.size.height).map(frame.line) }

    // MARK: Focus

    @Test func tabAndShiftTabSkipHiddenFieldsAndWrap() {
        var form = Self.referralForm()
        #expect(form.focusedFieldID == "agency")
        press(&form, .tab)
        #expect(form.focusedFieldID == "consent")
        press(&form, .tab)
        #expect(form.focusedFieldID == "reference", "the reason is hidden until consent is not sought or refused")
        press(&form, .tab)
        #expect(form.focusedFieldID == "agency", "Tab wraps round")
        press(&form, .backTab)
        #expect(form.focusedFieldID == "reference")
        press(&form, .backTab)
        form.setChoice("consent", "refused")
        #expect(form.isVisible("reason"))
        press(&form, .tab)
        #expect(form.focusedFieldID == "reason")
        #expect(press(&form, .enter) == FormEvent.none)
        #expect(form.text("reason") == "\n", "Enter is a new line in a multi-line field")
        press(&form, .backTab, .char(" "))
        #expect(form.choice("consent") == "parent")
        #expect(!form.isVisible("reason"))
        press(&form, .tab)
        #expect(form.focusedFieldID == "reference")
    }

    @Test func upAndDownMoveBetweenFieldsOutsideTextAreas() {
        var form = Self.referralForm()
        press(&form, .down)
        #expect(form.focusedFieldID == "consent")
        press(&form, .down, .down)
        #expect(form.focusedFieldID == "reference", "arrows stop at the last field")
        press(&form, .up, .up, .up)
        #expect(form.focusedFieldID == "agency")
        #expect(type(&form, "MASH") == FormEvent.none)
        press(&form, .enter)
        #expect(form.focusedFieldID == "consent", "Enter in a one-line field moves on")
    }

    @Test func arrowsMoveInsideAMultiLineField() {
        var form = Self.concernForm()
        form.focus(on: "saw")
        _ = type(&form, "first line\nsecond")
        press(&form, .up)
        #expect(form.focusedFieldID == "saw")
        #expect(form.field("saw")!.editor.cursor == .init(line: 0, column: 6))
        press(&form, .down, .down)
        #expect(form.focusedFieldID == "saw", "Down on the last row stays in the text")
    }

    // MARK: Choices and lists

    @Test func choiceCyclesAndJumpsByLetter() {
        var form = Self.referralForm()
        form.focus(on: "consent")
        #expect(form.choice("consent") == nil)
        press(&form, .right)
        #expect(form.choice("consent") == "parent")
        press(&form, .left)
        #expect(form.choice("consent") == "refused", "left wraps round")
        press(&form, .char(" "))
        #expect(form.choice("consent") == "parent", "space steps on and wraps")
        press(&form, .char("n"))
        #expect(form.choice("consent") == "notSought")
        press(&form, .char("g"))
        #expect(form.choice("consent") == "parent", "the next option starting with the letter, wrapping round")
        press(&form, .char("G"))
        #expect(form.choice("consent") == "youngPerson", "the same letter again goes on to the next")
    }

    @Test func multiSelectTogglesAndLeavesAtTheEnds() {
        var form = Self.concernForm()
        form.focus(on: "categories")
        press(&form, .char(" "), .down, .down, .char(" "))
        #expect(form.selected("categories") == ["neglect", "physical abuse"])
        press(&form, .char(" "))
        #expect(form.selected("categories") == ["neglect"], "space unchooses")
        press(&form, .enter)
        #expect(form.selected("categories") == ["neglect", "physical abuse"], "so does Enter")
        press(&form, .char("o"))
        #expect(form.field("categories")!.highlight == 4, "a letter jumps to the next option starting with it")
        press(&form, .char("m"), .down, .down, .down)
        #expect(form.focusedFieldID == "risk", "down past the last option leaves the list")
        press(&form, .char(" "))
        #expect(form.toggle("risk"))
        press(&form, .up)
        #expect(form.focusedFieldID == "categories")
        form.focus(on: "categories")
        press(&form, .pageUp, .pageUp, .up)
        #expect(form.focusedFieldID == "did", "up from the first option leaves the list")
    }

    @Test func remotePupilSearchKeepsChosenPupils() {
        var form = Self.concernForm()
        #expect(type(&form, "Ok") == .query(fieldID: "pupils", text: "Ok"))
        form.setOptions(fieldID: "pupils", [FormOption(id: "p1", label: "Ada Okafor (8B)"),
                                           FormOption(id: "p2", label: "Tom Okoro (9C)")])
        press(&form, .down, .enter)
        #expect(form.selected("pupils") == ["p2"])
        #expect(press(&form, .backspace) == .query(fieldID: "pupils", text: "O"))
        #expect(press(&form, .backspace) == .query(fieldID: "pupils", text: ""))
        #expect(type(&form, "Lee") == .query(fieldID: "pupils", text: "Lee"))
        form.setOptions(fieldID: "pupils", [FormOption(id: "p3", label: "Sam Lee (7A)")])
        press(&form, .char(" "))
        #expect(form.selected("pupils") == ["p2", "p3"], "a pupil chosen earlier stays chosen")
        let text = render(form, width: 80, height: 24).text
        #expect(text.contains("Chosen (2): Tom Okoro (9C), Sam Lee (7A)"))
        #expect(text.contains("› [x] Sam Lee (7A)"))
        #expect(text.contains("Search: Lee"))
    }

    @Test func localFilterNarrowsTheOptions() {
        var form = Form(title: "Categories", fields: [
            .multiSelect("categories", "Categories", options: Self.categories, filter: .local),
        ])
        #expect(type(&form, "abuse") == FormEvent.none)
        #expect(form.field("categories")!.shownOptions.map(\.label)
            == ["Emotional abuse", "Physical abuse", "Sexual abuse", "Domestic abuse"])
        press(&form, .down, .char(" "))
        #expect(form.selected("categories") == ["physical abuse"])
        press(&form, .backspace, .backspace, .backspace, .backspace, .backspace)
        #expect(form.field("categories")!.shownOptions.count == Self.categories.count)
        #expect(render(form, width: 80, height: 24).text.contains("[x] Physical abuse"))
    }

    // MARK: Dates

    @Test func datesTakeDigitsAndSlashesAndTForToday() {
        var form = Self.concernForm()
        form.focus(on: "when")
        _ = type(&form, "2x1/1a1/2026")
        #expect(form.text("when") == "21/11/2026", "letters are not typed into a date")
        #expect(UKDate.date(form.date("when")!) == "21/11/2026")
        press(&form, .char("t"))
        #expect(form.text("when") == "22/11/2026")
        #expect(form.date("when") == UKDate.parseDate("22/11/2026"))
        #expect(form.futureDateError("when", today: Self.today, message: "x").isEmpty, "today is not the future")
    }

    @Test func badAndFutureDatesGetErrorsInWords() {
        var form = Self.concernForm()
        form.focus(on: "when")
        _ = type(&form, "31/02/2026")
        #expect(form.date("when") == nil)
        #expect(form.validateDates(today: Self.today) == ["when": "Enter the date as dd/mm/yyyy"])
        form.setDate("when", UKDate.parseDate("23/11/2026"))
        #expect(form.validateDates(today: Self.today).isEmpty)
        let future = "Date of the incident cannot be in the future"
        #expect(form.futureDateError("when", today: Self.today, message: future) == ["when": future])
    }

    // MARK: Saving and cancelling

    @Test func ctrlSSavesAndCtrlCIsLeftToTheApp() {
        var form = Self.concernForm()
        #expect(press(&form, .ctrl("s")) == .save)
        #expect(press(&form, .ctrl("c")) == .ignored)
        form.focus(on: "where")
        #expect(press(&form, .pageDown) == .ignored)
    }

    @Test func escOnAnUnchangedFormCancels() {
        var form = Self.concernForm()
        _ = type(&form, "a")
        form.focus(on: "where")
        _ = type(&form, "x")
        press(&form, .backspace)
        form.focus(on: "pupils")
        press(&form, .backspace)
        #expect(!form.isDirty, "typing and deleting again leaves the form unchanged")
        #expect(press(&form, .escape) == .cancel)
    }

    @Test func escOnAChangedFormAsksFirst() {
        var form = Self.concernForm()
        form.focus(on: "saw")
        _ = type(&form, "He was crying")
        #expect(form.isDirty)
        #expect(press(&form, .escape) == FormEvent.none)
        #expect(form.confirmingDiscard)
        let frame = render(form, width: 80, height: 24)
        #expect(frame.text.contains("Discard what you typed? y discard · any other key keep editing"))
        #expect(frame.cursor == nil)
        #expect(press(&form, .char("n")) == FormEvent.none)
        #expect(!form.confirmingDiscard)
        #expect(form.text("saw") == "He was crying", "any other key keeps the text, and is not typed")
        press(&form, .escape)
        #expect(press(&form, .char("y")) == .cancel)
    }

    // MARK: Errors

    @Test func validationShowsErrorsUnderTheirFieldsAndFocusesTheFirst() {
        var form = Self.concernForm()
        form.focus(on: "risk")
        form.setText("where", "Playground")
        form.setDate("when", UKDate.parseDate("25/11/2026"))
        let future = "Date of the incident cannot be in the future"
        let valid = form.validate(today: Self.today,
                                  extra: form.futureDateError("when", today: Self.today, message: future))
        #expect(!valid)
        #expect(form.errors == ["pupils": "Choose at least one: pupils", "when": future,
                                "saw": "Enter what you saw or heard", "nature": "Choose nature of the account"])
        #expect(form.firstErrorField == "pupils")
        #expect(form.focusedFieldID == "pupils")

        form.focus(on: "when")
        let rows = lines(render(form, width: 80, height: 24))
        let dateRow = rows.firstIndex { $0.contains("▸ When it happened *") }!
        #expect(rows[dateRow].contains("25/11/2026  Wednesday 25 November 2026"))
        #expect(rows[dateRow + 1].hasSuffix("! Date of the incident cannot be in the future"))
        #expect(rows[dateRow + 1].hasPrefix(String(repeating: " ", count: 27)), "under the field, not the label")
        let whereRow = rows.firstIndex { $0.contains("Where *") }!
        #expect(whereRow == dateRow + 2 || whereRow == dateRow + 3)

        form.clearErrors()
        #expect(form.errors.isEmpty)
        #expect(!render(form, width: 80, height: 24).text.contains("!"))
    }

    @Test func aProblemWithTheWholeFormShowsAboveTheFooter() {
        var form = Self.referralForm()
        form.problem = "Could not save: the database is busy. Try Ctrl-S again."
        let rows = lines(render(form, width: 80, height: 24))
        #expect(rows[19] == "  ! Could not save: the database is busy. Try Ctrl-S again.")
        #expect(rows[20].hasPrefix("  Tab next field"))
    }

    @Test func aLongPasteIntoAFormFieldArrivesExactly() {
        var form = Self.concernForm()
        form.focus(on: "saw")
        let paragraph = "Zoë said that her brother 李 had shouted at her 🙂 before school and she was scared. "
        var pasted = String(repeating: paragraph, count: 250)
        pasted = String(pasted.prefix(19_999)) + "\n"
        #expect(pasted.count == 20_000)
        #expect(type(&form, pasted) == FormEvent.none)
        #expect(form.text("saw") == pasted)
        #expect(form.focusedFieldID == "saw")
        let frame = render(form, width: 80, height: 24)
        #expect(frame.cursor != nil)
        #expect(frame.text.contains("↑ more text above"))
    }

    @Test func requiredMessagesCanBeTheCallersOwn() {
        var form = Form(title: "Amend", fields: [
            .multiline("text", "New text", required: true),
            .text("reason", "Reason", required: true).whenMissing("Say why the entry is being amended"),
        ])
        let valid = form.validate(today: Self.today)
        #expect(!valid)
        #expect(form.errors["reason"] == "Say why the entry is being amended")
        #expect(form.errors["text"] == "Enter new text")
    }

    // MARK: Drawing

    @Test func theFocusedFieldIsScrolledIntoViewAt80x24() {
        var form = Self.concernForm()
        var frame = render(form, width: 80, height: 24)
        #expect(frame.line(2).hasPrefix("  Log a concern"))
        #expect(frame.line(2).contains("↓ more below"))
        #expect(frame.line(3).contains("▸ Pupils *"))
        #expect(frame.line(20).contains("Tab next field · Ctrl-S save · Esc cancel · type to search"))
        #expect(frame.cursor == Point(x: 35, y: 3), "the cursor is in the search text")

        form.focus(on: "risk")
        frame = render(form, width: 80, height: 24)
        let rows = lines(frame)
        #expect(rows[2].contains("↑ more above"))
        #expect(rows[3...19].contains { $0.contains("▸ Is the child at risk") && $0.contains("[ ] No") })
        #expect(rows[21...].allSatisfy { $0.isEmpty }, "nothing is drawn outside the rect")

        form.focus(on: "saw")
        for _ in 0..<12 { _ = type(&form, "a long account of what happened in the corridor ") }
        frame = render(form, width: 80, height: 24)
        let cursor = try! #require(frame.cursor)
        #expect((3...19).contains(cursor.y), "the cursor inside a long text stays on screen")
        #expect(frame.line(cursor.y).contains("corridor"))
        #expect(frame.text.contains("▸ What you saw or"))
        #expect(frame.text.contains("↑ more text above"))
    }

    @Test func aLargeScreenShowsTheWholeForm() {
        var form = Self.concernForm()
        form.setChoice("nature", "disclosed")
        form.setText("words", "He said \"I don't want to go home\"")
        let frame = render(form, width: 132, height: 43)
        let text = frame.text
        for label in ["Pupils *", "When it happened *", "Where *", "What you saw or heard *",
                      "The child's own words (verbatim)", "Nature of the account *", "What you did", "Categories",
                      "Is the child at risk now?"] {
            #expect(text.contains(label), "\(label) is missing:\n\(text)")
        }
        #expect(!text.contains("more below"))
        #expect(text.contains("(•) Disclosed by the child"), "short choices show as a list when there is room")
        #expect(text.contains("  [ ] Neglect"))
        #expect(text.contains("dd/mm/yyyy"))
        let row = lines(frame).first { $0.contains("He said") }!
        #expect(row.contains("The child's own words") && row.range(of: "He said")!.lowerBound > row.startIndex,
                "labels sit to the left of their fields")
    }

    @Test func aNarrowRectPutsLabelsAboveFields() {
        var form = Self.referralForm()
        form.setText("agency", "Children's social care")
        var frame = Frame(size: Size(width: 60, height: 20))
        FormRenderer.draw(form, in: (x: 0, y: 0, width: 60, height: 20), into: &frame)
        #expect(frame.line(1) == "▸ Agency *")
        #expect(frame.line(2).hasPrefix("  Children's social care"))
        #expect(frame.cursor == Point(x: 24, y: 2))
    }

    @Test func labelsAndOptionsFromTheDatabaseAreSanitised() {
        var form = Form(title: "Pick \u{1B}[2J", fields: [
            .multiSelect("pupils", "Pupils", options: [FormOption(id: "x", label: "Eve\u{1B}]52;c;bad\u{07}\u{202E}")],
                         filter: .remote),
        ])
        _ = type(&form, "E")
        let text = render(form, width: 80, height: 24).text
        #expect(!text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0 == "\u{202E}" })
        #expect(text.contains("Eve␛]52;c;bad␇"))
    }
}
