import Foundation

// Paper backfill: a concern written on paper while Cairn could not be reached (the January 2025
// outage sent thousands of schools back to paper), typed in afterwards. The record says when and by
// whom the paper was written, who typed it and when, and stays "awaiting verification" until someone
// other than the typist has checked it against the paper.

extension RecordField {
    public static let writtenAt = "written-at"
    public static let writtenBy = "written-by"
    /// The concern a verification names (by its reference on the command line).
    public static let reference = "reference"
}

/// What the paper says about itself, as typed in.
public struct PaperInput: Equatable, Sendable {
    public var writtenAt: Date
    /// The name as written on the paper: the author may not be a member of staff in Cairn.
    public var writtenBy: String

    public init(writtenAt: Date, writtenBy: String) {
        self.writtenAt = writtenAt
        self.writtenBy = writtenBy
    }

    public static let maxNameLength = 200

    /// The paper cannot be written after it was typed (now), nor before what it describes happened.
    public func problems(occurredAt: Date, now: Date) -> [FieldProblem] {
        var out: [FieldProblem] = []
        if writtenAt > now.addingTimeInterval(300) {
            out.append(.init(field: RecordField.writtenAt, message: "The paper cannot have been written in the future"))
        } else if writtenAt < occurredAt {
            out.append(.init(field: RecordField.writtenAt,
                             message: "The paper cannot have been written before what it describes happened (\(UKDate.dateTime(occurredAt)))"))
        }
        if let problem = FieldProblem.name(writtenBy, field: RecordField.writtenBy, maxLength: Self.maxNameLength,
                                           whenEmpty: "Give the name of whoever wrote the paper, as it is on the paper") {
            out.append(problem)
        }
        return out
    }
}

/// A concern typed up from a paper original, and where its check against the paper stands.
public struct PaperOriginal: Equatable, Sendable, Codable {
    public var writtenAt: Date
    public var writtenBy: String
    /// The typist is the concern's reporter; the time typed is when the concern was recorded.
    public var typedBy: String
    public var typedByName: String
    public var typedAt: Date
    public var verifiedBy: String?
    public var verifiedByName: String?
    public var verifiedAt: Date?

    public init(writtenAt: Date, writtenBy: String, typedBy: String, typedByName: String, typedAt: Date,
                verifiedBy: String? = nil, verifiedByName: String? = nil, verifiedAt: Date? = nil) {
        self.writtenAt = writtenAt
        self.writtenBy = writtenBy
        self.typedBy = typedBy
        self.typedByName = typedByName
        self.typedAt = typedAt
        self.verifiedBy = verifiedBy
        self.verifiedByName = verifiedByName
        self.verifiedAt = verifiedAt
    }

    public var isVerified: Bool { verifiedAt != nil }

    /// For list rows, in words (never colour alone): "paper, unverified" or "paper, verified".
    public var marker: String { isVerified ? "paper, verified" : "paper, unverified" }

    /// "from paper written 12/03/2026 09:40 by Ann Lee, typed 13/03/2026 10:05 by Sam Carter,
    /// verified by Priya Shah on 13/03/2026 11:00" (or "…, awaiting verification").
    public var provenance: String {
        let typed = "from paper written \(UKDate.dateTime(writtenAt)) by \(writtenBy), typed \(UKDate.dateTime(typedAt)) by \(typedByName)"
        guard let verifiedAt else { return typed + ", awaiting verification against the paper" }
        return typed + ", verified by \(verifiedByName ?? verifiedBy ?? "?") on \(UKDate.dateTime(verifiedAt))"
    }

    /// Why this record cannot be checked again, or nil while it awaits its check. `what` names the
    /// concern: its reference, or "this concern" where the reference is not to hand.
    public func alreadyVerified(_ what: String) -> String? {
        guard let verifiedAt else { return nil }
        return "\(what) was already checked against the paper by \(verifiedByName ?? verifiedBy ?? "?") on \(UKDate.dateTime(verifiedAt))"
    }

    /// Why `username` may not check this record, or nil when they may: the typist cannot check their own typing.
    public func typistRefusal(by username: String, _ what: String) -> String? {
        guard username == typedBy else { return nil }
        return "you typed \(what) from the paper, so a different member of staff must check it against the paper"
    }
}
