import CairnDomain
import CairnStore
import Foundation

/// What `cairn pupils import` prints: on a dry run every change, one pupil a line; on a real run
/// the counts. Names and values come from files and the database, so each line is sanitised.
public enum RosterReport {
    public static func text(_ sync: RosterSync) -> String {
        (sync.dryRun ? dryRun(sync) : [summary(sync)] + withheldNote(sync)).joined(separator: "\n") + "\n"
    }

    static func dryRun(_ sync: RosterSync) -> [String] {
        let coverage = sync.coverage == .full ? "full roster" : "partial: nobody is marked left for being absent"
        var lines = ["Dry run for \(sync.school) (\(coverage)); nothing has been written."]
        section("Added", sync.added, into: &lines) { pupil in
            ["\(pupil.upn)  \(pupil.name), \(pupil.yearGroup)" + (pupil.form.isEmpty ? "" : ", \(pupil.form)")]
        }
        section("Updated", sync.updated, into: &lines) { update in
            ["\(update.upn)  \(update.name)"] + update.changes.map { "  \($0.field): \($0.old) -> \($0.new)" }
        }
        section("Left", sync.left, into: &lines) { ["\($0.upn)  \($0.name): \(leaving($0))"] }
        section("Not added, already left", sync.notAdded, into: &lines) { ["\($0.upn)  \($0.name): \(leaving($0))"] }
        section("Actions", sync.actions, into: &lines) { action in
            ["\(action.upn)  \(action.pupilName): for \(action.ownerName), due \(UKDate.date(action.due)): \(action.description)"]
        }
        lines.append("Would add \(sync.added.count), update \(sync.updated.count), mark \(sync.left.count) left"
                     + actionCount(sync, "set") + "; \(sync.unchanged) unchanged.")
        return lines + withheldNote(sync)
    }

    /// "Added 3, updated 1, marked 2 left, set 1 transfer action; 40 unchanged."
    static func summary(_ sync: RosterSync) -> String {
        var line = "Added \(sync.added.count), updated \(sync.updated.count), marked \(sync.left.count) left"
        line += actionCount(sync, "set")
        if !sync.notAdded.isEmpty { line += ", did not add \(sync.notAdded.count) who had already left" }
        return line + "; \(sync.unchanged) unchanged."
    }

    private static func actionCount(_ sync: RosterSync, _ verb: String) -> String {
        guard !sync.actionsWithheld else { return "" }
        return ", \(verb) \(sync.actions.count) transfer action\(sync.actions.count == 1 ? "" : "s")"
    }

    /// An importer who may not read files is told where leavers' files go, never whose there are.
    private static func withheldNote(_ sync: RosterSync) -> [String] {
        guard sync.actionsWithheld, !sync.left.isEmpty else { return [] }
        return ["Any leaver with a safeguarding file \(sync.dryRun ? "would be" : "has been") passed to the DSL to transfer."]
    }

    private static func leaving(_ leaver: RosterLeaver) -> String {
        "left \(UKDate.date(leaver.leftOn)), " + (leaver.destination.map { "destination \($0)" } ?? "destination unknown")
    }

    private static func section<Item>(_ title: String, _ items: [Item], into lines: inout [String],
                                      _ describe: (Item) -> [String]) {
        guard !items.isEmpty else { return }
        lines.append("\(title) (\(items.count)):")
        for item in items {
            lines += describe(item).map { "  " + TextSanitiser.line($0) }
        }
    }
}
