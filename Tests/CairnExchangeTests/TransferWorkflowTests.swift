import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import GRDB
import Testing

/// The transfer as the two schools live it: the sender's chronology and action, the file at the
/// top of the receiver's queue until reviewed, the receipt code read back, and who may do any of it.
@Suite struct TransferWorkflowTests {
    @Test func sendingRecordsItInTheChronologyAndSetsAnActionToConfirmReceipt() throws {
        let world = try TransferWorld()
        let (_, sent, file) = try world.send()
        #expect(sent.confirmBy == UKDate.parseDate("09/03/2026"), "five school days after Monday 2 March")
        let pupil = try world.pupil(in: world.sender)
        let rows = try world.sender.chronology(actor: world.dsl, pupil: pupil, limit: 10)
        let entry = try #require(rows.first { $0.entry.kind == .transfer })
        #expect(entry.entry.summary == "File transferred to Oakfield School on 02/03/2026 by Jo Bloggs, digest "
            + CairnStore.groupedDigest(String(sent.digest.prefix(16))) + "…")
        #expect(entry.entry.significant)
        let detail = try world.sender.entry(actor: world.dsl, id: entry.entry.id)
        #expect(detail.fields.contains(EntryField(label: "Digest (SHA-256)", value: CairnStore.groupedDigest(sent.digest))))

        let actions = try world.sender.actions(actor: world.dsl, view: .mine, limit: 10)
        let action = try #require(actions.first { $0.action.id == sent.actionID })
        #expect(action.action.description == "Confirm receipt of the transferred file by Oakfield School")
        #expect(action.action.owner == world.dsl.username && action.action.status == .open)
        #expect(action.action.due == UKDate.parseDate("09/03/2026"))
        #expect(file.entries.allSatisfy { $0.kind != .transfer }, "the file does not carry the note of its own sending")

        let event = try #require(try world.sender.recentAuditEvents(limit: 5).first { $0.operation == .transfer })
        #expect(event.detail == "sent file to Oakfield School: 0 entries, digest \(sent.digest)")
    }

    @Test func theReceivedFileWaitsAtTheTopOfTheQueueUntilReviewed() throws {
        let world = try TransferWorld()
        try world.buildFile()
        let (bytes, _, file) = try world.send()
        let received = try world.receive(bytes)
        let reviews = try world.receiver.transfersToReview(actor: world.receiverDSL)
        #expect(reviews.count == 1)
        let review = try #require(reviews.first)
        #expect(review.fromSchool == "Elmfield Academy" && review.sentByName == "Jo Bloggs")
        #expect(review.entries == file.entries.count && review.pupil.name == "Elly Thorne")
        #expect(review.firstDate == file.entries.map(\.occurredAt).min() && review.lastDate == file.entries.map(\.occurredAt).max())
        #expect(try world.receiver.transfersToReview(actor: world.receiverDeputy).count == 1, "the deputy sees it too")

        do {
            try world.receiver.reviewTransfer(actor: world.receiverDSL, id: review.id, note: "  ")
            Issue.record("reviewed without a note")
        } catch StoreError.invalid(let problems) {
            #expect(problems.map(\.field) == ["note"])
        }
        try world.receiver.reviewTransfer(actor: world.receiverDeputy, id: review.id, note: "Read in full; CIN plan continues here.")
        #expect(try world.receiver.transfersToReview(actor: world.receiverDSL).isEmpty)
        let rows = try world.receiver.chronology(actor: world.receiverDSL, pupil: received.pupil, limit: 3)
        #expect(rows.first?.entry.summary == "Transferred file from Elmfield Academy reviewed by Dev Ng: Read in full; CIN plan continues here.")
        do {
            try world.receiver.reviewTransfer(actor: world.receiverDSL, id: review.id, note: "Again")
            Issue.record("reviewed twice")
        } catch StoreError.invalid(let problems) {
            #expect(problems.first?.message == "This file was already reviewed, on 02/03/2026")
        }
    }

    @Test func theReceiptCodeClosesTheSendersActionAndAWrongOneChangesNothing() throws {
        let world = try TransferWorld()
        let (bytes, sent, _) = try world.send()
        let opened = try TransferBundle.open(bytes, passphrase: TransferWorld.passphrase)
        try world.receive(bytes)
        #expect(opened.receiptCode.count == 19 && opened.receiptCode.split(separator: "-").count == 4)
        let pupil = try world.pupil(in: world.sender)

        let before = try world.contents(world.senderPath)
        var wrong = Array(opened.receiptCode)
        wrong[0] = wrong[0] == "A" ? "B" : "A"
        do {
            try world.sender.confirmTransferReceipt(actor: world.dsl, pupil: pupil, code: String(wrong))
            Issue.record("a wrong code was accepted")
        } catch StoreError.invalid(let problems) {
            #expect(problems.first?.message.hasPrefix("does not match the file sent to Oakfield School on 02/03/2026") == true)
        }
        #expect(try world.contents(world.senderPath) == before)

        // Read over the telephone: lower case, spaces, an O for a nought.
        let spoken = opened.receiptCode.lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "0", with: "o")
        world.clock.advance(by: 86_400)
        #expect(try world.sender.confirmTransferReceipt(actor: world.dsl, pupil: pupil, code: spoken) == "Oakfield School")
        let action = try world.raw(world.senderPath) { db in
            try Row.fetchOne(db, sql: "SELECT status, outcome FROM actions WHERE id = ?", arguments: [sent.actionID])
        }
        #expect(action?["status"] as String? == "done")
        #expect(action?["outcome"] as String? == "receipt confirmed by Oakfield School")
        do {
            try world.sender.confirmTransferReceipt(actor: world.dsl, pupil: pupil, code: opened.receiptCode)
            Issue.record("confirmed twice")
        } catch StoreError.invalid(let problems) {
            #expect(problems.first?.message == "no transfer of this pupil's file is waiting for a receipt")
        }
        #expect(throws: StoreError.self) { try world.sender.confirmTransferReceipt(actor: world.dsl, pupil: pupil, code: "not a code") }
    }

    @Test func onlyTheSafeguardingTeamMayTransferAndEachRefusalIsAudited() throws {
        let world = try TransferWorld()
        let pupil = try world.pupil(in: world.sender)
        for actor in [world.pastoral, world.teacher] {
            let before = try world.contents(world.senderPath, leavingOut: ["audit_events"])
            #expect(throws: AccessDenied.self) {
                _ = try world.sender.transferOut(actor: actor, pupil: pupil, to: "Oakfield School") { _ in
                    Issue.record("sealed for \(actor.role)")
                    return TransferSeal(digest: "", receiptCode: "")
                }
            }
            #expect(try world.contents(world.senderPath, leavingOut: ["audit_events"]) == before)
            let event = try #require(try world.sender.recentAuditEvents(limit: 1).first)
            #expect(event.actor == actor.username && event.operation == .transfer && event.detail.hasPrefix("refused:"))
            #expect(throws: AccessDenied.self) { try world.sender.requireTransferAccess(actor: actor) }
            #expect(throws: AccessDenied.self) { try world.sender.confirmTransferReceipt(actor: actor, pupil: pupil, code: "AAAA-BBBB-CCCC-DDDD") }
        }

        let bytes = try world.send().bytes
        let opened = try TransferBundle.open(bytes, passphrase: TransferWorld.passphrase)
        let before = try world.contents(world.receiverPath, leavingOut: ["audit_events"])
        #expect(throws: AccessDenied.self) {
            try world.receiver.importTransfer(actor: world.receiverPastoral, opened.file, digest: opened.digest,
                                              receiptCode: opened.receiptCode)
        }
        #expect(throws: AccessDenied.self) {
            try world.receiver.previewTransfer(actor: world.receiverPastoral, opened.file, digest: opened.digest)
        }
        #expect(try world.contents(world.receiverPath, leavingOut: ["audit_events"]) == before)
        try world.receive(bytes)
        #expect(throws: AccessDenied.self) { try world.receiver.transfersToReview(actor: world.receiverPastoral) }
        let review = try #require(try world.receiver.transfersToReview(actor: world.receiverDSL).first)
        #expect(throws: AccessDenied.self) { try world.receiver.reviewTransfer(actor: world.receiverPastoral, id: review.id, note: "Seen") }
    }

    @Test func transferRowsAreNeverEditedOrDeleted() throws {
        let world = try TransferWorld()
        try world.buildFile()
        let bytes = try world.send().bytes
        try world.receive(bytes)
        let migrations = try world.raw(world.receiverPath) { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations.contains("v9-transfer"))
        let sender = [("UPDATE transfers_out SET digest = 'x'", "a transfer is never edited in place"),
                      ("DELETE FROM transfers_out", "transfers are removed only by retention purge"),
                      ("UPDATE transfers_out SET confirmed_at = 1", nil),
                      ("UPDATE transfers_out SET confirmed_at = 2", "a transfer is confirmed once")]
        let receiver = [("UPDATE transfers_in SET from_school = 'x'", "a transfer is never edited in place"),
                        ("UPDATE transfer_records SET record = '{}'", "transferred records are never edited in place"),
                        ("DELETE FROM transferred_entries", "transferred entries are removed only by retention purge"),
                        ("UPDATE transferred_people SET name = 'x'", "transferred names are never edited in place"),
                        ("UPDATE transfers_in SET reviewed_at = 1", nil),
                        ("UPDATE transfers_in SET review_note = 'x'", "a transferred file is reviewed once")]
        for (path, statements) in [(world.senderPath, sender), (world.receiverPath, receiver)] {
            for (sql, refusal) in statements {
                do {
                    try world.raw(path) { db in try db.execute(sql: sql) }
                    #expect(refusal == nil, "\(sql) was allowed")
                } catch let error as DatabaseError {
                    #expect(error.message == refusal, "\(sql)")
                }
            }
        }
    }

    @Test func theBundleIsWrittenForItsOwnerOnlyAndNeverOverAnotherFile() throws {
        let world = try TransferWorld()
        let path = world.directory.appendingPathComponent("elly.cairn-transfer").path
        let bytes = try world.send().bytes
        try TransferBundle.write(bytes, to: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(throws: TransferFileError.self) { try TransferBundle.write(Data("other".utf8), to: path) }
        #expect(try TransferBundle.read(path: path) == bytes)
    }
}
