import CairnApp
import Foundation
import Testing

/// The README's key reference is generated from the keymap table; this keeps the two in step.
struct ReadmeKeyReferenceTests {
    @Test func readmeCarriesTheKeymapVerbatim() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- keys:start -->\n"))
        let end = try #require(readme.range(of: "<!-- keys:end -->"))
        let section = String(readme[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(section == Keymap.markdownReference.trimmingCharacters(in: .whitespacesAndNewlines),
                "README key reference is out of date; replace it with:\n\(Keymap.markdownReference)")
    }
}
