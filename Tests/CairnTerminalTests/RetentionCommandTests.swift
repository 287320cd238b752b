import CairnDomain
import Foundation
import Testing

/// `cairn retention` with the real binary on a demo school (where `--as` chooses who is acting).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RetentionCommandTests {
    func demo() throws -> (CairnBinary, upn: String) {
        let cairn = try CairnBinary()
        let made = try cairn.run(["demo", "--no-open", "--seed", "7"])
        #expect(made.status == 0, "\(made.errors)")
        let queue = try cairn.run(["queue", "--json", "--as", "demo.dsl"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(queue.output.utf8)) as? [[String: Any]])
        let pupils = try #require(rows.first?["pupils"] as? [[String: Any]])
        return (cairn, try #require(pupils.first?["upn"] as? String))
    }

    @Test func aHoldIsPlacedShownInTheReviewOnlyWhenDueAndReleased() throws {
        let (cairn, upn) = try demo()
        defer { cairn.cleanUp() }
        let review = try cairn.run(["retention", "review", "--as", "demo.dsl"])
        #expect(review.status == 0, "\(review.errors)")
        #expect(review.output.contains("No files are due for destruction under the 25-year rule."))
        let json = try cairn.run(["retention", "review", "--as", "demo.dsl", "--json"])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(parsed["rule"] as? Int == 25 && (parsed["due"] as? [Any])?.isEmpty == true)

        let hold = try cairn.run(["retention", "hold", upn, "--reason", "Independent inquiry", "--as", "demo.dsl"])
        #expect(hold.status == 0, "\(hold.errors)")
        #expect(hold.output.contains("\(upn) is on legal hold"))
        let again = try cairn.run(["retention", "hold", upn, "--reason", "Twice", "--as", "demo.dsl"])
        #expect(again.status == 65 && again.errors.contains("upn: \(upn) is already on legal hold"))
        let release = try cairn.run(["retention", "release", upn, "--reason", "Inquiry closed", "--as", "demo.dsl"])
        #expect(release.status == 0 && release.output.contains("The legal hold on \(upn) is released."), "\(release.errors)")
    }

    @Test func badInputAndTheWrongRoleAreRefusedInWords() throws {
        let (cairn, upn) = try demo()
        defer { cairn.cleanUp() }
        let badUPN = try cairn.run(["retention", "hold", "not-a-upn", "--reason", "Inquiry", "--as", "demo.dsl"])
        #expect(badUPN.status == 64 && badUPN.errors.contains("upn:"), "\(badUPN.errors)")
        let noReason = try cairn.run(["retention", "hold", upn, "--reason", " ", "--as", "demo.dsl"])
        #expect(noReason.status == 65 && noReason.errors.contains("reason: say why"), "\(noReason.errors)")
        let deputy = try cairn.run(["retention", "hold", upn, "--reason", "Inquiry", "--as", "demo.deputy"])
        #expect(deputy.status == 77, "\(deputy.errors)")
        let purge = try cairn.run(["retention", "purge", "--confirm", "--as", "demo.deputy"])
        #expect(purge.status == 77 && purge.errors.contains("may not purge records"), "\(purge.errors)")
        let dryRun = try cairn.run(["retention", "purge", "--as", "demo.dsl"])
        #expect(dryRun.status == 0 && dryRun.output.contains("nothing was purged"), "\(dryRun.errors)")
    }

    /// A pupil born in 1995 who has left is due at once: the review lists her, the dry run names her
    /// and keeps her, the purge leaves no trace of her in the file, and the chain still verifies.
    @Test func aLeaverPastTheRuleIsReviewedAndPurgedWithoutTrace() throws {
        let cairn = try CairnBinary()
        defer { cairn.cleanUp() }
        #expect(try cairn.run(["init", "--school", "Brookside Primary (test)", "--dsl-name", "Test DSL"]).status == 0)
        let wren = UPN.make(la: 999, establishment: 4001, year: 16, serial: 31)
        let orla = UPN.make(la: 999, establishment: 4001, year: 13, serial: 41)
        let roster = { (rows: String) throws -> String in
            let path = cairn.directory.appendingPathComponent("roster-\(UUID().uuidString).csv").path
            try ("UPN,Legal Surname,Legal Forename,DOB,Year,Reg\n" + rows).write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let both = try cairn.run(["pupils", "import", try roster("\(wren.value),Ashdown,Wren,04/03/2016,Year 5,5A\n\(orla.value),Pennick,Orla,12/06/1995,Year 13,13P\n")])
        #expect(both.status == 0, "\(both.errors)")
        let logged = try cairn.run(["concern", "log", "--pupil", orla.value, "--category", "neglect", "--nature", "seen",
                                    "--text", "Orla Pennick said the flat had no heating."])
        #expect(logged.status == 0, "\(logged.errors)")
        let left = try cairn.run(["pupils", "import", try roster("\(wren.value),Ashdown,Wren,04/03/2016,Year 5,5A\n")])
        #expect(left.status == 0 && left.output.contains("marked 1 left"), "\(left.output)\(left.errors)")

        let review = try cairn.run(["retention", "review"])
        #expect(review.status == 0 && review.output.contains("\(orla.value)\tOrla Pennick"), "\(review.output)\(review.errors)")
        let dryRun = try cairn.run(["retention", "purge"])
        #expect(dryRun.output.contains("A dry run") && dryRun.output.contains("Nothing was deleted"), "\(dryRun.output)")
        #expect(bytes(cairn).contains("Pennick"))

        let purged = try cairn.run(["retention", "purge", "--confirm"])
        #expect(purged.status == 0 && purged.output.hasPrefix("Destroyed 1 file:"), "\(purged.output)\(purged.errors)")
        for trace in ["Pennick", "Orla", orla.value, "no heating"] {
            #expect(!bytes(cairn).contains(trace), "\(trace) is still in the database files")
        }
        let verify = try cairn.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.output)\(verify.errors)")
        #expect(try cairn.run(["retention", "review"]).output.contains("No files are due"))
    }

    /// The database and whatever SQLite keeps beside it, read so that any byte sequence reads.
    func bytes(_ cairn: CairnBinary) -> String {
        var all = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: cairn.database + suffix) { all.append(data) }
        }
        return String(data: all, encoding: .isoLatin1) ?? ""
    }
}
