@preconcurrency import CCurses
import CairnApp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the terminal loop could not start or stopped early.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    case notATerminal
    case cannotOpen(term: String)
    case locale(String)
    /// SIGTERM or SIGHUP arrived; the terminal has been restored.
    case signalled(Int32)

    public var description: String {
        switch self {
        case .notATerminal:
            return "cairn's screens need a terminal: run it in one (over SSH, use ssh -t), or use a subcommand"
        case .cannotOpen(let term):
            return term.isEmpty
                ? "cannot open the terminal: TERM is not set"
                : "cannot open the terminal: TERM=\(term) is not known here (try TERM=xterm-256color)"
        case .locale(let message):
            return message
        case .signalled(let number):
            let name = number == SIGHUP ? "SIGHUP (the connection closed)" : number == SIGTERM ? "SIGTERM" : "signal \(number)"
            return "stopped by \(name)"
        }
    }

    /// The conventional exit status for a process stopped by this error.
    public var exitCode: Int32 {
        if case .signalled(let number) = self { return 128 + number }
        return 1
    }
}

public enum Terminal {
    /// Sets the locale from the environment (`setlocale(LC_ALL, "")`). Returns nil when it is
    /// UTF-8; otherwise a message telling the user to run with `LANG=C.UTF-8`.
    public static func localeProblem() -> String? {
        let accepted = setlocale(LC_ALL, "") != nil
        let codeset: String = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if accepted, codeset == "UTF-8" || codeset == "utf8" { return nil }
        // The variable that decided it, as setlocale reads them.
        var environment = "no LANG"
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            guard let value = getenv(name) else { continue }
            let text = String(cString: value)
            if !text.isEmpty {
                environment = "\(name)=\(text)"
                break
            }
        }
        let reason = accepted
            ? "\(environment) gives the character set \(codeset)"
            : "\(environment) names a locale that is not installed here"
        return "the dashboard needs a UTF-8 locale, but \(reason). Run it with LANG=C.UTF-8, e.g. `LANG=C.UTF-8 cairn`."
    }

    /// How often `TerminalDriver.tick` is called, and how long a read waits for a key.
    static let tickMilliseconds: Int32 = 100

    /// Runs the loop until the driver is finished, then restores the terminal. Always restores it:
    /// also on SIGTERM/SIGHUP, which end the loop with `TerminalError.signalled` (exit with its
    /// `exitCode`). Ctrl-C arrives as `Key.ctrl("c")` (the terminal is in raw mode): the driver
    /// decides whether to quit. `noColor` (set it when `NO_COLOR` is set, to any value) draws
    /// with attributes only, as does a terminal without colour.
    public static func run(driver: TerminalDriver, theme: Theme, noColor: Bool) throws {
        if let problem = localeProblem() { throw TerminalError.locale(problem) }
        acceptWindowChanges()
        cairn_catch_signals()
        defer { cairn_release_signals() }
        _ = cairn_take_signal()
        let screen = try Screen(theme: theme, noColor: noColor)
        defer { screen.close() }
        try loop(driver: driver, screen: screen)
    }

    /// Reads events, hands them to the driver and draws what it returns. Keys that arrive together
    /// (a paste, fast typing over a slow link) are all handled before the one resulting frame is drawn.
    private static func loop(driver: TerminalDriver, screen: Screen) throws {
        screen.draw(driver.start(size: screen.size))
        let clock = ContinuousClock()
        let tickInterval = Duration.milliseconds(Int64(tickMilliseconds))
        var lastTick = clock.now
        var pending = false
        while !driver.isFinished {
            let signal = cairn_take_signal()
            if signal != 0 { throw TerminalError.signalled(signal) }
            switch screen.readEvent(milliseconds: pending ? 0 : tickMilliseconds) {
            case .key(let key)?:
                driver.handle(key)
                pending = true
            case .resize(let size)?:
                driver.resize(to: size)
                pending = true
            case nil:
                if pending {
                    screen.draw(driver.render())
                    pending = false
                } else if terminalHungUp() {
                    // The connection went without a SIGHUP reaching us: stop rather than spin.
                    throw TerminalError.signalled(SIGHUP)
                }
            }
            if clock.now - lastTick >= tickInterval {
                lastTick = clock.now
                if driver.tick() { pending = true }
            }
        }
    }

    /// A process started by something that ignores or blocks SIGWINCH (a test runner, some
    /// supervisors) passes that on, and ncurses then never hears that the window changed size:
    /// take the default disposition back, unblocked, before ncurses installs its handler.
    private static func acceptWindowChanges() {
        signal(SIGWINCH, SIG_DFL)
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// True when standard input reports a hang-up or error: reading it would return at once for ever.
    private static func terminalHungUp() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) >= 0 else { return false }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }
}
