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
}
