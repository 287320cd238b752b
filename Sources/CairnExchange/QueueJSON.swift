import CairnDomain
import CairnStore
import Foundation

/// The queue as JSON for scripts and reports (`cairn queue --json`). Keys are sorted and every key
/// is always present (null when empty), so the output diffs cleanly and consumers need no guessing.
/// It carries no account text: only what the queue screen's columns show.
public enum QueueJSON {
    public static func encode(_ items: [QueueItem]) throws -> Data {
        try ExchangeJSON.encode(items.map(Entry.init))
    }

    public static func string(_ items: [QueueItem]) throws -> String {
        String(decoding: try encode(items), as: UTF8.self)
    }

    struct Entry: Encodable {
        let item: QueueItem

        enum Key: String, CodingKey {
            case id, reference, status, urgent, restricted, categories, pupils, reportedBy, reporterName
            case reportedAt, occurredAt, caseHolder, level, paper
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(item.id.rawValue, forKey: .id)
            try c.encode(item.reference.description, forKey: .reference)
            try c.encode(item.status.rawValue, forKey: .status)
            try c.encode(item.urgent, forKey: .urgent)
            try c.encode(item.restricted, forKey: .restricted)
            try c.encode(item.categories.map(\.rawValue), forKey: .categories)
            try c.encode(item.pupils.map(Pupil.init), forKey: .pupils)
            try c.encode(item.reportedBy, forKey: .reportedBy)
            try c.encode(item.reporterName, forKey: .reporterName)
            try c.encode(ExchangeJSON.timestamp(item.recordedAt), forKey: .reportedAt)
            try c.encode(ExchangeJSON.timestamp(item.occurredAt), forKey: .occurredAt)
            // Explicit nulls: an untriaged concern still has the keys.
            try c.encode(item.caseHolder, forKey: .caseHolder)
            try c.encode(item.level?.rawValue, forKey: .level)
            try c.encode(item.paper.map(Paper.init), forKey: .paper)
        }
    }

    /// A concern typed from a paper original: the typist is `reportedBy`, typed at `reportedAt`.
    struct Paper: Encodable {
        let writtenAt: String
        let writtenBy: String
        let verifiedBy: String?
        let verifiedAt: String?

        init(_ paper: PaperOriginal) {
            writtenAt = ExchangeJSON.timestamp(paper.writtenAt)
            writtenBy = paper.writtenBy
            verifiedBy = paper.verifiedBy
            verifiedAt = paper.verifiedAt.map(ExchangeJSON.timestamp)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(writtenAt, forKey: .writtenAt)
            try c.encode(writtenBy, forKey: .writtenBy)
            try c.encode(verifiedBy, forKey: .verifiedBy)
            try c.encode(verifiedAt, forKey: .verifiedAt)
        }

        enum CodingKeys: String, CodingKey { case writtenAt, writtenBy, verifiedBy, verifiedAt }
    }

    struct Pupil: Encodable {
        let upn: String
        let name: String
        /// 0 for Reception, otherwise the National Curriculum year.
        let yearGroup: Int
        let form: String

        init(_ summary: PupilSummary) {
            upn = summary.upn
            name = summary.name
            yearGroup = summary.yearGroup.rawValue
            form = summary.form
        }
    }
}

/// Staff accounts as JSON (`cairn staff list --json`). `schools` names each school by its id.
public enum StaffJSON {
    public static func encode(_ staff: [Staff], schools: [School]) throws -> Data {
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0.name) })
        return try ExchangeJSON.encode(staff.map { Entry($0, school: $0.school.flatMap { names[$0] }) })
    }

    public static func string(_ staff: [Staff], schools: [School]) throws -> String {
        String(decoding: try encode(staff, schools: schools), as: UTF8.self)
    }

    struct Entry: Encodable {
        let username: String
        let name: String
        let role: String
        /// Sorted; empty for roles without a year scope.
        let years: [Int]
        let active: Bool
        /// The school's name; null for trust-level staff, who span the trust's schools.
        let school: String?

        init(_ staff: Staff, school: String?) {
            username = staff.username
            name = staff.displayName
            role = staff.role.rawValue
            years = staff.years.map(\.rawValue).sorted()
            active = staff.active
            self.school = school
        }

        enum CodingKeys: String, CodingKey { case username, name, role, years, active, school }

        // Written by hand so that a trust-level member of staff still has the key, as null.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(username, forKey: .username)
            try c.encode(name, forKey: .name)
            try c.encode(role, forKey: .role)
            try c.encode(years, forKey: .years)
            try c.encode(active, forKey: .active)
            try c.encode(school, forKey: .school)
        }
    }
}

enum ExchangeJSON {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// ISO 8601 in London time with an explicit offset ("2026-06-10T09:15:00+01:00"), worked out by
    /// hand so the output does not depend on the platform's date formatter.
    static func timestamp(_ date: Date) -> String {
        let zone = UKDate.timeZone
        func pad(_ n: Int, _ width: Int = 2) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let c = UKDate.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return "\(pad(c.year!, 4))-\(pad(c.month!))-\(pad(c.day!))T\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!))"
            + "\(sign)\(pad(minutes / 60)):\(pad(minutes % 60))"
    }
}
