import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// Checks a concern typed from paper against the paper: someone other than the typist, once.
    /// The typist's own attempt is refused like the policy's refusals, and on record the same way.
    @discardableResult
    public func verifyBackfill(actor: Staff, concern id: ConcernID) throws -> PaperOriginal {
        let outcome: Result<PaperOriginal, AccessDenied> = try guarded(
            actor, .verifyBackfill, recordKind: "concern", recordID: String(id.rawValue),
            scope: { db in try Self.scope(db, concern: id) }) { db in
            let reference = try Self.reference(db, concern: id)
            guard var paper = try Self.paperOriginals(db, concerns: [id.rawValue])[id.rawValue] else {
                throw StoreError.invalid([FieldProblem(field: RecordField.reference,
                                                       message: "\(reference) was not typed from paper, so there is nothing to check")])
            }
            if let done = paper.alreadyVerified(reference.description) {
                throw StoreError.invalid([FieldProblem(field: RecordField.reference, message: done)])
            }
            if let refusal = paper.typistRefusal(by: actor.username, reference.description) {
                try AuditChain.append(db, at: self.clock.now(), actor: actor.username, operation: .verifyBackfill,
                                      recordKind: "concern", recordID: reference.description, detail: "refused: \(refusal)")
                return .failure(AccessDenied(operation: .verifyBackfill, reason: refusal))
            }
            let now = self.clock.now()
            try db.execute(sql: "UPDATE paper_originals SET verified_by = ?, verified_at = ? WHERE concern_id = ?",
                           arguments: [actor.username, Millis.from(now), id.rawValue])
            paper.verifiedBy = actor.username
            paper.verifiedByName = actor.displayName
            paper.verifiedAt = now
            for pupil in try Int64.fetchAll(db, sql: "SELECT pupil_id FROM concern_pupils WHERE concern_id = ?",
                                            arguments: [id.rawValue]) {
                try self.audit(db, actor, .verifyBackfill, recordKind: "concern", recordID: reference.description,
                               pupilID: pupil, detail: "checked against the paper written \(UKDate.dateTime(paper.writtenAt))")
            }
            return .success(paper)
        }
        return try outcome.get()
    }

    // MARK: Helpers

    static func insertPaper(_ db: Database, concern: Int64, _ paper: PaperInput) throws {
        try db.execute(sql: "INSERT INTO paper_originals (concern_id, written_at, written_by) VALUES (?, ?, ?)",
                       arguments: [concern, Millis.from(paper.writtenAt),
                                   paper.writtenBy.trimmingCharacters(in: .whitespacesAndNewlines)])
    }

    static func reference(_ db: Database, concern id: ConcernID) throws -> ConcernReference {
        guard let row = try Row.fetchOne(db, sql: "SELECT year, number FROM concerns WHERE id = ?", arguments: [id.rawValue]) else {
            throw StoreError.notFound("Concern \(id.rawValue)")
        }
        return ConcernReference(year: row[0], number: row[1])
    }

    /// The paper originals of these concerns, by concern id: one query, for a page of the queue.
    static func paperOriginals(_ db: Database, concerns ids: [Int64]) throws -> [Int64: PaperOriginal] {
        guard !ids.isEmpty else { return [:] }
        var found: [Int64: PaperOriginal] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT po.concern_id, po.written_at, po.written_by, po.verified_by, v.display_name, po.verified_at,
                   c.reported_by, t.display_name, c.recorded_at
            FROM paper_originals po JOIN concerns c ON c.id = po.concern_id
            LEFT JOIN staff t ON t.username = c.reported_by LEFT JOIN staff v ON v.username = po.verified_by
            WHERE po.concern_id IN (\(databaseQuestionMarks(count: ids.count)))
            """, arguments: StatementArguments(ids)) {
            found[row[0]] = PaperOriginal(writtenAt: Millis.date(row[1]), writtenBy: row[2], typedBy: row[6],
                                          typedByName: (row[7] as String?) ?? row[6], typedAt: Millis.date(row[8]),
                                          verifiedBy: row[3], verifiedByName: (row[4] as String?) ?? row[3],
                                          verifiedAt: (row[5] as Int64?).map(Millis.date))
        }
        return found
    }

    /// Marks each row that records a concern typed from paper, and each the family disputes.
    static func annotate(_ db: Database, _ rows: [ChronologyRow]) throws -> [ChronologyRow] {
        let (papers, disputes) = try provenance(db, rows.map(\.entry))
        return rows.map { row in
            var row = row
            row.paper = papers[row.entry.id]
            row.disputes = disputes[row.entry.id]?.count ?? 0
            return row
        }
    }

    /// The same for whole entries, with the statements themselves.
    static func annotate(_ db: Database, _ details: [EntryDetail]) throws -> [EntryDetail] {
        let (papers, disputes) = try provenance(db, details.map(\.row.entry))
        return details.map { detail in
            var detail = detail
            detail.row.paper = papers[detail.row.entry.id]
            detail.disputes = disputes[detail.row.entry.id] ?? []
            detail.row.disputes = detail.disputes.count
            return detail
        }
    }

    /// Paper originals by entry (only a concern's own entry carries its paper), and disputes by entry.
    private static func provenance(_ db: Database, _ entries: [ChronologyEntry])
        throws -> (papers: [Int64: PaperOriginal], disputes: [Int64: [Dispute]]) {
        let reports = entries.filter { $0.kind == .concern && $0.concern != nil }
        let papers = try paperOriginals(db, concerns: Array(Set(reports.compactMap { $0.concern?.rawValue })))
        var byEntry: [Int64: PaperOriginal] = [:]
        for entry in reports { byEntry[entry.id] = entry.concern.flatMap { papers[$0.rawValue] } }
        return (byEntry, try disputes(db, forEntries: entries.map(\.id)))
    }
}
