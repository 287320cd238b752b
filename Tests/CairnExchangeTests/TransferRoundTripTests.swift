import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import GRDB
import Testing

/// A pupil's whole file goes from one database file to another and on again, and nothing in it
/// is lost or changed: each record compared field by field.
@Suite struct TransferRoundTripTests {
    @Test func everyFieldAndLabelSurvivesTheJourneyAndTheNextOne() throws {
        let world = try TransferWorld()
        try world.buildFile()
        let (bytes, sent, file) = try world.send()
        #expect(sent.entries == file.entries.count)

        // What the sender put in the file, before looking at what arrived.
        #expect(file.sendingSchool == "Elmfield Academy" && file.receivingSchool == "Oakfield School")
        #expect(file.pupil.flags.map(\.kind) == [.youngCarer, .childInNeed])
        #expect(file.pupil.flags[0].end == UKDate.parseDate("20/11/2025"))
        let unfounded = try #require(file.concerns.first { $0.status == .closed })
        #expect(unfounded.decisions.map(\.kind) == [.triage, .close])
        #expect(unfounded.decisions.last?.outcome == .unfounded)
        #expect(unfounded.paperOriginal?.writtenBy == "Mr T. Amos (paper form)")
        #expect(unfounded.paperOriginal?.verifiedBy?.name == "Sam Hart")
        #expect(unfounded.accounts == [Account(nature: .seen, text: "No coat again.\nSaid the heating is off at home.")])
        let restricted = try #require(file.concerns.first { $0.restricted })
        #expect(restricted.urgent && restricted.level == .statutory)
        let ofRestricted = file.entries.filter { $0.concern == restricted.id }
        #expect(!ofRestricted.isEmpty && ofRestricted.allSatisfy { $0.restricted }, "an entry of a restricted concern travels restricted")
        let note = try #require(file.entries.first { $0.kind == .note })
        #expect(note.nature == .opinion && note.significant)
        #expect(note.amendments.map(\.reason) == ["It was form time, not tutor time", "Lunch staff corrected me"])
        #expect(note.amendments.map(\.by.name) == ["Sam Hart", "Jo Bloggs"])
        #expect(note.disputes.map(\.madeBy) == ["Mother"])
        let referred = try #require(file.referrals.first { $0.outcome == .referred })
        #expect(referred.consent == .notSought && referred.consentReason == "Telling the family could put her at risk.")
        #expect(referred.decision == "Strategy discussion held; section 47 enquiry.")
        #expect(file.referrals.contains { $0.outcome == .notReferred && $0.consent == nil })
        #expect(file.actions.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.done, .open])

        let received = try world.receive(bytes)
        #expect(received.createdPupil)
        #expect(received.entries == file.entries.count)

        // Oakfield sends it on: what leaves is what came, record by record.
        let onward = try world.send(to: "Northgate College", from: world.receiver, by: world.receiverDSL).file
        #expect(onward.sendingSchool == "Oakfield School")
        #expect(onward.pupil == file.pupil)
        #expect(onward.concerns.count == file.concerns.count)
        for (arrived, original) in zip(onward.concerns, file.concerns) { #expect(arrived == original) }
        #expect(onward.actions == file.actions)
        #expect(onward.referrals == file.referrals)
        let carried = onward.entries.filter { $0.author.school == "Elmfield Academy" }
        #expect(carried.count == file.entries.count)
        for (arrived, original) in zip(carried, file.entries) {
            #expect(arrived == original, "entry \(original.id), \(original.kind.rawValue): \(original.summary)")
        }
        let ownEntries = onward.entries.filter { $0.author.school == "Oakfield School" }
        #expect(ownEntries.map(\.kind) == [.transfer], "Oakfield adds only the note that the file arrived")
        #expect(ownEntries.first?.summary.hasPrefix("File received from Elmfield Academy, sent 02/03/2026 by Jo Bloggs") == true)
    }

    @Test func theReceivingSchoolReadsEachEntryWithWhereItCameFrom() throws {
        let world = try TransferWorld()
        try world.buildFile()
        let (bytes, _, file) = try world.send()
        try world.receive(bytes)
        let pupil = try world.pupil(in: world.receiver)
        let rows = try world.receiver.chronology(actor: world.receiverDSL, pupil: pupil, order: .oldestFirst, limit: 1000)
        #expect(rows.count == file.entries.count + 1)
        let noteRow = try #require(rows.first { $0.entry.kind == .note })
        #expect(noteRow.authorName == "Jo Bloggs (Elmfield Academy)")
        #expect(noteRow.amended)
        #expect(noteRow.entry.summary == "Seemed withdrawn in form time.", "the chronology shows the amended text")
        #expect(noteRow.entry.nature == .opinion && noteRow.entry.significant)

        let note = try world.receiver.entry(actor: world.receiverDSL, id: noteRow.entry.id)
        let recorded = try #require(file.entries.first { $0.kind == .note }).recordedAt
        #expect(note.fields.first == EntryField(label: "Transferred", value:
            "from Elmfield Academy, recorded \(UKDate.date(recorded)) by Jo Bloggs (DSL), imported 02/03/2026"))
        #expect(note.recordedAt == recorded && note.row.entry.occurredAt == file.entries.first { $0.kind == .note }?.occurredAt)
        #expect(note.amendments.map(\.byName) == ["Sam Hart (Elmfield Academy)", "Jo Bloggs (Elmfield Academy)"])
        #expect(note.body == "Seemed withdrawn in form time.\nAte half her lunch.")

        let closure = try #require(rows.first { $0.entry.kind == .closure })
        let closed = try world.receiver.entry(actor: world.receiverDSL, id: closure.entry.id)
        #expect(closed.fields.contains { $0.label == "Outcome" && $0.value.hasPrefix("Unfounded – The boiler had broken; fixed now.") })
        #expect(closed.fields.contains(EntryField(label: "Seen by reporter", value: "No coat again.\nSaid the heating is off at home.")))
        #expect(closed.fields.contains { $0.label == "Paper original" && $0.value.contains("verified by Sam Hart") })

        // Restricted entries stay with the safeguarding team: a pastoral lead for Year 8 does not see them.
        let pastoralRows = try world.receiver.chronology(actor: world.receiverPastoral, pupil: pupil, limit: 1000)
        #expect(pastoralRows.count == rows.count - file.entries.filter(\.restricted).count)
        #expect(!pastoralRows.contains { $0.entry.restricted })

        let header = try world.receiver.pupilHeader(actor: world.receiverDSL, pupil: pupil)
        #expect(header.flags.map(\.kind) == [.childInNeed, .youngCarer])
        #expect(header.name == "Elly Thorne" && header.form == "8TH")
    }

    @Test func aPupilAlreadyOnRollKeepsTheirDetailsAndGainsTheFile() throws {
        let world = try TransferWorld(receiverHasPupil: true)
        try world.buildFile()
        let (bytes, _, _) = try world.send()
        let received = try world.receive(bytes)
        #expect(!received.createdPupil)
        let header = try world.receiver.pupilHeader(actor: world.receiverDSL, pupil: world.pupil(in: world.receiver))
        #expect(header.form == "8OK", "the receiving school's roster stands")
    }

    @Test func theJSONReadsBackAsItWasWritten() throws {
        let world = try TransferWorld()
        try world.buildFile()
        let file = try world.send().file
        let data = try TransferJSON.encode(file)
        #expect(try TransferJSON.decode(data) == file)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"format\":\"cairn-transfer\""))
        #expect(text.contains("\"outcome\":\"unfounded\""))
        #expect(text.contains("\"date_of_birth\":\"2012-11-02\""))
        #expect(text.contains("\"created_at\":\"2026-03-02T08:30:00.000Z\""))
    }

    @Test func timesAreUTCToTheMillisecondAndNothingElse() {
        let moment = Date(timeIntervalSince1970: 1_741_770_900.123)
        #expect(TransferJSON.timestamp(moment) == "2025-03-12T09:15:00.123Z")
        #expect(TransferJSON.parseTimestamp("2025-03-12T09:15:00.123Z") == moment)
        for bad in ["2025-03-12T09:15:00Z", "2025-03-12 09:15:00.123Z", "2025-02-30T09:15:00.000Z", "2025-03-12T24:00:00.000Z",
                    "2025-03-12T09:15:00.123+01:00", "2025-03-12T09:15:00.12xZ"] {
            #expect(TransferJSON.parseTimestamp(bad) == nil, "\(bad)")
        }
    }
}
