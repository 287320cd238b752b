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

    /// Creates a new database file; refuses to touch one that exists. The file is born readable by
    /// its owner only (and by `files`' group when there is one), and so are the folder made for it
    /// and the -wal and -shm files SQLite makes beside it, which take the database file's mode.
    public static func create(path: String, clock: any Clock = SystemClock(), durability: Durability = .full,
                              files: FileAccess = .ownerOnly) throws -> CairnStore {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: files.directoryMode])
            try files.apply(to: directory, mode: files.directoryMode)
        }
        // O_EXCL: an existing file is refused even if it appears between a check and the create.
        let failure = createExclusively(path, mode: files.fileMode)
        if failure == EEXIST { throw StoreError.alreadyExists(path) }
        if failure != 0 {
            throw StoreError.invalid([FieldProblem(field: "database", message: "cannot create \(path): \(String(cString: strerror(failure)))")])
        }
        do {
            try files.apply(to: path, mode: files.fileMode)
            return try connect(path: path, clock: clock, durability: durability)
        } catch {
            // An empty file left behind would be refused by the next `create` as existing.
            for leftover in [path, path + "-wal", path + "-shm"] { unlink(leftover) }
            throw error
        }
    }

    /// Opens an existing database, bringing its schema up to date. Refuses one that other users of
    /// the server could read or change: safeguarding records must not be open to everyone.
    public static func open(path: String, clock: any Clock = SystemClock(), files: FileAccess = .ownerOnly) throws -> CairnStore {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { throw StoreError.noDatabase(path) }
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        try refuseIfExposed(path, files: files)
        // Cairn writes on every read (the audit log), so a file it can only read is no use either.
        let failure = openReadWrite(path)
        if failure != 0 { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(failure))) }
        return try connect(path: path, clock: clock)
    }

    /// Throws `unsafePermissions` when the database, or a -wal or -shm beside it, has any "other" bits.
    static func refuseIfExposed(_ path: String, files: FileAccess) throws {
        var exposed: [(path: String, mode: Int)] = []
        for candidate in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            guard stat(candidate, &info) == 0 else { continue }
            let mode = Int(info.st_mode) & 0o7777
            if mode & 0o007 != 0 { exposed.append((candidate, mode)) }
        }
        guard let first = exposed.first else { return }
        let fix = "chmod \(String(files.fileMode & 0o777, radix: 8)) " + exposed.map { shellQuoted($0.path) }.joined(separator: " ")
        throw StoreError.unsafePermissions(path: first.path, mode: first.mode, fix: fix)
    }

    private static func shellQuoted(_ path: String) -> String {
        path.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) } ? path
            : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func connect(path: String, clock: any Clock, durability: Durability = .full) throws -> CairnStore {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        // Record writes must survive power loss, not just a crash.
        let synchronous = durability == .full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF"
        config.prepareDatabase { db in
            try db.execute(sql: synchronous)
            // Deleted content is overwritten, so a purged file leaves nothing in the free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
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

    /// Writes an audit event inside the caller's transaction.
    ///
    /// One rule keeps the log readable: a plain read (`RecentReads.isPlainRead`: opening a file, an
    /// entry or a concern, listing the queue or actions) is not written again when this same store
    /// instance wrote the same actor, operation, record and pupil within the last ten minutes. The
    /// dashboard re-reads an open file on every poll and page by page; one event says who looked at
    /// what and when. Searches (the text is the point), exports, refusals (written by `guarded`) and
    /// writes are always written. A read is remembered only once its transaction commits.
    func audit(_ db: Database, _ actor: Staff, _ operation: AccessOperation, recordKind: String, recordID: String,
               pupilID: Int64? = nil, detail: String = "") throws {
        let now = clock.now()
        if RecentReads.isPlainRead(operation, recordKind: recordKind) {
            let key = RecentReads.Key(actor: actor.username, operation: operation, recordKind: recordKind,
                                      recordID: recordID, pupilID: pupilID)
            if recentReads.wroteRecently(key, at: now) { return }
            db.afterNextTransaction { _ in self.recentReads.remember(key, at: now) }
        }
        try AuditChain.append(db, at: now, actor: actor.username, operation: operation,
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

    /// Plain reads written lately, for the rule in `audit`.
    let recentReads = RecentReads()

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

    /// Verifies only the events written since the last verified point (fast enough for every
    /// start), then moves the point forward. A break is kept in the database, so every session sees
    /// it until a DSL acknowledges it; while it stands this returns it without walking again. Not
    /// audited: it runs for whoever starts Cairn, and reads no record.
    public func verifyAuditSinceCheckpoint() throws -> AuditVerification {
        if let standing = try auditBreak() { return .broken(sequence: standing.sequence, problem: standing.problem) }
        // Walked on a snapshot, so writers are not held up; the result is saved in a short write.
        let (start, result) = try pool.read { db in
            let start = try AuditChain.checkpoint(db)
            return (start, try AuditChain.verify(db, since: start))
        }
        let now = clock.now()
        try pool.write { db in
            let current = try AuditChain.checkpoint(db)
            switch result {
            case .intact(let count, let lastHash):
                if Int64(count) > current.sequence {
                    try AuditChain.setCheckpoint(db, AuditCheckpoint(sequence: Int64(count), hash: lastHash))
                }
            case .broken(let sequence, let problem):
                // Unless another session moved the checkpoint meanwhile (a DSL acknowledging this break).
                if current == start, try AuditChain.recordedBreak(db) == nil {
                    try AuditChain.recordBreak(db, AuditBreak(sequence: sequence, problem: problem, detectedAt: now))
                }
            }
        }
        return result
    }

    /// The break found by a check and not yet acknowledged, if any: one small read, for a refresh tick.
    public func auditBreak() throws -> AuditBreak? {
        try pool.read { db in try AuditChain.recordedBreak(db) }
    }

    /// A DSL has seen the break and is dealing with it: audited (naming the event that broke), the
    /// break is cleared and checks start again from the newest event. Returns the break
    /// acknowledged, or nil when there is none. `verifyAudit` still reports the old break: the
    /// chain stays as it is.
    public func acknowledgeAuditBreak(actor: Staff) throws -> AuditBreak? {
        try guarded(actor, .acknowledgeAudit, recordKind: "audit", recordID: "chain") { db in
            guard let standing = try AuditChain.recordedBreak(db) else { return nil }
            try self.audit(db, actor, .acknowledgeAudit, recordKind: "audit_event", recordID: String(standing.sequence),
                           detail: "acknowledged the break at event \(standing.sequence): \(standing.problem)"
                               + " (found \(UKDate.dateTime(standing.detectedAt)))")
            try AuditChain.clearBreak(db)
            try AuditChain.setCheckpoint(db, try AuditChain.end(db))
            return standing
        }
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
    /// The database (or its -wal or -shm) is open to other users of the server; `fix` is the command.
    case unsafePermissions(path: String, mode: Int, fix: String)
    /// The database is there but this account may not open it for writing.
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .alreadyExists(let path): "A database already exists at \(path); Cairn never overwrites one."
        case .noDatabase(let path): "No Cairn database at \(path). Create one with `cairn init --school NAME` or `cairn demo`."
        case .notFound(let what): "\(what) was not found."
        case .invalid(let problems): problems.map(\.description).joined(separator: "\n")
        case .illegal(let transition): "Cannot do that: \(transition.description)."
        case .conflict(let message): message
        case .unsafePermissions(let path, let mode, let fix):
            "\(path) can be \(Self.exposure(mode)) by other users of this server (mode \(String(format: "%04o", mode))). "
                + "Cairn will not open it until you run: \(fix)"
        case .cannotOpen(let path, let reason):
            "\(path) cannot be opened by your account (\(reason.lowercased())). Run Cairn as the account the database "
                + "belongs to, or through the installed `cairn` (see \"Running Cairn on a server\" in the README)."
        }
    }
}

extension StoreError {
    fileprivate static func exposure(_ mode: Int) -> String {
        switch (mode & 0o004 != 0, mode & 0o002 != 0) {
        case (true, true): "read and changed"
        case (false, true): "changed"
        default: "read"
        }
    }
}

/// Who besides the owner may reach the database and the files Cairn writes.
public enum FileAccess: Sendable, Equatable {
    /// The owner only: files 0600, folders 0700.
    case ownerOnly
    /// The owner and this group (a gid): files 0660, folders 2770 so that what is made inside
    /// keeps the group. For staff who reach the file through a setgid `cairn` binary.
    case group(UInt32)

    public var fileMode: mode_t {
        switch self {
        case .ownerOnly: 0o600
        case .group: 0o660
        }
    }

    public var directoryMode: mode_t {
        switch self {
        case .ownerOnly: 0o700
        case .group: 0o2770
        }
    }

    /// The process umask that makes new files match: the -wal, -shm, exports and backups.
    public var umask: mode_t {
        switch self {
        case .ownerOnly: 0o077
        case .group: 0o007
        }
    }

    /// Sets the group (if any) and then the mode: the umask may have taken bits away.
    func apply(to path: String, mode: mode_t) throws {
        if case .group(let gid) = self, chown(path, uid_t.max, gid_t(gid)) != 0 {
            throw StoreError.invalid([FieldProblem(field: "database", message: "cannot give \(path) to group \(gid): \(String(cString: strerror(errno)))")])
        }
        if chmod(path, mode) != 0 {
            throw StoreError.invalid([FieldProblem(field: "database", message: "cannot set the mode of \(path): \(String(cString: strerror(errno)))")])
        }
    }
}

/// Opens and closes `path` for reading and writing as this process's effective user and group
/// (access(2) would ask about the real ones, wrong for a setgid binary); returns 0 or the errno.
private func openReadWrite(_ path: String) -> Int32 {
    let descriptor = open(path, O_RDWR | O_CLOEXEC)
    guard descriptor >= 0 else { return errno }
    close(descriptor)
    return 0
}

/// Creates an empty file with O_EXCL, returning 0 or the errno. Out here because the store's own
/// `open` and `close` hide the C functions inside it.
private func createExclusively(_ path: String, mode: mode_t) -> Int32 {
    let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
    guard descriptor >= 0 else { return errno }
    close(descriptor)
    return 0
}
