import CairnApp
import CairnDomain
import CairnStore
import Foundation
import Testing

/// `R` on a chronology entry: withholding sentences, a typed passage or the whole entry from
/// subject access requests, and lifting it, through the keys, checked in the store and on screen.
@Suite struct WithholdingScreenTests {
    /// The DSL on the demo's Year 8 early help case, with an entry of several sentences selected.
    private func entrySelected(_ screen: ScreenSize = .small) throws -> (DashboardFixture, EntryDetail) {
        let fixture = try DashboardFixture(size: screen.size)
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        let rows = try #require(fixture.state.chronology?.rows)
        let wanted = try #require(try rows.first { row in
            guard row.entry.kind == .contact else { return false }
            return Redaction.sentences(of: try fixture.store.entry(actor: fixture.actor, id: row.entry.id).body).count >= 2
        }, "the case has no contact of two sentences")
        try fixture.selectChronologyRow { $0.entry.id == wanted.entry.id }
        return (fixture, try fixture.store.entry(actor: fixture.actor, id: wanted.entry.id))
    }

    private func stored(_ fixture: DashboardFixture, _ entry: Int64) throws -> [Withholding] {
        try fixture.store.entry(actor: fixture.actor, id: entry).withholdings
    }

    @Test(arguments: ScreenSize.allCases)
    func theFormOffersTheWholeEntrySentencesOrAPassage(_ screen: ScreenSize) throws {
        let (fixture, detail) = try entrySelected(screen)
        fixture.press(.char("R"))
        let session = try fixture.openForm()
        #expect(session.purpose == .withhold(entry: detail.row.entry.id, currentText: detail.body))
        #expect(session.form.field(SARField.part)?.options.map(\.id) == ["whole", "sentences", "passage"])
        try fixture.choose(SARField.part, "sentences")
        let sentences = try #require(fixture.state.form?.form.field("sentences")?.options.map(\.id))
        #expect(sentences == Redaction.sentences(of: detail.body))
        Snapshot.check(fixture.frame, named: "dsl-withhold-form-sentences-\(screen.rawValue)")
        try fixture.choose(SARField.part, "passage")
        try fixture.choose(SARField.reason, ExemptionReason.other.rawValue)
        #expect(fixture.state.form?.form.isVisible(SARField.otherReason) == true)
        Snapshot.check(fixture.frame, named: "dsl-withhold-form-passage-\(screen.rawValue)")
    }

    @Test func sentencesTickedWithSpaceAreWithheldAndTheRowIsMarked() throws {
        let (fixture, detail) = try entrySelected()
        let first = try #require(Redaction.sentences(of: detail.body).first)
        fixture.press(.char("R"))
        try fixture.choose(SARField.part, "sentences")
        try fixture.focus("sentences")
        fixture.press(.char(" "))
        try fixture.choose(SARField.reason, ExemptionReason.thirdParty.rawValue)
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        #expect(fixture.noticeLine.contains("1 passage withheld from subject access (third-party information)."))
        let held = try stored(fixture, detail.row.entry.id)
        #expect(held.map(\.passage) == [first] && held.map(\.reason) == [.thirdParty] && held.allSatisfy { $0.isActive })
        let row = try #require(fixture.state.chronology?.selectedRow)
        #expect(row.entry.id == detail.row.entry.id && row.withheld)
        let line = try #require(fixture.frame.text.split(separator: "\n").first { $0.contains("▸") })
        #expect(line.contains("[withheld]"), "not marked: \(line)")
        Snapshot.check(fixture.frame, named: "dsl-chronology-withheld-80x24")

        fixture.press(.enter)
        #expect(fixture.text.contains("withheld in part"))
        #expect(fixture.text.contains("Withheld from subject access requests"))
        Snapshot.check(fixture.frame, named: "dsl-entry-withheld-80x24")
    }

    @Test func aTypedPassageMustBeInTheEntryAndBadInputSavesNothing() throws {
        let (fixture, detail) = try entrySelected()
        fixture.press(.char("R"))
        try fixture.choose(SARField.part, "passage")
        try fixture.fill(SARField.passage, "words the entry does not hold")
        fixture.press(.ctrl("s"))
        let form = try fixture.openForm().form
        #expect(form.field(SARField.passage)?.error?.hasSuffix("is not in the entry as it reads now; type or paste it exactly") == true)
        #expect(form.field(SARField.reason)?.error == "Choose the exemption that applies")
        try fixture.choose(SARField.reason, ExemptionReason.other.rawValue)
        fixture.press(.ctrl("s"))
        #expect(fixture.state.form?.form.field(SARField.otherReason)?.error == "Name the exemption that applies")
        #expect(try stored(fixture, detail.row.entry.id).isEmpty, "nothing was saved")

        // Corrected: the exact words, pasted, and the exemption named.
        let sentence = try #require(Redaction.sentences(of: detail.body).last)
        let passage = String(sentence.prefix(12)).trimmingCharacters(in: .whitespaces)
        try fixture.focus(SARField.passage)
        for _ in 0..<40 { fixture.press(.backspace) }
        fixture.type(passage)
        try fixture.fill(SARField.otherReason, "Legal professional privilege")
        fixture.press(.ctrl("s"))
        #expect(fixture.state.overlay == nil, "the form is still open:\n\(fixture.text)")
        #expect(try stored(fixture, detail.row.entry.id).map(\.passage) == [passage])
        #expect(try stored(fixture, detail.row.entry.id).map(\.phrase) == ["Legal professional privilege"])
    }

    /// From 120 columns the panel beside the chronology says so too, in words.
    @Test func theWidePanelSaysTheEntryIsWithheld() throws {
        let (fixture, _) = try entrySelected(.large)
        fixture.press(.char("R"))
        try fixture.choose(SARField.part, "whole")
        try fixture.choose(SARField.reason, ExemptionReason.crimePrevention.rawValue)
        fixture.press(.ctrl("s"))
        #expect(fixture.text.contains("[withheld]"))
        #expect(fixture.text.contains("Marked         amended · withheld from a SAR"), "\(fixture.text)")
    }

    @Test func theWholeEntryIsWithheldFromTheEntryViewAndLiftedAgain() throws {
        let (fixture, detail) = try entrySelected()
        fixture.press(.enter, .char("R"))
        try fixture.choose(SARField.part, "whole")
        try fixture.choose(SARField.reason, ExemptionReason.seriousHarm.rawValue)
        fixture.press(.ctrl("s"))
        #expect(fixture.noticeLine.contains("The whole entry is withheld from subject access (serious harm)."))
        #expect(fixture.text.contains("· withheld"), "the entry, reopened, says so:\n\(fixture.text)")
        #expect(fixture.text.contains("The whole entry: Serious harm. Withheld by Sam Carter"))
        let held = try #require(try stored(fixture, detail.row.entry.id).first)

        fixture.press(.char("R"))
        let lift = "lift:\(held.id)"
        #expect(fixture.state.form?.form.field(SARField.part)?.options.last?.label == "Lift: the whole entry (serious harm)")
        try fixture.choose(SARField.part, lift)
        #expect(fixture.state.form?.form.isVisible(SARField.reason) == false)
        fixture.press(.ctrl("s"))
        #expect(fixture.noticeLine.contains("Withholding lifted"))
        let after = try stored(fixture, detail.row.entry.id)
        #expect(after.count == 1 && !after[0].isActive, "lifted, and kept on file")
        #expect(fixture.text.contains("Nothing is withheld now."))
        #expect(fixture.text.contains("Lifted by Sam Carter"))
        fixture.press(.escape)
        #expect(fixture.state.chronology?.selectedRow?.withheld == false)
    }

    @Test func onlyTheSafeguardingTeamSeesTheKeyWork() throws {
        let fixture = try DashboardFixture(as: "demo.pastoral")
        try fixture.openChronology(of: try fixture.earlyHelpPupil())
        fixture.press(.char("R"))
        #expect(fixture.state.overlay == nil)
        #expect(fixture.noticeLine.contains("cannot do that here"))
    }
}
