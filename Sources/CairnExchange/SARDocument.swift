import CairnDomain
import CairnStore
import Foundation

/// A subject access bundle with every withheld part already replaced by "[withheld: reason]".
/// Both files are written from this and nothing else, so no way of drawing them can reach a
/// withheld word: `SARBundle` goes in, and only text that has been through `Redaction` comes out.
public struct SARDocument: Equatable, Sendable {
    public enum Withheld: String, Equatable, Sendable {
        case whole, part
    }

    public struct Entry: Equatable, Sendable {
        public var id: Int64
        public var occurredAt: Date
        public var recordedAt: Date
        public var kind: ChronologyKind
        public var nature: Nature?
        public var authorName: String
        public var significant: Bool
        public var restricted: Bool
        public var amended: Bool
        public var withheld: Withheld?
        /// The current text, with withheld passages replaced (or only the marker, when withheld whole).
        public var text: String
        public var fields: [EntryField]
        public var amendments: [EntryAmendment]
        public var disputes: [SARBundle.Dispute]
    }

    /// One line of the redaction log: what was withheld and why, never the withheld text.
    public struct Redacted: Equatable, Sendable {
        public var entry: Int64
        public var entryOccurredAt: Date
        public var entryKind: ChronologyKind
        /// "Whole entry" or "Passage of 42 characters".
        public var part: String
        public var reason: String
        public var byName: String
        public var at: Date
    }

    public var schoolName: String
    public var header: PupilHeader
    public var request: SARRequest?
    public var exportedBy: String
    public var exportedAt: Date
    /// Oldest first.
    public var entries: [Entry]
    public var redactions: [Redacted]
    public var looks: [LookSummary]

    /// Applies every withholding still in force. A withheld passage is replaced wherever it
    /// appears in the file (any entry, its history, its labelled parts, a dispute), since the
    /// same words quoted elsewhere would give it away; a whole entry keeps only its date, kind,
    /// author and nature, and the marker.
    public init(_ bundle: SARBundle) {
        let active = bundle.withholdings.filter(\.isActive)
        let passages = active.compactMap { held in held.passage.map { (passage: $0, reason: held.phrase) } }
        let wholes = Dictionary(grouping: active.filter(\.isWholeEntry), by: \.entry)
        func scrub(_ text: String) -> String { Redaction.apply(text, passages) }
        let disputes = Dictionary(grouping: bundle.disputes, by: \.entry)

        schoolName = bundle.schoolName
        header = bundle.header
        request = bundle.request
        exportedBy = bundle.exportedBy
        exportedAt = bundle.exportedAt
        looks = bundle.looks
        entries = ChronologyExporter.ordered(bundle.entries).map { detail in
            let row = detail.row
            var entry = Entry(id: row.entry.id, occurredAt: row.entry.occurredAt, recordedAt: detail.recordedAt,
                              kind: row.entry.kind, nature: row.entry.nature, authorName: row.authorName,
                              significant: row.entry.significant, restricted: row.entry.restricted, amended: row.amended,
                              withheld: nil, text: scrub(ChronologyExporter.bodyText(detail)),
                              fields: detail.fields.map { EntryField(label: $0.label, value: scrub($0.value)) },
                              amendments: detail.amendments.map {
                                  EntryAmendment(previousText: scrub($0.previousText), newText: scrub($0.newText),
                                                 reason: scrub($0.reason), byName: $0.byName, at: $0.at)
                              },
                              disputes: (disputes[row.entry.id] ?? []).map { dispute in
                                  var scrubbed = dispute
                                  scrubbed.statement = scrub(dispute.statement)
                                  return scrubbed
                              })
            if let whole = wholes[row.entry.id] {
                entry.withheld = .whole
                entry.text = Redaction.marker(Self.reasons(whole))
                entry.fields = []
                entry.amendments = []
                entry.amended = false
            } else if entry.text != ChronologyExporter.bodyText(detail) || entry.fields != detail.fields
                        || entry.amendments != detail.amendments {
                entry.withheld = .part
            }
            return entry
        }
        let byID = Dictionary(uniqueKeysWithValues: bundle.entries.map { ($0.row.entry.id, $0.row.entry) })
        redactions = active.compactMap { held in
            guard let entry = byID[held.entry] else { return nil }
            let part = held.passage.map { "Passage of \($0.count) character\($0.count == 1 ? "" : "s")" } ?? "Whole entry"
            return Redacted(entry: held.entry, entryOccurredAt: entry.occurredAt, entryKind: entry.kind, part: part,
                            reason: held.phrase, byName: held.byName, at: held.at)
        }
    }

    /// Each reason once, in the order given.
    static func reasons(_ withholdings: [Withholding]) -> String {
        var seen = Set<String>()
        return withholdings.map(\.phrase).filter { seen.insert($0).inserted }.joined(separator: "; ")
    }

    /// How many restricted entries the bundle holds: the README and the page ask the DSL to review them.
    public var restrictedCount: Int { entries.filter(\.restricted).count }

    /// Kind, author, nature and markers, as the chronology export writes them, then the bundle's own.
    func metaParts(_ entry: Entry) -> [String] {
        let row = ChronologyRow(entry: ChronologyEntry(id: entry.id, pupil: header.id, occurredAt: entry.occurredAt,
                                                       kind: entry.kind, summary: "", author: "", nature: entry.nature,
                                                       significant: entry.significant, restricted: entry.restricted),
                                authorName: entry.authorName, amended: entry.amended)
        var parts = ChronologyExporter.metaParts(row)
        if !entry.disputes.isEmpty { parts.append("DISPUTED") }
        switch entry.withheld {
        case .whole: parts.append("WITHHELD")
        case .part: parts.append("WITHHELD IN PART")
        case nil: break
        }
        return parts
    }
}
