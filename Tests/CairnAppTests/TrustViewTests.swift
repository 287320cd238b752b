import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// A trust of two schools: the trust's DSL sees both, and every row says which school it is from;
/// a school's DSL sees only their own, with no school tags.
@Suite struct TrustViewTests {
    static let now = DashboardFixture.now

    /// Two invented schools with one pupil and one concern each.
    static func trust() throws -> (store: CairnStore, trustDSL: Staff, schoolDSL: Staff, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-trust-\(UUID().uuidString)")
        let clock = FixedClock(now)
        let store = try CairnStore.create(path: directory.appendingPathComponent("trust.sqlite").path, clock: clock)
        let first = try store.bootstrap(school: "Oakfield Academy",
                                        dsl: Staff(username: "trust.dsl", displayName: "Grace Obi", role: .dsl, school: nil),
                                        trustLevel: true)
        let trustDSL = try #require(try store.staff(username: "trust.dsl"))
        let second = try store.addSchool(actor: trustDSL, name: "Riverside Primary School")
        try store.addStaff(actor: trustDSL, Staff(username: "river.dsl", displayName: "Hal Brook", role: .dsl, school: second.id))
        let schoolDSL = try #require(try store.staff(username: "river.dsl"))
        for (school, upn, forename, year) in [(first.id, UPN.make(la: 937, establishment: 4001, year: 14, serial: 11), "Ayla", YearGroup.year8),
                                              (second.id, UPN.make(la: 937, establishment: 2002, year: 18, serial: 12), "Bram", .year4)] {
            let row = PupilRow(upn: upn, legalForename: forename, legalSurname: "Testwood", preferredForename: nil,
                               dateOfBirth: UKDate.parseDate(year == .year8 ? "03/04/2013" : "05/06/2017")!, yearGroup: year,
                               form: "\(year.rawValue)A")
            _ = try store.importPupils(actor: trustDSL, [row], school: school)
            _ = try store.logConcern(actor: trustDSL, ConcernDraft(
                pupils: [upn], categories: [.neglect], accounts: [Account(nature: .seen, text: "No coat again.")],
                urgency: .routine, occurredAt: now.addingTimeInterval(-3600)))
        }
        return (store, trustDSL, schoolDSL, directory)
    }

    @Test func theTrustDSLSeesEverySchoolAndWhichEachRowIsFrom() throws {
        let (store, trustDSL, _, directory) = try Self.trust()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dashboard = try Dashboard(store: store, actor: trustDSL, clock: FixedClock(Self.now))
        let frame = dashboard.start(size: Size(width: 132, height: 43))
        #expect(dashboard.state.queue.items.count == 2)
        let rows = frame.text.split(separator: "\n").filter { $0.contains("Testwood") }
        #expect(rows.contains { $0.contains("OA Ayla Testwood Y8") }, "\(frame.text)")
        #expect(rows.contains { $0.contains("RPS Bram Testwood Y4") }, "\(frame.text)")
        #expect(frame.text.contains("School         Oakfield Academy"), "the panel names the school in full")
    }

    @Test func aSchoolsDSLSeesOnlyTheirSchoolWithoutTags() throws {
        let (store, _, schoolDSL, directory) = try Self.trust()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dashboard = try Dashboard(store: store, actor: schoolDSL, clock: FixedClock(Self.now))
        let frame = dashboard.start(size: Size(width: 132, height: 43))
        #expect(dashboard.state.queue.items.count == 1)
        #expect(frame.text.contains("Bram Testwood Y4") && !frame.text.contains("RPS Bram"))
        #expect(!frame.text.contains("Ayla"))
        #expect(try store.counts(actor: schoolDSL).new == 1, "the other school's concern is not counted")
    }
}
