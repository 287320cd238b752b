import Foundation

// A family may ask for an entry to be corrected (UK GDPR art. 16). Facts that are wrong are amended,
// with the reason "rectification request". An opinion usually cannot be shown to be wrong: the entry
// is marked disputed and the family's own statement is kept with it, word for word, dated.

extension RecordField {
    public static let statement = "statement"
    public static let madeBy = "made-by"
    public static let received = "received"
    public static let requester = "requester"
    public static let relationship = "relationship"
}

extension AmendmentInput {
    /// The reason an amendment made because the family asked carries.
    public static let rectificationReason = "rectification request"
}

/// The family's statement about an entry, as recorded.
public struct DisputeInput: Equatable, Sendable {
    /// Kept as given; only blank lines and spaces at its end are dropped.
    public var statement: String
    /// Who in the family made it: "Mother, Jo Testwood".
    public var madeBy: String
    public var receivedAt: Date

    public init(statement: String, madeBy: String, receivedAt: Date) {
        self.statement = statement
        self.madeBy = madeBy
        self.receivedAt = receivedAt
    }

    public static let maxStatementLength = 20_000
    public static let maxNameLength = 200

    /// The statement as stored: verbatim, less trailing whitespace (a file's last newline).
    public var keptStatement: String {
        var text = statement
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }

    /// `entryDate` is when the disputed entry happened: a statement about it cannot come before it.
    public func problems(entryDate: Date, now: Date) -> [FieldProblem] {
        var out: [FieldProblem] = []
        let text = keptStatement
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            out.append(.init(field: RecordField.statement, message: "Write the family's statement, exactly as they gave it"))
        } else if text.count > Self.maxStatementLength {
            out.append(.init(field: RecordField.statement, message: "The statement is longer than \(Self.maxStatementLength) characters"))
        }
        if let problem = FieldProblem.name(madeBy, field: RecordField.madeBy, maxLength: Self.maxNameLength,
                                           whenEmpty: "Say who made the statement, e.g. Mother, Jo Testwood") {
            out.append(problem)
        }
        let calendar = UKDate.calendar
        if calendar.startOfDay(for: receivedAt) > calendar.startOfDay(for: now) {
            out.append(.init(field: RecordField.received, message: "The date received cannot be in the future"))
        } else if calendar.startOfDay(for: receivedAt) < calendar.startOfDay(for: entryDate) {
            out.append(.init(field: RecordField.received,
                             message: "The statement cannot have been received before the entry's date, \(UKDate.date(entryDate))"))
        }
        return out
    }
}

/// A family's statement attached to a chronology entry they dispute. Append-only: a later
/// statement is another dispute; none is ever changed or taken away.
public struct Dispute: Equatable, Sendable, Codable {
    public var id: Int64
    /// The chronology entry disputed.
    public var entryID: Int64
    /// Verbatim.
    public var statement: String
    public var madeBy: String
    public var receivedAt: Date
    public var recordedBy: String
    public var recordedByName: String
    public var recordedAt: Date

    public init(id: Int64, entryID: Int64, statement: String, madeBy: String, receivedAt: Date, recordedBy: String,
                recordedByName: String, recordedAt: Date) {
        self.id = id
        self.entryID = entryID
        self.statement = statement
        self.madeBy = madeBy
        self.receivedAt = receivedAt
        self.recordedBy = recordedBy
        self.recordedByName = recordedByName
        self.recordedAt = recordedAt
    }

    /// "Disputed by Mother, Jo Testwood: statement received 14/03/2026, recorded 15/03/2026 09:10 by Sam Carter".
    public var byline: String {
        "Disputed by \(madeBy): statement received \(UKDate.date(receivedAt)), recorded \(UKDate.dateTime(recordedAt)) by \(recordedByName)"
    }
}

/// A request to correct a pupil's record, as recorded.
public struct RectificationInput: Equatable, Sendable {
    public var pupil: UPN
    public var receivedAt: Date
    public var requester: String?
    public var relationship: String?

    public init(pupil: UPN, receivedAt: Date, requester: String? = nil, relationship: String? = nil) {
        self.pupil = pupil
        self.receivedAt = receivedAt
        self.requester = requester
        self.relationship = relationship
    }

    public func problems(now: Date) -> [FieldProblem] {
        var out: [FieldProblem] = []
        if UKDate.calendar.startOfDay(for: receivedAt) > UKDate.calendar.startOfDay(for: now) {
            out.append(.init(field: RecordField.received, message: "The date received cannot be in the future"))
        }
        for (field, value) in [(RecordField.requester, requester), (RecordField.relationship, relationship)] {
            if let value, let problem = FieldProblem.name(value, field: field, maxLength: DisputeInput.maxNameLength,
                                                           whenEmpty: "is empty; leave it out if it is not known") {
                out.append(problem)
            }
        }
        return out
    }

    /// When the answer is due: one calendar month after the day received (the same day next month,
    /// or its last day when that month is shorter: 31/01 gives 28/02 or 29/02).
    public static func due(received: Date) -> Date {
        // The same calendar month a subject access request has (UK GDPR article 12(3)).
        SubjectAccess.due(received: received)
    }

    /// "Jo Testwood (mother)", "Jo Testwood", "the mother", "the family".
    public var from: String { Self.from(requester: requester, relationship: relationship) }

    public static func from(requester: String?, relationship: String?) -> String {
        let name = requester?.trimmingCharacters(in: .whitespacesAndNewlines).nonBlank
        let relation = relationship?.trimmingCharacters(in: .whitespacesAndNewlines).nonBlank
        switch (name, relation) {
        case let (name?, relation?): return "\(name) (\(relation))"
        case let (name?, nil): return name
        case let (nil, relation?): return "the \(relation)"
        case (nil, nil): return "the family"
        }
    }
}

/// A rectification request and where its answer stands (its action).
public struct RectificationRequest: Equatable, Sendable, Codable {
    public var id: Int64
    public var pupil: PupilID
    public var upn: String
    public var pupilName: String
    public var receivedAt: Date
    public var requester: String?
    public var relationship: String?
    public var recordedBy: String
    public var recordedAt: Date
    /// The action that tracks the answer, due a calendar month after `receivedAt`.
    public var action: Int64
    public var due: Date
    public var ownerName: String
    public var status: ActionStatus

    public init(id: Int64, pupil: PupilID, upn: String, pupilName: String, receivedAt: Date, requester: String?,
                relationship: String?, recordedBy: String, recordedAt: Date, action: Int64, due: Date, ownerName: String,
                status: ActionStatus) {
        self.id = id
        self.pupil = pupil
        self.upn = upn
        self.pupilName = pupilName
        self.receivedAt = receivedAt
        self.requester = requester
        self.relationship = relationship
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.action = action
        self.due = due
        self.ownerName = ownerName
        self.status = status
    }

    public var from: String { RectificationInput.from(requester: requester, relationship: relationship) }
}

extension String {
    var nonBlank: String? { isBlank ? nil : self }
}

extension FieldProblem {
    /// The problem with a person's name given as text: blank, or not one line of at most `maxLength`.
    static func name(_ value: String, field: String, maxLength: Int, whenEmpty: String) -> FieldProblem? {
        let name = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { return FieldProblem(field: field, message: whenEmpty) }
        if name.count > maxLength || name.contains(where: \.isNewline) {
            return FieldProblem(field: field, message: "Give the name on one line, at most \(maxLength) characters")
        }
        return nil
    }
}
