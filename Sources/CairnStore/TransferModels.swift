import CairnDomain
import Foundation

// What a transfer between schools carries: a pupil and their whole safeguarding file. These are
// the records of the "cairn-transfer" format, version 1 (TRANSFER-FORMAT.md beside the README
// describes every field); CairnExchange turns them into the bundle's JSON with snake_case keys.
// People are named as they were known where they did something, since the receiving school has
// no account for them. Every `id` is local to one bundle: the links between records use it.

/// A pupil's whole file, as sent from one school to another.
public struct TransferFile: Codable, Equatable, Sendable {
    public static let format = "cairn-transfer"
    public static let version = 1

    public var format: String
    public var version: Int
    /// A random UUID for this bundle.
    public var bundleId: String
    public var createdAt: Date
    public var sendingSchool: String
    /// The school the sender named (`--to`), as they spelt it.
    public var receivingSchool: String
    public var sentBy: TransferPerson
    /// 32 random bytes, base64: the receipt code is derived from it, so that only someone who
    /// opened the bundle can give the sender the right code.
    public var receiptKey: String
    public var pupil: TransferPupil
    public var entries: [TransferEntry]
    public var concerns: [TransferConcern]
    public var actions: [TransferAction]
    public var referrals: [TransferReferral]
}

/// A member of staff, as the school where they did something knew them.
public struct TransferPerson: Codable, Equatable, Sendable {
    public var name: String
    public var role: Role
    public var school: String

    public init(name: String, role: Role, school: String) {
        self.name = name
        self.role = role
        self.school = school
    }

    /// "Jo Bloggs (DSL)".
    public var withRole: String { "\(name) (\(role.label))" }
}

/// A calendar day with no time, written "2014-05-14": a date of birth.
public struct CalendarDay: Codable, Equatable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// The London calendar day of `date`.
    public init(_ date: Date) {
        let parts = UKDate.calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Midnight in London at the start of the day; nil for a day that does not exist (31/02).
    public var date: Date? { UKDate.parseDate(String(format: "%02d/%02d/%04d", day, month, year)) }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              CalendarDay(year: year, month: month, day: day).date != nil else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a date as YYYY-MM-DD")
        }
        self.init(year: year, month: month, day: day)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public struct TransferPupil: Codable, Equatable, Sendable {
    public var upn: UPN
    public var legalForename: String
    public var legalSurname: String
    public var preferredForename: String?
    public var dateOfBirth: CalendarDay
    public var yearGroup: YearGroup
    /// The form at the sending school, as its roster named it.
    public var form: String
    /// Every context flag, ended ones too, oldest start first.
    public var flags: [ContextFlag]
}

/// One chronology entry, with its corrections and any family's dispute of it.
public struct TransferEntry: Codable, Equatable, Sendable {
    public var id: Int
    public var kind: ChronologyKind
    public var occurredAt: Date
    public var recordedAt: Date
    public var author: TransferPerson
    /// The one-line summary as first written (the amendments say what it says now).
    public var summary: String
    /// The fixed lead-in of the summary line ("Telephone with Ms R. Example (mother)"), if any.
    public var headline: String?
    /// The full text as first written, when the entry has more than its summary.
    public var body: String?
    /// Labelled parts ("Who", "Consent", ...), in order.
    public var details: [EntryField]
    public var nature: Nature?
    public var significant: Bool
    /// Restricted to the safeguarding team: set when the entry or its concern is.
    public var restricted: Bool
    public var concern: Int?
    public var action: Int?
    public var referral: Int?
    /// Oldest first; the last one's `newText` is what the entry says now.
    public var amendments: [TransferAmendment]
    public var disputes: [TransferDispute]
}

public struct TransferAmendment: Codable, Equatable, Sendable {
    public var previousText: String
    public var newText: String
    public var reason: String
    public var by: TransferPerson
    public var at: Date
}

/// A family's statement that an entry is wrong, attached to the entry.
public struct TransferDispute: Codable, Equatable, Sendable {
    public var statement: String
    /// Who in the family made it, as written ("Mother").
    public var madeBy: String
    public var receivedAt: Date
    public var recordedBy: TransferPerson
    public var recordedAt: Date
}

public struct TransferConcern: Codable, Equatable, Sendable {
    public var id: Int
    /// Its reference at the school where it was logged, "2025-0042".
    public var reference: String
    public var occurredAt: Date
    public var recordedAt: Date
    public var location: String?
    public var urgent: Bool
    public var reportedBy: TransferPerson
    public var categories: [ConcernCategory]
    /// In order, each with its nature.
    public var accounts: [Account]
    public var childWords: String?
    public var reporterAction: String?
    public var status: ConcernStatus
    public var level: LevelOfNeed?
    public var caseHolder: TransferPerson?
    public var restricted: Bool
    /// Triage and closure, oldest first; a closure carries the outcome ("unfounded" included).
    public var decisions: [TransferDecision]
    /// Set when the concern was typed up from a paper original.
    public var paperOriginal: TransferPaperOriginal?
}

public enum DecisionKind: String, Codable, Equatable, Sendable {
    case triage, close
}

public struct TransferDecision: Codable, Equatable, Sendable {
    public var kind: DecisionKind
    public var at: Date
    public var by: TransferPerson
    public var level: LevelOfNeed?
    public var caseHolder: TransferPerson?
    public var restricted: Bool?
    public var outcome: OutcomeKind?
    public var reason: String?
}

public struct TransferPaperOriginal: Codable, Equatable, Sendable {
    public var writtenAt: Date
    /// Who wrote the paper, as typed from it.
    public var writtenBy: String
    public var verifiedBy: TransferPerson?
    public var verifiedAt: Date?
}

public struct TransferAction: Codable, Equatable, Sendable {
    public var id: Int
    public var description: String
    public var owner: TransferPerson
    public var due: Date
    public var status: ActionStatus
    public var outcome: String?
    public var createdBy: TransferPerson
    public var createdAt: Date
    public var concern: Int?
    public var referral: Int?
    /// Raised by Cairn to chase an agency for a decision.
    public var followUp: Bool
}

public struct TransferReferral: Codable, Equatable, Sendable {
    public var id: Int
    public var agency: Agency
    /// A referral made, or a considered decision not to make one.
    public var outcome: ReferralOutcome
    public var madeAt: Date
    public var madeBy: TransferPerson
    public var consent: ConsentBasis?
    public var consentReason: String?
    public var lawfulBasis: LawfulBasis?
    public var agencyReference: String?
    public var reasoning: String?
    public var decision: String?
    public var decidedAt: Date?
    public var recordedAt: Date
    public var concern: Int?
}

extension TransferFile {
    /// What is wrong with the file beyond its JSON types, each as "where: what"; empty when it may
    /// be imported. Every link must name a record in the file, and every id be used once.
    public func problems() -> [String] {
        var out: [String] = []
        if format != Self.format { out.append("format: is \"\(format)\", not \"\(Self.format)\"") }
        if version != Self.version { out.append("version: is \(version); this Cairn reads version \(Self.version)") }
        if UUID(uuidString: bundleId) == nil { out.append("bundle_id: \"\(bundleId)\" is not a UUID") }
        if Data(base64Encoded: receiptKey)?.count != 32 { out.append("receipt_key: must be 32 bytes in base64") }
        for (field, text) in [("sending_school", sendingSchool), ("receiving_school", receivingSchool),
                              ("pupil.legal_forename", pupil.legalForename), ("pupil.legal_surname", pupil.legalSurname)]
        where text.isBlank {
            out.append("\(field): is empty")
        }
        if pupil.dateOfBirth.date == nil { out.append("pupil.date_of_birth: \(pupil.dateOfBirth) is not a real date") }
        for (index, flag) in pupil.flags.enumerated() {
            if let end = flag.end, end < flag.start { out.append("pupil.flags[\(index)].end: is before its start") }
        }
        out += Self.duplicates(entries.map(\.id), "entries") + Self.duplicates(concerns.map(\.id), "concerns")
            + Self.duplicates(actions.map(\.id), "actions") + Self.duplicates(referrals.map(\.id), "referrals")
        let concernIDs = Set(concerns.map(\.id)), actionIDs = Set(actions.map(\.id)), referralIDs = Set(referrals.map(\.id))
        func link(_ id: Int?, _ ids: Set<Int>, _ noun: String, at place: String) {
            if let id, !ids.contains(id) { out.append("\(place).\(noun): refers to \(noun) \(id), which is not in the file") }
        }
        for (index, entry) in entries.enumerated() {
            let place = "entries[\(index)]"
            link(entry.concern, concernIDs, "concern", at: place)
            link(entry.action, actionIDs, "action", at: place)
            link(entry.referral, referralIDs, "referral", at: place)
            if entry.summary.isBlank { out.append("\(place).summary: is empty") }
            for (number, amendment) in entry.amendments.enumerated() where amendment.newText.isBlank || amendment.reason.isBlank {
                out.append("\(place).amendments[\(number)]: needs the new text and the reason")
            }
            for (number, dispute) in entry.disputes.enumerated() where dispute.statement.isBlank {
                out.append("\(place).disputes[\(number)].statement: is empty")
            }
        }
        for (index, action) in actions.enumerated() {
            link(action.concern, concernIDs, "concern", at: "actions[\(index)]")
            link(action.referral, referralIDs, "referral", at: "actions[\(index)]")
        }
        for (index, referral) in referrals.enumerated() {
            link(referral.concern, concernIDs, "concern", at: "referrals[\(index)]")
        }
        for (index, concern) in concerns.enumerated() where concern.accounts.isEmpty {
            out.append("concerns[\(index)].accounts: a concern needs at least one account")
        }
        return out
    }

    private static func duplicates(_ ids: [Int], _ list: String) -> [String] {
        var seen = Set<Int>()
        return ids.compactMap { seen.insert($0).inserted ? nil : "\(list): id \($0) is used twice" }
    }
}
