import CairnDomain
import CairnStore
import Foundation

/// `R` on an entry: withhold the whole entry, some of its sentences, or a passage typed or pasted
/// exactly, from subject access requests, with the exemption that applies; or lift an earlier
/// withholding. Keys alone choose sentences (Space ticks, typing narrows the list).
enum WithholdForm {
    static let sentences = "sentences"
    static let whole = "whole"
    static let passage = "passage"
    static let liftPrefix = "lift:"

    /// Opens the form; the key that asked for it was checked against the role (`PaneView.mayUse`).
    static func start(_ detail: EntryDetail, _ state: inout AppState) {
        FormFlow.open(.withhold(entry: detail.row.entry.id, currentText: detail.body), form(detail), &state)
    }

    static func form(_ detail: EntryDetail) -> Form {
        let entry = detail.row.entry
        let parts = [FormOption(id: whole, label: "The whole entry"),
                     FormOption(id: sentences, label: "Sentences of it (tick them below)"),
                     FormOption(id: passage, label: "A passage (type or paste it exactly)")]
            + detail.withholdings.filter(\.isActive).map { held in
                FormOption(id: liftPrefix + String(held.id), label: "Lift: \(describe(held)) (\(held.phrase))")
            }
        let withholding = [whole, sentences, passage]
        return Form(title: "Withhold from subject access: \(entry.kind.label) of \(UKDate.dateTime(entry.occurredAt))", fields: [
            .choice(SARField.part, "Withhold", options: parts, required: true).whenMissing("Choose what to withhold"),
            .multiSelect(sentences, "Sentences", options: Redaction.sentences(of: detail.body).map { FormOption(id: $0, label: $0) },
                         filter: .local, rows: 4, required: true, hint: "Space ticks; typing narrows the list")
                .whenMissing("Tick at least one sentence")
                .shown(when: SARField.part, isOneOf: [sentences]),
            .multiline(SARField.passage, "Passage", rows: 3, required: true,
                       hint: "Exactly as the entry reads; withheld wherever it appears in the file")
                .whenMissing("Type or paste the exact words to withhold")
                .shown(when: SARField.part, isOneOf: [passage]),
            .choice(SARField.reason, "Exemption", options: FormCatalogue.options(ExemptionReason.allCases, label: \.label),
                    required: true)
                .whenMissing("Choose the exemption that applies")
                .shown(when: SARField.part, isOneOf: withholding),
            .text(SARField.otherReason, "Which exemption", required: true, maxLength: 200)
                .whenMissing("Name the exemption that applies")
                .shown(when: SARField.reason, isOneOf: [ExemptionReason.other.rawValue]),
        ])
    }

    /// "the whole entry", or the passage's start in quotation marks.
    static func describe(_ withholding: Withholding) -> String {
        withholding.passage.map { "“\(Redaction.excerpt($0))”" } ?? "the whole entry"
    }

    /// What the filled form asks the store to write; the domain's problems go into `errors`.
    static func recording(_ form: inout Form, entry: Int64, currentText: String, errors: inout [String: String]) -> Recording? {
        let part = form.choice(SARField.part) ?? ""
        if part.hasPrefix(liftPrefix), let id = Int64(part.dropFirst(liftPrefix.count)) {
            // The exemption fields are not asked for when lifting: a choice left in them must not block the save.
            form.setChoice(SARField.reason, nil)
            return .liftWithholding(id)
        }
        let chosen: WithheldPart? = switch part {
        case whole: .wholeEntry
        case sentences: .passages(form.selected(sentences))
        case passage: .passages([form.text(SARField.passage)])
        default: nil
        }
        let input = WithholdingInput(part: chosen, reason: form.choice(SARField.reason).flatMap(ExemptionReason.init(rawValue:)),
                                     otherReason: form.text(SARField.otherReason))
        for problem in input.problems(currentText: currentText) {
            let id = problem.field == SARField.passage && part == sentences ? sentences : problem.field
            errors[id] = errors[id] ?? problem.message
        }
        return .withhold(entry: entry, input)
    }

    /// What the notice line says once it is saved.
    static func saved(_ input: WithholdingInput) -> String {
        let reason = input.reason?.phrase(other: input.otherReason) ?? ""
        if input.part == .wholeEntry { return "The whole entry is withheld from subject access (\(reason))." }
        let count = input.passages.count
        return "\(count == 1 ? "1 passage" : "\(count) passages") withheld from subject access (\(reason))."
    }
}
