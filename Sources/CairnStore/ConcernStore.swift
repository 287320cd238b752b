import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// Records a concern, its chronology entries and its audit event in one transaction. With
    /// `paper`, it was typed from a paper original: the actor is the typist, and the concern awaits
    /// a check against the paper by someone else (`verifyBackfill`).
    public func logConcern(actor: Staff, _ draft: ConcernDraft, paper: PaperInput? = nil) throws -> ConcernReference {
        let now = clock.now()
        let problems = draft.problems(recordedAt: now) + (paper?.problems(occurredAt: draft.occurredAt, now: now) ?? [])
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        return try guarded(actor, .logConcern, recordKind: "concern", recordID: "new") { db in
            var pupils: [(id: Int64, school: Int64)] = []
            for upn in draft.pupils {
                guard let found = try Self.pupilID(db, upn: upn) else {
                    throw StoreError.invalid([FieldProblem(field: "pupil", message: "no pupil with UPN \(upn.value)")])
                }
                if let own = actor.school, own.rawValue != found.school {
                    throw StoreError.invalid([FieldProblem(field: "pupil", message: "\(upn.value) is at another school")])
                }
                pupils.append((found.id, found.school))
            }
            let year = UKDate.calendar.component(.year, from: now)
            let number = (try Int.fetchOne(db, sql: "SELECT max(number) FROM concerns WHERE year = ?", arguments: [year]) ?? 0) + 1
            let reference = ConcernReference(year: year, number: number)
            let nowMillis = Millis.from(now)
            try db.execute(sql: """
                INSERT INTO concerns (year, number, school_id, occurred_at, recorded_at, location, urgent, reported_by,
                child_words, reporter_action) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [year, number, pupils[0].school, Millis.from(draft.occurredAt), nowMillis,
                                 draft.location.nonEmpty, draft.urgency == .atRiskNow, actor.username,
                                 draft.childWords.nonEmpty, draft.reporterAction.nonEmpty])
            let concernID = db.lastInsertedRowID
            if let paper { try Self.insertPaper(db, concern: concernID, paper) }
            for pupil in pupils {
                try db.execute(sql: "INSERT INTO concern_pupils (concern_id, pupil_id) VALUES (?, ?)",
                               arguments: [concernID, pupil.id])
            }
            for category in Set(draft.categories) {
                try db.execute(sql: "INSERT INTO concern_categories (concern_id, category) VALUES (?, ?)",
                               arguments: [concernID, category.rawValue])
            }
            for (position, account) in draft.accounts.enumerated() where !account.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                try db.execute(sql: "INSERT INTO concern_accounts (concern_id, position, nature, body) VALUES (?, ?, ?, ?)",
                               arguments: [concernID, position, account.nature.rawValue, account.text])
            }
            let summary = "\(draft.urgency == .atRiskNow ? "URGENT " : "")\(draft.categories.map(\.short).joined(separator: ", ")): \(Self.firstLine(of: draft.accounts.first?.text ?? ""))"
            for pupil in pupils {
                try Self.addChronology(db, pupil: pupil.id, occurredAt: draft.occurredAt, recordedAt: now, kind: .concern,
                                       summary: summary, author: actor.username, nature: draft.accounts.first?.nature,
                                       significant: draft.urgency == .atRiskNow, concern: concernID)
                try self.audit(db, actor, .logConcern, recordKind: "concern", recordID: reference.description,
                               pupilID: pupil.id, detail: paper == nil ? "" : "typed from paper")
            }
            return reference
        }
    }

    /// A page of the queue as the actor may see it. Listing is audited.
    public func queue(actor: Staff, scope: QueueScope = .open, after cursor: QueueCursor? = nil,
                      limit: Int = 50) throws -> [QueueItem] {
        let operation: AccessOperation = scope == .open ? .listQueue : .listOwnConcerns
        return try guarded(actor, operation, recordKind: "queue", recordID: scope == .open ? "open" : "mine") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            switch scope {
            case .open: conditions.append("c.status <> 'closed'")
            case .mine:
                conditions.append("c.reported_by = ?")
                _ = arguments.append(contentsOf: [actor.username])
            }
            if let school = actor.school {
                conditions.append("c.school_id = ?")
                _ = arguments.append(contentsOf: [school.rawValue])
            }
            let order: String
            switch scope {
            case .open:
                // Urgent first, newest urgent at the top; then routine, oldest first. The sort keys
                // match the expressions of the concerns_open_queue index.
                let time = "(CASE WHEN c.urgent = 1 THEN -c.recorded_at ELSE c.recorded_at END)"
                let id = "(CASE WHEN c.urgent = 1 THEN -c.id ELSE c.id END)"
                order = "c.urgent DESC, \(time), \(id)"
                if let cursor {
                    let sign: Int64 = cursor.urgent ? -1 : 1
                    conditions.append("(c.urgent < ? OR (c.urgent = ? AND (\(time), \(id)) > (?, ?)))")
                    _ = arguments.append(contentsOf: [cursor.urgent, cursor.urgent, sign * Millis.from(cursor.recordedAt),
                                                      sign * cursor.id.rawValue])
                }
            case .mine:
                order = "c.recorded_at DESC, c.id DESC"
                if let cursor {
                    conditions.append("(c.recorded_at, c.id) < (?, ?)")
                    _ = arguments.append(contentsOf: [Millis.from(cursor.recordedAt), cursor.id.rawValue])
                }
            }
            _ = arguments.append(contentsOf: [limit])
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.*, s.display_name AS reporter_name,
                  (SELECT body FROM concern_accounts a WHERE a.concern_id = c.id ORDER BY position LIMIT 1) AS first_account,
                  (SELECT max(id) FROM concern_decisions d WHERE d.concern_id = c.id) AS decision_version
                FROM concerns c JOIN staff s ON s.username = c.reported_by
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?
                """, arguments: arguments)
            let items = Self.redactDecisions(try Self.queueItems(db, rows: rows), for: actor)
            try self.audit(db, actor, operation, recordKind: "queue", recordID: scope == .open ? "open" : "mine",
                           detail: "\(items.count) rows\(cursor == nil ? "" : " after \(cursor!.id.rawValue)")")
            return items
        }
    }

    /// Counts for the status line, within what the actor may see. Not record content, so not audited.
    public func counts(actor: Staff) throws -> StatusCounts {
        let canSeeQueue = AccessPolicy.decide(actor, .listQueue).isAllowed
        let cutoff = Millis.from(ActionRules.overdueCutoff(at: clock.now()))
        return try pool.read { db in
            let school = actor.school?.rawValue
            var counts = StatusCounts(new: 0, urgent: 0, overdue: 0)
            if canSeeQueue {
                let row = try Row.fetchOne(db, sql: """
                    SELECT sum(status = 'new'), sum(urgent) FROM concerns
                    WHERE status <> 'closed' AND (? IS NULL OR school_id = ?)
                    """, arguments: [school, school])
                counts.new = row?[0] ?? 0
                counts.urgent = row?[1] ?? 0
                counts.overdue = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM actions WHERE status = 'open' AND due_at < ? AND (? IS NULL OR school_id = ?)
                    """, arguments: [cutoff, school, school]) ?? 0
            } else {
                counts.overdue = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM actions WHERE status = 'open' AND due_at < ? AND owner = ?
                    """, arguments: [cutoff, actor.username]) ?? 0
            }
            return counts
        }
    }

    /// Opens one concern: checked against the policy and audited as a read.
    public func concern(actor: Staff, id: ConcernID) throws -> ConcernDetail {
        try guarded(actor, .readConcern, recordKind: "concern", recordID: String(id.rawValue),
                    scope: { db in try Self.scope(db, concern: id) }) { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT c.*, s.display_name AS reporter_name,
                  (SELECT body FROM concern_accounts a WHERE a.concern_id = c.id ORDER BY position LIMIT 1) AS first_account,
                  (SELECT max(id) FROM concern_decisions d WHERE d.concern_id = c.id) AS decision_version
                FROM concerns c JOIN staff s ON s.username = c.reported_by WHERE c.id = ?
                """, arguments: [id.rawValue]) else { throw StoreError.notFound("Concern \(id.rawValue)") }
            let item = Self.redactDecisions(try Self.queueItems(db, rows: [row]), for: actor)[0]
            let accounts = try Row.fetchAll(db, sql: "SELECT nature, body FROM concern_accounts WHERE concern_id = ? ORDER BY position",
                                            arguments: [id.rawValue]).map {
                Account(nature: Nature(rawValue: $0[0]) ?? .reported, text: $0[1])
            }
            let seesDecisions = AccessPolicy.decide(actor, .triage).isAllowed
            let decisions = seesDecisions ? try Self.decisions(db, concern: id) : []
            // One event per pupil, so that each child's "who has looked" shows it; one without a
            // pupil if the concern has none left, so the read is still on record.
            let pupils: [Int64?] = item.pupils.isEmpty ? [nil] : item.pupils.map(\.id.rawValue)
            for pupil in pupils {
                try self.audit(db, actor, .readConcern, recordKind: "concern", recordID: item.reference.description,
                               pupilID: pupil, detail: "opened concern")
            }
            return ConcernDetail(item: item, location: row["location"], accounts: accounts, childWords: row["child_words"],
                                 reporterAction: row["reporter_action"], decisions: decisions,
                                 disputes: try Self.disputes(db, concern: id))
        }
    }

    /// `seen` is the `decisionVersion` the person was looking at; if someone else has decided since,
    /// nothing is saved and `StoreError.conflict` says what they did.
    public func triage(actor: Staff, id: ConcernID, decision: TriageDecision, seen: Int64? = nil) throws {
        try decide(actor: actor, id: id, operation: .triage, event: .triage(decision), seen: seen)
    }

    public func close(actor: Staff, id: ConcernID, outcome: Outcome, seen: Int64? = nil) throws {
        try decide(actor: actor, id: id, operation: .close, event: .close(outcome), seen: seen)
    }

    private func decide(actor: Staff, id: ConcernID, operation: AccessOperation, event: ConcernEvent, seen: Int64?) throws {
        try guarded(actor, operation, recordKind: "concern", recordID: String(id.rawValue),
                    scope: { db in try Self.scope(db, concern: id) }) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT year, number, status FROM concerns WHERE id = ?",
                                             arguments: [id.rawValue]) else { throw StoreError.notFound("Concern \(id.rawValue)") }
            let reference = ConcernReference(year: row[0], number: row[1])
            let status = ConcernStatus(rawValue: row[2]) ?? .new
            if let seen, let latest = try Self.decisions(db, concern: id).last, latest.id != seen {
                throw StoreError.conflict(Self.conflictMessage(latest: latest))
            }
            do throws(IllegalTransition) { _ = try ConcernLifecycle.next(from: status, on: event) } catch { throw StoreError.illegal(error) }
            let now = self.clock.now()
            let summary: String
            let kind: ChronologyKind
            switch event {
            case .triage(let decision):
                guard let holder = try Self.fetchStaff(db, username: decision.caseHolder), holder.active else {
                    throw StoreError.invalid([FieldProblem(field: "case holder", message: "no active staff member \(decision.caseHolder)")])
                }
                try db.execute(sql: """
                    INSERT INTO concern_decisions (concern_id, kind, level, case_holder, restricted, decided_by, decided_at)
                    VALUES (?, 'triage', ?, ?, ?, ?, ?)
                    """, arguments: [id.rawValue, decision.level.rawValue, decision.caseHolder, decision.restricted,
                                     actor.username, Millis.from(now)])
                kind = .triage
                summary = "Triaged \(reference): level \(decision.level.label), case holder \(holder.displayName)\(decision.restricted ? ", restricted" : "")"
            case .close(let outcome):
                try db.execute(sql: """
                    INSERT INTO concern_decisions (concern_id, kind, outcome, reason, decided_by, decided_at)
                    VALUES (?, 'close', ?, ?, ?, ?)
                    """, arguments: [id.rawValue, outcome.kind.rawValue, outcome.reason, actor.username, Millis.from(now)])
                kind = .closure
                summary = "Closed \(reference): \(outcome.kind.label)\(outcome.reason.map { " – \($0)" } ?? "")"
            }
            let restricted = try Bool.fetchOne(db, sql: "SELECT restricted FROM concerns WHERE id = ?", arguments: [id.rawValue]) ?? false
            for pupil in try Int64.fetchAll(db, sql: "SELECT pupil_id FROM concern_pupils WHERE concern_id = ?", arguments: [id.rawValue]) {
                try Self.addChronology(db, pupil: pupil, occurredAt: now, recordedAt: now, kind: kind, summary: summary,
                                       author: actor.username, restricted: restricted, concern: id.rawValue)
                try self.audit(db, actor, operation, recordKind: "concern", recordID: reference.description,
                               pupilID: pupil, detail: summary)
            }
        }
    }

    /// Changes whenever anyone, in any process, logs, triages or closes a concern, adds anything to a
    /// chronology (notes, contacts, meetings, referrals, decisions, flags, amendments, disputes), marks
    /// an entry significant, sets, completes, moves or reassigns an action, or checks a paper original:
    /// max(rowid) of each table and the count of paper originals awaiting a check (a partial index), a
    /// handful of lookups cheap enough to poll. Reads write only audit events, which it leaves out.
    /// Says nothing about content.
    public func queueVersion() throws -> [Int64] {
        let tables = ["concerns", "concern_decisions", "actions", "action_updates", "action_changes",
                      "chronology_entries", "entry_marks"]
        let lookups = tables.map { "(SELECT max(id) FROM \($0))" } + ["(SELECT count(*) FROM paper_originals WHERE verified_at IS NULL)"]
        return try pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT " + lookups.joined(separator: ", "))
            return lookups.indices.map { (row?[$0] as Int64?) ?? 0 }
        }
    }

    /// Resolves a reference such as 2026-0042; says nothing about the content, so is not audited.
    public func concernID(reference: ConcernReference) throws -> ConcernID? {
        try pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM concerns WHERE year = ? AND number = ?",
                               arguments: [reference.year, reference.number]).map(ConcernID.init(rawValue:))
        }
    }

    // MARK: Helpers shared by the queries above

    static func scope(_ db: Database, concern id: ConcernID) throws -> RecordScope {
        guard let row = try Row.fetchOne(db, sql: "SELECT school_id, restricted, reported_by, case_holder FROM concerns WHERE id = ?",
                                         arguments: [id.rawValue]) else { throw StoreError.notFound("Concern \(id.rawValue)") }
        let years = try Int.fetchAll(db, sql: """
            SELECT p.year_group FROM concern_pupils cp JOIN pupils p ON p.id = cp.pupil_id WHERE cp.concern_id = ?
            """, arguments: [id.rawValue]).compactMap(YearGroup.init(rawValue:))
        return RecordScope(school: SchoolID(rawValue: row[0]), yearGroups: years, restricted: row[1],
                           reportedBy: row[2], caseHolder: row[3])
    }

    static func queueItems(_ db: Database, rows: [Row]) throws -> [QueueItem] {
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = rows.map { $0["id"] }
        let placeholders = databaseQuestionMarks(count: ids.count)
        var pupils: [Int64: [PupilSummary]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT cp.concern_id, p.id, p.upn, p.legal_forename, p.preferred_forename, p.legal_surname, p.year_group, p.form, p.date_of_birth
            FROM concern_pupils cp JOIN pupils p ON p.id = cp.pupil_id WHERE cp.concern_id IN (\(placeholders))
            ORDER BY p.legal_surname, p.legal_forename
            """, arguments: StatementArguments(ids)) {
            let summary = PupilSummary(id: PupilID(rawValue: row[1]), upn: row[2],
                                       name: PupilName.display(legal: row[3], preferred: row[4], surname: row[5]),
                                       yearGroup: YearGroup(rawValue: row[6]) ?? .reception, form: row[7],
                                       dateOfBirth: Millis.date(row[8]))
            pupils[row[0], default: []].append(summary)
        }
        var categories: [Int64: [ConcernCategory]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT concern_id, category FROM concern_categories WHERE concern_id IN (\(placeholders))",
                                    arguments: StatementArguments(ids)) {
            if let category = ConcernCategory(rawValue: row[1]) { categories[row[0], default: []].append(category) }
        }
        let papers = try paperOriginals(db, concerns: ids)
        return rows.map { row in
            let id: Int64 = row["id"]
            return QueueItem(id: ConcernID(rawValue: id), reference: ConcernReference(year: row["year"], number: row["number"]),
                             status: ConcernStatus(rawValue: row["status"]) ?? .new, urgent: row["urgent"],
                             restricted: row["restricted"],
                             categories: (categories[id] ?? []).sorted { $0.rawValue < $1.rawValue },
                             pupils: pupils[id] ?? [], reportedBy: row["reported_by"], reporterName: row["reporter_name"],
                             recordedAt: Millis.date(row["recorded_at"]), occurredAt: Millis.date(row["occurred_at"]),
                             firstLine: firstLine(of: row["first_account"] ?? ""),
                             decisionVersion: row["decision_version"] ?? 0, caseHolder: row["case_holder"],
                             level: (row["level"] as Int?).flatMap(LevelOfNeed.init(rawValue:)),
                             school: SchoolID(rawValue: row["school_id"]), paper: papers[id])
        }
    }

    /// Short enough to read in two lines of a form: who, when, what, and the two ways on.
    static func conflictMessage(latest: DecisionRecord) -> String {
        let when = UKDate.dateTime(latest.decidedAt).suffix(5)
        if latest.kind == "close" {
            let reason = latest.reason.map { " (\($0))" } ?? ""
            return "\(latest.decidedByName) closed this at \(when): \(latest.outcome?.label ?? "?")\(reason). Ctrl-S saves yours over it; Esc keeps theirs."
        }
        var parts = ["level \(latest.level?.label ?? "?")"]
        if let holder = latest.caseHolderName ?? latest.caseHolder { parts.append("case holder \(holder)") }
        if latest.restricted == true { parts.append("restricted") }
        return "\(latest.decidedByName) triaged this at \(when): \(parts.joined(separator: ", ")). Ctrl-S saves yours over it; Esc keeps theirs."
    }

    /// Someone who may not triage sees that a concern was received and its state, not the
    /// safeguarding team's decisions about it (level of need, case holder, restriction).
    static func redactDecisions(_ items: [QueueItem], for actor: Staff) -> [QueueItem] {
        guard !AccessPolicy.decide(actor, .triage).isAllowed else { return items }
        return items.map {
            var item = $0
            item.restricted = false
            item.level = nil
            item.caseHolder = nil
            return item
        }
    }

    static func decisions(_ db: Database, concern id: ConcernID) throws -> [DecisionRecord] {
        try Row.fetchAll(db, sql: """
            SELECT d.*, by.display_name AS decided_by_name, holder.display_name AS case_holder_name
            FROM concern_decisions d JOIN staff by ON by.username = d.decided_by
            LEFT JOIN staff holder ON holder.username = d.case_holder
            WHERE d.concern_id = ? ORDER BY d.id
            """, arguments: [id.rawValue]).map {
            DecisionRecord(id: $0["id"], kind: $0["kind"], level: ($0["level"] as Int?).flatMap(LevelOfNeed.init(rawValue:)),
                           caseHolder: $0["case_holder"], restricted: $0["restricted"],
                           outcome: ($0["outcome"] as String?).flatMap(OutcomeKind.init(rawValue:)), reason: $0["reason"],
                           decidedBy: $0["decided_by"], decidedByName: $0["decided_by_name"],
                           caseHolderName: $0["case_holder_name"], decidedAt: Millis.date($0["decided_at"]))
        }
    }

    @discardableResult
    static func addChronology(_ db: Database, pupil: Int64, occurredAt: Date, recordedAt: Date, kind: ChronologyKind,
                              summary: String, author: String, nature: Nature? = nil, significant: Bool = false,
                              restricted: Bool = false, concern: Int64? = nil, action: Int64? = nil, referral: Int64? = nil,
                              headline: String? = nil, body: String? = nil, details: String? = nil) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO chronology_entries (pupil_id, occurred_at, recorded_at, kind, summary, author, nature, significant,
            restricted, concern_id, action_id, referral_id, headline, body, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [pupil, Millis.from(occurredAt), Millis.from(recordedAt), kind.rawValue, summary, author,
                             nature?.rawValue, significant, restricted, concern, action, referral, headline, body, details])
        return db.lastInsertedRowID
    }

    static func firstLine(of text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }
}

extension Optional where Wrapped == String {
    /// Blank optional text is stored as NULL, not as an empty string.
    var nonEmpty: String? {
        guard let self, !self.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return self
    }
}
