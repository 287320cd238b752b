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
    static let pollInterval: TimeInterval = 2

    public init(store: CairnStore, actor: Staff, clock: any Clock = SystemClock(),
                exportDirectory: URL = Dashboard.defaultExportDirectory()) throws {
        self.runner = EffectRunner(store: store, actor: actor, exportDirectory: exportDirectory)
        self.clock = clock
        self.state = AppState(actor: actor, schoolName: try store.schoolName(actor.school), now: clock.now(),
                              size: Size(width: 80, height: 24))
        state.privacy = try store.preference(actor: actor, Self.privacyPreference) == "on"
    }

    static let privacyPreference = "privacy"

    public var isFinished: Bool { state.finished }

    /// `$CAIRN_EXPORT_DIR`, else `cairn-exports` in the user's home directory (created owner-only on first export).
    public static func defaultExportDirectory() -> URL {
        if let configured = ProcessInfo.processInfo.environment["CAIRN_EXPORT_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent("cairn-exports", isDirectory: true)
    }

    public func start(size: Size) -> Frame {
        state.size = size
        raiseFollowUps()
        knownVersion = (try? runner.store.queueVersion()) ?? []
        perform(App.start(&state))
        return render()
    }

    public func handle(_ key: Key) {
        send(.key(key))
    }

    public func resize(to size: Size) {
        send(.resized(size))
    }

    /// Redraws only when something changed: a concern logged or decided elsewhere (polled every
    /// two seconds), or the minute turning so that ages in the queue stay true.
    public func tick() -> Bool {
        let now = clock.now()
        var changed = false
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
    private func perform(_ effects: [Effect]) {
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            let result = runner.run(effect, scope: state.queueScope)
            pending += App.update(&state, result)
        }
    }
}
