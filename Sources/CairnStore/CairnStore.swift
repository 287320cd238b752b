import CairnDomain
import Foundation
import GRDB

/// The one way into a Cairn database. Every read of pupil data and every write passes an access
/// check and leaves an audit event here, so no caller can forget either.
public final class CairnStore: Sendable {
    public let path: String
    let pool: DatabasePool
    let clock: any Clock

    private init(path: String, pool: DatabasePool, clock: any Clock) {
        self.path = path
        self.pool = pool
        self.clock = clock
    }

    /// How hard each commit waits for the disk.
    public enum Durability: Sendable {
        /// Every record write survives power loss: always, for real records.
        case full
        /// Only for generating synthetic demo data, which can be made again from its seed.
        case syntheticBulkLoad
    }

    /// Creates a new database file; refuses to touch one that exists.
    public static func create(path: String, clock: any Clock = SystemClock(), durability: Durability = .full) throws -> CairnStore {
        if FileManager.default.fileExists(atPath: path) { throw StoreError.alreadyExists(path) }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        let store = try connect(path: path, clock: clock, durability: durability)
        // Safeguarding records are readable by their owner only.
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return store
    }

    /// Opens an existing database, bringing its schema up to date.
    public static func open(path: String, clock: any Clock = SystemClock()) throws -> CairnStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.noDatabase(path) }
        return try connect(path: path, clock: clock)
    }

    private static func connect(path: String, clock: any Clock, durability: Durability = .full) throws -> CairnStore {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        // Record writes must survive power loss, not just a crash.
        let synchronous = durability == .full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF"
        config.prepareDatabase { db in try db.execute(sql: synchronous) }
        let pool = try DatabasePool(path: path, configuration: config)
        // GRDB turns WAL on after prepareDatabase and sets the writer to NORMAL as it does, so set it again.
        try pool.writeWithoutTransaction { db in try db.execute(sql: synchronous) }
        try Schema.migrator.migrate(pool)
        return CairnStore(path: path, pool: pool, clock: clock)
    }

    // MARK: The choke point

    /// Runs `body` in one write transaction after the policy allows it. Refusals commit their audit
    /// event and then throw, so a refused attempt is on record too.
    func guarded<T: Sendable>(_ actor: Staff, _ operation: AccessOperation, recordKind: String = "", recordID: String = "",
                              scope: @escaping @Sendable (Database) throws -> RecordScope? = { _ in nil },
                              _ body: @escaping @Sendable (Database) throws -> T) throws -> T {
        try guarded(actor, recordKind: recordKind, recordID: recordID,
                    choosing: { db in (operation, try scope(db)) }) { db, _ in try body(db) }
    }

    /// The same, for a write whose operation depends on the record: `choosing` reads the record
    /// inside the transaction and names the operation to check (an author marking their own entry
    /// significant is adding to the record; anyone else is amending it).
    func guarded<T: Sendable>(_ actor: Staff, recordKind: String = "", recordID: String = "",
                              choosing: @escaping @Sendable (Database) throws -> (AccessOperation, RecordScope?),
                              _ body: @escaping @Sendable (Database, AccessOperation) throws -> T) throws -> T {
        let result: Result<T, AccessDenied> = try pool.write { db in
            let (operation, recordScope) = try choosing(db)
            switch AccessPolicy.decide(actor, operation, recordScope) {
            case .allow:
                return .success(try body(db, operation))
            case .deny(let reason):
                try AuditChain.append(db, at: self.clock.now(), actor: actor.username, operation: operation,
                                      recordKind: recordKind, recordID: recordID, detail: "refused: \(reason)")
                return .failure(AccessDenied(operation: operation, reason: reason))
            }
        }
        return try result.get()
    }

    func audit(_ db: Database, _ actor: Staff, _ operation: AccessOperation, recordKind: String, recordID: String,
               pupilID: Int64? = nil, detail: String = "") throws {
        try AuditChain.append(db, at: clock.now(), actor: actor.username, operation: operation,
                              recordKind: recordKind, recordID: recordID, pupilID: pupilID, detail: detail)
    }

    // MARK: Metadata

    public func meta(_ key: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    /// A database made by `cairn demo` holds only synthetic data, so `--as` may choose the user.
    public var isDemo: Bool { (try? meta("demo")) == "yes" }

    public func markAsDemo() throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('demo', 'yes')")
        }
    }

    // MARK: Audit

    public func verifyAudit(actor: Staff) throws -> AuditVerification {
        try guarded(actor, .verifyAudit, recordKind: "audit", recordID: "chain") { db in
            let result = try AuditChain.verify(db)
            try self.audit(db, actor, .verifyAudit, recordKind: "audit", recordID: "chain",
                           detail: result == .intact(count: 0, lastHash: AuditChain.genesis) ? "empty" : "\(result)")
            return result
        }
    }

    /// For tests and tools that must check the chain without adding to it.
    public func verifyAuditWithoutRecording() throws -> AuditVerification {
        try pool.read { db in try AuditChain.verify(db) }
    }

    public func auditEventCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events") ?? 0 }
    }

    /// The most recent audit events, newest first (tests and the CLI).
    public func recentAuditEvents(limit: Int) throws -> [AuditEvent] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, at, actor, operation, record_kind, record_id, detail, prev_hash, hash
                FROM audit_events ORDER BY seq DESC LIMIT ?
                """, arguments: [limit]).map { row in
                AuditEvent(sequence: row[0], at: Millis.date(row[1]), actor: row[2],
                           operation: AccessOperation(rawValue: row[3]) ?? .readAudit, recordKind: row[4],
                           recordID: row[5], detail: row[6], previousHash: row[7], hash: row[8])
            }
        }
    }
}

public enum StoreError: Error, Equatable, CustomStringConvertible {
    case alreadyExists(String)
    case noDatabase(String)
    case notFound(String)
    case invalid([FieldProblem])
    case illegal(IllegalTransition)
    /// Someone else decided first; the message says what they did.
    case conflict(String)

    public var description: String {
        switch self {
        case .alreadyExists(let path): "A database already exists at \(path); Cairn never overwrites one."
        case .noDatabase(let path): "No Cairn database at \(path). Create one with `cairn init --school NAME` or `cairn demo`."
        case .notFound(let what): "\(what) was not found."
        case .invalid(let problems): problems.map(\.description).joined(separator: "\n")
        case .illegal(let transition): "Cannot do that: \(transition.description)."
        case .conflict(let message): message
        }
    }
}
