import CairnApp
import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import Testing

/// A file received from another school sits at the top of the Queue pane, above every concern,
/// until someone reviews it: Enter opens the pupil's file, r marks it reviewed with a note.
@Suite struct TransferQueueTests {
    static let upn = UPN.make(la: 998, establishment: 7002, year: 14, serial: 31)

    /// A small file as another product could write it (TRANSFER-FORMAT.md): a concern closed as
    /// unfounded and an amended note, from Elmfield Academy.
    static let json = """
        {"format":"cairn-transfer","version":1,"bundle_id":"6F9619FF-8B86-D011-B42D-00C04FC964FF",
         "created_at":"2026-11-20T15:00:00.000Z","sending_school":"Elmfield Academy",
         "receiving_school":"\(DemoSchool.schoolName)",
         "sent_by":{"name":"Jo Bloggs","role":"dsl","school":"Elmfield Academy"},
         "receipt_key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
         "pupil":{"upn":"\(upn.value)","legal_forename":"Rowan","legal_surname":"Pike","preferred_forename":null,
                  "date_of_birth":"2014-06-09","year_group":7,"form":"7E",
                  "flags":[{"kind":"child_in_need","start":"2026-09-01T00:00:00.000Z"}]},
         "entries":[
           {"id":1,"kind":"concern","occurred_at":"2026-10-05T08:40:00.000Z","recorded_at":"2026-10-05T09:02:00.000Z",
            "author":{"name":"Tom Amos","role":"staff","school":"Elmfield Academy"},"summary":"neglect: No coat again.",
            "details":[],"nature":"seen","significant":false,"restricted":false,"concern":1,"amendments":[],"disputes":[]},
           {"id":2,"kind":"note","occurred_at":"2026-10-12T12:00:00.000Z","recorded_at":"2026-10-12T12:10:00.000Z",
            "author":{"name":"Jo Bloggs","role":"dsl","school":"Elmfield Academy"},"summary":"Seemed withdrawn.",
            "body":"Seemed withdrawn.","details":[],"nature":"opinion","significant":true,"restricted":false,
            "amendments":[{"previous_text":"Seemed withdrawn.","new_text":"Seemed quiet.","reason":"Kinder, and accurate",
                           "by":{"name":"Jo Bloggs","role":"dsl","school":"Elmfield Academy"},"at":"2026-10-13T08:00:00.000Z"}],
            "disputes":[]}],
         "concerns":[{"id":1,"reference":"2026-0042","occurred_at":"2026-10-05T08:40:00.000Z","recorded_at":"2026-10-05T09:02:00.000Z",
                      "urgent":false,"reported_by":{"name":"Tom Amos","role":"staff","school":"Elmfield Academy"},
                      "categories":["neglect"],"accounts":[{"nature":"seen","text":"No coat again."}],"status":"closed",
                      "restricted":false,"decisions":[{"kind":"close","at":"2026-10-06T10:00:00.000Z",
                        "by":{"name":"Jo Bloggs","role":"dsl","school":"Elmfield Academy"},"outcome":"unfounded",
                        "reason":"The coat was in her bag."}]}],
         "actions":[],"referrals":[]}
        """

    /// The demo school with Rowan's file imported, and a dashboard opened after it arrived.
    static func opened(size: Size = Size(width: 80, height: 24)) throws -> (DashboardFixture, Dashboard) {
        let fixture = try DashboardFixture(size: size)
        let file = try TransferJSON.decode(Data(json.utf8))
        _ = try fixture.store.importTransfer(actor: fixture.actor, file, digest: String(repeating: "ab", count: 32),
                                             receiptCode: "ABCD-EFGH-JKMN-PQRS")
        let dashboard = try Dashboard(store: fixture.store, actor: fixture.actor, clock: fixture.clock,
                                      exportDirectory: fixture.exportDirectory)
        _ = dashboard.start(size: size)
        return (fixture, dashboard)
    }

    @Test(arguments: ScreenSize.allCases)
    func theFileIsTheFirstRowOfTheQueue(_ screen: ScreenSize) throws {
        let (_, dashboard) = try Self.opened(size: screen.size)
        #expect(dashboard.state.queue.reviews.count == 1)
        #expect(dashboard.state.queue.selectedReview?.fromSchool == "Elmfield Academy")
        let frame = dashboard.render()
        let rows = frame.text.split(separator: "\n")
        #expect(rows[2].contains("FILE") && rows[2].contains("Rowan Pike Y7") && rows[2].contains("E. Academy"))
        #expect(rows[2].contains("to review: 2"))
        #expect(rows[0].contains("Incoming queue (20 open · 1 file to revie"))
        Snapshot.check(frame, named: "dsl-queue-transferred-file-\(screen.rawValue)")
    }

    @Test func aFileArrivingWhileTheQueueIsOpenAppearsAboveTheConcerns() throws {
        let fixture = try DashboardFixture()
        let concern = try #require(fixture.state.queue.selectedItem)
        let file = try TransferJSON.decode(Data(Self.json.utf8))
        _ = try fixture.store.importTransfer(actor: fixture.actor, file, digest: String(repeating: "cd", count: 32),
                                             receiptCode: "ABCD-EFGH-JKMN-PQRS")
        fixture.clock.advance(by: 3)
        #expect(fixture.dashboard.tick())
        #expect(fixture.state.queue.reviews.count == 1)
        #expect(fixture.state.queue.selectedItem?.id == concern.id, "the selection stays on the concern being read")
        fixture.press(.char("g"))
        #expect(fixture.state.queue.selectedReview != nil)
    }

    @Test func enterOpensTheFileAndRMarksItReviewed() throws {
        let (fixture, dashboard) = try Self.opened()
        func press(_ keys: Key...) -> String {
            for key in keys { dashboard.handle(key) }
            return dashboard.render().text
        }
        _ = press(.char("t"))
        #expect(dashboard.state.notice?.text == "A file from another school: Enter opens it, r marks it reviewed.")
        #expect(dashboard.state.overlay == nil)
        var screen = press(.enter)
        #expect(dashboard.state.pane == .chronology)
        #expect(screen.contains("Rowan Pike"))
        #expect(dashboard.state.chronology?.rows.map(\.authorName) == ["Sam Carter", "Jo Bloggs (Elmfield Academy)",
                                                                        "Tom Amos (Elmfield Academy)"],
                "imported entries name their author there")
        #expect(screen.contains("Seemed quiet."), "the amended text")
        screen = press(.escape)
        #expect(dashboard.state.pane == .queue)

        screen = press(.char("r"))
        #expect(screen.contains("Review the file from Elmfield Academy for Rowan Pike (Y7)"))
        screen = press(.ctrl("s"))
        #expect(screen.contains("! Say what you found in the file"))
        for character in "Read in full; CIN continues." { dashboard.handle(.char(character)) }
        screen = press(.ctrl("s"))
        #expect(screen.contains("Marked reviewed: the received file has left the queue."))
        #expect(dashboard.state.queue.reviews.isEmpty)
        #expect(!screen.contains("file to review"))
        #expect(try fixture.store.transfersToReview(actor: fixture.actor).isEmpty)

        // r on a concern says what r is for, and does nothing else.
        _ = press(.char("r"))
        #expect(dashboard.state.notice?.text == "r marks a file from another school reviewed; this is a concern.")
        #expect(dashboard.state.overlay == nil)
    }

    @Test func privacyModeShowsThePupilByInitials() throws {
        let (_, dashboard) = try Self.opened()
        dashboard.handle(.char("p"))
        let text = dashboard.render().text
        #expect(text.contains("R.P. Y7"))
        #expect(!text.contains("Rowan"))
    }
}
