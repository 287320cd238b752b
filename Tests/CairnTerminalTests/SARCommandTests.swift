import CairnDomain
import CairnStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cairn sar` with the real binary on a demo school (where `--as` chooses who is acting).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SARCommandTests {
    /// A demo school and the UPN of the first pupil of the first concern in the queue.
    func demo() throws -> (CairnBinary, String) {
        let (cairn, upn, _) = try AuditCommandTests().demo()
        return (cairn, upn)
    }

    func requests(_ cairn: CairnBinary) throws -> [[String: Any]] {
        let listed = try cairn.run(["sar", "list", "--json", "--as", "demo.dsl"])
        #expect(listed.status == 0, "\(listed.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
    }

    func mode(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_mode) & 0o7777 : -1
    }

    @Test func openAndListARequestAndRefuseBadOnes() throws {
        let (cairn, upn) = try demo()
        defer { cairn.cleanUp() }
        let opened = try cairn.run(["sar", "open", upn, "--received", "31/01/2024", "--requester", "Ms R. Example",
                                    "--relationship", "mother", "--as", "demo.dsl"])
        #expect(opened.status == 0, "\(opened.errors)")
        #expect(opened.output.contains("received 31/01/2024 from Ms R. Example (mother)"), "\(opened.output)")
        #expect(opened.output.contains("The answer is due by 29/02/2024"), "one calendar month, in a leap year: \(opened.output)")

        let listed = try requests(cairn)
        #expect(listed.count == 1)
        let request = try #require(listed.first)
        #expect(request["upn"] as? String == upn && request["due"] as? String == "2024-02-29")
        #expect(request["status"] as? String == "open" && request["overdue"] as? Bool == true)
        #expect(request["requester"] as? String == "Ms R. Example" && request["openedBy"] as? String == "demo.dsl")
        let text = try cairn.run(["sar", "list", "--as", "demo.deputy"])
        #expect(text.status == 0 && text.output.contains("\tOVERDUE\t31/01/2024\t29/02/2024\t"), "\(text.output)")

        // The action is the DSL's, in their Actions pane's list.
        let audit = try cairn.run(["audit", "log", "--as", "demo.dsl", "--operation", "sar_export", "--json"])
        let events = try #require(try JSONSerialization.jsonObject(with: Data(audit.output.utf8)) as? [[String: Any]])
        #expect(events.contains { ($0["detail"] as? String)?.hasPrefix("opened subject access request") == true })

        let tomorrow = UKDate.date(Date().addingTimeInterval(86_400 * 2))
        let unknown = UPN.make(la: 999, establishment: 1, year: 1, serial: 1).value
        for (arguments, named, status) in [
            ([upn, "--received", tomorrow, "--requester", "A", "--relationship", "father"], "--received", 65),
            ([upn, "--received", "2024-01-31", "--requester", "A", "--relationship", "father"], "--received", 64),
            ([upn, "--received", "31/02/2024", "--requester", "A", "--relationship", "father"], "--received", 64),
            (["not-a-upn", "--received", "01/02/2024", "--requester", "A", "--relationship", "father"], "UPN", 64),
            ([unknown, "--received", "01/02/2024", "--requester", "A", "--relationship", "father"], "UPN", 65),
            ([upn, "--received", "01/02/2024", "--requester", " ", "--relationship", "father"], "--requester", 65),
        ] as [([String], String, Int32)] {
            let refused = try cairn.run(["sar", "open"] + arguments + ["--as", "demo.dsl"])
            #expect(refused.status == status, "\(arguments): \(refused.errors)")
            #expect(refused.errors.contains("cairn: \(named)"), "\(arguments): \(refused.errors)")
        }
        for outsider in ["demo.pastoral", "demo.staff", "demo.auditor"] {
            let refused = try cairn.run(["sar", "open", upn, "--received", "01/02/2024", "--requester", "A",
                                         "--relationship", "father", "--as", outsider])
            #expect(refused.status == 77, "\(outsider): \(refused.errors)")
            #expect(refused.errors.contains("DSL and deputy DSLs"), "\(refused.errors)")
            #expect(try cairn.run(["sar", "list", "--as", outsider]).status == 77)
        }
        #expect(try requests(cairn).count == 1, "nothing refused was recorded")
    }

    @Test func exportWritesAnOwnerOnlyBundleWithoutTheWithheldText() throws {
        let (cairn, upn) = try demo()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["sar", "open", upn, "--received", UKDate.date(Date()), "--requester", "Mr T. Example",
                               "--relationship", "father", "--as", "demo.dsl"]).status == 0)

        // Withhold the first sentence of the pupil's first concern, as R in the dashboard does.
        let secret: String
        do {
            let store = try CairnStore.open(path: cairn.database)
            let dsl = try #require(try store.staff(username: "demo.dsl"))
            let pupil = try #require(try store.pupilID(upn: UPN(upn)))
            let concern = try #require(try store.chronology(actor: dsl, pupil: pupil).first { $0.entry.kind == .concern })
            let body = try store.entry(actor: dsl, id: concern.entry.id).body
            secret = try #require(Redaction.sentences(of: body).first)
            try store.withhold(actor: dsl, entry: concern.entry.id, WithholdingInput(part: .passages([secret]), reason: .thirdParty))
        }

        let folder = cairn.directory.appendingPathComponent("bundles/first").path
        let exported = try cairn.run(["sar", "export", upn, "--out", folder, "--as", "demo.dsl"])
        #expect(exported.status == 0, "\(exported.errors)")
        #expect(exported.output.contains("Wrote \(folder)/subject-access.html"), "\(exported.output)")
        #expect(exported.output.contains("withheld in part; the redaction log has 1 line."), "\(exported.output)")
        #expect(mode(folder) == 0o700)
        for name in ["subject-access.html", "subject-access.json"] {
            let path = folder + "/" + name
            #expect(mode(path) == 0o600, "\(name) is \(String(mode(path), radix: 8))")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(name) holds the withheld sentence")
            #expect(bytes.range(of: Data("[withheld: third-party information]".utf8)) != nil, "\(name) lacks the marker")
            #expect(bytes.range(of: Data(upn.utf8)) != nil)
        }
        let audit = try cairn.run(["audit", "log", "--as", "demo.dsl", "--operation", "sar_export", "--limit", "1"])
        #expect(audit.output.contains("exported subject access bundle"), "\(audit.output)")

        // One bundle a folder; other people, and bad UPNs, are refused.
        let again = try cairn.run(["sar", "export", upn, "--out", folder, "--as", "demo.dsl"])
        #expect(again.status == 73 && again.errors.contains("holds a subject access bundle"), "\(again.errors)")
        let pastoral = try cairn.run(["sar", "export", upn, "--out", folder + "-2", "--as", "demo.pastoral"])
        #expect(pastoral.status == 77, "\(pastoral.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder + "-2"), "nothing written for a refusal")
        let bad = try cairn.run(["sar", "export", "nonsense", "--out", folder + "-3", "--as", "demo.dsl"])
        #expect(bad.status == 64 && bad.errors.contains("UPN"), "\(bad.errors)")
    }
}
