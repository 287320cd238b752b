import CairnDomain
import CairnStore
import Foundation

/// Runs the Elm loop for one session: message in, state updated, effects run, frame out.
public final class Dashboard: TerminalDriver {
    public private(set) var state: AppState
    private let runner: EffectRunner
    private let clock: any Clock
    /// What the queue looked like when last loaded; polled so that other people's work appears.
    private var knownVersion: [Int64] = []
    private var lastPoll = Date.distantPast
    private var lastKey: Date
    private let idle: IdlePolicy
    static let pollInterval: TimeInterval = 2

    public init(store: CairnStore, actor: Staff, clock: any Clock = SystemClock(),
                exportDirectory: URL = Dashboard.defaultExportDirectory(), idle: IdlePolicy = .standard) throws {
        self.runner = EffectRunner(store: store, actor: actor, exportDirectory: exportDirectory)
        self.clock = clock
        self.idle = idle
        self.lastKey = clock.now()
        self.state = AppState(actor: actor, schoolName: try store.schoolName(actor.school), now: clock.now(),
                              size: Size(width: 80, height: 24))
        state.privacy = try store.preference(actor: actor, Self.privacyPreference) == "on"
        if actor.school == nil {
            let schools = try store.schools()
            if schools.count > 1 { state.schoolNames = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0.name) }) }
        }
    }

    static let privacyPreference = "privacy"

    public var isFinished: Bool { state.finished }

    /// Why Cairn ended the session itself (an account disabled, a long idle), for the terminal
    /// to print once the screen is restored.
    public var farewell: String? { state.farewell }

    /// `$CAIRN_EXPORT_DIR`, else `cairn-exports` in the user's home directory (created owner-only on first export).
    public static func defaultExportDirectory() -> URL {
        if let configured = ProcessInfo.processInfo.environment["CAIRN_EXPORT_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent("cairn-exports", isDirectory: true)
    }

    public func start(size: Size) -> Frame {
        state.size = size
        // Checks only what was written since the last check, so it is quick; a break is kept in
        // the database, so every session shows it until a DSL acknowledges it.
        _ = try? runner.store.verifyAuditSinceCheckpoint()
        state.auditBreak = try? runner.store.auditBreak()
        raiseFollowUps()
        knownVersion = (try? runner.store.queueVersion()) ?? []
        perform(App.start(&state))
        return render()
    }

    public func handle(_ key: Key) {
        lastKey = clock.now()
        send(.key(key))
        if state.wantsClock { send(.clock(lastKey)) }
    }

    public func resize(to size: Size) {
        send(.resized(size))
    }

    /// Redraws only when something changed: a concern logged or decided elsewhere (polled every
    /// two seconds), or the minute turning so that ages in the queue stay true.
    public func tick() -> Bool {
        let now = clock.now()
        var changed = guardSession(now)
        if state.finished || state.lock != nil { return changed }
        if receiveBackgroundWork() { changed = true }
        if state.wantsClock {
            let before = state
            send(.clock(now))
            if state != before { changed = true }
        }
        if now.timeIntervalSince(lastPoll) >= Self.pollInterval {
            lastPoll = now
            if let version = try? runner.store.queueVersion(), version != knownVersion {
                knownVersion = version
                perform(App.refresh(&state))
                changed = true
            }
        }
        let minute = { (date: Date) in Int(date.timeIntervalSince1970 / 60) }
        if minute(now) != minute(state.now) {
            // A referral that has waited a working day for a decision gets its follow-up action;
            // the next poll then shows it like anyone else's change.
            raiseFollowUps()
            send(.tick(now))
            changed = true
        }
        return changed
    }

    /// Ends the session if the account was disabled or changed (checked on every poll, so within
    /// seconds of `cairn staff disable`), shows an audit break found by any session, and locks or
    /// closes after a spell without a key. True when the screen must be redrawn.
    private func guardSession(_ now: Date) -> Bool {
        let idleFor = now.timeIntervalSince(lastKey)
        if idleFor >= idle.exitAfter {
            state.finished = true
            state.farewell = "Cairn closed after \(Self.minutes(idle.exitAfter)) without a key."
            return true
        }
        if idleFor >= idle.lockAfter, state.lock == nil {
            state.overlay = nil
            state.lock = LockState(hasPassphrase: (try? runner.store.hasPassphrase(username: state.actor.username)) ?? false)
            return true
        }
        guard now.timeIntervalSince(lastPoll) >= Self.pollInterval else { return false }
        if state.lock != nil { lastPoll = now }
        let current = try? runner.store.staff(username: state.actor.username)
        if current != state.actor {
            state.finished = true
            state.farewell = current?.active == false
                ? "Your Cairn account has been disabled, so this session has ended."
                : "Your Cairn account was changed (role, year groups or school), so this session has ended. Open Cairn again."
            return true
        }
        let found = try? runner.store.auditBreak()
        guard found != state.auditBreak else { return false }
        state.auditBreak = found
        return true
    }

    static func minutes(_ interval: TimeInterval) -> String {
        let minutes = Int((interval / 60).rounded())
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }

    private func raiseFollowUps() {
        guard AccessPolicy.decide(state.actor, .manageActions).isAllowed else { return }
        _ = try? runner.store.raiseReferralFollowUps(actor: state.actor)
    }

    public func send(_ msg: Msg) {
        perform(App.update(&state, msg))
    }

    public func render() -> Frame {
        DashboardView.render(state)
    }

    /// Effects run one at a time; each result is fed back, and may itself ask for more work.
    /// Searches run in the background lane instead, so that keys typed meanwhile are echoed at
    /// once; their answers come back on a later tick.
    private func perform(_ effects: [Effect]) {
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            if case .finderSearch = effect {
                let (runner, scope) = (self.runner, state.queueScope)
                background.submit { runner.run(effect, scope: scope) }
                continue
            }
            let result = runner.run(effect, scope: state.queueScope)
            pending += App.update(&state, result)
        }
    }

    private let background = BackgroundLane()

    /// Feeds in the answers the background lane has finished; true if there were any.
    private func receiveBackgroundWork() -> Bool {
        let arrived = background.take()
        for msg in arrived { send(msg) }
        return !arrived.isEmpty
    }

    /// Waits for every search asked for so far, then feeds in the answers: for tests, which must
    /// not depend on timing, and which see the screen a person would once the answers are in.
    public func waitForBackgroundWork() {
        while background.waitUntilIdle() { _ = receiveBackgroundWork() }
    }
}

/// One worker thread for searches. Work runs in the order asked; answers wait here until the
/// terminal loop takes them, so the app state is only ever changed on the loop's own thread.
final class BackgroundLane: @unchecked Sendable {
    private let queue = DispatchQueue(label: "cairn.search")
    private let lock = NSLock()
    private var finished: [Msg] = []

    func submit(_ work: @escaping @Sendable () -> Msg) {
        queue.async {
            let msg = work()
            self.lock.withLock { self.finished.append(msg) }
        }
    }

    /// The answers finished since last asked, oldest first.
    func take() -> [Msg] {
        lock.withLock {
            defer { finished = [] }
            return finished
        }
    }

    /// Blocks until the work asked for so far has run; true if there are answers to take.
    func waitUntilIdle() -> Bool {
        queue.sync {}
        return lock.withLock { !finished.isEmpty }
    }
}
