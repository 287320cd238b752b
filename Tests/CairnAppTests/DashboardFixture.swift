import CairnApp
import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import Testing

/// The synthetic demo school at a fixed moment, opened in a `Dashboard` and driven only by keys,
/// as the terminal drives it. All names and UPNs are invented by `DemoSchool`.
///
/// The demo database is made once per test run (a shared file that no test writes to) and copied
/// for each fixture: even reading the queue writes an audit event, so every test writes.
final class DashboardFixture {
    /// Monday 23/11/2026 08:00 in London: a DSL's first look at the queue.
    static let now: Date = UKDate.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 8, minute: 0))!
    static let seed: UInt64 = 2026_11_23
    static let pupilsPerYear = 8

    let directory: URL
    let path: String
    let clock: FixedClock
    let store: CairnStore
    let actor: Staff
    let dashboard: Dashboard
    /// Where `x` writes exports: inside the fixture's own directory, removed with it.
    let exportDirectory: URL
    /// The frame the last `start` or `press` returned.
    private(set) var frame: Frame

    /// Signs in as `username` (the demo DSL unless told) on a private copy of the demo database:
    /// "demo.dsl" (Sam Carter), "demo.deputy", "demo.pastoral" (Tom Hughes, Years 7–9),
    /// "demo.staff" (Jo Bennett), "demo.admin", "demo.auditor".
    init(as username: String = "demo.dsl", size: Size = Size(width: 80, height: 24)) throws {
        let shared = try SharedDemo.database.get()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("demo.sqlite").path
        try FileManager.default.copyItem(atPath: shared.path, toPath: path)
        if FileManager.default.fileExists(atPath: shared.path + "-wal") {
            try FileManager.default.copyItem(atPath: shared.path + "-wal", toPath: path + "-wal")
        }
        clock = FixedClock(Self.now)
        store = try CairnStore.open(path: path, clock: clock)
        actor = try #require(try store.staff(username: username), "no demo staff member \(username)")
        exportDirectory = directory.appendingPathComponent("exports", isDirectory: true)
        dashboard = try Dashboard(store: store, actor: actor, clock: clock, exportDirectory: exportDirectory)
        frame = dashboard.start(size: size)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    var state: AppState { dashboard.state }
    var text: String { frame.text }

    /// Presses keys in order, as the terminal would deliver them; returns the last frame.
    @discardableResult
    func press(_ keys: Key...) -> Frame {
        press(keys)
    }

    /// Searches the finder asks for run in the background: each key waits for them, so a test sees
    /// what a person would once the answer is in, whatever the timing.
    @discardableResult
    func press(_ keys: [Key]) -> Frame {
        for key in keys {
            dashboard.handle(key)
            dashboard.waitForBackgroundWork()
        }
        frame = dashboard.render()
        return frame
    }

    /// Lets typing in the finder pause for a second: its search runs, and its answer is shown.
    @discardableResult
    func pause() -> Frame {
        clock.advance(by: 1)
        _ = dashboard.tick()
        dashboard.waitForBackgroundWork()
        return press([])
    }

    /// Types text into whatever field has the focus.
    @discardableResult
    func type(_ text: String) -> Frame {
        press(text.map { Key.char($0) })
    }

    /// Moves the queue selection down with `j` until `matches` holds for the selected row.
    func selectRow(where matches: (QueueItem) -> Bool) throws {
        for _ in 0..<state.queue.items.count {
            if let item = state.queue.selectedItem, matches(item) { return }
            press(.char("j"))
        }
        let item = try #require(state.queue.selectedItem)
        try #require(matches(item), "no queue row matches")
    }

    /// Opens concerns one by one from the selected row until `matches` holds for the detail shown.
    func openConcern(where matches: (ConcernDetail) -> Bool) throws {
        for _ in 0..<state.queue.items.count {
            press(.enter)
            if let detail = state.detail?.detail, matches(detail) { return }
            press(.escape, .char("j"))
        }
        Issue.record("no concern in the queue matches")
    }
}

/// The demo database made once per test run; Swift makes a `static let` exactly once, thread-safely.
struct SharedDemo: Sendable {
    let path: String
    /// How long `DemoSchool.create` took, for the record.
    let seconds: Double
    let concerns: Int

    static let database: Result<SharedDemo, any Error> = Result {
        removeStaleCopies()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-app-shared-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("demo.sqlite").path
        let started = Date()
        let concerns = try DemoSchool.create(path: path, seed: DashboardFixture.seed, now: DashboardFixture.now,
                                             pupilsPerYear: DashboardFixture.pupilsPerYear)
        return SharedDemo(path: path, seconds: Date().timeIntervalSince(started), concerns: concerns)
    }

    /// Nothing deletes the shared file at the end of a run, so each run clears those left by runs
    /// more than an hour old (never one that may still be in use by a parallel run).
    private static func removeStaleCopies() {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix("cairn-app-shared-") {
            let url = temporary.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
            if let modified, modified < Date().addingTimeInterval(-3600) {
                try? FileManager.default.removeItem(at: url)
            }
        }
    }
}
