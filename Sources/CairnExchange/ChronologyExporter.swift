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

/// A pupil's chronology as files a DSL can keep, send or print (`x` on the Chronology pane):
/// plain text, and a self-contained HTML page laid out for A4. Both hold exactly what the
/// `ChronologyExport` holds — only entries the exporter may see — and
/// every piece of record text is passed through `TextSanitiser` first, so neither file can carry a
/// terminal escape sequence or a bidirectional override.
public enum ChronologyExporter {
    /// The protective marking at the top and bottom of both files (and of each printed page).
    public static let marking = "OFFICIAL-SENSITIVE: safeguarding record"
    /// Plain-text lines never exceed this many characters.
    public static let textWidth = 78

    // MARK: Plain text

    public static func text(_ export: ChronologyExport) -> String {
        var out: [String] = []
        let rule = String(repeating: "=", count: textWidth)
        out.append(marking)
        out.append(rule)
        out += wrap(clean(export.schoolName), width: textWidth)
        out += wrap(title(export.header), width: textWidth)
        out.append("")
        for (label, values) in headerFields(export) {
            out += labelled(label, values, labelWidth: 16)
        }
        out.append("")
        out += wrap(exportedLine(export), width: textWidth)
        out.append(marking)
        out.append(rule)

        let entries = ordered(export.entries)
        out.append("")
        out.append(countLine(entries))
        for entry in entries {
            out.append("")
            out += textLines(entry)
        }
        out.append("")
        out.append(rule)
        out.append("End of chronology. " + marking)
        return out.joined(separator: "\n") + "\n"
    }

    private static func textLines(_ detail: EntryDetail) -> [String] {
        let row = detail.row
        let when = UKDate.dateTime(row.entry.occurredAt)
        var out = joinParts(metaParts(row), lead: "\(when)  ")
        if let recorded = recordedNote(detail) {
            out += wrap(recorded, width: textWidth, indent: 2)
        }
        out.append("")
        out += paragraphs(bodyText(detail), width: textWidth, indent: 2)
        if !detail.fields.isEmpty || detail.awaitingDecision != nil {
            out.append("")
            let width = min(20, (detail.fields.map { clean($0.label).count }.max() ?? 0) + 2)
            for field in detail.fields {
                out += labelled(clean(field.label) + ":", TextSanitiser.lines(field.value), labelWidth: width, indent: 2)
            }
            if detail.awaitingDecision != nil {
                out += wrap(awaitingNote, width: textWidth, indent: 2)
            }
        }
        if !detail.amendments.isEmpty {
            out.append("")
            out.append("  Amendment history (oldest first):")
            for (index, amendment) in detail.amendments.enumerated() {
                let number = "\(index + 1). "
                out += wrap(number + amendmentByline(amendment), width: textWidth, indent: 4,
                            continuationIndent: 4 + number.count)
                let inner = 4 + number.count
                out += labelled("Reason:", TextSanitiser.lines(amendment.reason), labelWidth: 8, indent: inner)
                out += wrap("Previous text:", width: textWidth, indent: inner)
                out += paragraphs(amendment.previousText, width: textWidth, indent: inner + 2)
            }
        }
        return out
    }

    // MARK: Shared wording (used by the HTML too)

    /// "Chronology of Sam Pellow (legal name Samuel Pellow)", or without the bracket when they match.
    static func title(_ header: PupilHeader) -> String {
        let name = clean(header.name), legal = clean(header.legalName)
        let base = "Chronology of \(name)"
        return legal.isEmpty || legal == name ? base : "\(base) (legal name \(legal))"
    }

    /// Label and one or more lines of value, in the order both files show them.
    static func headerFields(_ export: ChronologyExport) -> [(String, [String])] {
        let h = export.header
        let age = UKDate.age(born: h.dateOfBirth, at: export.exportedAt)
        let flags = h.flags.isEmpty ? ["None recorded"] : h.flags.map(flagLine)
        return [
            ("UPN", [clean(h.upn)]),
            ("Date of birth", ["\(UKDate.date(h.dateOfBirth)) (age \(age))"]),
            ("Year group", [h.yearGroup.description]),
            ("Form", [clean(h.form)]),
            ("Context flags", flags),
            ("Level of need", [h.levelOfNeed?.label ?? "None recorded"]),
            ("Case holder", [h.caseHolderName.map(clean) ?? "None assigned"]),
            ("Open actions", [String(h.openActions)]),
        ]
    }

    /// "Child in need from 01/09/2025", "Young carer from 01/01/2024 to 31/07/2025".
    static func flagLine(_ flag: ContextFlag) -> String {
        let end = flag.end.map { " to \(UKDate.date($0))" } ?? " (current)"
        return "\(flag.kind.label) from \(UKDate.date(flag.start))\(end)"
    }

    static func exportedLine(_ export: ChronologyExport) -> String {
        "Exported by \(clean(export.exportedBy)) on \(UKDate.dateTime(export.exportedAt))"
    }

    static func countLine(_ entries: [EntryDetail]) -> String {
        "\(entries.count) \(entries.count == 1 ? "entry" : "entries"), oldest first."
    }

    /// Oldest first whatever order they arrived in; ties keep the store's order (then id).
    static func ordered(_ entries: [EntryDetail]) -> [EntryDetail] {
        entries.enumerated().sorted { a, b in
            let x = a.element.row.entry, y = b.element.row.entry
            if x.occurredAt != y.occurredAt { return x.occurredAt < y.occurredAt }
            if x.id != y.id { return x.id < y.id }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Kind, author, nature and markers of a visible entry.
    static func metaParts(_ row: ChronologyRow) -> [String] {
        var parts = [row.entry.kind.label, "by " + clean(row.authorName)]
        if let nature = row.entry.nature { parts.append(nature.label) }
        if row.entry.significant { parts.append("SIGNIFICANT") }
        if row.entry.restricted { parts.append("restricted") }
        if row.amended { parts.append("(amended)") }
        return parts
    }

    /// "Recorded 15/11/2026 10:00" when it was written down at a different minute from when it happened.
    static func recordedNote(_ detail: EntryDetail) -> String? {
        let happened = UKDate.dateTime(detail.row.entry.occurredAt), recorded = UKDate.dateTime(detail.recordedAt)
        return happened == recorded ? nil : "Recorded \(recorded)"
    }

    static func bodyText(_ detail: EntryDetail) -> String {
        detail.body.isEmpty ? detail.row.entry.summary : detail.body
    }

    static let awaitingNote = "Agency decision not yet recorded."

    static func amendmentByline(_ amendment: EntryAmendment) -> String {
        "Amended \(UKDate.dateTime(amendment.at)) by \(clean(amendment.byName))"
    }

    /// One display line of stored text, controls neutralised.
    static func clean(_ text: String) -> String {
        TextSanitiser.line(text)
    }

    // MARK: Wrapping

    /// `label` padded to `labelWidth`, then the value lines wrapped beside it with a hanging indent.
    private static func labelled(_ label: String, _ values: [String], labelWidth: Int, indent: Int = 0) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let column = max(labelWidth, label.count + 1)
        var out: [String] = []
        for (index, value) in values.enumerated() {
            let wrapped = wrap(value, width: textWidth - indent - column)
            for (part, text) in wrapped.enumerated() {
                let head = index == 0 && part == 0
                    ? label + String(repeating: " ", count: column - label.count)
                    : String(repeating: " ", count: column)
                out.append(trimmedRight(pad + head + text))
            }
        }
        return out
    }

    /// `lead`, then the parts joined by " · ", breaking between parts where it can; continuation
    /// lines line up under the first part.
    private static func joinParts(_ parts: [String], lead: String) -> [String] {
        let room = textWidth - lead.count
        var units: [String] = []
        for (index, part) in parts.enumerated() {
            let unit = index == parts.count - 1 ? part : part + " ·"
            // A part too long for a line of its own (a very long name) may break between its words.
            if unit.count > room {
                units += unit.split(separator: " ").map(String.init)
            } else {
                units.append(unit)
            }
        }
        return wrapUnits(units, width: textWidth, lead: lead, continuationIndent: lead.count)
    }

    /// Multi-line text: each line of it wrapped, blank lines kept, trailing blank lines dropped.
    private static func paragraphs(_ text: String, width: Int, indent: Int) -> [String] {
        var lines = TextSanitiser.lines(text)
        while lines.count > 1, lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            lines.removeLast()
        }
        return lines.flatMap { wrap($0, width: width, indent: indent) }
    }

    /// Greedy word wrap of one sanitised line so that no line (with its indent) is wider than
    /// `width`; a word longer than the line is split.
    static func wrap(_ line: String, width: Int, indent: Int = 0, continuationIndent: Int? = nil) -> [String] {
        wrapUnits(line.split(separator: " ").map(String.init), width: width,
                  lead: String(repeating: " ", count: indent), continuationIndent: continuationIndent ?? indent)
    }

    /// Units joined by single spaces, filled greedily after `lead` (first line) or the indent (the rest).
    private static func wrapUnits(_ units: [String], width: Int, lead: String, continuationIndent: Int) -> [String] {
        let next = String(repeating: " ", count: continuationIndent)
        var out: [String] = []
        var current = ""
        var prefix = lead
        func room() -> Int { max(1, width - prefix.count) }
        func flush() {
            out.append(trimmedRight(prefix + current))
            current = ""
            prefix = next
        }
        for unit in units where !unit.isEmpty {
            var unit = Substring(unit)
            if !current.isEmpty, current.count + 1 + unit.count > room() { flush() }
            // Only reached with an empty line: a unit that fits beside text never exceeds the room.
            while unit.count > room() {
                current = String(unit.prefix(room()))
                unit = unit.dropFirst(room())
                flush()
            }
            if unit.isEmpty { continue }
            current += current.isEmpty ? String(unit) : " " + unit
        }
        if !current.isEmpty || out.isEmpty { flush() }
        return out
    }

    private static func trimmedRight(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }
}

// MARK: Files

extension ChronologyExporter {
    /// Writes both files into `directory` (created with 0700 if missing), each created readable by the owner only (0600),
    /// named chronology-<UPN>-<yyyymmdd-HHmm>.txt/.html (London time of exportedAt); never overwrites an existing file
    /// (add -2, -3...). Returns the two paths.
    public static func write(_ export: ChronologyExport, to directory: URL) throws -> (text: URL, html: URL) {
        let folder = directory.standardizedFileURL.path
        try ensureFolder(folder)
        let base = baseName(export)
        let textData = Data(text(export).utf8), htmlData = Data(html(export).utf8)
        // Both files of one export share a suffix; a name taken by anything (file, folder,
        // dangling link) moves both on to the next.
        for attempt in 1...maxAttempts {
            let stem = folder + "/" + base + (attempt == 1 ? "" : "-\(attempt)")
            let textPath = stem + ".txt", htmlPath = stem + ".html"
            if exists(textPath) || exists(htmlPath) { continue }
            guard try createNew(textPath, textData) else { continue }
            do {
                guard try createNew(htmlPath, htmlData) else {
                    // Someone took the .html name between the check and now: give the pair up.
                    unlink(textPath)
                    continue
                }
            } catch {
                unlink(textPath)
                throw error
            }
            return (URL(fileURLWithPath: textPath), URL(fileURLWithPath: htmlPath))
        }
        throw ChronologyExportError.cannotWrite(path: folder + "/" + base + ".txt",
                                                reason: "\(maxAttempts) exports of this chronology already have that name")
    }

    static let maxAttempts = 999

    /// "chronology-A999432114007-20261122-1405": the UPN (letters and digits only) and London time.
    static func baseName(_ export: ChronologyExport) -> String {
        let upn = String(export.header.upn.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic
                || ("0"..."9").contains($0)) }.map(Character.init)).uppercased()
        let c = UKDate.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: export.exportedAt)
        let stamp = String(format: "%04d%02d%02d-%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
        return "chronology-\(upn.isEmpty ? "no-upn" : upn)-\(stamp)"
    }

    /// The folder exists (made 0700, with any missing parents, when it did not) and is a folder.
    private static func ensureFolder(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw ChronologyExportError.notAFolder(path: path) }
            return
        }
        let missing = errno
        guard missing == ENOENT else { throw ChronologyExportError.cannotCreateFolder(path: path, reason: reason(missing)) }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try ensureFolder(parent) }
        if mkdir(path, 0o700) != 0 {
            let code = errno
            // Made by someone else meanwhile: fine if it is a folder.
            if code == EEXIST, stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return }
            throw ChronologyExportError.cannotCreateFolder(path: path, reason: reason(code))
        }
        // mkdir's mode is filtered by the umask; say it outright.
        chmod(path, 0o700)
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Creates `path` (0600, never replacing anything, not following a link) and writes `data`.
    /// False when the name is already taken.
    static func createNew(_ path: String, _ data: Data) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            if code == EEXIST { return false }
            throw ChronologyExportError.cannotWrite(path: path, reason: reason(code))
        }
        var failure: Int32?
        if fchmod(fd, 0o600) != 0 { failure = errno }
        if failure == nil {
            failure = data.withUnsafeBytes { raw -> Int32? in
                var offset = 0
                while offset < raw.count {
                    let written = posixWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    offset += written
                }
                return nil
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if let failure {
            unlink(path)
            throw ChronologyExportError.cannotWrite(path: path, reason: reason(failure))
        }
        return true
    }

    /// What went wrong, in words a DSL can act on.
    static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "permission denied"
        case ENOENT: "no such file or folder"
        case ENOTDIR: "part of the path is not a folder"
        case ENOSPC: "the disk is full"
        case EDQUOT: "the disk quota is used up"
        case EROFS: "the disk is read-only"
        case ENAMETOOLONG: "the name is too long"
        case EISDIR: "it is a folder"
        case ELOOP: "it is a symbolic link"
        case EIO: "the disk reported an input/output error"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}

/// Why a chronology could not be written; each message names the path.
public enum ChronologyExportError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    case cannotCreateFolder(path: String, reason: String)
    case notAFolder(path: String)
    case cannotWrite(path: String, reason: String)

    public var path: String {
        switch self {
        case .cannotCreateFolder(let path, _), .notAFolder(let path), .cannotWrite(let path, _): path
        }
    }

    public var description: String {
        switch self {
        case .cannotCreateFolder(let path, let reason): "Cannot create the folder \(path): \(reason)"
        case .notAFolder(let path): "Cannot write to \(path): it is not a folder"
        case .cannotWrite(let path, let reason): "Cannot write to \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

/// `write(2)`, which inside `ChronologyExporter` the exporter's own `write` would hide.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
