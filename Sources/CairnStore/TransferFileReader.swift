import CairnDomain
import Foundation
import GRDB

/// Reads a pupil's whole file into a `TransferFile`: every entry (restricted ones included: the
/// file goes to the receiving school's safeguarding team), every concern, action and referral, and
/// whatever arrived here earlier from another school, which travels on as it came. The caller
/// has checked the policy and audits the read.
struct TransferFileReader {
    let db: Database
    let pupil: Int64
    /// This school's name: where everyone with an account here did what they did.
    let school: String
    private var people: [String: TransferPerson] = [:]
    /// Bundle ids for this school's own records (by row id) and for records that arrived in an
    /// earlier transfer (by transfer_records id).
    private var native: [String: [Int64: Int]] = [:]
    private var imported: [String: [Int64: Int]] = [:]
    /// transfer_records ids by (transfer, kind, id in that transfer's bundle), to relink them.
    private var records: [String: Int64] = [:]

    init(_ db: Database, pupil: Int64, school: String) throws {
        self.db = db
        self.pupil = pupil
        self.school = school
        for row in try Row.fetchAll(db, sql: "SELECT username, display_name, role FROM staff") {
            people[row[0]] = TransferPerson(name: row[1], role: Role(rawValue: row[2]) ?? .staff, school: school)
        }
    }

    func person(_ username: String) -> TransferPerson {
        people[username] ?? TransferPerson(name: username, role: .staff, school: school)
    }

    func person(_ username: String?) -> TransferPerson? { username.map(person) }

    /// The file, with its records numbered from 1 in each list: earlier schools' first, then this one's.
    mutating func read(header: (bundleID: String, createdAt: Date, to: String, sender: Staff, receiptKey: String))
        throws -> TransferFile {
        let earlier = try Row.fetchAll(db, sql: """
            SELECT tr.id, tr.transfer_id, tr.kind, tr.bundle_ref, tr.record FROM transfer_records tr
            JOIN transfers_in ti ON ti.id = tr.transfer_id WHERE ti.pupil_id = ? ORDER BY tr.id
            """, arguments: [pupil])
        for row in earlier { records["\(row[1] as Int64)/\(row[2] as String)/\(row[3] as Int64)"] = row[0] }
        let concernIDs = try ids("""
            SELECT concern_id AS id FROM concern_pupils WHERE pupil_id = ?
            UNION SELECT concern_id FROM chronology_entries WHERE pupil_id = ? AND concern_id IS NOT NULL
            """)
        let actionIDs = try ids("""
            SELECT id AS id FROM actions WHERE pupil_id = ?
            UNION SELECT action_id FROM chronology_entries WHERE pupil_id = ? AND action_id IS NOT NULL
            """)
        let referralIDs = try ids("""
            SELECT id AS id FROM referrals WHERE pupil_id = ?
            UNION SELECT referral_id FROM chronology_entries WHERE pupil_id = ? AND referral_id IS NOT NULL
            """)
        // Number everything first: records link to each other in any order.
        for (kind, ids) in [("concern", concernIDs), ("action", actionIDs), ("referral", referralIDs)] {
            var next = 0
            for row in earlier where (row[2] as String) == kind {
                next += 1
                imported[kind, default: [:]][row[0]] = next
            }
            for id in ids {
                next += 1
                native[kind, default: [:]][id] = next
            }
        }
        var concerns: [TransferConcern] = [], actions: [TransferAction] = [], referrals: [TransferReferral] = []
        for row in earlier {
            let data = Data((row[4] as String).utf8)
            let transfer: Int64 = row[1]
            switch row[2] as String {
            case "concern":
                var record = try StoredRecord.decoder.decode(TransferConcern.self, from: data)
                record.id = imported["concern"]![row[0]]!
                concerns.append(record)
            case "action":
                var record = try StoredRecord.decoder.decode(TransferAction.self, from: data)
                record.id = imported["action"]![row[0]]!
                record.concern = relink(record.concern, "concern", transfer: transfer)
                record.referral = relink(record.referral, "referral", transfer: transfer)
                actions.append(record)
            default:
                var record = try StoredRecord.decoder.decode(TransferReferral.self, from: data)
                record.id = imported["referral"]![row[0]]!
                record.concern = relink(record.concern, "concern", transfer: transfer)
                referrals.append(record)
            }
        }
        concerns += try concernIDs.map(concern)
        actions += try actionIDs.map(action)
        referrals += try referralIDs.map(referral)
        return TransferFile(format: TransferFile.format, version: TransferFile.version, bundleId: header.bundleID,
                            createdAt: header.createdAt, sendingSchool: school, receivingSchool: header.to,
                            sentBy: person(header.sender.username), receiptKey: header.receiptKey,
                            pupil: try pupilRecord(), entries: try entries(), concerns: concerns, actions: actions,
                            referrals: referrals)
    }

    private func ids(_ sql: String) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM (\(sql)) ORDER BY id", arguments: [pupil, pupil])
    }

    /// An earlier bundle's id for a record, as this bundle numbers it.
    private func relink(_ ref: Int?, _ kind: String, transfer: Int64) -> Int? {
        guard let ref, let record = records["\(transfer)/\(kind)/\(ref)"] else { return nil }
        return imported[kind]?[record]
    }

    private func bundleID(_ kind: String, native id: Int64?, imported record: Int64?) -> Int? {
        if let record { return imported[kind]?[record] }
        return id.flatMap { native[kind]?[$0] }
    }

    private func pupilRecord() throws -> TransferPupil {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT upn, legal_forename, legal_surname, preferred_forename, date_of_birth, year_group, form
            FROM pupils WHERE id = ?
            """, arguments: [pupil]) else { throw StoreError.notFound("Pupil \(pupil)") }
        let flags = try Row.fetchAll(db, sql: """
            SELECT kind, start_at, end_at FROM pupil_flags WHERE pupil_id = ? ORDER BY start_at, id
            """, arguments: [pupil]).compactMap { flag -> ContextFlag? in
            ContextFlagKind(rawValue: flag[0]).map {
                ContextFlag(kind: $0, start: Millis.date(flag[1]), end: (flag[2] as Int64?).map(Millis.date))
            }
        }
        return TransferPupil(upn: try UPN(row[0] as String), legalForename: row[1], legalSurname: row[2],
                             preferredForename: row[3], dateOfBirth: CalendarDay(Millis.date(row[4])),
                             yearGroup: YearGroup(rawValue: row[5]) ?? .reception, form: row[6], flags: flags)
    }

    private func concern(_ id: Int64) throws -> TransferConcern {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM concerns WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound("Concern \(id)")
        }
        let accounts = try Row.fetchAll(db, sql: "SELECT nature, body FROM concern_accounts WHERE concern_id = ? ORDER BY position",
                                        arguments: [id]).map { Account(nature: Nature(rawValue: $0[0]) ?? .reported, text: $0[1]) }
        let categories = try String.fetchAll(db, sql: "SELECT category FROM concern_categories WHERE concern_id = ? ORDER BY category",
                                             arguments: [id]).compactMap(ConcernCategory.init(rawValue:))
        let decisions = try Row.fetchAll(db, sql: "SELECT * FROM concern_decisions WHERE concern_id = ? ORDER BY id",
                                         arguments: [id]).map { decision in
            TransferDecision(kind: DecisionKind(rawValue: decision["kind"]) ?? .triage, at: Millis.date(decision["decided_at"]),
                             by: person(decision["decided_by"] as String),
                             level: (decision["level"] as Int?).flatMap(LevelOfNeed.init(rawValue:)),
                             caseHolder: person(decision["case_holder"] as String?), restricted: decision["restricted"],
                             outcome: (decision["outcome"] as String?).flatMap(OutcomeKind.init(rawValue:)),
                             reason: decision["reason"])
        }
        let paper = try Row.fetchOne(db, sql: "SELECT written_at, written_by, verified_by, verified_at FROM paper_originals WHERE concern_id = ?",
                                     arguments: [id]).map {
            TransferPaperOriginal(writtenAt: Millis.date($0[0]), writtenBy: $0[1], verifiedBy: person($0[2] as String?),
                                  verifiedAt: ($0[3] as Int64?).map(Millis.date))
        }
        return TransferConcern(id: native["concern"]![id]!, reference: ConcernReference(year: row["year"], number: row["number"]).description,
                               occurredAt: Millis.date(row["occurred_at"]), recordedAt: Millis.date(row["recorded_at"]),
                               location: row["location"], urgent: row["urgent"], reportedBy: person(row["reported_by"] as String),
                               categories: categories, accounts: accounts, childWords: row["child_words"],
                               reporterAction: row["reporter_action"],
                               status: ConcernStatus(rawValue: row["status"]) ?? .new,
                               level: (row["level"] as Int?).flatMap(LevelOfNeed.init(rawValue:)),
                               caseHolder: person(row["case_holder"] as String?), restricted: row["restricted"],
                               decisions: decisions, paperOriginal: paper)
    }

    private func action(_ id: Int64) throws -> TransferAction {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM actions WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound("Action \(id)")
        }
        return TransferAction(id: native["action"]![id]!, description: row["description"], owner: person(row["owner"] as String),
                              due: Millis.date(row["due_at"]), status: ActionStatus(rawValue: row["status"]) ?? .open,
                              outcome: row["outcome"], createdBy: person(row["created_by"] as String),
                              createdAt: Millis.date(row["created_at"]),
                              concern: bundleID("concern", native: row["concern_id"], imported: nil),
                              referral: bundleID("referral", native: row["referral_id"], imported: nil), followUp: row["follow_up"])
    }

    private func referral(_ id: Int64) throws -> TransferReferral {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM referrals WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound("Referral \(id)")
        }
        return TransferReferral(id: native["referral"]![id]!, agency: Agency(rawValue: row["agency"]) ?? .other,
                                outcome: ReferralOutcome(rawValue: row["outcome"]) ?? .referred, madeAt: Millis.date(row["made_at"]),
                                madeBy: person(row["made_by"] as String), consent: ConsentBasis(rawValue: row["consent"] as String),
                                consentReason: row["consent_reason"],
                                lawfulBasis: (row["lawful_basis"] as String?).flatMap(LawfulBasis.init(rawValue:)),
                                agencyReference: row["agency_reference"], reasoning: row["reasoning"], decision: row["decision"],
                                decidedAt: (row["decided_at"] as Int64?).map(Millis.date), recordedAt: Millis.date(row["recorded_at"]),
                                concern: bundleID("concern", native: row["concern_id"], imported: nil))
    }

    /// Every entry, oldest first, with its amendments and disputes. One that arrived from another
    /// school keeps its author there and its links to that school's records.
    private func entries() throws -> [TransferEntry] {
        var amendments: [Int64: [TransferAmendment]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT ea.entry_id, ea.previous_text, ea.new_text, ea.reason, ea.by, ea.at, tp.name, tp.role, tp.school
            FROM entry_amendments ea JOIN chronology_entries e ON e.id = ea.entry_id
            LEFT JOIN transferred_people tp ON tp.kind = 'amendment' AND tp.row_id = ea.id
            WHERE e.pupil_id = ? ORDER BY ea.id
            """, arguments: [pupil]) {
            amendments[row[0], default: []].append(TransferAmendment(
                previousText: row[1], newText: row[2], reason: row[3],
                by: origin(name: row[6], role: row[7], school: row[8]) ?? person(row[4] as String), at: Millis.date(row[5])))
        }
        var disputes: [Int64: [TransferDispute]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT ed.entry_id, ed.statement, ed.made_by, ed.received_at, ed.recorded_by, ed.recorded_at, tp.name, tp.role, tp.school
            FROM entry_disputes ed JOIN chronology_entries e ON e.id = ed.entry_id
            LEFT JOIN transferred_people tp ON tp.kind = 'dispute' AND tp.row_id = ed.id
            WHERE e.pupil_id = ? ORDER BY ed.id
            """, arguments: [pupil]) {
            disputes[row[0], default: []].append(TransferDispute(
                statement: row[1], madeBy: row[2], receivedAt: Millis.date(row[3]),
                recordedBy: origin(name: row[6], role: row[7], school: row[8]) ?? person(row[4] as String),
                recordedAt: Millis.date(row[5])))
        }
        var out: [TransferEntry] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT e.*, COALESCE(c.restricted, 0) AS concern_restricted, te.author_name, te.author_role, te.author_school,
                   te.concern_record, te.action_record, te.referral_record
            FROM chronology_entries e LEFT JOIN concerns c ON c.id = e.concern_id
            LEFT JOIN transferred_entries te ON te.entry_id = e.id
            WHERE e.pupil_id = ? ORDER BY e.occurred_at, e.id
            """, arguments: [pupil]) {
            let id: Int64 = row["id"]
            out.append(TransferEntry(
                id: out.count + 1, kind: ChronologyKind(rawValue: row["kind"]) ?? .note,
                occurredAt: Millis.date(row["occurred_at"]), recordedAt: Millis.date(row["recorded_at"]),
                author: origin(name: row["author_name"], role: row["author_role"], school: row["author_school"])
                    ?? person(row["author"] as String),
                summary: row["summary"], headline: row["headline"], body: row["body"],
                details: CairnStore.decodeDetails(row["details"]),
                nature: (row["nature"] as String?).flatMap(Nature.init(rawValue:)), significant: row["significant"],
                restricted: (row["restricted"] as Bool) || (row["concern_restricted"] as Bool),
                concern: bundleID("concern", native: row["concern_id"], imported: row["concern_record"]),
                action: bundleID("action", native: row["action_id"], imported: row["action_record"]),
                referral: bundleID("referral", native: row["referral_id"], imported: row["referral_record"]),
                amendments: amendments[id] ?? [], disputes: disputes[id] ?? []))
        }
        return out
    }

    private func origin(name: String?, role: String?, school: String?) -> TransferPerson? {
        guard let name, let role, let school else { return nil }
        return TransferPerson(name: name, role: Role(rawValue: role) ?? .staff, school: school)
    }
}

/// How records that arrived from another school are kept in `transfer_records`: the transfer
/// model's own JSON, times as whole milliseconds (as every other time in the database). Internal
/// to the store, not the bundle's format.
enum StoredRecord {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Millis.from(date))
        }
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in Millis.date(try decoder.singleValueContainer().decode(Int64.self)) }
        return decoder
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
