import CairnDomain
import CairnStore
import Foundation
import GRDB
import Testing

/// Retention against a real file: review, legal holds, and a purge that leaves no trace of the
/// child in the file's bytes while the audit chain still verifies.
@Suite struct RetentionTests {
    /// 1 January 2040: Juniper (born 14/05/2014) is 25; Maud (09/09/2009) is 30.
    static let later = UKDate.parseDate("01/01/2040")!

    /// Juniper and Maud have left; Juniper has a file with a concern naming her, a shared concern
    /// with Otto, a triage, an action and a finder search by her surname. The clock is in 2040.
    func world() throws -> Fixture {
        let fixture = try Fixture()
        try fixture.log(about: [fixture.year7], text: "Juniper Ashdown said her uncle shouts at her every night.")
        let shared = try fixture.log(about: [fixture.year7, fixture.year8], text: "Both were seen arguing by the gate.")
        try fixture.triage(shared)
        _ = try fixture.store.findPupils(actor: fixture.dsl, matching: "Ashdown")
        let pupil = try #require(try fixture.store.pupilID(upn: fixture.year7))
        _ = try fixture.store.pupilHeader(actor: fixture.dsl, pupil: pupil)
        try fixture.raw { db in
            try db.execute(sql: "UPDATE pupils SET left_at = ? WHERE upn IN (?, ?)",
                           arguments: [Int64(UKDate.parseDate("20/07/2026")!.timeIntervalSince1970 * 1000),
                                       fixture.year7.value, fixture.year11.value])
        }
        fixture.clock.set(Self.later)
        return fixture
    }

    @Test func reviewListsLeftPupilsPastTheRuleWithCountsAndHoldsApart() throws {
        let fixture = try world()
        try fixture.store.placeLegalHold(actor: fixture.dsl, upn: fixture.year11, reason: "Independent inquiry, case 12")
        let review = try fixture.store.retentionReview(actor: fixture.dsl, rule: RetentionRule())
        #expect(review.due.map(\.upn) == [fixture.year7.value])
        let juniper = try #require(review.due.first)
        #expect(juniper.name == "Juniper Ashdown")
        #expect(UKDate.date(juniper.dueAt) == "14/05/2039")
        #expect(juniper.concerns == 2 && juniper.entries >= 3)
        #expect(review.held.map(\.upn) == [fixture.year11.value])
        #expect(review.held.first?.hold?.reason == "Independent inquiry, case 12")
        // Otto is 27 in 2040 but still on roll: never due.
        #expect(!review.due.contains { $0.upn == fixture.year8.value })
        // A 30-year rule keeps Juniper.
        #expect(try fixture.store.retentionReview(actor: fixture.dsl, rule: RetentionRule(years: 30)).due.isEmpty)
    }

    @Test func onlyTheSafeguardingTeamReviewsAndOnlyTheDSLHoldsOrPurges() throws {
        let fixture = try world()
        #expect(throws: AccessDenied.self) { try fixture.store.retentionReview(actor: fixture.pastoral, rule: RetentionRule()) }
        _ = try fixture.store.retentionReview(actor: fixture.deputy, rule: RetentionRule())
        #expect(throws: AccessDenied.self) {
            try fixture.store.placeLegalHold(actor: fixture.deputy, upn: fixture.year7, reason: "Inquiry")
        }
        #expect(throws: AccessDenied.self) { try fixture.store.purge(actor: fixture.deputy, rule: RetentionRule(), confirm: true) }
        #expect(try fixture.store.pupilID(upn: fixture.year7) != nil)
    }

    @Test func badHoldsAreRefusedNamingTheFieldAndChangeNothing() throws {
        let fixture = try world()
        let before = try fixture.raw { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM legal_holds") }
        #expect(throws: StoreError.invalid([FieldProblem(field: "reason", message: "say why, for example the inquiry's name")])) {
            try fixture.store.placeLegalHold(actor: fixture.dsl, upn: fixture.year7, reason: "  ")
        }
        let unknown = UPN.make(la: 935, establishment: 4101, year: 19, serial: 99)
        #expect(throws: StoreError.invalid([FieldProblem(field: "upn", message: "no pupil has the UPN \(unknown.value)")])) {
            try fixture.store.placeLegalHold(actor: fixture.dsl, upn: unknown, reason: "Inquiry")
        }
        #expect(throws: StoreError.self) { try fixture.store.releaseLegalHold(actor: fixture.dsl, upn: fixture.year7, reason: "Done") }
        try fixture.store.placeLegalHold(actor: fixture.dsl, upn: fixture.year7, reason: "Inquiry")
        #expect(throws: StoreError.self) { try fixture.store.placeLegalHold(actor: fixture.dsl, upn: fixture.year7, reason: "Again") }
        #expect(try fixture.raw { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM legal_holds") } == before! + 1)
    }

    @Test func theHoldShowsInTheHeaderAndAReleasedHoldStaysOnRecord() throws {
        let fixture = try world()
        let pupil = try #require(try fixture.store.pupilID(upn: fixture.year7))
        try fixture.store.placeLegalHold(actor: fixture.dsl, upn: fixture.year7, reason: "Public inquiry")
        #expect(try fixture.store.pupilHeader(actor: fixture.dsl, pupil: pupil).legalHold?.reason == "Public inquiry")
        try fixture.store.releaseLegalHold(actor: fixture.dsl, upn: fixture.year7, reason: "Inquiry closed")
        #expect(try fixture.store.pupilHeader(actor: fixture.dsl, pupil: pupil).legalHold == nil)
        let history = try fixture.raw { db in
            try Row.fetchAll(db, sql: "SELECT reason, release_reason FROM legal_holds").map { "\($0[0] as String)/\($0[1] as String)" }
        }
        #expect(history == ["Public inquiry/Inquiry closed"])
    }

    @Test func aDryRunChangesNothingButItsOwnAuditEvent() throws {
        let fixture = try world()
        let before = try snapshot(fixture)
        let report = try fixture.store.purge(actor: fixture.dsl, rule: RetentionRule(), confirm: false)
        #expect(!report.confirmed && report.files.map(\.upn) == [fixture.year7.value, fixture.year11.value])
        var after = try snapshot(fixture)
        #expect(after.removeValue(forKey: "audit_events") == before["audit_events"]! + 1)
        #expect(after == before.filter { $0.key != "audit_events" })
    }

    @Test func purgeLeavesNoTraceOfTheChildInTheFileAndTheChainStillVerifies() throws {
        let fixture = try world()
        try fixture.store.placeLegalHold(actor: fixture.dsl, upn: fixture.year11, reason: "Inquiry into Hollin Vale")
        let names = ["Juniper", "Ashdown", fixture.year7.value, "uncle shouts"]
        #expect(try names.allSatisfy { try fileBytes(fixture).contains($0) })

        let report = try fixture.store.purge(actor: fixture.dsl, rule: RetentionRule(), confirm: true)
        #expect(report.confirmed && report.files.count == 1 && report.walCleared)
        #expect(report.rows["pupils"] == 1 && report.rows["concerns"] == 1)
        #expect(report.auditDetailsRemoved >= 2)

        let bytes = try fileBytes(fixture)
        for name in names { #expect(!bytes.contains(name), "\(name) is still in the file") }
        guard case .intact = try fixture.store.verifyAuditWithoutRecording() else {
            Issue.record("the audit chain no longer verifies after purge")
            return
        }
        // Otto keeps the shared concern; Maud, on hold, keeps everything.
        #expect(try fixture.store.pupilID(upn: fixture.year8) != nil)
        #expect(try fixture.store.pupilID(upn: fixture.year11) != nil)
        let left = try fixture.raw { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM concern_pupils")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM retention_tombstones WHERE entries > 0 AND concerns = 2")!,
             try String.fetchOne(db, sql: "SELECT detail FROM audit_events ORDER BY seq DESC LIMIT 1")!)
        }
        #expect(left.0 == 1 && left.1 == 1)
        #expect(left.2.hasPrefix("purged 1 files under the 25-year rule"))
        #expect(try fixture.store.retentionReview(actor: fixture.dsl, rule: RetentionRule()).due.isEmpty)
    }

    @Test func aRedactionNoPurgeAccountsForBreaksTheChain() throws {
        let fixture = try world()
        _ = try fixture.store.purge(actor: fixture.dsl, rule: RetentionRule(), confirm: true)
        // Someone with the file "redacts" an awkward event by hand, triggers and all.
        try fixture.raw { db in
            let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM audit_events WHERE detail LIKE 'added%' ORDER BY seq LIMIT 1")!
            let detail = try String.fetchOne(db, sql: "SELECT detail FROM audit_events WHERE seq = ?", arguments: [seq])!
            let purge = try Int64.fetchOne(db, sql: "SELECT MAX(purge_seq) FROM audit_redactions")!
            try db.execute(sql: "DROP TRIGGER audit_detail_only_redacted")
            try db.execute(sql: "UPDATE audit_events SET detail = ? WHERE seq = ?", arguments: [AuditChain.redactedDetail, seq])
            try db.execute(sql: "INSERT INTO audit_redactions VALUES (?, ?, ?)",
                           arguments: [seq, AuditChain.sha256Hex(detail), purge])
        }
        guard case .broken(_, let problem) = try fixture.store.verifyAuditWithoutRecording() else {
            Issue.record("a forged redaction went unnoticed")
            return
        }
        #expect(problem.contains("no retention purge accounts"))
    }

    @Test func auditDetailsCannotBeChangedOutsideAPurge() throws {
        let fixture = try world()
        #expect(throws: DatabaseError.self) {
            try fixture.raw { db in try db.execute(sql: "UPDATE audit_events SET detail = ? WHERE seq = 1", arguments: [AuditChain.redactedDetail]) }
        }
        #expect(throws: DatabaseError.self) {
            try fixture.raw { db in try db.execute(sql: "DELETE FROM pupils WHERE upn = ?", arguments: [fixture.year7.value]) }
        }
    }

    /// Every table that holds a child's record keeps its rows until a purge, and lets them go in one.
    @Test func everyTableAboutAPupilIsGuardedAndPurgeable() throws {
        let fixture = try world()
        let (unguarded, unpurgeable) = try fixture.raw { db -> ([String], [String]) in
            let triggers = try Row.fetchAll(db, sql: "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%BEFORE DELETE%'")
            var unguarded: [String] = []
            for table in try aboutPupils(db) where !triggers.contains(where: { ($0[0] as String) == table }) {
                unguarded.append(table)
            }
            let unpurgeable = triggers.filter { ($0[1] as String).contains("retention purge") && !($0[1] as String).contains("purge_session") }
                .map { $0[0] as String }
            return (unguarded, unpurgeable)
        }
        #expect(unguarded == [], "tables whose rows could be deleted outside a purge")
        #expect(unpurgeable == [], "tables a purge could not empty")
    }

    // MARK: Helpers

    /// Tables reached from pupils through foreign keys (the rows a purge removes).
    private func aboutPupils(_ db: Database) throws -> [String] {
        var about: Set<String> = ["pupils", "concerns"]
        var growing = true
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%'")
        while growing {
            growing = false
            for table in tables where !about.contains(table) {
                let parents = try String.fetchAll(db, sql: "SELECT \"table\" FROM pragma_foreign_key_list(?)", arguments: [table])
                if parents.contains(where: about.contains), table != "retention_tombstones" {
                    about.insert(table)
                    growing = true
                }
            }
        }
        return about.sorted()
    }

    private func snapshot(_ fixture: Fixture) throws -> [String: Int] {
        try fixture.raw { db in
            var counts: [String: Int] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"")
            }
            return counts
        }
    }

    /// The database file and anything beside it, as bytes read as Latin-1 (so any byte sequence reads).
    private func fileBytes(_ fixture: Fixture) throws -> String {
        var all = Data()
        for suffix in ["", "-wal", "-journal"] {
            if let data = FileManager.default.contents(atPath: fixture.path + suffix) { all.append(data) }
        }
        return String(data: all, encoding: .isoLatin1) ?? ""
    }
}
