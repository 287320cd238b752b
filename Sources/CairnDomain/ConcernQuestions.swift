import Foundation

/// The questions of the concern form, in the order a member of staff thinks it through. One source
/// for the dashboard's form and the printed paper form (`cairn form`), so that a paper filled in
/// during an outage asks exactly what the dashboard asks and types straight back in.
public enum ConcernQuestion: String, Sendable, CaseIterable {
    case pupils, date, time, location, account, childWords, nature, reporterAction, categories, atRisk
    /// The paper original: who wrote it and when (typed in later, then checked by someone else).
    case writtenBy, writtenAt

    /// The questions a concern asks, in order; the paper original's come after them.
    public static let report: [ConcernQuestion] = [.pupils, .date, .time, .location, .account, .childWords, .nature,
                                                   .reporterAction, .categories, .atRisk]

    public var label: String {
        switch self {
        case .pupils: "Pupils"
        case .date: "Date it happened"
        case .time: "Time"
        case .location: "Where"
        case .account: "What you saw or heard"
        case .childWords: "The child's own words"
        case .nature: "Nature of the account"
        case .reporterAction: "What you did"
        case .categories: "Categories"
        case .atRisk: "Is the child at risk now?"
        case .writtenBy: "Written by"
        case .writtenAt: "Written at"
        }
    }

    /// Guidance under the question, the same on screen and on paper; nil when the label says it all.
    public var hint: String? {
        switch self {
        case .pupils, .date, .categories, .atRisk, .writtenBy: nil
        case .time: "HH:MM, 24-hour"
        case .location: "Classroom, playground, online…"
        case .account: "Facts: what happened, who was there"
        case .childWords: "Exactly as said, without rewording"
        case .nature: "Is this what you saw, what the child told you, what someone else reported, or your opinion?"
        case .reporterAction: "Who you told, what you said to the child"
        case .writtenAt: "dd/mm/yyyy HH:MM"
        }
    }
}

extension Urgency: CaseIterable {
    public static let allCases: [Urgency] = [.routine, .atRiskNow]

    /// The answer to "Is the child at risk now?".
    public var answer: String { self == .routine ? "No" : "Yes: the child is at risk now (URGENT)" }
}
