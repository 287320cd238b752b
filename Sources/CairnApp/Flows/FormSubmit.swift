import CairnDomain
import CairnStore
import Foundation

/// Turns a filled form into what the store writes. Nothing is sent until the form is valid: the
/// widget's own checks (required fields, dates) and the domain's, each beside its field.
enum FormSubmit {
    static func submit(_ session: inout FormSession, _ state: inout AppState, closes: inout Bool) -> [Effect] {
        let form = session.form
        let now = state.now
        var errors: [String: String] = [:]
        func check(_ problems: [FieldProblem]) {
            for problem in problems {
                let id = form.field(problem.field) != nil ? problem.field : FormCatalogue.fieldID(for: problem.field)
                errors[id] = errors[id] ?? problem.message
            }
        }
        func trimmed(_ id: String) -> String { form.text(id).trimmingCharacters(in: .whitespacesAndNewlines) }
        func noFuture(_ id: String, _ sentence: String) {
            errors.merge(form.futureDateError(id, today: now, message: sentence)) { first, _ in first }
        }
        /// The date and time fields as one moment, London time.
        func moment() -> Date? {
            guard let day = form.date(FieldID.date) else { return nil }
            guard form.field(FieldID.time) != nil else { return day }
            guard let time = UKDate.parseDateTime("\(UKDate.date(day)) \(trimmed(FieldID.time))") else {
                errors[FieldID.time] = "Enter the time as HH:MM, for example 14:05"
                return nil
            }
            if time > now.addingTimeInterval(300) { errors[FieldID.time] = "The time cannot be in the future" }
            return time
        }

        let recording: Effect?
        switch session.purpose {
        case .concern:
            noFuture(FieldID.date, "Date of the incident cannot be in the future")
            let when = moment()
            let pupils = form.selected(FieldID.pupils).compactMap { try? UPN($0) }
            let nature = form.choice(RecordField.nature).flatMap(Nature.init(rawValue:)) ?? .seen
            let draft = ConcernDraft(pupils: pupils, categories: form.selected(FieldID.categories).compactMap(ConcernCategory.init(rawValue:)),
                                     accounts: [Account(nature: nature, text: trimmed(FieldID.account))],
                                     childWords: trimmed(FieldID.childWords).nonBlank,
                                     reporterAction: trimmed(FieldID.reporterAction).nonBlank,
                                     location: trimmed(FieldID.location).nonBlank,
                                     urgency: form.choice(FieldID.atRisk).flatMap(Urgency.init(rawValue:)) ?? .routine,
                                     occurredAt: when ?? now)
            var paper: PaperInput?
            if form.toggle(FieldID.fromPaper) {
                let written = form.date(RecordField.writtenAt).flatMap {
                    UKDate.parseDateTime("\(UKDate.date($0)) \(trimmed(FieldID.writtenTime))")
                }
                if form.date(RecordField.writtenAt) != nil, written == nil {
                    errors[FieldID.writtenTime] = "Enter the time as HH:MM, for example 14:05"
                }
                let input = PaperInput(writtenAt: written ?? now, writtenBy: trimmed(RecordField.writtenBy))
                // Only once both moments are known, so that a mistake is said once, where it is.
                if written != nil, when != nil { check(input.problems(occurredAt: draft.occurredAt, now: now)) }
                paper = input
            }
            recording = .record(.concern(draft, paper: paper))
        case .note(let pupil):
            noFuture(FieldID.date, "The date cannot be in the future")
            let note = NoteInput(kind: form.choice(RecordField.kind).flatMap(NoteKind.init(rawValue:)) ?? .note,
                                 occurredAt: moment() ?? now,
                                 party: form.choice(RecordField.party).flatMap(ContactParty.init(rawValue:)),
                                 who: trimmed(RecordField.who),
                                 method: form.choice(RecordField.method).flatMap(ContactMethod.init(rawValue:)),
                                 summary: trimmed(RecordField.summary),
                                 nature: form.choice(RecordField.nature).flatMap(Nature.init(rawValue:)),
                                 significant: form.toggle(FieldID.significant))
            check(note.problems(now: now))
            recording = .record(.note(pupil, note))
        case .meeting(let pupil):
            noFuture(FieldID.date, "Date of the meeting cannot be in the future")
            let meeting = MeetingInput(type: form.choice(RecordField.meetingType).flatMap(MeetingType.init(rawValue:)) ?? .other,
                                       heldAt: moment() ?? now, attendees: trimmed(RecordField.attendees),
                                       decisions: trimmed(RecordField.decisions), significant: form.toggle(FieldID.significant))
            check(meeting.problems(now: now))
            recording = .record(.meeting(pupil, meeting))
        case .referral(let pupil, let concern):
            noFuture(FieldID.date, "Date of the referral cannot be in the future")
            let outcome = form.choice(RecordField.outcome).flatMap(ReferralOutcome.init(rawValue:)) ?? .referred
            let referred = outcome == .referred
            let referral = ReferralInput(concern: concern, agency: form.choice(RecordField.agency).flatMap(Agency.init(rawValue:)) ?? .other,
                                         outcome: outcome, madeAt: moment() ?? now,
                                         consent: referred ? form.choice(RecordField.consent).flatMap(ConsentBasis.init(rawValue:)) : nil,
                                         consentReason: form.isVisible(RecordField.consentReason) ? trimmed(RecordField.consentReason) : "",
                                         lawfulBasis: referred ? form.choice(RecordField.lawfulBasis).flatMap(LawfulBasis.init(rawValue:)) : nil,
                                         agencyReference: referred ? trimmed(RecordField.agencyReference) : "",
                                         reasoning: trimmed(RecordField.reasoning),
                                         decision: referred ? trimmed(RecordField.decision) : "",
                                         decidedOn: referred ? form.date(RecordField.decidedOn) : nil)
            check(referral.problems(now: now))
            recording = .record(.referral(pupil, referral))
        case .referralDecision(let referral):
            noFuture(RecordField.decidedOn, "Date of the decision cannot be in the future")
            recording = .record(.referralDecision(referral: referral, decision: trimmed(RecordField.decision),
                                                  decidedOn: form.date(RecordField.decidedOn) ?? now))
        case .action(let pupil, let concern):
            let action = ActionInput(description: trimmed(RecordField.description), owner: form.choice(RecordField.owner) ?? "",
                                     due: form.date(RecordField.due) ?? now, concern: concern)
            check(action.problems(now: now))
            recording = .record(.action(pupil, action))
        case .amend(let entry, let currentText):
            // A rectification request is the reason; anything typed says more about it.
            let typed = trimmed(RecordField.reason)
            let reason = !form.toggle(FieldID.rectification) ? typed
                : AmendmentInput.rectificationReason + (typed.isEmpty ? "" : ": " + typed)
            let amendment = AmendmentInput(newText: form.text(RecordField.text), reason: reason)
            check(amendment.problems(currentText: currentText))
            recording = .record(.amend(entry: entry, amendment))
        case .withhold(let entry, let currentText):
            recording = WithholdForm.recording(&session.form, entry: entry, currentText: currentText, errors: &errors)
                .map(Effect.record)
        case .flag(let pupil):
            noFuture(FieldID.date, "The date cannot be in the future")
            let change = form.choice(RecordField.flag)?.split(separator: ":").map(String.init) ?? []
            let day = form.date(FieldID.date) ?? now
            if change.count == 2, let kind = ContextFlagKind(rawValue: change[1]) {
                recording = .record(change[0] == "end" ? .endFlag(pupil, kind, day) : .setFlag(pupil, kind, day))
            } else {
                recording = nil
            }
        case .done(let id):
            recording = .record(.completeAction(id, outcome: trimmed(RecordField.outcome)))
        case .move(let id):
            let due = form.date(RecordField.due) ?? now
            if due < UKDate.calendar.startOfDay(for: now) { errors[RecordField.due] = "The due date cannot be in the past" }
            recording = .record(.moveAction(id, due: due, reason: trimmed(RecordField.reason)))
        case .reassign(let id):
            recording = .record(.reassignAction(id, owner: form.choice(RecordField.owner) ?? "", reason: trimmed(RecordField.reason)))
        case .filter:
            recording = nil
        case .auditFilter:
            errors.merge(AuditPane.formErrors(form)) { first, _ in first }
            recording = nil
        case .reviewTransfer(let id):
            recording = .reviewTransfer(id, note: trimmed(TransferReviews.note))
        case .triage(let id):
            let level = form.choice(FieldID.level).flatMap(Int.init).flatMap(LevelOfNeed.init(rawValue:)) ?? .earlyHelp
            let decision = TriageDecision(level: level, caseHolder: form.choice(FieldID.caseHolder) ?? "",
                                          restricted: form.toggle(FieldID.restricted))
            recording = .triage(id, decision, seen: session.seen)
        case .verifyBackfill(let id):
            recording = .record(.verifyBackfill(id))
        case .dispute(let entry, let entryDate):
            noFuture(RecordField.received, "The date received cannot be in the future")
            // Verbatim: the statement is not trimmed here (the store drops only trailing blanks).
            let dispute = DisputeInput(statement: form.text(RecordField.statement), madeBy: trimmed(RecordField.madeBy),
                                       receivedAt: form.date(RecordField.received) ?? now)
            check(dispute.problems(entryDate: entryDate, now: now))
            recording = .record(.dispute(entry: entry, dispute))
        case .close(let id):
            let kind = form.choice(RecordField.outcome).flatMap(OutcomeKind.init(rawValue:))
            do {
                recording = .close(id, try Outcome(kind: kind ?? .noFurtherAction, reason: trimmed(RecordField.reason)), seen: session.seen)
            } catch {
                if kind != nil { errors[RecordField.reason] = error.message.prefix(1).uppercased() + error.message.dropFirst() }
                recording = nil
            }
        }
        guard session.form.validate(today: now, extra: errors) else { return [] }
        if session.purpose == .filter {
            closes = true
            return applyFilter(form, &state)
        }
        if session.purpose == .auditFilter { return AuditPane.submit(form, &session) }
        guard let recording else { return [] }
        session.saving = true
        session.problem = nil
        return [recording]
    }

    private static func applyFilter(_ form: Form, _ state: inout AppState) -> [Effect] {
        guard var chronology = state.chronology else { return [] }
        let kind = form.choice(FieldID.kinds).flatMap(ChronologyKind.init(rawValue:))
        chronology.filter = ChronologyFilter(kinds: kind.map { [$0] },
                                             significantOnly: form.toggle(FieldID.significant),
                                             category: form.choice(FieldID.categories).flatMap(ConcernCategory.init(rawValue:)))
        chronology.selected = 0
        chronology.top = 0
        chronology.loading = true
        state.chronology = chronology
        return [.loadChronology(chronology.header.id, chronology.order, chronology.filter, after: nil)]
    }
}

extension String {
    var nonBlank: String? {
        let text = trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
