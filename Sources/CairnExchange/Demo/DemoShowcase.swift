import CairnDomain
import CairnStore
import Foundation

/// Hand-made examples so that every part of the chronology and the Actions pane has something in it:
/// a Year 8 pupil whose file has a call home (later corrected), a meeting, an early help flag, a
/// decision not to refer and actions for the pastoral lead (one overdue, one due this week); a second
/// Year 8 pupil with a referral made without consent and a note marked significant; and an older
/// pupil with dated flags, a referral still awaiting a decision (so a follow-up is raised) and
/// overdue actions for the DSL. Fixed texts and dates relative to `now`: no random draws.
enum DemoShowcase {
    typealias Work = (DemoContext) throws -> Void

    static func steps(pupils: [PupilRow], busy: Set<UPN>, now: Date) -> [(Date, Work)] {
        // Pupils with nothing in this week's queue, so that the examples stand on their own.
        func pick(_ year: YearGroup, _ index: Int) -> PupilRow? {
            let free = pupils.filter { $0.yearGroup == year && !busy.contains($0.upn) }
            let all = free.count > index ? free : pupils.filter { $0.yearGroup == year }
            return all.count > index ? all[index] : nil
        }
        var steps: [(Date, Work)] = []
        if let pupil = pick(.year8, 0) { steps += earlyHelpCase(pupil, now: now) }
        if let pupil = pick(.year8, 1) { steps += referralWithoutConsent(pupil, now: now) }
        if let pupil = pick(.year10, 0) { steps += childProtectionCase(pupil, now: now) }
        return steps
    }

    /// `hour` o'clock on the day `days` working days before `now` (0: today).
    static func day(_ days: Int, _ hour: Double, now: Date) -> Date {
        WorkingDays.addingWorkingDays(-days, to: now).addingTimeInterval(hour * 3600)
    }

    private static func earlyHelpCase(_ pupil: PupilRow, now: Date) -> [(Date, Work)] {
        let upn = pupil.upn
        let name = pupil.preferredForename ?? pupil.legalForename
        let meeting = day(12, 15.5, now: now)
        let calendar = UKDate.calendar
        let today = calendar.startOfDay(for: now)
        let daysLeft = calendar.dateComponents([.day], from: today, to: WorkingDays.endOfWeek(containing: now)).day ?? 1
        let dueThisWeek = calendar.date(byAdding: .day, value: max(0, min(2, daysLeft - 1)), to: today)!
        return [
            (day(20, 16, now: now), { c in
                c.ids["call"] = try c.store.addNote(actor: c.who("demo.dsl"), pupil: c.pupil(upn), NoteInput(
                    kind: .contact, occurredAt: day(20, 15.75, now: now), party: .parentCarer,
                    who: "Ms D. \(pupil.legalSurname) (mother)", method: .phone,
                    summary: "Spoke to mum about how \(name) has seemed at home since half term. She says sleep has been poor and there have been arguments with an older sibling; she welcomed a check-in at school. Agreed to speak again in two weeks.",
                    nature: .reported))
            }),
            (day(19, 9, now: now), { c in
                try c.store.amendEntry(actor: c.who("demo.dsl"), entry: c.ids["call"] ?? 0, AmendmentInput(
                    newText: "Spoke to mum about how \(name) has seemed at home since half term. She says sleep has been poor and there have been arguments with a younger brother; she welcomed a check-in at school. Agreed to speak again in two weeks.",
                    reason: "Recorded the wrong sibling: mum rang back to say it is the younger brother."))
            }),
            (day(12, 16.5, now: now), { c in
                let pupilID = try c.pupil(upn)
                try c.store.addMeeting(actor: c.who("demo.dsl"), pupil: pupilID, MeetingInput(
                    type: .teamAroundTheChild, heldAt: meeting,
                    attendees: "Sam Carter (DSL), Tom Hughes (head of year), Ms D. \(pupil.legalSurname) (mother), school nurse",
                    decisions: "Early help plan agreed: weekly check-in with the head of year; the school nurse to offer sleep support; review in six weeks."))
                try c.store.setFlag(actor: c.who("demo.dsl"), pupil: pupilID, kind: .earlyHelp, start: meeting)
                try c.store.addAction(actor: c.who("demo.dsl"), pupil: pupilID, ActionInput(
                    description: "Weekly check-in with \(name); note how they seem and anything said",
                    owner: "demo.pastoral", due: day(3, 0, now: now)))
            }),
            (day(5, 11, now: now), { c in
                try c.store.recordReferral(actor: c.who("demo.dsl"), pupil: c.pupil(upn), ReferralInput(
                    agency: .camhs, outcome: .notReferred, madeAt: day(5, 11, now: now),
                    reasoning: "Discussed with the school nurse: low mood is being managed through the early help plan and does not meet the CAMHS threshold at present. Review at the six-week meeting."))
            }),
            (day(2, 14, now: now), { c in
                try c.store.addAction(actor: c.who("demo.dsl"), pupil: c.pupil(upn), ActionInput(
                    description: "Meet \(name) and mum to review how the early help plan is going",
                    owner: "demo.pastoral", due: dueThisWeek))
            }),
        ]
    }

    private static func referralWithoutConsent(_ pupil: PupilRow, now: Date) -> [(Date, Work)] {
        let upn = pupil.upn
        let name = pupil.preferredForename ?? pupil.legalForename
        return [
            (day(9, 12, now: now), { c in
                c.ids["mash"] = try c.store.recordReferral(actor: c.who("demo.dsl"), pupil: c.pupil(upn), ReferralInput(
                    agency: .socialCare, madeAt: day(9, 11.5, now: now), consent: .notSought,
                    consentReason: "The father is the alleged source of harm; asking for consent could place \(name) at greater risk.",
                    lawfulBasis: .publicTask, agencyReference: "MASH-24117",
                    reasoning: "Bruising seen on both upper arms in PE; the explanation given changed twice during the day."))
            }),
            (day(7, 10, now: now), { c in
                try c.store.recordReferralDecision(actor: c.who("demo.dsl"), referral: c.ids["mash"] ?? 0,
                                                   decision: "Strategy discussion held; section 47 enquiry to begin.",
                                                   decidedOn: day(7, 9.5, now: now))
            }),
            (day(4, 13, now: now), { c in
                let pastoral = try c.who("demo.pastoral")
                let note = try c.store.addNote(actor: pastoral, pupil: c.pupil(upn), NoteInput(
                    kind: .note, occurredAt: day(4, 12.5, now: now),
                    summary: "\(name) asked to stay in at lunch and said home is \"quieter now\". Seemed brighter in tutor time and joined in with the quiz.",
                    nature: .seen))
                try c.store.setSignificant(actor: pastoral, entry: note, significant: true)
            }),
        ]
    }

    private static func childProtectionCase(_ pupil: PupilRow, now: Date) -> [(Date, Work)] {
        let upn = pupil.upn
        let name = pupil.preferredForename ?? pupil.legalForename
        let inNeed = day(160, 9, now: now), plan = day(45, 9, now: now)
        return [
            (inNeed, { c in try c.store.setFlag(actor: c.who("demo.dsl"), pupil: c.pupil(upn), kind: .childInNeed, start: inNeed) }),
            (plan, { c in
                let dsl = try c.who("demo.dsl")
                try c.store.endFlag(actor: dsl, pupil: c.pupil(upn), kind: .childInNeed, end: plan)
                try c.store.setFlag(actor: dsl, pupil: c.pupil(upn), kind: .childProtectionPlan, start: plan)
            }),
            (day(8, 10, now: now), { c in
                try c.store.addAction(actor: c.who("demo.dsl"), pupil: c.pupil(upn), ActionInput(
                    description: "Send the school's chronology for \(name) to the social worker before the review conference",
                    owner: "demo.dsl", due: day(2, 0, now: now)))
                try c.store.addAction(actor: c.who("demo.dsl"), pupil: c.pupil(upn), ActionInput(
                    description: "Chase the attendance officer for \(name)'s figures since the plan began",
                    owner: "demo.dsl", due: day(1, 0, now: now)))
            }),
            (day(3, 10, now: now), { c in
                try c.store.recordReferral(actor: c.who("demo.dsl"), pupil: c.pupil(upn), ReferralInput(
                    agency: .police, madeAt: day(3, 9.75, now: now), consent: .givenByYoungPerson,
                    lawfulBasis: .publicTask, agencyReference: "",
                    reasoning: "\(name) showed messages from an unknown adult asking to meet; screenshots kept by the DSL."))
            }),
        ]
    }
}
