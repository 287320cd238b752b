import CairnDomain
import Foundation
import Testing

/// Runs the real `cairn` binary: as a command, and as a dashboard inside tmux.
struct CairnBinary {
    let directory: URL
    let database: String

    static var path: String {
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

    static func exec(_ executable: String, _ arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        environment.removeValue(forKey: "CAIRN_DB")
        process.environment = environment
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
                      errors: String(decoding: errors, as: UTF8.self))
    }
}

/// A detached tmux session running a command, read with capture-pane as a person would see it.
struct TmuxSession {
    let name = "cairn-e2e-\(UUID().uuidString.prefix(8))"

    init(command: [String], width: Int = 100, height: Int = 30) throws {
        let shellCommand = (["env", "LANG=C.UTF-8", "TERM=xterm-256color"] + command).map { "'\($0)'" }.joined(separator: " ")
        let result = try CairnBinary.exec("/usr/bin/env", ["tmux", "new-session", "-d", "-s", name, "-x", "\(width)",
                                                           "-y", "\(height)", shellCommand])
        #expect(result.status == 0, "tmux did not start: \(result.errors)")
    }

    func send(_ keys: String...) throws {
        try CairnBinary.exec("/usr/bin/env", ["tmux", "send-keys", "-t", name] + keys)
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
        Issue.record("Timed out waiting for \"\(text)\". The screen showed:\n\(last)")
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
