import CairnDomain
import Foundation

extension Form {
    /// One key press. Tab/Shift-Tab move between shown fields (wrapping round); Ctrl-S asks to
    /// save; Esc cancels an unchanged form and asks first on a changed one (`y` discards, any other
    /// key goes back to editing). Ctrl-C and other Ctrl keys are left to the app. `today` is what
    /// `t` types into a date field.
    public mutating func handle(_ key: Key, today: Date) -> FormEvent {
        if key == .ctrl("c") || key == .ctrl("C") { return .ignored }
        if confirmingDiscard {
            setConfirmingDiscard(false)
            return key == .char("y") || key == .char("Y") ? .cancel : .none
        }
        switch key {
        case .ctrl("s"), .ctrl("S"): return .save
        case .ctrl: return .ignored
        case .escape:
            guard isDirty else { return .cancel }
            setConfirmingDiscard(true)
            return .none
        case .tab:
            moveFocus(by: 1, wrapping: true)
            return .none
        case .backTab:
            moveFocus(by: -1, wrapping: true)
            return .none
        default:
            break
        }
        // Only the kind is copied out: a copy of the field would share the editor's storage and
        // make every key copy the line being typed (quadratic for a long paste).
        guard let kind = focusedField?.kind else { return .ignored }
        switch kind {
        case .text: return textKey(key)
        case .multiline(let rows): return multilineKey(key, rows: rows)
        case .date: return dateKey(key, today: today)
        case .choice: return choiceKey(key, field: focusedField!)
        case .toggle: return toggleKey(key)
        case .multiSelect(let filter, let rows): return listKey(key, field: focusedField!, filter: filter, rows: rows)
        }
    }

    /// Enter, Up and Down leave a one-line field; Enter moves on to the next one.
    private mutating func leave(_ key: Key) -> FormEvent? {
        switch key {
        case .enter, .down: moveFocus(by: 1, wrapping: false)
        case .up: moveFocus(by: -1, wrapping: false)
        default: return nil
        }
        return FormEvent.none
    }

    private var editorWidth: Int { FormGeometry(width: width).editorWidth }

    private mutating func textKey(_ key: Key) -> FormEvent {
        if let moved = leave(key) { return moved }
        let width = editorWidth
        var used = false
        updateFocused { used = $0.editor.handle(key, width: width) }
        return used ? .none : .ignored
    }

    private mutating func multilineKey(_ key: Key, rows: Int) -> FormEvent {
        let width = editorWidth
        switch key {
        case .pageUp, .pageDown:
            updateFocused { field in
                for _ in 0..<rows {
                    if key == .pageUp { field.editor.moveUp(width: width) } else { field.editor.moveDown(width: width) }
                }
            }
            return .none
        default:
            var used = false
            updateFocused { used = $0.editor.handle(key, width: width) }
            return used ? .none : .ignored
        }
    }

    /// Digits and "/" only; `t` types today's date.
    private mutating func dateKey(_ key: Key, today: Date) -> FormEvent {
        guard case .char(let character) = key else { return textKey(key) }
        if character == "t" || character == "T" {
            updateFocused { $0.editor.setText(UKDate.date(today)) }
        } else if character.isASCII, character.isNumber || character == "/" {
            updateFocused { $0.editor.insert(character) }
        }
        return .none
    }

    /// ←/→ or Space step through the options; a letter jumps to the next option starting with it.
    private mutating func choiceKey(_ key: Key, field: FormField) -> FormEvent {
        if let moved = leave(key) { return moved }
        let options = field.options
        guard !options.isEmpty else { return key.isCharacter ? .none : .ignored }
        let current = options.firstIndex { $0.id == field.choiceID }
        var next: Int?
        switch key {
        case .right, .char(" "): next = current.map { ($0 + 1) % options.count } ?? 0
        case .left: next = current.map { ($0 + options.count - 1) % options.count } ?? options.count - 1
        case .home: next = 0
        case .end: next = options.count - 1
        case .char(let letter):
            next = Self.nextMatch(for: letter, in: options, after: current)
        default: return .ignored
        }
        if let next { updateFocused { $0.choiceID = options[next].id } }
        return .none
    }

    /// Space, ←/→ switch; `y` and `n` set.
    private mutating func toggleKey(_ key: Key) -> FormEvent {
        if let moved = leave(key) { return moved }
        switch key {
        case .char(" "), .left, .right: updateFocused { $0.isOn.toggle() }
        case .char("y"), .char("Y"): updateFocused { $0.isOn = true }
        case .char("n"), .char("N"): updateFocused { $0.isOn = false }
        case .char: break
        default: return .ignored
        }
        return .none
    }

    /// ↑/↓ move the highlight (and leave the field at either end of the list); Space or Enter
    /// choose or unchoose; typing searches (filtered lists) or jumps to a letter.
    private mutating func listKey(_ key: Key, field: FormField, filter: MultiSelectFilter, rows: Int) -> FormEvent {
        let shown = field.shownOptions
        let highlight = min(field.highlight, max(0, shown.count - 1))
        switch key {
        case .up:
            if highlight > 0 { updateFocused { $0.highlight = highlight - 1 } } else { moveFocus(by: -1, wrapping: false) }
            return .none
        case .down:
            if highlight < shown.count - 1 {
                updateFocused { $0.highlight = highlight + 1 }
            } else {
                moveFocus(by: 1, wrapping: false)
            }
            return .none
        case .pageUp, .pageDown:
            let step = key == .pageUp ? -rows : rows
            updateFocused { $0.highlight = min(max(0, highlight + step), max(0, shown.count - 1)) }
            return .none
        case .char(" "), .enter:
            guard shown.indices.contains(highlight) else { return .none }
            let option = shown[highlight]
            updateFocused { field in
                if let at = field.chosen.firstIndex(where: { $0.id == option.id }) {
                    field.chosen.remove(at: at)
                } else {
                    field.chosen.append(option)
                }
            }
            return .none
        default:
            break
        }
        if filter == .none {
            guard case .char(let letter) = key else { return .ignored }
            if let next = Self.nextMatch(for: letter, in: shown, after: highlight) {
                updateFocused { $0.highlight = next }
            }
            return .none
        }
        let before = field.editor.text
        var used = false
        updateFocused { used = $0.editor.handle(key, width: 10_000) }
        guard used else { return .ignored }
        let text = focusedField?.editor.text ?? ""
        guard text != before else { return .none }
        updateFocused { $0.highlight = 0 }
        return filter == .remote ? .query(fieldID: field.id, text: text) : .none
    }

    /// The index of the next option (after `current`, wrapping) whose label starts with `letter`.
    private static func nextMatch(for letter: Character, in options: [FormOption], after current: Int?) -> Int? {
        guard !options.isEmpty else { return nil }
        let wanted = String(letter).lowercased()
        let start = current.map { $0 + 1 } ?? 0
        for offset in 0..<options.count {
            let index = (start + offset) % options.count
            if TextLayout.clean(options[index].label).lowercased().hasPrefix(wanted) { return index }
        }
        return nil
    }
}

private extension Key {
    var isCharacter: Bool {
        if case .char = self { return true }
        return false
    }
}
