import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import GRDB
import Testing

/// Two schools with a database file each, for transfers between them: Elmfield Academy sends,
/// Oakfield School receives. Elly Thorne's file at Elmfield holds one of everything a file can
/// hold. All names are invented.
final class TransferWorld {
    let directory: URL
    let clock: FixedClock
    let sender: CairnStore
    let receiver: CairnStore
    let senderPath: String
    let receiverPath: String

    let dsl = Staff(username: "dsl.bloggs", displayName: "Jo Bloggs", role: .dsl, school: SchoolID(rawValue: 1))
    let deputy = Staff(username: "deputy.hart", displayName: "Sam Hart", role: .deputy, school: SchoolID(rawValue: 1))
    let pastoral = Staff(username: "hoy.reed", displayName: "Kit Reed", role: .pastoral, years: [.year7, .year8, .year9],
                         school: SchoolID(rawValue: 1))
    let teacher = Staff(username: "t.amos", displayName: "Tom Amos", role: .staff, school: SchoolID(rawValue: 1))
    let receiverDSL = Staff(username: "dsl.okafor", displayName: "Ada Okafor", role: .dsl, school: SchoolID(rawValue: 1))
    let receiverPastoral = Staff(username: "hoy.lane", displayName: "Bea Lane", role: .pastoral, years: [.year8],
                                 school: SchoolID(rawValue: 1))
    let receiverDeputy = Staff(username: "deputy.ng", displayName: "Dev Ng", role: .deputy, school: SchoolID(rawValue: 1))

    let upn = UPN.make(la: 999, establishment: 4001, year: 12, serial: 7)
    static let passphrase = "kettle orchard lantern 42"
    /// The cheapest cost a reader accepts, so that tests do not wait on scrypt.
    static let cost = TransferEnvelope.Cost(logN: 14, r: 8, p: 1)
    /// Monday 2 March 2026, 08:30 in London.
    static let start = Date(timeIntervalSince1970: 1_772_440_200)

    init(receiverHasPupil: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-transfer-\(UUID().uuidString)")
        senderPath = directory.appendingPathComponent("elmfield.sqlite").path
        receiverPath = directory.appendingPathComponent("oakfield.sqlite").path
        clock = FixedClock(Self.start)
        sender = try CairnStore.create(path: senderPath, clock: clock)
        receiver = try CairnStore.create(path: receiverPath, clock: clock)
        _ = try sender.bootstrap(school: "Elmfield Academy", dsl: dsl)
        for member in [deputy, pastoral, teacher] { try sender.addStaff(actor: dsl, member) }
        _ = try receiver.bootstrap(school: "Oakfield School", dsl: receiverDSL)
        for member in [receiverPastoral, receiverDeputy] { try receiver.addStaff(actor: receiverDSL, member) }
        _ = try sender.importPupils(actor: dsl, [pupilRow()])
        if receiverHasPupil {
            var row = pupilRow()
            row.form = "8OK"
            _ = try receiver.importPupils(actor: receiverDSL, [row])
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func pupilRow() -> PupilRow {
        PupilRow(upn: upn, legalForename: "Ellis", legalSurname: "Thorne", preferredForename: "Elly",
                 dateOfBirth: UKDate.parseDate("02/11/2012")!, yearGroup: .year8, form: "8TH")
    }

    func pupil(in store: CairnStore) throws -> PupilID { try #require(try store.pupilID(upn: upn)) }

    /// One of everything: flags started and ended, a concern closed as unfounded and typed up
    /// from paper, a restricted concern, an amended note a parent disputes, a contact, a meeting,
    /// a referral with its decision and one not made, and actions done and open.
    func buildFile() throws {
        let pupil = try pupil(in: sender)
        let day = 86_400.0
        clock.set(Self.start.addingTimeInterval(-90 * day))
        try sender.setFlag(actor: dsl, pupil: pupil, kind: .youngCarer, start: UKDate.parseDate("01/09/2025")!)
        try sender.endFlag(actor: dsl, pupil: pupil, kind: .youngCarer, end: UKDate.parseDate("20/11/2025")!)
        try sender.setFlag(actor: dsl, pupil: pupil, kind: .childInNeed, start: UKDate.parseDate("24/11/2025")!)

        clock.advance(by: day)
        let first = try sender.logConcern(actor: teacher, ConcernDraft(
            pupils: [upn], categories: [.neglect, .bullying],
            accounts: [Account(nature: .seen, text: "No coat again.\nSaid the heating is off at home.")],
            childWords: "Mum says we can't put it on.", reporterAction: "Gave her a spare coat; told the DSL.",
            location: "Gate at 08:40", occurredAt: clock.now().addingTimeInterval(-3600)))
        let firstID = try #require(try sender.concernID(reference: first))
        try raw(senderPath) { db in
            try db.execute(sql: """
                INSERT INTO paper_originals (concern_id, written_at, written_by, verified_by, verified_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [firstID.rawValue, Self.millis(clock.now().addingTimeInterval(-3000)), "Mr T. Amos (paper form)",
                                 deputy.username, Self.millis(clock.now().addingTimeInterval(600))])
        }
        clock.advance(by: 3600)
        try sender.triage(actor: dsl, id: firstID, decision: TriageDecision(level: .earlyHelp, caseHolder: deputy.username, restricted: false))
        let action = try sender.addAction(actor: dsl, pupil: pupil, ActionInput(
            description: "Check the heating is back on with mum", owner: deputy.username,
            due: clock.now().addingTimeInterval(2 * day), concern: firstID))
        clock.advance(by: day)
        try sender.completeAction(actor: deputy, id: action, status: .done, outcome: "Heating repaired on Tuesday; mum grateful.")
        try sender.close(actor: dsl, id: firstID, outcome: try Outcome(kind: .unfounded, reason: "The boiler had broken; fixed now."))

        clock.advance(by: 7 * day)
        let second = try sender.logConcern(actor: pastoral, ConcernDraft(
            pupils: [upn], categories: [.sexual], accounts: [Account(nature: .disclosed, text: "Told me about an older boy online.")],
            urgency: .atRiskNow, occurredAt: clock.now().addingTimeInterval(-600)))
        let secondID = try #require(try sender.concernID(reference: second))
        clock.advance(by: 600)
        try sender.triage(actor: dsl, id: secondID, decision: TriageDecision(level: .statutory, caseHolder: dsl.username, restricted: true))
        let referral = try sender.recordReferral(actor: dsl, pupil: pupil, ReferralInput(
            concern: secondID, agency: .socialCare, madeAt: clock.now(), consent: .notSought,
            consentReason: "Telling the family could put her at risk.", lawfulBasis: .publicTask, agencyReference: "MASH-2025-1187"))
        clock.advance(by: day)
        try sender.recordReferralDecision(actor: dsl, referral: referral, decision: "Strategy discussion held; section 47 enquiry.",
                                          decidedOn: clock.now())
        try sender.addAction(actor: dsl, pupil: pupil, ActionInput(description: "Attend the strategy meeting", owner: dsl.username,
                                                                  due: clock.now().addingTimeInterval(3 * day), concern: secondID))

        clock.advance(by: 2 * day)
        _ = try sender.recordReferral(actor: deputy, pupil: pupil, ReferralInput(
            agency: .camhs, outcome: .notReferred, madeAt: clock.now(), reasoning: "School counsellor first; review at half term."))
        let note = try sender.addNote(actor: dsl, pupil: pupil, NoteInput(
            kind: .note, occurredAt: clock.now().addingTimeInterval(-900), summary: "Seemed withdrawn in tutor time.\nAte no lunch.",
            nature: .opinion, significant: true))
        _ = try sender.addNote(actor: deputy, pupil: pupil, NoteInput(
            kind: .contact, occurredAt: clock.now(), party: .parentCarer, who: "Ms R. Thorne (mother)", method: .phone,
            summary: "Mum says Elly is sleeping badly.", nature: .reported))
        _ = try sender.addMeeting(actor: dsl, pupil: pupil, MeetingInput(
            type: .childInNeedReview, heldAt: clock.now(), attendees: "Jo Bloggs (DSL), social worker, mum",
            decisions: "CIN plan continues; review in six weeks."))
        clock.advance(by: day)
        try sender.amendEntry(actor: deputy, entry: note, AmendmentInput(newText: "Seemed withdrawn in form time.\nAte no lunch.",
                                                                         reason: "It was form time, not tutor time"))
        clock.advance(by: 3600)
        try sender.amendEntry(actor: dsl, entry: note, AmendmentInput(newText: "Seemed withdrawn in form time.\nAte half her lunch.",
                                                                      reason: "Lunch staff corrected me"))
        try raw(senderPath) { db in
            try db.execute(sql: """
                INSERT INTO entry_disputes (entry_id, statement, made_by, received_at, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [note, "Elly was not withdrawn; she had toothache that day.", "Mother",
                                 Self.millis(clock.now().addingTimeInterval(-600)), dsl.username, Self.millis(clock.now())])
        }
        clock.set(Self.start)
    }

    /// Sends the file from Elmfield, returning the bundle, what was sent and the file as it was sealed.
    func send(to school: String = "Oakfield School", from store: CairnStore? = nil, by actor: Staff? = nil,
              upn: UPN? = nil) throws -> (bytes: Data, sent: TransferSent, file: TransferFile) {
        let store = store ?? sender
        let key = try TransferEnvelope.key(passphrase: Self.passphrase, cost: Self.cost)
        let box = Box()
        let pupil = try #require(try store.pupilID(upn: upn ?? self.upn))
        let sent = try store.transferOut(actor: actor ?? dsl, pupil: pupil, to: school) { file in
            let sealed = try TransferBundle.seal(file, with: key)
            box.set(sealed.bytes, file)
            return sealed.seal
        }
        return (try #require(box.bytes), sent, try #require(box.file))
    }

    /// Opens a bundle and imports it as the CLI does: open, preview, import.
    @discardableResult
    func receive(_ bytes: Data, passphrase: String = passphrase, as actor: Staff? = nil) throws -> TransferReceived {
        let opened = try TransferBundle.open(bytes, passphrase: passphrase)
        _ = try receiver.previewTransfer(actor: actor ?? receiverDSL, opened.file, digest: opened.digest)
        return try receiver.importTransfer(actor: actor ?? receiverDSL, opened.file, digest: opened.digest,
                                           receiptCode: opened.receiptCode)
    }

    /// Every row of every table, as text: two equal contents mean nothing was written.
    func contents(_ path: String, leavingOut: Set<String> = []) throws -> [String: [String]] {
        try raw(path) { db in
            var out: [String: [String]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            where !leavingOut.contains(table) {
                out[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description)
            }
            return out
        }
    }

    func raw<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        return try queue.write(body)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// What the sealing closure saw, carried out of the store's transaction.
    final class Box: @unchecked Sendable {
        private(set) var bytes: Data?
        private(set) var file: TransferFile?
        func set(_ bytes: Data, _ file: TransferFile) {
            self.bytes = bytes
            self.file = file
        }
    }
}
