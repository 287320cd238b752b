import Foundation
import Testing
import CairnDomain

// All pupils here are invented; the UPNs are synthetic with hand-checked check letters.

/// The two kinds of event, so that the transition table can name them.
fileprivate enum EventKind: String, CaseIterable, CustomTestStringConvertible {
    case triage, close
    var testDescription: String { rawValue }

    func event() throws -> ConcernEvent {
        switch self {
        case .triage: .triage(TriageDecision(level: .earlyHelp, caseHolder: "dsl.ahmed", restricted: false))
        case .close: .close(try Outcome(kind: .monitor))
        }
    }
}

/// What a transition should do: move to a status, or be refused with a message containing some words.
fileprivate enum Expected: Sendable, CustomTestStringConvertible {
    case moves(to: ConcernStatus)
    case refused(containing: [String])

    var testDescription: String {
        switch self {
        case .moves(let s): "-> \(s.rawValue)"
        case .refused(let words): "refused (\(words.joined(separator: ", ")))"
        }
    }
}

/// Every (status, event) pair, written out. A new status or event must be added here.
fileprivate let transitionTable: [(ConcernStatus, EventKind, Expected)] = [
    (.new, .triage, .moves(to: .inProgress)),
    (.new, .close, .refused(containing: ["triaged before", "closed"])),
    (.inProgress, .triage, .moves(to: .inProgress)), // re-triage: level or case holder changes
    (.inProgress, .close, .moves(to: .closed)),
    (.closed, .triage, .refused(containing: ["closed", "amendment", "new concern"])),
    (.closed, .close, .refused(containing: ["closed", "amendment", "new concern"])),
]

@Suite struct ConcernLifecycleTests {
    @Test func tableCoversEveryStatusAndEvent() {
        for status in ConcernStatus.allCases {
            for kind in EventKind.allCases {
                let rows = transitionTable.filter { $0.0 == status && $0.1 == kind }
                #expect(rows.count == 1, "\(status) x \(kind) should appear exactly once in the table")
            }
        }
        #expect(transitionTable.count == ConcernStatus.allCases.count * EventKind.allCases.count)
    }

    @Test(arguments: transitionTable)
    fileprivate func transition(_ status: ConcernStatus, _ kind: EventKind, _ expected: Expected) throws {
        let event = try kind.event()
        let result = Result { () throws(IllegalTransition) -> ConcernStatus in
            try ConcernLifecycle.next(from: status, on: event)
        }
        switch (expected, result) {
        case (.moves(let want), .success(let got)):
            #expect(got == want)
        case (.moves(let want), .failure(let error)):
            Issue.record("expected \(status) --\(kind)--> \(want), but it was refused: \(error)")
        case (.refused, .success(let got)):
            Issue.record("expected \(status) --\(kind)--> refusal, but it moved to \(got)")
        case (.refused(let words), .failure(let error)):
            #expect(error.from == status)
            #expect(error.event == kind.rawValue)
            for word in words {
                #expect(error.description.contains(word), "\"\(error.description)\" should mention \"\(word)\"")
            }
        }
    }

    @Test func closeFromNewSaysToTriageFirst() {
        #expect(throws: IllegalTransition.self) {
            try ConcernLifecycle.next(from: .new, on: .close(try Outcome(kind: .unfounded)))
        }
        do {
            _ = try ConcernLifecycle.next(from: .new, on: .close(try Outcome(kind: .unfounded)))
            Issue.record("closing a new concern should be refused")
        } catch let error as IllegalTransition {
            #expect(error.description == "a new concern must be triaged before it is closed")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: EventKind.allCases)
    fileprivate func anythingOnClosedIsRefused(_ kind: EventKind) throws {
        let event = try kind.event()
        do {
            let status = try ConcernLifecycle.next(from: .closed, on: event)
            Issue.record("\(kind) on a closed concern moved it to \(status)")
        } catch {
            #expect(error.from == .closed)
            #expect(error.event == kind.rawValue)
            #expect(error.description == "this concern is closed; record an amendment or log a new concern instead")
        }
    }

    @Test func closeCarriesEveryOutcomeKind() throws {
        for kind in OutcomeKind.allCases {
            let outcome = try Outcome(kind: kind, reason: kind.needsReason ? "Explained by parent; seen by nurse" : nil)
            #expect(try ConcernLifecycle.next(from: .inProgress, on: .close(outcome)) == .closed)
        }
    }

    @Test func retriageMayChangeLevelCaseHolderAndRestriction() throws {
        for level in LevelOfNeed.allCases {
            let decision = TriageDecision(level: level, caseHolder: "deputy.chen", restricted: level == .statutory)
            #expect(try ConcernLifecycle.next(from: .inProgress, on: .triage(decision)) == .inProgress)
            #expect(try ConcernLifecycle.next(from: .new, on: .triage(decision)) == .inProgress)
        }
    }

    @Test func statusLabelsAreEnglish() {
        #expect(ConcernStatus.new.label == "New")
        #expect(ConcernStatus.inProgress.label == "In progress")
        #expect(ConcernStatus.closed.label == "Closed")
    }
}

@Suite struct OutcomeTests {
    @Test(arguments: OutcomeKind.allCases)
    func onlyNoFurtherActionNeedsAReason(_ kind: OutcomeKind) throws {
        #expect(kind.needsReason == (kind == .noFurtherAction))
        if kind == .noFurtherAction {
            #expect(throws: FieldProblem.self) { try Outcome(kind: kind) }
        } else {
            let outcome = try Outcome(kind: kind)
            #expect(outcome.kind == kind)
            #expect(outcome.reason == nil)
        }
    }

    @Test(arguments: [nil, "", " ", "   \t", "\n", " \n\t \r\n"] as [String?])
    func noFurtherActionRefusesMissingOrBlankReason(_ reason: String?) {
        do {
            let outcome = try Outcome(kind: .noFurtherAction, reason: reason)
            Issue.record("NFA with reason \(String(describing: reason)) was accepted as \(outcome)")
        } catch {
            #expect(error.field == "reason")
            #expect(error.message == "a reason is required for no further action")
            #expect(error.description == "reason: a reason is required for no further action")
        }
    }

    @Test func noFurtherActionKeepsATrimmedReason() throws {
        let outcome = try Outcome(kind: .noFurtherAction, reason: "  Mother explained the bruise; seen by school nurse \n")
        #expect(outcome.kind == .noFurtherAction)
        #expect(outcome.reason == "Mother explained the bruise; seen by school nurse")
    }

    @Test(arguments: OutcomeKind.allCases.filter { !$0.needsReason })
    func blankReasonOnOtherOutcomesBecomesNil(_ kind: OutcomeKind) throws {
        #expect(try Outcome(kind: kind, reason: "   \n").reason == nil)
        #expect(try Outcome(kind: kind, reason: "").reason == nil)
        #expect(try Outcome(kind: kind, reason: "\tReferred after second disclosure  ").reason
            == "Referred after second disclosure")
    }

    @Test func reasonInsideTextIsKeptAsWritten() throws {
        let text = "Line one\n  line two"
        #expect(try Outcome(kind: .noFurtherAction, reason: text).reason == text)
    }
}

@Suite struct ConcernDraftTests {
    // Synthetic UPNs, check letters worked out in UPNTests.
    static let amara = try! UPN("Q330400124123")
    static let ben = try! UPN("B801200005001")
    static let now = Date(timeIntervalSince1970: 1_795_356_300) // 22/11/2026 14:05 London (GMT)

    static func draft(pupils: [UPN] = [amara], categories: [ConcernCategory] = [.neglect],
                      accounts: [Account] = [Account(nature: .seen, text: "Arrived without a coat in the rain again")],
                      occurredAt: Date = now.addingTimeInterval(-3600)) -> ConcernDraft {
        ConcernDraft(pupils: pupils, categories: categories, accounts: accounts, occurredAt: occurredAt)
    }

    @Test func nowIsWhatTheCommentSays() {
        #expect(UKDate.dateTime(Self.now) == "22/11/2026 14:05")
    }

    @Test func aCompleteDraftHasNoProblems() {
        #expect(Self.draft().problems(recordedAt: Self.now).isEmpty)
        #expect(Self.draft(pupils: [Self.amara, Self.ben], categories: [.neglect, .online])
            .problems(recordedAt: Self.now).isEmpty)
    }

    @Test func noPupilIsNamedOnThePupilField() {
        let problems = Self.draft(pupils: []).problems(recordedAt: Self.now)
        #expect(problems == [FieldProblem(field: "pupil", message: "at least one pupil is needed")])
    }

    @Test func duplicatePupilIsNamedOnThePupilField() {
        let problems = Self.draft(pupils: [Self.amara, Self.ben, Self.amara]).problems(recordedAt: Self.now)
        #expect(problems == [FieldProblem(field: "pupil", message: "the same pupil is named twice")])
    }

    @Test func noCategoryIsNamedOnTheCategoryField() {
        let problems = Self.draft(categories: []).problems(recordedAt: Self.now)
        #expect(problems == [FieldProblem(field: "category", message: "at least one category is needed")])
    }

    @Test(arguments: [
        [],
        [Account(nature: .seen, text: "")],
        [Account(nature: .disclosed, text: "   \n\t")],
        [Account(nature: .seen, text: " "), Account(nature: .opinion, text: "\r\n")],
    ] as [[Account]])
    func blankTextIsNamedOnTheTextField(_ accounts: [Account]) {
        let problems = Self.draft(accounts: accounts).problems(recordedAt: Self.now)
        #expect(problems == [FieldProblem(field: "text", message: "say what was seen or heard")])
    }

    @Test func oneNonBlankAccountAmongBlankOnesIsEnough() {
        let accounts = [Account(nature: .seen, text: "  "), Account(nature: .disclosed, text: "\"He hits me\"")]
        #expect(Self.draft(accounts: accounts).problems(recordedAt: Self.now).isEmpty)
    }

    @Test func futureOccurredAtIsNamedOnTheOccurredAtField() {
        let tomorrow = Self.now.addingTimeInterval(86_400)
        let problems = Self.draft(occurredAt: tomorrow).problems(recordedAt: Self.now)
        #expect(problems == [FieldProblem(field: "occurred-at", message: "is in the future")])
        #expect(problems.first?.description == "occurred-at: is in the future")
    }

    @Test func fiveMinutesOfClockSkewIsTolerated() {
        #expect(Self.draft(occurredAt: Self.now).problems(recordedAt: Self.now).isEmpty)
        #expect(Self.draft(occurredAt: Self.now.addingTimeInterval(300)).problems(recordedAt: Self.now).isEmpty)
        #expect(Self.draft(occurredAt: Self.now.addingTimeInterval(301)).problems(recordedAt: Self.now).map(\.field)
            == ["occurred-at"])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let draft = Self.draft(pupils: [], categories: [], accounts: [], occurredAt: Self.now.addingTimeInterval(3600))
        #expect(draft.problems(recordedAt: Self.now).map(\.field) == ["pupil", "category", "text", "occurred-at"])
    }
}
