import CairnApp
import CairnDomain
import CairnStore
import Foundation
import GRDB
import Testing

/// What ends or hides a session without the user asking: the idle lock and exit, a disabled
/// account, a broken audit chain. Driven by a test clock, as the terminal's tick would drive them.
@Suite struct SessionGuardTests {
    @Test func idleLockShowsOnlyLockedAndTheName() throws {
        let fixture = try DashboardFixture()
        let named = try #require(fixture.state.queue.items.first?.pupils.first?.name)
        #expect(fixture.text.contains(named))
        fixture.clock.advance(by: 4 * 60 + 59)
        fixture.tick()
        #expect(fixture.state.lock == nil, "not locked before five minutes")
        fixture.clock.advance(by: 2)
        fixture.tick()
        #expect(fixture.state.lock != nil)
        let words = Set(fixture.text.split(whereSeparator: \.isWhitespace).map(String.init))
        #expect(fixture.text.contains("Locked") && fixture.text.contains(fixture.actor.displayName))
        #expect(!fixture.text.contains(named), "a pupil's name on the locked screen")
        #expect(!words.contains("URGENT") && !words.contains("Queue"), "record content on the locked screen")
        // Keys do not reach the dashboard underneath.
        fixture.press(.char("2"), .char("l"))
        #expect(fixture.state.pane == .queue && fixture.state.overlay == nil)
    }

    @Test func withoutAPassphraseALockedSessionCanOnlyClose() throws {
        let fixture = try DashboardFixture()
        fixture.clock.advance(by: 5 * 60)
        fixture.tick()
        #expect(fixture.text.contains("No passphrase is set, so this session can only be closed: press q."))
        fixture.press(.enter, .char("x"))
        #expect(fixture.state.lock != nil && !fixture.dashboard.isFinished)
        fixture.press(.char("q"))
        #expect(fixture.dashboard.isFinished)
    }

    @Test func thePassphraseUnlocksAndWrongOnesAreCounted() throws {
        let fixture = try DashboardFixture()
        try fixture.store.setPassphrase(actor: fixture.actor, "correct horse battery")
        fixture.clock.advance(by: 5 * 60)
        fixture.tick()
        fixture.type("wrong guess")
        #expect(fixture.text.contains("Passphrase: •••••••••••"))
        #expect(!fixture.text.contains("wrong guess"), "the passphrase is never shown")
        fixture.press(.enter)
        #expect(fixture.state.lock?.problem == "That passphrase is not right (4 more tries).")
        fixture.type("correct horse battery")
        fixture.press(.enter)
        #expect(fixture.state.lock == nil)
        #expect(fixture.text.contains("Incoming queue"))
        // The idle time starts again from the last key.
        fixture.clock.advance(by: 4 * 60)
        fixture.tick()
        #expect(fixture.state.lock == nil)
    }

    @Test func fiveWrongPassphrasesCloseCairn() throws {
        let fixture = try DashboardFixture()
        try fixture.store.setPassphrase(actor: fixture.actor, "correct horse battery")
        fixture.clock.advance(by: 5 * 60)
        fixture.tick()
        for attempt in 1...LockState.attempts {
            fixture.type("guess \(attempt)")
            fixture.press(.enter)
        }
        #expect(fixture.dashboard.isFinished)
        #expect(fixture.dashboard.farewell == "Cairn closed after 5 wrong passphrases.")
    }

    @Test func idleExitClosesCairnWithAReason() throws {
        let fixture = try DashboardFixture()
        fixture.clock.advance(by: 30 * 60)
        fixture.tick()
        #expect(fixture.dashboard.isFinished)
        #expect(fixture.dashboard.farewell == "Cairn closed after 30 minutes without a key.")
    }

    @Test func aDisabledUsersOpenSessionEndsOnTheNextTick() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        fixture.clock.advance(by: 3)
        fixture.tick()
        #expect(!fixture.dashboard.isFinished)
        let dsl = try #require(try fixture.store.staff(username: "demo.dsl"))
        try fixture.store.disableStaff(actor: dsl, username: "demo.pastoral", reason: "Left the school")
        fixture.clock.advance(by: 3)
        fixture.tick()
        #expect(fixture.dashboard.isFinished)
        #expect(fixture.dashboard.farewell == "Your Cairn account has been disabled, so this session has ended.")
    }

    @Test func aBrokenAuditChainIsShownInEverySessionUntilADSLAcknowledgesIt() throws {
        let fixture = try DashboardFixture(as: "demo.deputy")
        #expect(fixture.state.auditBreak == nil)
        // An attacker with the file edits an old event (the trigger that forbids it dropped first).
        try DatabaseQueue(path: fixture.path).write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_detail_only_redacted")
            try db.execute(sql: "UPDATE audit_events SET detail = 'nothing to see' WHERE seq = (SELECT max(seq) FROM audit_events)")
        }
        let dsl = try #require(try fixture.store.staff(username: "demo.dsl"))
        let dslDashboard = try Dashboard(store: fixture.store, actor: dsl, clock: fixture.clock)
        let dslFrame = dslDashboard.start(size: Size(width: 80, height: 24))
        let broken = try #require(dslDashboard.state.auditBreak)
        #expect(dslFrame.text.contains("AUDIT LOG BROKEN at event \(broken.sequence)"))
        #expect(dslFrame.text.contains("! acknowledges it"))

        // The deputy's session, already open, learns of it on its next poll, and may not acknowledge.
        fixture.clock.advance(by: 3)
        fixture.tick()
        #expect(fixture.text.contains("AUDIT LOG BROKEN at event \(broken.sequence) (tell the DSL)"))
        fixture.press(.char("!"))
        #expect(fixture.noticeLine.contains("cannot do that"))

        dslDashboard.handle(.char("!"))
        #expect(dslDashboard.state.auditBreak == nil)
        #expect(dslDashboard.render().text.contains("Acknowledged the break at audit event \(broken.sequence)"))
        let events = try fixture.store.recentAuditEvents(limit: 5)
        #expect(events.contains { $0.operation == .acknowledgeAudit && $0.actor == "demo.dsl" }, "the acknowledgement is audited")
        fixture.clock.advance(by: 3)
        fixture.tick()
        #expect(fixture.state.auditBreak == nil, "gone from every session once acknowledged")
    }
}
