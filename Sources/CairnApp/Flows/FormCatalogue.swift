import CairnDomain
import CairnStore
import Foundation

/// The ids of the dashboard's form fields that are not the store's own names (`RecordField`).
public enum FieldID {
    public static let pupils = "pupils"
    public static let date = RecordField.when
    public static let time = "time"
    public static let location = "where"
    public static let account = "account"
    public static let childWords = "child words"
    public static let reporterAction = "what you did"
    public static let categories = "categories"
    public static let atRisk = "at risk"
    public static let significant = "significant"
    public static let level = "level"
    public static let caseHolder = "case holder"
    public static let restricted = "restricted"
    public static let kinds = "kinds"
    /// The concern form's optional part for a concern typed from a paper original.
    public static let fromPaper = "from paper"
    public static let writtenTime = "written time"
    /// The amend form's one-key reason: the family asked for the correction.
    public static let rectification = "rectification"
    /// The confirm step of checking a typed record against its paper.
    public static let checked = "checked"
}

/// Every form in the dashboard, built on the one form widget. Field ids are the store's field
/// names (`RecordField`), so that a problem the store finds lands beside its field.
enum FormCatalogue {
    /// The store's and the domain's names for fields that these forms call something else.
    static func fieldID(for problemField: String) -> String {
        switch problemField {
        case "pupil": FieldID.pupils
        case "category": FieldID.categories
        case "text": FieldID.account
        case "occurred-at": FieldID.date
        default: problemField
        }
    }

    /// A pupil in the concern form's picker, known by UPN (what a concern names).
    static func option(for pupil: PupilSummary) -> FormOption {
        FormOption(id: pupil.upn, label: "\(pupil.name) · \(pupil.yearGroup.short) · \(pupil.form) · \(pupil.upn)",
                   privateLabel: "\(PrivacyMask.initials(pupil.name)) · \(pupil.yearGroup.short)")
    }

    static func options<T: RawRepresentable>(_ values: [T], label: (T) -> String) -> [FormOption] where T.RawValue == String {
        values.map { FormOption(id: $0.rawValue, label: label($0)) }
    }

    static func time(_ date: Date) -> String {
        let parts = UKDate.calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// The concern form, in the order a member of staff thinks it through: the domain's questions
    /// (`ConcernQuestion`), which the printed paper form (`cairn form`) asks too. Its last part, for a
    /// concern typed from a paper original, opens with the toggle.
    static func concern(pupil: PupilSummary?, now: Date) -> Form {
        typealias Q = ConcernQuestion
        let paper = ["yes"]
        return Form(title: "Log a concern", fields: [
            .multiSelect(FieldID.pupils, Q.pupils.label, options: pupil.map { [option(for: $0)] } ?? [],
                         selected: pupil.map { [option(for: $0)] } ?? [], filter: .remote, rows: 3, required: true,
                         hint: "Type a name, UPN or form; Space chooses")
                .whenMissing("Choose at least one pupil"),
            .date(FieldID.date, Q.date.label, value: now, required: true),
            .text(FieldID.time, Q.time.label, value: time(now), required: true, hint: Q.time.hint, maxLength: 5),
            .text(FieldID.location, Q.location.label, hint: Q.location.hint, maxLength: 200),
            .multiline(FieldID.account, Q.account.label, rows: 5, required: true, hint: Q.account.hint)
                .whenMissing("Write what you saw or heard"),
            .multiline(FieldID.childWords, Q.childWords.label, rows: 3, hint: Q.childWords.hint),
            .choice(RecordField.nature, Q.nature.label, options: options(Nature.allCases, label: \.label),
                    required: true, hint: Q.nature.hint)
                .whenMissing("Say whether you saw it, the child told you, someone else reported it, or it is your opinion"),
            .multiline(FieldID.reporterAction, Q.reporterAction.label, rows: 3, hint: Q.reporterAction.hint),
            .multiSelect(FieldID.categories, Q.categories.label, options: options(ConcernCategory.allCases, label: \.label),
                         filter: .local, rows: 5, required: true)
                .whenMissing("Choose at least one category"),
            .choice(FieldID.atRisk, Q.atRisk.label, options: options(Urgency.allCases, label: \.answer), required: true)
                .whenMissing("Say whether the child is at risk now"),
            .toggle(FieldID.fromPaper, "Typed from a paper form", hint: "Space: this was written on paper while Cairn could not be reached"),
            .date(RecordField.writtenAt, "Paper written on", required: true, hint: "The date on the paper")
                .whenMissing("Enter the date the paper was written").shown(when: FieldID.fromPaper, isOneOf: paper),
            .text(FieldID.writtenTime, "Time written", required: true, hint: Q.time.hint, maxLength: 5)
                .whenMissing("Enter the time the paper was written").shown(when: FieldID.fromPaper, isOneOf: paper),
            .text(RecordField.writtenBy, "Paper \(Q.writtenBy.label.lowercased())", required: true, hint: "The name as on the paper",
                  maxLength: PaperInput.maxNameLength)
                .whenMissing("Give the name of whoever wrote the paper").shown(when: FieldID.fromPaper, isOneOf: paper),
        ])
    }

    /// The confirm step before a record typed from paper is marked as checked against it.
    static func verify(_ paper: PaperOriginal, what: String) -> Form {
        Form(title: "Check \(what) against its paper original", fields: [
            .choice(FieldID.checked, "Checked", options: [
                FormOption(id: "yes", label: "Yes: it matches the paper in every part"),
            ], required: true, hint: TextLayout.clean(paper.provenance.prefix(1).uppercased() + paper.provenance.dropFirst()))
                .whenMissing("Compare the typed record with the paper, then choose Yes (Space)"),
        ])
    }

    /// The family's own statement about an entry they dispute, kept word for word.
    static func dispute(_ detail: EntryDetail, now: Date) -> Form {
        let entry = detail.row.entry
        return Form(title: "The family disputes this entry: \(entry.kind.label) of \(UKDate.date(entry.occurredAt)) (it stays as it is)", fields: [
            .text(RecordField.madeBy, "Statement made by", required: true, hint: "Who in the family, e.g. Mother, Jo Testwood",
                  maxLength: DisputeInput.maxNameLength)
                .whenMissing("Say who made the statement, e.g. Mother, Jo Testwood"),
            .date(RecordField.received, "Received on", value: now, required: true),
            .multiline(RecordField.statement, "Their statement", rows: 8, required: true,
                       hint: "Exactly as they gave it: it is kept word for word", maxLength: DisputeInput.maxStatementLength)
                .whenMissing("Write the family's statement, exactly as they gave it"),
        ])
    }

    static func note(now: Date) -> Form {
        let contact = [NoteKind.contact.rawValue]
        return Form(title: "Add a note or contact", fields: [
            .choice(RecordField.kind, "Record", options: options(NoteKind.allCases, label: \.label), value: NoteKind.note.rawValue,
                    required: true),
            .date(FieldID.date, "Date", value: now, required: true),
            .text(FieldID.time, "Time", value: time(now), required: true, hint: "HH:MM, 24-hour", maxLength: 5),
            .choice(RecordField.party, "With", options: options(ContactParty.allCases, label: \.label), required: true)
                .whenMissing("Say who the contact was with")
                .shown(when: RecordField.kind, isOneOf: contact),
            .text(RecordField.who, "Who", required: true, hint: "Name and relationship, e.g. Ms R. Example (mother)")
                .whenMissing("Name the person, and their relationship to the child")
                .shown(when: RecordField.kind, isOneOf: contact),
            .choice(RecordField.method, "How", options: options(ContactMethod.allCases, label: \.label), required: true)
                .whenMissing("Say how the contact was made")
                .shown(when: RecordField.kind, isOneOf: contact),
            .multiline(RecordField.summary, "Summary", rows: 5, required: true).whenMissing("Write what was said or done"),
            .choice(RecordField.nature, "Nature", options: options(Nature.allCases, label: \.label),
                    hint: "Label what is fact, what was disclosed, what was reported and what is opinion"),
            .toggle(FieldID.significant, "Significant event", hint: "Shown with s, significant events only"),
        ])
    }

    static func meeting(now: Date) -> Form {
        Form(title: "Record a meeting", fields: [
            .choice(RecordField.meetingType, "Meeting", options: options(MeetingType.allCases, label: \.label), required: true)
                .whenMissing("Choose the kind of meeting"),
            .date(FieldID.date, "Date held", value: now, required: true),
            .multiline(RecordField.attendees, "Attendees", rows: 2, required: true, hint: "Names and roles")
                .whenMissing("List who attended"),
            .multiline(RecordField.decisions, "Decisions", rows: 5, required: true).whenMissing("Record what was decided"),
            .toggle(FieldID.significant, "Significant event", value: true),
        ])
    }

    static func referral(now: Date) -> Form {
        let referred = [ReferralOutcome.referred.rawValue]
        let reasonNeeded = ConsentBasis.allCases.filter(\.needsReason).map(\.rawValue)
        return Form(title: "Record a referral, or a decision not to refer", fields: [
            .choice(RecordField.outcome, "Outcome", options: options(ReferralOutcome.allCases, label: \.label),
                    value: ReferralOutcome.referred.rawValue, required: true),
            .choice(RecordField.agency, "Agency", options: options(Agency.allCases, label: \.label), required: true)
                .whenMissing("Choose the agency"),
            .date(FieldID.date, "Date", value: now, required: true),
            .choice(RecordField.consent, "Consent", options: options(ConsentBasis.allCases, label: \.label), required: true)
                .shown(when: RecordField.outcome, isOneOf: referred).whenMissing("Record the consent basis"),
            .multiline(RecordField.consentReason, "Why without consent", rows: 3, required: true)
                .shown(when: RecordField.consent, isOneOf: reasonNeeded)
                .whenMissing("Say why consent was not sought, or why the referral goes ahead without it"),
            .choice(RecordField.lawfulBasis, "Lawful basis", options: options(LawfulBasis.allCases, label: \.label), required: true)
                .shown(when: RecordField.outcome, isOneOf: referred).whenMissing("Record the lawful basis for sharing"),
            .text(RecordField.agencyReference, "Agency reference", maxLength: 60)
                .shown(when: RecordField.outcome, isOneOf: referred),
            .multiline(RecordField.reasoning, "Reasoning", rows: 4, hint: "Required for a decision not to refer"),
            .multiline(RecordField.decision, "Agency's decision", rows: 3, hint: "If it has come; d records it later")
                .shown(when: RecordField.outcome, isOneOf: referred),
            .date(RecordField.decidedOn, "Decided on")
                .shown(when: RecordField.outcome, isOneOf: referred),
        ])
    }

    static func referralDecision(now: Date) -> Form {
        Form(title: "Record the agency's decision", fields: [
            .multiline(RecordField.decision, "Decision", rows: 5, required: true).whenMissing("Write the agency's decision"),
            .date(RecordField.decidedOn, "Decided on", value: now, required: true),
        ])
    }

    static func ownerOptions(_ owners: [Staff]) -> [FormOption] {
        owners.map { FormOption(id: $0.username, label: "\($0.displayName) (\($0.role.label))") }
    }

    static func action(owners: [Staff], actor: Staff, now: Date) -> Form {
        let inAWeek = UKDate.calendar.date(byAdding: .day, value: 7, to: now) ?? now
        let owner = owners.contains { $0.username == actor.username } ? actor.username : nil
        return Form(title: "Add an action", fields: [
            .multiline(RecordField.description, "What must be done", rows: 4, required: true).whenMissing("Say what must be done"),
            .choice(RecordField.owner, "Who will do it", options: ownerOptions(owners), value: owner, required: true)
                .whenMissing("Choose who will do it"),
            .date(RecordField.due, "Due", value: inAWeek, required: true),
        ])
    }

    static func amend(currentText: String) -> Form {
        Form(title: "Amend the entry (the earlier text stays in its history)", fields: [
            .multiline(RecordField.text, "Corrected text", rows: 6, value: currentText, required: true)
                .whenMissing("The corrected text cannot be empty"),
            .toggle(FieldID.rectification, "Rectification request",
                    hint: "Space: the family asked for this fact to be corrected; the reason says so"),
            .multiline(RecordField.reason, "Reason", rows: 3, hint: "Required, unless it is a rectification request"),
        ])
    }

    /// One list of every change that makes sense now: set a flag not active, or end one that is.
    static func flag(_ header: PupilHeader, now: Date) -> Form {
        let active = header.flags.filter { $0.end == nil }
        let options = ContextFlagKind.allCases.map { kind -> FormOption in
            if let flag = active.first(where: { $0.kind == kind }) {
                return FormOption(id: "end:" + kind.rawValue, label: "End \(kind.label) (since \(UKDate.date(flag.start)))")
            }
            return FormOption(id: "set:" + kind.rawValue, label: "Set \(kind.label)")
        }
        return Form(title: "Set or end a context flag", fields: [
            .choice(RecordField.flag, "Change", options: options, required: true).whenMissing("Choose a flag to set or end"),
            .date(FieldID.date, "From / ended on", value: now, required: true),
        ])
    }

    /// "Quinn Ormsby (Y8)": an action's form names the child, since several may share the wording.
    static func forPupil(_ row: ActionRow) -> String {
        "\(TextLayout.clean(row.pupilName)) (\(row.yearGroup.short))"
    }

    static func done(_ row: ActionRow) -> Form {
        Form(title: "Mark done for \(forPupil(row)): " + DisplayWidth.truncate(TextLayout.clean(row.action.description), to: 40), fields: [
            .multiline(RecordField.outcome, "Outcome", rows: 5, required: true, hint: "What was done, and what came of it")
                .whenMissing("Record the outcome"),
        ])
    }

    static func move(_ row: ActionRow) -> Form {
        Form(title: "Change the due date for \(forPupil(row)) (now \(UKDate.date(row.action.due)))", fields: [
            .date(RecordField.due, "New due date", value: row.action.due, required: true),
            .multiline(RecordField.reason, "Reason", rows: 3, required: true).whenMissing("Say why the date is changing"),
        ])
    }

    static func reassign(_ row: ActionRow, owners: [Staff]) -> Form {
        Form(title: "Reassign the action for \(forPupil(row)): " + DisplayWidth.truncate(TextLayout.clean(row.action.description), to: 40), fields: [
            .choice(RecordField.owner, "New owner", options: ownerOptions(owners), required: true).whenMissing("Choose who will do it"),
            .multiline(RecordField.reason, "Reason", rows: 3, required: true).whenMissing("Say why it is being reassigned"),
        ])
    }

    static func filter(_ current: ChronologyFilter) -> Form {
        let all = FormOption(id: "all", label: "All")
        let kind = current.kinds.flatMap { $0.count == 1 ? $0.first?.rawValue : nil } ?? "all"
        return Form(title: "Filter the chronology", fields: [
            .choice(FieldID.kinds, "Kind", options: [all] + options(ChronologyKind.allCases, label: \.label), value: kind),
            .choice(FieldID.categories, "Category", options: [all] + options(ConcernCategory.allCases, label: \.label),
                    value: current.category?.rawValue ?? "all"),
            .toggle(FieldID.significant, "Significant only", value: current.significantOnly),
        ])
    }

    static func triage(holders: [Staff], holder: String?, level: LevelOfNeed, restricted: Bool, reference: ConcernReference) -> Form {
        Form(title: "Triage \(reference)", fields: [
            .choice(FieldID.level, "Level of need", options: LevelOfNeed.allCases.map { FormOption(id: String($0.rawValue), label: $0.label) },
                    value: String(level.rawValue), required: true),
            .choice(FieldID.caseHolder, "Case holder", options: holders.map { FormOption(id: $0.username, label: "\($0.displayName) (\($0.role.label))") },
                    value: holder, required: true),
            .toggle(FieldID.restricted, "Restricted", value: restricted, hint: "Safeguarding team only; others see one line"),
        ])
    }

    static func close(reference: ConcernReference) -> Form {
        Form(title: "Close \(reference) with an outcome", fields: [
            .choice(RecordField.outcome, "Outcome", options: OutcomeKind.allCases.map {
                FormOption(id: $0.rawValue, label: $0.label + ($0.needsReason ? " – reason required" : ""))
            }, required: true).whenMissing("Choose the outcome"),
            .multiline(RecordField.reason, "Reason", rows: 4),
        ])
    }
}
