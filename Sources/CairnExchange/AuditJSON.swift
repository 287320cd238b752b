import CairnDomain
import CairnStore
import Foundation

/// The audit log and "who has looked" as JSON (`cairn audit log --json`, `cairn audit looked --json`).
/// Keys sorted, every key present (null when empty), times in London with their offset.
public enum AuditJSON {
    public static func string(_ records: [AuditRecord]) throws -> String {
        String(decoding: try ExchangeJSON.encode(records.map(Event.init)), as: UTF8.self)
    }

    public static func string(_ looks: [LookSummary]) throws -> String {
        String(decoding: try ExchangeJSON.encode(looks.map(Look.init)), as: UTF8.self)
    }

    struct Event: Encodable {
        let record: AuditRecord

        enum Key: String, CodingKey {
            case sequence, at, actor, actorName, actorRole, operation, recordKind, recordID, pupil, detail
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(record.sequence, forKey: .sequence)
            try c.encode(ExchangeJSON.timestamp(record.at), forKey: .at)
            try c.encode(record.actor, forKey: .actor)
            try c.encode(record.actorName, forKey: .actorName)
            try c.encode(record.actorRole?.rawValue, forKey: .actorRole)
            try c.encode(record.operation, forKey: .operation)
            try c.encode(record.recordKind, forKey: .recordKind)
            try c.encode(record.recordID, forKey: .recordID)
            try c.encode(record.pupil.map(Pupil.init), forKey: .pupil)
            try c.encode(record.detail, forKey: .detail)
        }
    }

    struct Pupil: Encodable {
        let upn: String
        let name: String
        /// 0 for Reception, otherwise the National Curriculum year.
        let yearGroup: Int
        let school: String

        init(_ pupil: AuditPupil) {
            upn = pupil.upn
            name = pupil.name
            yearGroup = pupil.yearGroup.rawValue
            school = pupil.schoolName
        }
    }

    struct Look: Encodable {
        let look: LookSummary

        enum Key: String, CodingKey { case username, name, role, reads, first, last }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(look.username, forKey: .username)
            try c.encode(look.name, forKey: .name)
            try c.encode(look.role?.rawValue, forKey: .role)
            try c.encode(look.reads, forKey: .reads)
            try c.encode(ExchangeJSON.timestamp(look.first), forKey: .first)
            try c.encode(ExchangeJSON.timestamp(look.last), forKey: .last)
        }
    }
}
