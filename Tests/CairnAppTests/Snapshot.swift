import CairnApp
import Foundation
import Testing

/// Golden screens: a `Frame` as text, compared with `Snapshots/<name>.txt` next to this file.
/// With `CAIRN_RECORD_SNAPSHOTS=1` the goldens are written instead, and the test passes.
enum Snapshot {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static var recording: Bool { ProcessInfo.processInfo.environment["CAIRN_RECORD_SNAPSHOTS"] == "1" }

    static func check(_ frame: Frame, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = frame.text + "\n"
        let file = folder.appendingPathComponent("\(name).txt")
        if recording {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try actual.write(to: file, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("could not write snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("""
                no snapshot \(name).txt; run with CAIRN_RECORD_SNAPSHOTS=1 to record it. Actual screen:
                \(boxed(actual))
                """, sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            Issue.record("""
                screen \(name) differs from Snapshots/\(name).txt (\(firstDifference(expected, actual))). \
                Review, then re-record with CAIRN_RECORD_SNAPSHOTS=1. Actual screen:
                \(boxed(actual))
                """, sourceLocation: sourceLocation)
        }
    }

    /// The frame between rulers so that trailing blanks and the right edge can be seen.
    static func boxed(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        return lines.enumerated().map { String(format: "%02d|", $0.offset) + $0.element }.joined(separator: "\n")
    }

    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(e.count, a.count) {
            let left = index < e.count ? String(e[index]) : "<none>"
            let right = index < a.count ? String(a[index]) : "<none>"
            if left != right { return "first at line \(index): expected \"\(left)\"" }
        }
        return "no line differs"
    }
}

/// The two terminal sizes every screen is checked at: the SSH minimum, and the issue's larger
/// window, where lists sit beside a detail panel.
enum ScreenSize: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case small = "80x24"
    case large = "132x43"

    var size: Size { self == .small ? Size(width: 80, height: 24) : Size(width: 132, height: 43) }
    var testDescription: String { rawValue }
}
