import CairnDomain
import CairnStore

/// Keys inside the triage and close forms.
enum FormInput {
    static func handle(_ command: Command, _ state: inout AppState) -> [Effect] {
        switch state.overlay {
        case .triage(var form):
            let effects = triage(command, &form, &state)
            if case .triage = state.overlay { state.overlay = .triage(form) }
            return effects
        case .close(var form):
            let effects = close(command, &form, &state)
            if case .close = state.overlay { state.overlay = .close(form) }
            return effects
        default:
            return []
        }
    }

    private static func triage(_ command: Command, _ form: inout TriageForm, _ state: inout AppState) -> [Effect] {
        let fields = TriageForm.Field.allCases
        switch command {
        case .nextField: form.focus = fields[(form.focus.rawValue + 1) % fields.count]
        case .previousField: form.focus = fields[(form.focus.rawValue + fields.count - 1) % fields.count]
        case .increase, .decrease, .toggle:
            let step = command == .decrease ? -1 : 1
            switch form.focus {
            case .level:
                let levels = LevelOfNeed.allCases
                let index = (levels.firstIndex(of: form.level)! + step + levels.count) % levels.count
                form.level = levels[index]
            case .caseHolder:
                form.holderIndex = (form.holderIndex + step + form.holders.count) % form.holders.count
            case .restricted:
                form.restricted.toggle()
            }
        case .save:
            guard !form.saving, let decision = form.decision else { return [] }
            form.saving = true
            return [.triage(form.concern, decision, seen: form.seen)]
        case .back:
            state.overlay = nil
        default:
            break
        }
        return []
    }

    private static func close(_ command: Command, _ form: inout CloseForm, _ state: inout AppState) -> [Effect] {
        let outcomes = OutcomeKind.allCases
        switch command {
        case .nextField, .previousField:
            form.focus = form.focus == .outcome ? .reason : .outcome
        case .increase:
            if form.focus == .outcome { form.outcomeIndex = (form.outcomeIndex + 1) % outcomes.count }
        case .decrease:
            if form.focus == .outcome { form.outcomeIndex = (form.outcomeIndex + outcomes.count - 1) % outcomes.count }
        case .save:
            guard !form.saving else { return [] }
            do {
                let outcome = try Outcome(kind: form.outcome, reason: form.reason.text)
                form.saving = true
                form.problem = nil
                return [.close(form.concern, outcome, seen: form.seen)]
            } catch {
                form.problem = error.message.prefix(1).uppercased() + error.message.dropFirst() + "."
                form.focus = .reason
            }
        case .back:
            if form.reason.text.trimmingCharacters(in: .whitespaces).isEmpty {
                state.overlay = nil
            } else {
                form.confirmingDiscard = true
            }
        default:
            break
        }
        return []
    }
}

/// Typing into the close form's reason, and the discard question. Returns nil when the key is
/// not consumed here and should go through the keymap.
enum CloseFormInput {
    static func handleTyping(_ key: Key, _ form: inout CloseForm, _ state: inout AppState) -> [Effect]? {
        if form.confirmingDiscard {
            switch key {
            case .char("y"), .char("Y"):
                state.overlay = nil
            case .ctrl("c"):
                return nil
            default:
                form.confirmingDiscard = false
                state.overlay = .close(form)
            }
            return []
        }
        guard form.focus == .reason else {
            // On the outcome list, up and down choose the outcome.
            switch key {
            case .down, .char("j"):
                form.outcomeIndex = (form.outcomeIndex + 1) % OutcomeKind.allCases.count
            case .up, .char("k"):
                form.outcomeIndex = (form.outcomeIndex + OutcomeKind.allCases.count - 1) % OutcomeKind.allCases.count
            default:
                return nil
            }
            state.overlay = .close(form)
            return []
        }
        guard form.reason.edit(with: key) else { return nil }
        form.problem = nil
        state.overlay = .close(form)
        return []
    }
}
