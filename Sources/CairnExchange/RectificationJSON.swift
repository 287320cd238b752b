import CairnDomain
import Foundation

/// Rectification requests as JSON (`cairn rectify list --json`): every key always present (null
/// when empty), sorted, London timestamps.
public enum RectificationJSON {
    public static func string(_ requests: [RectificationRequest], now: Date) throws -> String {
        String(decoding: try ExchangeJSON.encode(requests.map { Entry(request: $0, now: now) }), as: UTF8.self)
    }

    struct Entry: Encodable {
        let request: RectificationRequest
        let now: Date

        enum Key: String, CodingKey {
            case id, upn, pupil, receivedAt, requester, relationship, recordedBy, recordedAt, action, due, owner, status, overdue
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(request.id, forKey: .id)
            try c.encode(request.upn, forKey: .upn)
            try c.encode(request.pupilName, forKey: .pupil)
            try c.encode(UKDate.date(request.receivedAt), forKey: .receivedAt)
            try c.encode(request.requester, forKey: .requester)
            try c.encode(request.relationship, forKey: .relationship)
            try c.encode(request.recordedBy, forKey: .recordedBy)
            try c.encode(ExchangeJSON.timestamp(request.recordedAt), forKey: .recordedAt)
            try c.encode(request.action, forKey: .action)
            try c.encode(UKDate.date(request.due), forKey: .due)
            try c.encode(request.ownerName, forKey: .owner)
            try c.encode(request.status.rawValue, forKey: .status)
            try c.encode(request.status == .open && ActionRules.isOverdue(due: request.due, at: now), forKey: .overdue)
        }
    }
}
