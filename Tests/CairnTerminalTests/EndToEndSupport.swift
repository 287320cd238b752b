import CairnDomain
import Foundation
import Testing

/// Runs the real `cairn` binary: as a command, and as a dashboard inside tmux.
struct CairnBinary {
    let directory: URL
    let database: String

    static var path: String {
        // A helper building into its own scratch path points the tests at its binary.
        if let built = ProcessInfo.processInfo.environment["CAIRN_TEST_BINARY"], !built.isEmpty { return built }
        // Tests/CairnTerminalTests/ -> repository root -> .build/debug/cairn (built by `make test`).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/cairn").path
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = directory.appendingPathComponent("cairn.sqlite").path
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    @discardableResult
    func run(_ arguments: [String], input: String? = nil) throws -> Result {
        try Self.exec(Self.path, arguments + ["--db", database], input: input)
    }

    /// Runs a command to completion with posix_spawn and waitpid. Output goes to files, not pipes:
    /// `tmux new-session` leaves a server behind that would hold a pipe open for ever, and
    /// Foundation's Process has been seen to miss the exit of such a child.
    static func exec(_ executable: String, _ arguments: [String], input: String? = nil) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputPath = scratch.appendingPathComponent("in").path
        let outputPath = scratch.appendingPathComponent("out").path
        let errorPath = scratch.appendingPathComponent("err").path
        try (input ?? "").write(toFile: inputPath, atomically: true, encoding: .utf8)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        environment.removeValue(forKey: "CAIRN_DB")
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw SpawnFailed(executable: executable, code: spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift cannot import as macros.
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return Result(status: exitStatus, output: output, errors: errors)
    }

    struct SpawnFailed: Error {
        let executable: String
        let code: Int32
    }
}

/// A detached tmux session running a command, read with capture-pane as a person would see it.
struct TmuxSession {
    let name = "cairn-e2e-\(UUID().uuidString.prefix(8))"

    init(command: [String], width: Int = 100, height: Int = 30) throws {
        let shellCommand = (["env", "LANG=C.UTF-8", "TERM=xterm-256color"] + command).map { "'\($0)'" }.joined(separator: " ")
        let result = try CairnBinary.exec("/usr/bin/env", ["tmux", "new-session", "-d", "-s", name, "-x", "\(width)",
                                                           "-y", "\(height)", shellCommand])
        #expect(result.status == 0, "tmux did not start")
    }

    func send(_ keys: String...) throws {
        try CairnBinary.exec("/usr/bin/env", ["tmux", "send-keys", "-t", name] + keys)
    }

    /// Types text literally, as a person would (no key names).
    func type(_ text: String) throws {
        try CairnBinary.exec("/usr/bin/env", ["tmux", "send-keys", "-t", name, "-l", text])
    }

    /// Resizes the window, as dragging a terminal's corner does.
    func resize(width: Int, height: Int) throws {
        try CairnBinary.exec("/usr/bin/env", ["tmux", "resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    func screen() throws -> String {
        try CairnBinary.exec("/usr/bin/env", ["tmux", "capture-pane", "-p", "-t", name]).output
    }

    var isRunning: Bool {
        (try? CairnBinary.exec("/usr/bin/env", ["tmux", "has-session", "-t", name]).status) == 0
    }

    /// Waits until the screen shows `text`; fails with the screen as it was.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let size = (try? CairnBinary.exec("/usr/bin/env", ["tmux", "display", "-p", "-t", name, "#{pane_width}x#{pane_height}"]).output) ?? "?"
        Issue.record("Timed out waiting for \"\(text)\". The screen (\(size.trimmingCharacters(in: .whitespacesAndNewlines))) showed:\n\(last)")
        throw TimedOut()
    }

    func waitForExit(timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isRunning { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    func kill() { _ = try? CairnBinary.exec("/usr/bin/env", ["tmux", "kill-session", "-t", name]) }

    struct TimedOut: Error {}
}
