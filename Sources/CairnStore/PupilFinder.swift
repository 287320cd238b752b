import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// Incremental finder: case-insensitive prefix match on legal forename, preferred forename, surname,
    /// "forename surname", UPN and form; ranked surname-then-forename; at most `limit`. Only pupils the
    /// actor may read (.readChronology in scope): a pupil outside scope does not appear at all. Staff
    /// may find pupils at their school only to pick one for a concern (name, year, form: no record
    /// content), under `.logConcern`; admin and auditor are refused. Audited as `search` with the text
    /// in the detail. Empty text returns [] without auditing.
    ///
    /// `forConcern`: choosing the pupils of a new concern. Anyone who may log a concern may name any
    /// pupil of their school (a pastoral lead can report a child outside their year groups), and
    /// sees only what identifies the child, never their file.
    public func findPupils(actor: Staff, matching text: String, limit: Int = 20, forConcern: Bool = false) throws -> [PupilSummary] {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return [] }
        let limit = min(max(limit, 1), 200)
        // Staff look a child up only to report a concern; everyone else needs to be allowed to search.
        let identifiesOnly = forConcern || actor.role == .staff
        let operation: AccessOperation = identifiesOnly ? .logConcern : .search
        return try guarded(actor, operation, recordKind: "pupils", recordID: "finder") { db in
            let found = try Self.matchingPupils(db, actor: actor, text: text, limit: limit, identifiesOnly: identifiesOnly)
            try self.audit(db, actor, .search, recordKind: "pupils", recordID: "finder",
                           detail: "find \"\(text)\"\(forConcern ? " for a concern" : ""): \(found.count) found")
            return found
        }
    }

    /// The pupils `text` finds, as `findPupils` describes; the caller has checked the policy and audits.
    static func matchingPupils(_ db: Database, actor: Staff, text: String, limit: Int, identifiesOnly: Bool) throws -> [PupilSummary] {
        let query = finderQuery(actor: actor, text: text, limit: limit, wholeSchool: identifiesOnly)
        return try Row.fetchAll(db, sql: query.sql, arguments: query.arguments).compactMap { row -> PupilSummary? in
            let year = YearGroup(rawValue: row["year_group"]) ?? .reception
            // Belt and braces: the SQL already keeps to the actor's school and year groups.
            if !identifiesOnly {
                let scope = RecordScope(school: SchoolID(rawValue: row["school_id"]), yearGroups: [year])
                guard AccessPolicy.decide(actor, .readChronology, scope).isAllowed else { return nil }
            }
            return PupilSummary(id: PupilID(rawValue: row["id"]), upn: row["upn"],
                                name: PupilName.display(legal: row["legal_forename"], preferred: row["preferred_forename"],
                                                        surname: row["legal_surname"]),
                                yearGroup: year, form: row["form"], dateOfBirth: Millis.date(row["date_of_birth"]))
        }
    }

    /// The finder's query, kept separate so that a test can ask SQLite how it runs it.
    static func finderQuery(actor: Staff, text: String, limit: Int, wholeSchool: Bool = false) -> (sql: String, arguments: StatementArguments) {
        let pattern = likeEscaped(text) + "%"
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let school = actor.school {
            conditions.append("school_id = ?")
            _ = arguments.append(contentsOf: [school.rawValue])
        }
        if actor.role == .pastoral, !wholeSchool {
            let years = actor.years.map(\.rawValue).sorted()
            conditions.append(years.isEmpty ? "0" : "year_group IN (\(databaseQuestionMarks(count: years.count)))")
            _ = arguments.append(contentsOf: StatementArguments(years))
        }
        let matchable = [
            "legal_surname", "legal_forename", "preferred_forename", "upn", "form",
            "legal_forename || ' ' || legal_surname", "preferred_forename || ' ' || legal_surname",
        ]
        conditions.append("(" + matchable.map { "\($0) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")")
        _ = arguments.append(contentsOf: StatementArguments(Array(repeating: pattern, count: matchable.count)))
        _ = arguments.append(contentsOf: [limit])
        let sql = """
            SELECT id, upn, legal_forename, legal_surname, preferred_forename, year_group, form, date_of_birth, school_id
            FROM pupils WHERE \(conditions.joined(separator: " AND "))
            ORDER BY legal_surname COLLATE NOCASE, legal_forename COLLATE NOCASE, id LIMIT ?
            """
        return (sql, arguments)
    }

    /// Typed text matched literally: `%` and `_` are not wildcards; runs of spaces count as one.
    static func likeEscaped(_ text: String) -> String {
        let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        var escaped = ""
        for character in collapsed {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
