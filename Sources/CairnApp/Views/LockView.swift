import CairnDomain
import Foundation

/// The locked screen: nothing of any record, only "Locked", whose session it is, and how to go on.
enum LockView {
    static func draw(_ lock: LockState, actor: Staff, into frame: inout Frame) {
        let middle = frame.size.height / 2 - 2
        func centred(_ text: String, _ y: Int, _ role: StyleRole = .normal) {
            let x = max(0, (frame.size.width - DisplayWidth.of(text)) / 2)
            frame.put(text, x: x, y: y, role: role)
        }
        centred("Locked", middle, .title)
        centred(TextLayout.clean(actor.displayName), middle + 1)
        if lock.hasPassphrase {
            let dots = String(repeating: "•", count: min(lock.passphrase.text.count, 32))
            centred("Passphrase: " + dots + (lock.checking ? "" : "_"), middle + 3)
            centred(lock.checking ? "Checking…" : "Enter unlocks · Ctrl-C closes Cairn", middle + 5, .muted)
        } else {
            centred("No passphrase is set, so this session can only be closed: press q.", middle + 3)
            centred("Set one with: cairn passphrase set", middle + 5, .muted)
        }
        if let problem = lock.problem { centred(problem, middle + 6, .warning) }
    }
}
