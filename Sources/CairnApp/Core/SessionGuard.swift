import CairnDomain
import CairnStore
import Foundation

/// How long a dashboard may sit without a key: locked after `lockAfter`, closed after `exitAfter`
/// (`idle_lock_minutes` and `idle_exit_minutes` in the configuration).
public struct IdlePolicy: Equatable, Sendable {
    public var lockAfter: TimeInterval
    public var exitAfter: TimeInterval
    public init(lockAfter: TimeInterval, exitAfter: TimeInterval) {
        self.lockAfter = lockAfter
        self.exitAfter = max(exitAfter, lockAfter)
    }
    public static let standard = IdlePolicy(lockAfter: 5 * 60, exitAfter: 30 * 60)
}

/// The locked screen: only "Locked" and the user's name until the passphrase is given.
public struct LockState: Equatable, Sendable {
    public var passphrase = TextField()
    /// Without a passphrase set, a locked session can only be closed.
    public var hasPassphrase: Bool
    public var failures = 0
    public var problem: String?
    public var checking = false

    /// Wrong passphrases before the session closes, so that nobody can sit and guess.
    public static let attempts = 5
}

/// Keys while the screen is locked: the passphrase, Enter to try it, Ctrl-C (or q, when no
/// passphrase is set) to close Cairn. Nothing else reaches the app.
enum LockScreen {
    static func key(_ key: Key, _ lock: inout LockState, _ state: inout AppState) -> [Effect] {
        if key == .ctrl("c") || (!lock.hasPassphrase && key == .char("q")) {
            state.finished = true
            state.farewell = "Cairn closed from the lock screen."
            return []
        }
        guard lock.hasPassphrase, !lock.checking else { return [] }
        switch key {
        case .enter:
            guard !lock.passphrase.text.isEmpty else { return [] }
            lock.checking = true
            let attempt = lock.passphrase.text
            lock.passphrase = TextField()
            return [.unlock(attempt)]
        case .backspace:
            if !lock.passphrase.text.isEmpty { lock.passphrase.text.removeLast() }
        case .char(let character):
            lock.passphrase.text.append(character)
            lock.problem = nil
        default:
            break
        }
        return []
    }

    static func checked(_ correct: Bool, _ state: inout AppState) {
        guard var lock = state.lock else { return }
        lock.checking = false
        if correct {
            state.lock = nil
            return
        }
        lock.failures += 1
        if lock.failures >= LockState.attempts {
            state.finished = true
            state.farewell = "Cairn closed after \(LockState.attempts) wrong passphrases."
        }
        lock.problem = "That passphrase is not right (\(LockState.attempts - lock.failures) more tries)."
        state.lock = lock
    }
}
