import CairnDomain
import CairnStore
import Foundation

/// Search results as JSON (`cairn search --json`), best match first. Keys are sorted and always
/// present (null when empty). The snippet is plain, sanitised text with no markers in it;
/// `matches` says where the matched words are, as [start, end) offsets in Unicode code points
/// (what Python's string indexes count; in JavaScript use `Array.from(snippet)`).
public enum SearchJSON {
    public static func encode(_ hits: [SearchHit], schools: [School]) throws -> Data {
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0.name) })
        return try ExchangeJSON.encode(hits.enumerated().map { Entry(rank: $0.offset + 1, hit: $0.element, school: names[$0.element.school]) })
    }

    public static func string(_ hits: [SearchHit], schools: [School]) throws -> String {
        String(decoding: try encode(hits, schools: schools), as: UTF8.self)
    }

    struct Entry: Encodable {
        let rank: Int
        let hit: SearchHit
        let school: String?

        enum Key: String, CodingKey {
            case rank, pupil, school, entry, occurredAt, date, kind, part, nature, restricted, earlierText, snippet, matches
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(rank, forKey: .rank)
            try c.encode(QueueJSON.Pupil(hit.pupil), forKey: .pupil)
            try c.encode(school, forKey: .school)
            try c.encode(hit.entry, forKey: .entry)
            try c.encode(ExchangeJSON.timestamp(hit.occurredAt), forKey: .occurredAt)
            try c.encode(UKDate.date(hit.occurredAt), forKey: .date)
            try c.encode(hit.kind.rawValue, forKey: .kind)
            try c.encode(hit.part.rawValue, forKey: .part)
            try c.encode(hit.nature?.rawValue, forKey: .nature)
            try c.encode(hit.restricted, forKey: .restricted)
            try c.encode(hit.superseded, forKey: .earlierText)
            try c.encode(hit.snippet.text, forKey: .snippet)
            try c.encode(hit.snippet.matchOffsets.map { [$0.lowerBound, $0.upperBound] }, forKey: .matches)
        }
    }
}
