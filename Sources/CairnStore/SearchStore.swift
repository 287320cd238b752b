import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// Full-text search over what staff wrote: concerns (every account, the child's words, what
    /// the reporter did, where), chronology entries (notes, contacts, meetings, referrals and
    /// agency decisions, actions and their outcomes, closures and their reasons), and amendments'
    /// new text. Ranked best first (bm25), one hit per entry of a pupil's file, at most `limit`
    /// (1 to 200).
    ///
    /// Policy `.search`, then each hit exactly as reading it would be: the pupil's file
    /// (`.readChronology`: their school, a pastoral lead's year groups, a restricted entry only for
    /// those who may see it, by the same condition the chronology uses), and for a concern's own
    /// text the concern (`.readConcern`: every pupil of it in scope). What the searcher may not
    /// read is not there at all, not even as a count. Audited as `search` with the text and the
    /// number found.
    ///
    /// Any typed text is safe (see `SearchQuery`); text with no letter or digit, or longer than
    /// 200 characters, throws `StoreError.invalid` naming the search text, reading and auditing
    /// nothing.
    public func searchRecords(actor: Staff, text: String, limit: Int = 20) throws -> [SearchHit] {
        let query = try SearchQuery(text)
        let limit = min(max(limit, 1), 200)
        return try guarded(actor, .search, recordKind: "records", recordID: "search") { db in
            let hits = try Self.searchHits(db, actor: actor, query: query, limit: limit)
            try self.audit(db, actor, .search, recordKind: "records", recordID: "search",
                           detail: "search \"\(text)\": \(hits.count) found")
            return hits
        }
    }

    /// The dashboard finder's one question for what has been typed: pupils by name, UPN or form (as
    /// `findPupils`) and entries by their text (as `searchRecords`), each at most `limit`, in one
    /// read and one audit event. Text that is blank returns nothing and is not audited; text with
    /// no letter or digit finds pupils only.
    public func finderSearch(actor: Staff, text: String, limit: Int = 20) throws -> FinderResults {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return FinderResults() }
        let query = try? SearchQuery(text)
        let limit = min(max(limit, 1), 200)
        return try guarded(actor, .search, recordKind: "pupils", recordID: "finder") { db in
            let pupils = try Self.matchingPupils(db, actor: actor, text: trimmed, limit: limit, identifiesOnly: false)
            // One more than is shown, to know whether there are more.
            var hits = try query.map { try Self.searchHits(db, actor: actor, query: $0, limit: limit + 1) } ?? []
            let more = hits.count > limit
            hits = Array(hits.prefix(limit))
            try self.audit(db, actor, .search, recordKind: "pupils", recordID: "finder",
                           detail: "find \"\(trimmed)\": \(pupils.count) pupil\(pupils.count == 1 ? "" : "s") and "
                               + "\(hits.count)\(more ? "+" : "") record\(hits.count == 1 ? "" : "s") found")
            return FinderResults(pupils: pupils, hits: hits, moreHits: more)
        }
    }

    /// Makes the index hold nothing of rows deleted from it: FTS5 marks a deleted document's words
    /// as gone in a new segment and drops them only when segments merge. After retention purge
    /// has deleted rows (their triggers take their documents out of the index), this merges every
    /// segment into one, so the purged words are no longer in the index's pages; with
    /// `secure_delete` on, the freed pages are overwritten. Inside the caller's transaction.
    static func compactSearchIndex(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO search_index(search_index) VALUES ('optimize')")
    }

    // MARK: The query

    static func searchHits(_ db: Database, actor: Staff, query: SearchQuery, limit: Int) throws -> [SearchHit] {
        guard let statement = searchStatement(actor: actor, query: query, limit: limit) else { return [] }
        var found: [(doc: Int64, hit: SearchHit)] = []
        for row in try Row.fetchAll(db, sql: statement.sql, arguments: statement.arguments) {
            guard let hit = searchHit(row, actor: actor) else { continue }
            found.append((row["doc"], hit))
        }
        let snippets = try self.snippets(db, query: query, documents: found.map(\.doc))
        return found.map { doc, hit in
            var hit = hit
            hit.snippet = snippets[doc] ?? HighlightedText(runs: [])
            return hit
        }
    }

    /// The ranked query with the access policy in SQL, kept separate so that a test can ask SQLite
    /// how it runs it. nil when the actor may read no file at all.
    static func searchStatement(actor: Staff, query: SearchQuery, limit: Int) -> (sql: String, arguments: StatementArguments)? {
        var conditions: [String] = []
        var arguments: StatementArguments = [query.match]
        let years = actor.years.map(\.rawValue).sorted()
        let yearList = databaseQuestionMarks(count: years.count)
        if let school = actor.school {
            conditions.append("p.school_id = ?")
            _ = arguments.append(contentsOf: [school.rawValue])
        }
        // The pupil's file, as the chronology reads it.
        switch AccessMatrix.grant(actor.role, .readChronology) {
        case .none: return nil
        case .all: break
        case .inScope, .inScopeOrOwn:
            if years.isEmpty { return nil }
            conditions.append("p.year_group IN (\(yearList))")
            _ = arguments.append(contentsOf: StatementArguments(years))
        case .own:
            conditions.append("c.reported_by = ?")
            _ = arguments.append(contentsOf: [actor.username])
        }
        let visibility = restrictedVisibility(for: actor)
        if !visibility.sql.isEmpty {
            conditions.append(visibility.sql)
            _ = arguments.append(contentsOf: visibility.arguments)
        }
        // A concern's own text, as opening the concern reads it: every pupil of it in scope.
        switch AccessMatrix.grant(actor.role, .readConcern) {
        case .all: break
        case .inScope, .inScopeOrOwn:
            conditions.append("""
                (d.entry_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM concern_pupils cq JOIN pupils pq ON pq.id = cq.pupil_id
                 WHERE cq.concern_id = d.concern_id AND pq.year_group NOT IN (\(yearList))))
                """)
            _ = arguments.append(contentsOf: StatementArguments(years))
        case .own:
            conditions.append("(d.entry_id IS NOT NULL OR c.reported_by = ?)")
            _ = arguments.append(contentsOf: [actor.username])
        case .none:
            conditions.append("d.entry_id IS NOT NULL")
        }
        _ = arguments.append(contentsOf: [limit])
        // Ranking (bm25) costs a little for every matching document, so a word found almost
        // everywhere ("the") is ranked among the newest `rankingWindow` documents that have it:
        // the same answer as ranking them all until then, and a bounded wait after it. Then one
        // hit per entry, the best-ranked of its documents (SQLite takes the other columns from the
        // row that gave min()), and only for the hits kept, what they show.
        let sql = """
            WITH matched AS (
              SELECT rowid AS doc, bm25(search_index) AS score FROM search_index WHERE search_index MATCH ?
              ORDER BY rowid DESC LIMIT \(rankingWindow)),
            best AS (
              SELECT d.id AS doc, min(m.score) AS score, e.id AS entry
              FROM matched m
              JOIN search_documents d ON d.id = m.doc
              JOIN chronology_entries e ON e.id = d.entry_id
                OR (d.entry_id IS NULL AND e.concern_id = d.concern_id AND e.kind = 'concern')
              JOIN pupils p ON p.id = e.pupil_id
              LEFT JOIN concerns c ON c.id = e.concern_id
              \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
              GROUP BY e.id
              ORDER BY score, e.occurred_at DESC, e.id DESC
              LIMIT ?)
            SELECT b.doc, d.part, d.source_id, d.entry_id AS own_entry,
              e.id AS entry_id, e.kind, e.occurred_at, e.nature, e.restricted,
              p.id AS pupil_id, p.upn, p.legal_forename, p.preferred_forename, p.legal_surname, p.year_group, p.form,
              p.date_of_birth, p.school_id,
              c.school_id AS concern_school, c.restricted AS concern_restricted, c.reported_by, c.case_holder,
              (SELECT ao.owner FROM actions ao WHERE ao.id = e.action_id) AS action_owner,
              CASE WHEN d.part = 'account' THEN (SELECT a.nature FROM concern_accounts a WHERE a.id = d.source_id) END
                AS account_nature,
              CASE WHEN d.entry_id IS NULL THEN (SELECT group_concat(pq.year_group) FROM concern_pupils cq
                JOIN pupils pq ON pq.id = cq.pupil_id WHERE cq.concern_id = d.concern_id) END AS concern_years,
              EXISTS (SELECT 1 FROM entry_amendments x WHERE x.entry_id = e.id
                AND (d.part = 'entry' OR (d.part = 'amendment' AND x.id > d.source_id))) AS superseded
            FROM best b
            JOIN search_documents d ON d.id = b.doc
            JOIN chronology_entries e ON e.id = b.entry
            JOIN pupils p ON p.id = e.pupil_id
            LEFT JOIN concerns c ON c.id = e.concern_id
            ORDER BY b.score, e.occurred_at DESC, e.id DESC
            """
        return (sql, arguments)
    }

    /// How many of the newest matching documents are ranked (see `searchStatement`).
    static let rankingWindow = 10_000

    /// One row as a hit, after the policy has the last word on it (the SQL already keeps to it).
    static func searchHit(_ row: Row, actor: Staff) -> SearchHit? {
        let year = YearGroup(rawValue: row["year_group"]) ?? .reception
        let school = SchoolID(rawValue: row["school_id"])
        let restricted: Bool = row["restricted"] || ((row["concern_restricted"] as Bool?) ?? false)
        let file = RecordScope(school: school, yearGroups: [year], restricted: restricted, reportedBy: row["reported_by"],
                               caseHolder: row["case_holder"], actionOwner: row["action_owner"])
        guard AccessPolicy.decide(actor, .readChronology, file).isAllowed else { return nil }
        if (row["own_entry"] as Int64?) == nil {
            let years = ((row["concern_years"] as String?) ?? "").split(separator: ",").compactMap { Int($0) }
                .compactMap(YearGroup.init(rawValue:))
            let concern = RecordScope(school: (row["concern_school"] as Int64?).map(SchoolID.init(rawValue:)), yearGroups: years,
                                      restricted: (row["concern_restricted"] as Bool?) ?? false,
                                      reportedBy: row["reported_by"], caseHolder: row["case_holder"])
            guard AccessPolicy.decide(actor, .readConcern, concern).isAllowed else { return nil }
        }
        let part = SearchPart(rawValue: row["part"]) ?? .entry
        let nature: String? = part == .account ? row["account_nature"] : part == .entry ? row["nature"] : nil
        let pupil = PupilSummary(id: PupilID(rawValue: row["pupil_id"]), upn: row["upn"],
                                 name: PupilName.display(legal: row["legal_forename"], preferred: row["preferred_forename"],
                                                         surname: row["legal_surname"]),
                                 yearGroup: year, form: row["form"], dateOfBirth: Millis.date(row["date_of_birth"]))
        return SearchHit(pupil: pupil, school: school, entry: row["entry_id"],
                         kind: ChronologyKind(rawValue: row["kind"]) ?? .note, occurredAt: Millis.date(row["occurred_at"]),
                         part: part, nature: nature.flatMap(Nature.init(rawValue:)), restricted: restricted,
                         superseded: row["superseded"],
                         snippet: HighlightedText(runs: []))
    }

    /// How many words of context a snippet has around its match (FTS5 allows up to 64).
    static let snippetWords = 16

    /// A snippet for each document, made only for the hits kept: FTS5 reads a document's text
    /// (through the search_text view) to make one, so the ranked query does not. One document at a
    /// time, by rowid: FTS5 finds that one directly, where `rowid IN (…)` would walk every match.
    static func snippets(_ db: Database, query: SearchQuery, documents: [Int64]) throws -> [Int64: HighlightedText] {
        let open = HighlightedText.openMark.unicodeScalars.first!.value
        let close = HighlightedText.closeMark.unicodeScalars.first!.value
        let statement = try db.cachedStatement(sql: """
            SELECT snippet(search_index, 0, char(\(open)), char(\(close)), '…', \(snippetWords))
            FROM search_index WHERE search_index MATCH ? AND rowid = ?
            """)
        var snippets: [Int64: HighlightedText] = [:]
        for document in documents {
            let marked = try String.fetchOne(statement, arguments: [query.match, document])
            snippets[document] = HighlightedText(marked: marked ?? "")
        }
        return snippets
    }
}
