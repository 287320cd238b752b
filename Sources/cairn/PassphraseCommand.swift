import ArgumentParser
import CairnStore
import Foundation

/// `cairn passphrase set`: the passphrase that unlocks Cairn after it has locked itself when idle.
struct PassphraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passphrase", abstract: "Your passphrase for unlocking Cairn when it has locked itself.",
        subcommands: [SetPassphrase.self])

    struct SetPassphrase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set or change your passphrase (at least \(CairnStore.passphraseMinimumLength) characters).",
            discussion: "Asks for it twice without showing what you type. When standard input is not a terminal, reads it from the first two lines there instead.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try reported {
                // Who first: someone Cairn does not know is told so before typing anything secret.
                let session = try Session.open(global)
                let (first, second) = try PassphraseReader.readTwice()
                guard first == second else {
                    throw CLIError("the two passphrases differ, so nothing was changed. Run `cairn passphrase set` again.", code: 65)
                }
                try session.store.setPassphrase(actor: session.actor, first)
                print("Passphrase set for \(session.actor.username).")
            }
        }
    }
}

/// Reads a passphrase: from the terminal with echo off, or from lines of standard input.
enum PassphraseReader {
    static func readTwice() throws -> (String, String) {
        let answers = try answers(["New passphrase: ", "Same again: "], unchanged: "nothing was changed",
                               otherwise: "Give it on standard input instead: two lines, the same passphrase on each.")
        return (answers[0], answers[1])
    }

    /// One answer for each prompt, asked on the terminal without echo; when standard input is
    /// not a terminal, one line of it each. `unchanged` says what was not done when reading fails;
    /// `otherwise` how else to give the passphrase.
    static func answers(_ prompts: [String], unchanged: String, otherwise: String) throws -> [String] {
        if isatty(STDIN_FILENO) == 0 {
            let lines = prompts.compactMap { _ in readLine(strippingNewline: true) }
            guard lines.count == prompts.count else {
                throw CLIError("expected the passphrase on standard input\(prompts.count == 2 ? " twice, one line each" : ""); \(unchanged).", code: 65)
            }
            return lines
        }
        let terminal = Foundation.open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard terminal >= 0 else { throw CLIError("cannot open the terminal to ask for a passphrase; \(unchanged). \(otherwise)", code: 1) }
        defer { close(terminal) }
        return try prompts.map { try ask($0, terminal, unchanged: unchanged, otherwise: otherwise) }
    }

    /// One line from the terminal with echo off. Interrupted, it puts echo back before leaving, so
    /// the person's shell is not left typing blind.
    private static func ask(_ prompt: String, _ terminal: Int32, unchanged: String, otherwise: String) throws -> String {
        say(prompt, terminal)
        var saved = termios()
        guard tcgetattr(terminal, &saved) == 0 else { throw CLIError("cannot switch off echo on this terminal; \(unchanged). \(otherwise)", code: 1) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        EchoGuard.arm(terminal, saved)
        _ = tcsetattr(terminal, TCSAFLUSH, &quiet)
        defer {
            _ = tcsetattr(terminal, TCSAFLUSH, &saved)
            EchoGuard.disarm()
            say("\n", terminal)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(terminal, &byte, 1) == 1, byte != 0x0A, byte != 0x0D { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func say(_ text: String, _ terminal: Int32) {
        _ = text.utf8CString.withUnsafeBufferPointer { write(terminal, $0.baseAddress, $0.count - 1) }
    }
}

/// Restores the terminal if Ctrl-C or a kill arrives while echo is off. Signal handlers cannot
/// capture, so the saved settings live here; they are written only while no handler is armed.
private enum EchoGuard {
    nonisolated(unsafe) static var terminal: Int32 = -1
    nonisolated(unsafe) static var saved = termios()

    static func arm(_ descriptor: Int32, _ settings: termios) {
        terminal = descriptor
        saved = settings
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                _ = tcsetattr(EchoGuard.terminal, TCSAFLUSH, &EchoGuard.saved)
                _exit(128 + received)
            }
        }
    }

    static func disarm() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { signal(signalNumber, SIG_DFL) }
    }
}
