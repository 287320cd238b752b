import CairnDomain
import CairnStore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a subject access bundle (`cairn sar export`): `subject-access.html` to print and
/// `subject-access.json` for another system, both made from the redacted `SARDocument` only.
public enum SARExporter {
    public static let htmlName = "subject-access.html"
    public static let jsonName = "subject-access.json"
    /// Identifies the JSON; `version` changes when a field changes meaning or goes.
    public static let format = "cairn-subject-access"
    public static let version = 1

    /// Writes both files into `directory` (made 0700 with any missing parents), each 0600, never
    /// following a link. A folder that already holds a bundle is refused: one bundle a folder,
    /// so that an answer already sent is never mixed with, or replaced by, a later one.
    public static func write(_ document: SARDocument, to directory: URL) throws -> (html: URL, json: URL) {
        let folder = directory.standardizedFileURL.path
        try ChronologyExporter.ensureFolder(folder)
        let htmlPath = folder + "/" + htmlName, jsonPath = folder + "/" + jsonName
        if let existing = [htmlPath, jsonPath].first(where: ChronologyExporter.exists) {
            throw SARExportError.bundleExists(path: existing)
        }
        let html = Data(SARHTML.html(document).utf8), json = try self.json(document)
        guard try ChronologyExporter.createNew(htmlPath, html) else { throw SARExportError.bundleExists(path: htmlPath) }
        do {
            guard try ChronologyExporter.createNew(jsonPath, json) else { throw SARExportError.bundleExists(path: jsonPath) }
        } catch {
            unlink(htmlPath)
            throw error
        }
        return (URL(fileURLWithPath: htmlPath), URL(fileURLWithPath: jsonPath))
    }

    // MARK: JSON

    /// Keys sorted and always present (null when empty); times as ISO 8601 in London time; text
    /// sanitised as the HTML's is.
    public static func json(_ document: SARDocument) throws -> Data {
        let header = document.header
        let root: [String: Any] = [
            "format": format,
            "version": version,
            "school": clean(document.schoolName),
            "exportedBy": clean(document.exportedBy),
            "exportedAt": ExchangeJSON.timestamp(document.exportedAt),
            "pupil": [
                "upn": clean(header.upn),
                "name": clean(header.name),
                "legalName": clean(header.legalName),
                "dateOfBirth": day(header.dateOfBirth),
                "yearGroup": header.yearGroup.rawValue,
                "form": clean(header.form),
                "flags": header.flags.map { flag -> [String: Any] in
                    ["kind": flag.kind.rawValue, "label": flag.kind.label, "start": day(flag.start),
                     "end": flag.end.map(day) ?? NSNull()]
                },
                "levelOfNeed": header.levelOfNeed.map { $0.rawValue } ?? NSNull(),
                "caseHolder": header.caseHolderName.map(clean) ?? NSNull(),
            ] as [String: Any],
            "request": document.request.map { request -> [String: Any] in
                ["requester": clean(request.requester), "relationship": clean(request.relationship),
                 "received": day(request.received), "due": day(request.due), "status": request.status.rawValue]
            } ?? NSNull(),
            "entries": document.entries.map(entry),
            "redactionLog": document.redactions.map { line -> [String: Any] in
                ["entry": line.entry, "entryOccurredAt": ExchangeJSON.timestamp(line.entryOccurredAt),
                 "entryKind": line.entryKind.rawValue, "part": line.part, "reason": clean(line.reason),
                 "by": clean(line.byName), "at": ExchangeJSON.timestamp(line.at)]
            },
            "accessLog": document.looks.map { look -> [String: Any] in
                ["username": clean(look.username), "name": look.name.map(clean) ?? NSNull(),
                 "role": look.role?.rawValue ?? NSNull(), "reads": look.reads,
                 "first": ExchangeJSON.timestamp(look.first), "last": ExchangeJSON.timestamp(look.last)]
            },
        ]
        return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    private static func entry(_ entry: SARDocument.Entry) -> [String: Any] {
        [
            "id": entry.id,
            "occurredAt": ExchangeJSON.timestamp(entry.occurredAt),
            "recordedAt": ExchangeJSON.timestamp(entry.recordedAt),
            "kind": entry.kind.rawValue,
            "kindLabel": entry.kind.label,
            "nature": entry.nature?.rawValue ?? NSNull(),
            "natureLabel": entry.nature?.label ?? NSNull(),
            "author": clean(entry.authorName),
            "significant": entry.significant,
            "restricted": entry.restricted,
            "amended": entry.amended,
            "withheld": entry.withheld?.rawValue ?? NSNull(),
            "text": text(entry.text),
            "fields": entry.fields.map { ["label": clean($0.label), "value": text($0.value)] },
            "amendments": entry.amendments.map { amendment -> [String: Any] in
                ["at": ExchangeJSON.timestamp(amendment.at), "by": clean(amendment.byName), "reason": text(amendment.reason),
                 "previousText": text(amendment.previousText), "newText": text(amendment.newText)]
            },
            "disputed": !entry.disputes.isEmpty,
            "disputes": entry.disputes.map { dispute -> [String: Any] in
                ["statement": text(dispute.statement), "madeBy": clean(dispute.madeBy),
                 "receivedAt": ExchangeJSON.timestamp(dispute.receivedAt), "recordedBy": clean(dispute.recordedByName),
                 "recordedAt": ExchangeJSON.timestamp(dispute.recordedAt)]
            },
        ]
    }

    /// `cairn sar list --json`: each request with its deadline, keys sorted and always present.
    public static func requestsJSON(_ requests: [SARRequest], now: Date) throws -> String {
        let rows = requests.map { request -> [String: Any] in
            ["id": request.id, "upn": clean(request.upn), "pupil": clean(request.pupilName),
             "yearGroup": request.yearGroup.rawValue, "received": day(request.received), "due": day(request.due),
             "requester": clean(request.requester), "relationship": clean(request.relationship),
             "status": request.status.rawValue, "overdue": request.isOverdue(at: now), "action": request.action,
             "openedBy": request.openedBy, "openedAt": ExchangeJSON.timestamp(request.openedAt),
             "closedAt": request.closedAt.map(ExchangeJSON.timestamp) ?? NSNull()]
        }
        let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// "2014-05-14": a date with no time of day.
    static func day(_ date: Date) -> String {
        let c = UKDate.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    private static func clean(_ text: String) -> String { TextSanitiser.line(text) }

    /// Multi-line text, each line sanitised.
    private static func text(_ value: String) -> String { TextSanitiser.lines(value).joined(separator: "\n") }
}

public enum SARExportError: Error, Equatable, Sendable, CustomStringConvertible {
    case bundleExists(path: String)

    public var description: String {
        switch self {
        case .bundleExists(let path):
            "\(path) is already there: this folder holds a subject access bundle. Choose a new folder for each bundle."
        }
    }
}
