import CairnDomain
import CairnExchange
import CairnStore
import Foundation
import Testing

@Suite struct QueueJSONTests {
    /// Two concerns: one routine and triaged in winter (GMT), one urgent and new in summer (BST).
    static func queue() throws -> (ExchangeStore, [QueueItem]) {
        let s = try ExchangeStore()
        let deputy = Staff(username: "deputy.quill", displayName: "Rowan Quill", role: .deputy, school: s.dsl.school)
        try s.store.addStaff(actor: s.dsl, deputy)
        _ = try s.importRoster(RosterImportTests.roster)
        let first = try s.store.logConcern(actor: s.dsl, ConcernDraft(
            pupils: [otto, juniper], categories: [.online, .childOnChild],
            accounts: [Account(nature: .reported, text: "Photos shared in a group chat")],
            occurredAt: s.clock.now().addingTimeInterval(-5400)))
        let id = try #require(s.store.queue(actor: s.dsl).first { $0.reference == first }?.id)
        try s.store.triage(actor: s.dsl, id: id, decision: TriageDecision(level: .targeted, caseHolder: deputy.username,
                                                                        restricted: true))
        // Wednesday 10 June 2026, 08:15 UTC = 09:15 in London.
        s.clock.set(Date(timeIntervalSince1970: 1_781_079_300))
        _ = try s.store.logConcern(actor: s.dsl, ConcernDraft(
            pupils: [wilf], categories: [.neglect], accounts: [Account(nature: .seen, text: "Hungry, no lunch")],
            urgency: .atRiskNow, occurredAt: s.clock.now()))
        return (s, try s.store.queue(actor: s.dsl))
    }

    static func decode(_ data: Data) throws -> [[String: Any]] {
        try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }

    @Test func eachConcernCarriesItsQueueFields() throws {
        let (_, items) = try Self.queue()
        let objects = try Self.decode(QueueJSON.encode(items))
        try #require(objects.count == 2)

        let urgent = objects[0]
        #expect(urgent["reference"] as? String == "2026-0002")
        #expect(urgent["status"] as? String == "new")
        #expect(urgent["urgent"] as? Bool == true)
        #expect(urgent["restricted"] as? Bool == false)
        #expect(urgent["categories"] as? [String] == ["neglect"])
        #expect(urgent["reportedBy"] as? String == "dsl.marsh")
        #expect(urgent["reportedAt"] as? String == "2026-06-10T09:15:00+01:00")
        #expect(urgent["occurredAt"] as? String == "2026-06-10T09:15:00+01:00")
        #expect(urgent["caseHolder"] is NSNull)
        #expect(urgent["level"] is NSNull)
        let wilfJSON = try #require((urgent["pupils"] as? [[String: Any]])?.first)
        #expect(wilfJSON["upn"] as? String == wilf.value)
        #expect(wilfJSON["name"] as? String == "Wilf Carrow")
        #expect(wilfJSON["yearGroup"] as? Int == 0)

        let triaged = objects[1]
        #expect(triaged["reference"] as? String == "2026-0001")
        #expect(triaged["status"] as? String == "in_progress")
        #expect(triaged["urgent"] as? Bool == false)
        #expect(triaged["restricted"] as? Bool == true)
        #expect(triaged["categories"] as? [String] == ["child-on-child", "online"])
        #expect(triaged["caseHolder"] as? String == "deputy.quill")
        #expect(triaged["level"] as? Int == 3)
        #expect(triaged["reportedAt"] as? String == "2026-03-02T08:30:00+00:00")
        #expect(triaged["occurredAt"] as? String == "2026-03-02T07:00:00+00:00")
        let pupils = try #require(triaged["pupils"] as? [[String: Any]])
        #expect(pupils.map { $0["name"] as? String } == ["Juniper Ashdown", "Ott Brackley"])
        #expect(pupils.map { $0["upn"] as? String } == [juniper.value, otto.value])
        #expect(pupils.map { $0["yearGroup"] as? Int } == [7, 8])
    }

    @Test func theOutputIsPrettyWithSortedKeysAndNoAccountText() throws {
        let (_, items) = try Self.queue()
        let text = try QueueJSON.string(items)
        #expect(text.hasPrefix("[\n  {\n"))
        // Top-level keys of the first object: four spaces in, until that object closes.
        let firstObject = text.split(separator: "\n").dropFirst(2).prefix { !$0.hasPrefix("  }") }
        let keys = firstObject.filter { $0.hasPrefix("    \"") }.map { String($0.dropFirst(5).prefix { $0 != "\"" }) }
        #expect(keys == ["caseHolder", "categories", "id", "level", "occurredAt", "paper", "pupils", "reference", "reportedAt",
                         "reportedBy", "reporterName", "restricted", "status", "urgent"])
        #expect(keys.contains("reference"))
        #expect(keys == keys.sorted())
        #expect(!text.contains("Hungry"))
        #expect(!text.contains("group chat"))
        // The same queue always encodes to the same bytes.
        #expect(try QueueJSON.encode(items) == QueueJSON.encode(items))
    }

    @Test func anEmptyQueueIsAnEmptyArray() throws {
        #expect(try Self.decode(QueueJSON.encode([])).isEmpty)
    }

    @Test func staffAreListedWithRoleYearsAndWhetherActive() throws {
        let s = try ExchangeStore()
        try s.store.addStaff(actor: s.dsl, Staff(username: "hoy.lowe", displayName: "Tamsin Lowe", role: .pastoral,
                                                 years: [.year9, .year7, .year8], school: s.dsl.school))
        try s.store.addStaff(actor: s.dsl, Staff(username: "t.birch", displayName: "Ned Birch", role: .staff,
                                                 school: s.dsl.school, active: false))
        let objects = try Self.decode(StaffJSON.encode(s.store.listStaff(actor: s.dsl, includeDisabled: true),
                                                        schools: s.store.schools()))
        let byName = Dictionary(uniqueKeysWithValues: objects.map { ($0["username"] as? String ?? "?", $0) })
        #expect(Set(byName.keys) == ["dsl.marsh", "hoy.lowe", "t.birch"])
        #expect(byName["hoy.lowe"]?["name"] as? String == "Tamsin Lowe")
        #expect(byName["hoy.lowe"]?["role"] as? String == "pastoral")
        #expect(byName["hoy.lowe"]?["years"] as? [Int] == [7, 8, 9])
        #expect(byName["hoy.lowe"]?["active"] as? Bool == true)
        #expect(byName["t.birch"]?["active"] as? Bool == false)
        #expect(byName["dsl.marsh"]?["years"] as? [Int] == [])
        #expect(byName["dsl.marsh"]?["role"] as? String == "dsl")
    }
}
