import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// Opening a pupil's file: policy .readChronology on the pupil's scope (school, year group);
    /// audited as read_chronology with pupil_id.
    public func pupilHeader(actor: Staff, pupil: PupilID) throws -> PupilHeader {
        try guarded(actor, .readChronology, recordKind: "pupil", recordID: String(pupil.rawValue),
                    scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            let header = try Self.header(db, actor: actor, pupil: pupil)
            try self.audit(db, actor, .readChronology, recordKind: "pupil", recordID: String(pupil.rawValue),
                           pupilID: pupil.rawValue, detail: "opened file")
            return header
        }
    }

    /// The header as `actor` may see it; the caller has checked the policy and audits the read.
    static func header(_ db: Database, actor: Staff, pupil: PupilID) throws -> PupilHeader {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, upn, legal_forename, legal_surname, preferred_forename, date_of_birth, year_group, form, school_id
            FROM pupils WHERE id = ?
            """, arguments: [pupil.rawValue]) else { throw StoreError.notFound("Pupil \(pupil.rawValue)") }
        let school = SchoolID(rawValue: row["school_id"])
        let year = YearGroup(rawValue: row["year_group"]) ?? .reception

        let flags = try Row.fetchAll(db, sql: """
            SELECT kind, start_at, end_at FROM pupil_flags WHERE pupil_id = ? ORDER BY start_at DESC, id DESC
            """, arguments: [pupil.rawValue]).compactMap { flag -> ContextFlag? in
            guard let kind = ContextFlagKind(rawValue: flag[0]) else { return nil }
            return ContextFlag(kind: kind, start: Millis.date(flag[1]), end: (flag[2] as Int64?).map(Millis.date))
        }

        // Highest level of need among concerns still open, leaving out restricted ones this reader may not see.
        var level: LevelOfNeed?
        var caseHolderName: String?
        for concern in try Row.fetchAll(db, sql: """
            SELECT c.level, c.restricted, c.case_holder, s.display_name, c.reported_by
            FROM concern_pupils cp JOIN concerns c ON c.id = cp.concern_id
            LEFT JOIN staff s ON s.username = c.case_holder
            WHERE cp.pupil_id = ? AND c.status <> 'closed' AND c.level IS NOT NULL
            ORDER BY c.level DESC, c.recorded_at DESC, c.id DESC
            """, arguments: [pupil.rawValue]) {
            if concern[1] as Bool {
                let scope = RecordScope(school: school, yearGroups: [year], restricted: true, reportedBy: concern[4],
                                        caseHolder: concern[2])
                guard AccessPolicy.decide(actor, .readChronology, scope).isAllowed else { continue }
            }
            level = (concern[0] as Int?).flatMap(LevelOfNeed.init(rawValue:))
            caseHolderName = (concern[3] as String?) ?? (concern[2] as String?)
            break
        }

        // Open actions of every kind (set by hand or raised as a referral follow-up), through actions_pupil.
        // Actions about a restricted concern are not counted for a reader who may not see it.
        let seesRestricted = AccessMatrix.grant(actor.role, .readRestricted) == .all
        let openActions = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM actions a LEFT JOIN concerns c ON c.id = a.concern_id
            WHERE a.pupil_id = ? AND a.status = 'open'
            AND (? OR NOT coalesce(c.restricted, 0) OR a.owner = ? OR c.reported_by = ? OR c.case_holder = ?)
            """, arguments: [pupil.rawValue, seesRestricted, actor.username, actor.username, actor.username]) ?? 0

        let legalForename: String = row["legal_forename"]
        let surname: String = row["legal_surname"]
        return PupilHeader(id: pupil, upn: row["upn"],
                           name: PupilName.display(legal: legalForename, preferred: row["preferred_forename"], surname: surname),
                           legalName: "\(legalForename) \(surname)", yearGroup: year, form: row["form"],
                           dateOfBirth: Millis.date(row["date_of_birth"]), flags: flags, levelOfNeed: level,
                           caseHolderName: caseHolderName, openActions: openActions, school: school,
                           legalHold: try legalHold(db, pupil: pupil))
    }

    /// One page in time order (keyset: occurred_at then id), newest first by default; audited
    /// (read_chronology, detail "page after …" so reads are on record).
    public func chronology(actor: Staff, pupil: PupilID, order: ChronologyOrder = .newestFirst,
                           filter: ChronologyFilter = ChronologyFilter(), after: ChronologyCursor? = nil,
                           limit: Int = 100) throws -> [ChronologyRow] {
        let limit = min(max(limit, 1), 1000)
        return try guarded(actor, .readChronology, recordKind: "pupil", recordID: String(pupil.rawValue),
                           scope: { db in try Self.chronologyScope(db, pupil: pupil) }) { db in
            let scope = try Self.chronologyScope(db, pupil: pupil)
            var rows: [ChronologyRow] = []
            if filter.kinds?.isEmpty != true {
                let query = Self.chronologyQuery(pupil: pupil, order: order, filter: filter, after: after, limit: limit,
                                                 reader: actor)
                rows = try Self.annotate(db, Row.fetchAll(db, sql: query.sql, arguments: query.arguments).compactMap { row in
                    Self.chronologyRow(row, pupil: pupil, actor: actor, scope: scope)
                })
            }
            let position = after.map { "page after \(UKDate.dateTime($0.occurredAt)) #\($0.id)" } ?? "first page"
            let kinds = filter.kinds.map { ", kinds " + $0.map(\.rawValue).sorted().joined(separator: ",") } ?? ""
            let category = filter.category.map { ", category \($0.rawValue)" } ?? ""
            try self.audit(db, actor, .readChronology, recordKind: "pupil", recordID: String(pupil.rawValue),
                           pupilID: pupil.rawValue,
                           detail: "\(position), \(order == .newestFirst ? "newest" : "oldest") first, \(rows.count) rows"
                               + kinds + category + (filter.significantOnly ? ", significant only" : ""))
            return rows
        }
    }

    // MARK: Helpers

    /// What the policy needs to know about a pupil's file.
    static func chronologyScope(_ db: Database, pupil: PupilID) throws -> RecordScope {
        guard let row = try Row.fetchOne(db, sql: "SELECT school_id, year_group FROM pupils WHERE id = ?",
                                         arguments: [pupil.rawValue]) else { throw StoreError.notFound("Pupil \(pupil.rawValue)") }
        return RecordScope(school: SchoolID(rawValue: row[0]), yearGroups: [YearGroup(rawValue: row[1]) ?? .reception])
    }

    /// The page query, kept separate so that a test can ask SQLite how it runs it.
    static func chronologyQuery(pupil: PupilID, order: ChronologyOrder, filter: ChronologyFilter,
                                after: ChronologyCursor?, limit: Int, reader: Staff) -> (sql: String, arguments: StatementArguments) {
        var conditions = ["e.pupil_id = ?"]
        var arguments: StatementArguments = [pupil.rawValue]
        let visibility = restrictedVisibility(for: reader)
        if !visibility.sql.isEmpty {
            conditions.append(visibility.sql)
            _ = arguments.append(contentsOf: visibility.arguments)
        }
        let direction = order == .newestFirst ? "DESC" : "ASC"
        if let after {
            conditions.append("(e.occurred_at, e.id) \(order == .newestFirst ? "<" : ">") (?, ?)")
            _ = arguments.append(contentsOf: [Millis.from(after.occurredAt), after.id])
        }
        if let kinds = filter.kinds {
            let sorted = kinds.map(\.rawValue).sorted()
            conditions.append("e.kind IN (\(databaseQuestionMarks(count: sorted.count)))")
            _ = arguments.append(contentsOf: StatementArguments(sorted))
        }
        if filter.significantOnly { conditions.append("e.significant = 1") }
        if let category = filter.category {
            // A primary-key lookup per entry, while the pupil/time index keeps the order.
            conditions.append("EXISTS (SELECT 1 FROM concern_categories cc WHERE cc.concern_id = e.concern_id AND cc.category = ?)")
            _ = arguments.append(contentsOf: [category.rawValue])
        }
        _ = arguments.append(contentsOf: [limit])
        let sql = """
            SELECT \(entryColumns)
            FROM chronology_entries e
            LEFT JOIN staff s ON s.username = e.author
            LEFT JOIN concerns c ON c.id = e.concern_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY e.occurred_at \(direction), e.id \(direction) LIMIT ?
            """
        return (sql, arguments)
    }

    /// Restricted entries a reader may not see are left out altogether, not shown as a placeholder:
    /// they must not show up even as a row or a count. Those who may read every restricted record
    /// (the matrix's read_restricted "all") need no condition; others see a restricted entry only
    /// when it is their own: a concern they logged or hold, or an action given to them.
    static func restrictedVisibility(for reader: Staff) -> (sql: String, arguments: StatementArguments) {
        if AccessMatrix.grant(reader.role, .readRestricted) == .all { return ("", []) }
        return ("""
            (NOT (e.restricted OR coalesce(c.restricted, 0)) OR c.reported_by = ? OR c.case_holder = ?
             OR EXISTS (SELECT 1 FROM actions ra WHERE ra.id = e.action_id AND ra.owner = ?))
            """, [reader.username, reader.username, reader.username])
    }

    /// What a chronology row needs, for queries over `chronology_entries e` joined to the author `s`
    /// and the concern `c`: the newest amendment's text comes through entry_amendments_entry.
    static let entryColumns = """
        e.id, e.occurred_at, e.recorded_at, e.kind, e.summary, e.headline, e.body, e.details, e.author, e.nature,
        e.significant, e.concern_id, e.action_id, e.referral_id, e.restricted, e.pupil_id,
        COALESCE(\(transferredAuthorName), s.display_name) AS author_name, c.case_holder, c.restricted AS concern_restricted, c.reported_by AS concern_reporter,
        (SELECT ao.owner FROM actions ao WHERE ao.id = e.action_id) AS action_owner,
        (SELECT ea.new_text FROM entry_amendments ea WHERE ea.entry_id = e.id ORDER BY ea.id DESC LIMIT 1) AS amended_text,
        EXISTS (SELECT 1 FROM sar_withholdings w WHERE w.entry_id = e.id AND w.lifts IS NULL
                AND NOT EXISTS (SELECT 1 FROM sar_withholdings l WHERE l.lifts = w.id)) AS withheld
        """

    static func chronologyRow(_ row: Row, pupil: PupilID, actor: Staff, scope: RecordScope) -> ChronologyRow? {
        // A concern triaged as restricted restricts every entry about it, including those written
        // before the decision (the report itself).
        let restricted: Bool = row["restricted"] || ((row["concern_restricted"] as Bool?) ?? false)
        let amendedText: String? = row["amended_text"]
        var entry = ChronologyEntry(id: row["id"], pupil: pupil, occurredAt: Millis.date(row["occurred_at"]),
                                    kind: ChronologyKind(rawValue: row["kind"]) ?? .note,
                                    summary: amendedText.map { summaryLine(headline: row["headline"], text: $0) } ?? row["summary"],
                                    author: row["author"], nature: (row["nature"] as String?).flatMap(Nature.init(rawValue:)),
                                    significant: row["significant"],
                                    concern: (row["concern_id"] as Int64?).map(ConcernID.init(rawValue:)),
                                    restricted: restricted, action: row["action_id"])
        if restricted {
            var restrictedScope = scope
            restrictedScope.restricted = true
            restrictedScope.caseHolder = row["case_holder"]
            restrictedScope.reportedBy = row["concern_reporter"]
            restrictedScope.actionOwner = row["action_owner"]
            // The query already leaves these out (restrictedVisibility); the policy has the last word.
            if !AccessPolicy.decide(actor, .readChronology, restrictedScope).isAllowed { return nil }
        }
        return ChronologyRow(entry: entry, authorName: (row["author_name"] as String?) ?? entry.author,
                             amended: amendedText != nil,
                             withheld: (row["withheld"] as Bool) && AccessPolicy.decide(actor, .sarExport, scope).isAllowed)
    }
}
