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

/// Reads a passphrase twice: from the terminal with echo off, or from two lines of standard input.
enum PassphraseReader {
    static func readTwice() throws -> (String, String) {
        if isatty(STDIN_FILENO) == 0 {
            guard let first = readLine(strippingNewline: true), let second = readLine(strippingNewline: true) else {
                throw CLIError("expected the passphrase twice on standard input, one line each; nothing was changed.", code: 65)
            }
            return (first, second)
        }
        let terminal = Foundation.open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard terminal >= 0 else { throw CLIError("cannot open the terminal to ask for a passphrase; nothing was changed. Give it on standard input instead: two lines, the same passphrase on each.", code: 1) }
        defer { close(terminal) }
        let first = try ask("New passphrase: ", terminal)
        let second = try ask("Same again: ", terminal)
        return (first, second)
    }

    /// One line from the terminal with echo off. Interrupted, it puts echo back before leaving, so
    /// the person's shell is not left typing blind.
    private static func ask(_ prompt: String, _ terminal: Int32) throws -> String {
        say(prompt, terminal)
        var saved = termios()
        guard tcgetattr(terminal, &saved) == 0 else { throw CLIError("cannot switch off echo on this terminal; nothing was changed. Give it on standard input instead: two lines, the same passphrase on each.", code: 1) }
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
