import CairnDomain
import CairnStore
import CSV
import Foundation

/// One thing wrong with a roster file, named by the file's own line number (the header is line 1).
public struct RosterProblem: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var field: String
    public var message: String

    public init(line: Int, field: String, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String { "line \(line): \(field): \(message)" }
}

/// Every problem found in a roster, in file order. Nothing is imported while any remain.
public struct RosterErrors: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [RosterProblem]

    public init(problems: [RosterProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Reads a pupil roster exported from a school MIS (SIMS, Arbor, Bromcom...) as CSV.
public enum RosterCSV {
    /// The column Cairn needs, then every header accepted for it (matched ignoring case and spacing).
    public static let acceptedHeaders: [String: [String]] = [
        Column.upn.rawValue: ["UPN"],
        Column.legalSurname.rawValue: ["Legal Surname", "Surname"],
        Column.legalForename.rawValue: ["Legal Forename", "Forename"],
        Column.preferredForename.rawValue: ["Preferred Forename", "Preferred Name"],
        Column.dateOfBirth.rawValue: ["DOB", "Date of Birth"],
        Column.yearGroup.rawValue: ["Year", "Year Group", "NC Year"],
        Column.form.rawValue: ["Reg Group", "Registration Group", "Form", "Reg"],
    ]

    enum Column: String, CaseIterable {
        case upn = "UPN"
        case legalSurname = "Legal Surname"
        case legalForename = "Legal Forename"
        case preferredForename = "Preferred Forename"
        case dateOfBirth = "DOB"
        case yearGroup = "Year"
        case form = "Reg Group"

        var isRequired: Bool { self != .preferredForename }
    }

    public static func parse(_ data: Data) -> Result<[PupilRow], RosterErrors> {
        if let problem = encodingProblem(data) { return .failure(RosterErrors(problems: [problem])) }
        var text = String(decoding: data, as: UTF8.self)
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        let records: [Record]
        do {
            records = try readRecords(text)
        } catch {
            return .failure(RosterErrors(problems: [RosterProblem(line: 1, field: "file", message: "could not be read as CSV (\(error))")]))
        }
        // Blank lines (before the header too) are skipped but still counted.
        let isBlank: (Record) -> Bool = { $0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let headerIndex = records.firstIndex(where: { !isBlank($0) }) else {
            return .failure(RosterErrors(problems: [RosterProblem(line: 1, field: "file", message: "is empty; expected a header line and one line per pupil")]))
        }
        let header = records[headerIndex]
        let columns: [Column: Int]
        switch mapHeader(header) {
        case .failure(let errors): return .failure(errors)
        case .success(let found): columns = found
        }
        var rows: [PupilRow] = []
        var problems: [RosterProblem] = []
        var firstLineOfUPN: [String: Int] = [:]
        for record in records[(headerIndex + 1)...] where !isBlank(record) {
            guard record.fields.count == header.fields.count else {
                problems.append(RosterProblem(line: record.line, field: "row",
                                              message: "has \(record.fields.count) fields but the header has \(header.fields.count)"))
                continue
            }
            var checker = RowChecker(record: record, columns: columns)
            let row = checker.row()
            // Duplicates are reported even when the line has other problems too.
            if let upn = checker.upn {
                if let earlier = firstLineOfUPN[upn.value] {
                    checker.problems.append(RosterProblem(line: record.line, field: Column.upn.rawValue,
                                                          message: "\(upn.value) appears twice (also line \(earlier))"))
                } else {
                    firstLineOfUPN[upn.value] = record.line
                }
            }
            if checker.problems.isEmpty, let row { rows.append(row) }
            problems += checker.problems
        }
        if problems.isEmpty, rows.isEmpty {
            let line = (records.last?.line ?? 1) + 1
            problems.append(RosterProblem(line: line, field: "file", message: "has a header but no pupils"))
        }
        return problems.isEmpty ? .success(rows) : .failure(RosterErrors(problems: problems))
    }

    // MARK: Reading

    struct Record {
        var line: Int
        var fields: [String]
    }

    /// CSV.swift does not count lines, so each record's first line is worked out from the line
    /// breaks it consumed: one at its end, plus any inside quoted fields.
    static func readRecords(_ text: String) throws -> [Record] {
        let reader = try CSVReader(string: text)
        var records: [Record] = []
        var line = 1
        while let fields = reader.next() {
            records.append(Record(line: line, fields: fields))
            line += 1 + fields.reduce(0) { $0 + lineBreaks(in: $1) }
        }
        return records
    }

    static func lineBreaks(in field: String) -> Int {
        var count = 0
        var previous: Unicode.Scalar?
        for scalar in field.unicodeScalars {
            if scalar == "\r" || (scalar == "\n" && previous != "\r") { count += 1 }
            previous = scalar
        }
        return count
    }

    /// Spreadsheets often save "CSV" in Windows-1252; name the first line that is not UTF-8.
    static func encodingProblem(_ data: Data) -> RosterProblem? {
        guard String(data: data, encoding: .utf8) == nil else { return nil }
        var line = 1
        for chunk in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if String(data: Data(chunk), encoding: .utf8) == nil { break }
            line += 1
        }
        return RosterProblem(line: line, field: "file",
                             message: "is not UTF-8 text; save the export as \"CSV UTF-8\" and try again")
    }

    static func normalisedHeader(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func mapHeader(_ header: Record) -> Result<[Column: Int], RosterErrors> {
        var lookup: [String: Column] = [:]
        for column in Column.allCases {
            for name in acceptedHeaders[column.rawValue] ?? [] { lookup[normalisedHeader(name)] = column }
        }
        var found: [Column: Int] = [:]
        var problems: [RosterProblem] = []
        for (index, name) in header.fields.enumerated() {
            // Unknown columns are normal in MIS exports and are ignored.
            guard let column = lookup[normalisedHeader(name)] else { continue }
            if let earlier = found[column] {
                problems.append(RosterProblem(line: header.line, field: "header",
                                              message: "columns \(earlier + 1) and \(index + 1) both give \(column.rawValue); keep one"))
            } else {
                found[column] = index
            }
        }
        for column in Column.allCases where column.isRequired && found[column] == nil {
            let names = (acceptedHeaders[column.rawValue] ?? []).map { "\"\($0)\"" }.joined(separator: ", ")
            problems.append(RosterProblem(line: header.line, field: "header",
                                          message: "no \(column.rawValue) column (accepted headers: \(names))"))
        }
        return problems.isEmpty ? .success(found) : .failure(RosterErrors(problems: problems))
    }
}

/// Checks one data line and collects every problem in it, rather than stopping at the first.
private struct RowChecker {
    typealias Column = RosterCSV.Column
    let record: RosterCSV.Record
    let columns: [Column: Int]
    var problems: [RosterProblem] = []
    private(set) var upn: UPN?

    init(record: RosterCSV.Record, columns: [Column: Int]) {
        self.record = record
        self.columns = columns
    }

    mutating func row() -> PupilRow? {
        upn = checkedUPN()
        let surname = name(.legalSurname, required: true)
        let forename = name(.legalForename, required: true)
        let preferred = name(.preferredForename, required: false)
        let dob = date()
        let year = yearGroup()
        let form = name(.form, required: false) ?? ""
        guard problems.isEmpty, let upn, let surname, let forename, let dob, let year else { return nil }
        return PupilRow(upn: upn, legalForename: forename, legalSurname: surname, preferredForename: preferred,
                        dateOfBirth: dob, yearGroup: year, form: form)
    }

    func value(_ column: Column) -> String? {
        guard let index = columns[column] else { return nil }
        return record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    mutating func problem(_ column: Column, _ message: String) {
        problems.append(RosterProblem(line: record.line, field: column.rawValue, message: message))
    }

    mutating func checkedUPN() -> UPN? {
        let text = value(.upn) ?? ""
        do {
            return try UPN(text)
        } catch {
            // The field is already named, so drop UPNError's own leading "UPN ".
            let message = error.description
            problem(.upn, message.hasPrefix("UPN ") ? String(message.dropFirst(4)) : message)
            return nil
        }
    }

    /// Blank optional values become nil; control characters are refused so that nothing odd reaches a screen.
    mutating func name(_ column: Column, required: Bool) -> String? {
        guard let text = value(column) else { return nil }
        if text.isEmpty {
            if required { problem(column, "is empty") }
            return nil
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problem(column, "contains a line break or control character (is a quote left open?)")
            return nil
        }
        return text
    }

    mutating func date() -> Date? {
        let text = value(.dateOfBirth) ?? ""
        if text.isEmpty { problem(.dateOfBirth, "is empty"); return nil }
        guard let date = UKDate.parseDate(text) else {
            problem(.dateOfBirth, "\"\(TextSanitiser.line(text))\" is not a real date (dd/mm/yyyy)")
            return nil
        }
        return date
    }

    mutating func yearGroup() -> YearGroup? {
        let text = value(.yearGroup) ?? ""
        if text.isEmpty { problem(.yearGroup, "is empty"); return nil }
        guard let year = YearGroup(parsing: text) else {
            problem(.yearGroup, "\"\(TextSanitiser.line(text))\" is not a year group (R or Reception, or 1 to 13)")
            return nil
        }
        return year
    }
}
