import CairnDomain
import CairnStore
import CSV
import Foundation

/// What Cairn reads from a roster CSV, and the headers each MIS gives it.
public enum RosterField: String, CaseIterable, Sendable {
    case upn, legalSurname, legalForename, preferredForename, dateOfBirth, yearGroup, form, leavingDate, destination

    /// The name used in messages: "line 14, date of birth: …".
    public var label: String {
        switch self {
        case .upn: "UPN"
        case .legalSurname: "legal surname"
        case .legalForename: "legal forename"
        case .preferredForename: "preferred forename"
        case .dateOfBirth: "date of birth"
        case .yearGroup: "year group"
        case .form: "form"
        case .leavingDate: "leaving date"
        case .destination: "destination"
        }
    }

    /// Headers accepted for the field, matched ignoring case and spacing. When an export has two of
    /// them (SIMS can give both "Legal Surname" and "Surname"), the one earlier here is used.
    public var headers: [String] {
        switch self {
        case .upn: ["UPN", "Unique Pupil Number"]
        case .legalSurname: ["Legal Surname", "Legal Last Name", "Last Name", "Surname", "Family Name"]
        case .legalForename: ["Legal Forename", "Legal First Name", "First Name", "Forename", "Given Name"]
        case .preferredForename: ["Preferred Forename", "Preferred First Name", "Preferred Name", "Known As"]
        case .dateOfBirth: ["DOB", "Date of Birth", "Birth Date"]
        case .yearGroup: ["Year", "Year Group", "NC Year", "National Curriculum Year", "Curriculum Year"]
        case .form: ["Reg", "Reg Group", "Registration Group", "Registration Form", "Reg Form", "Tutor Group",
                     "Form", "Form Group"]
        case .leavingDate: ["Leaving Date", "Date of Leaving", "Date Left", "Leave Date", "Left Date"]
        case .destination: ["Destination", "Next School", "Destination School", "Leaving Destination", "New School"]
        }
    }

    public var isRequired: Bool {
        switch self {
        case .upn, .legalSurname, .legalForename, .dateOfBirth, .yearGroup: true
        case .preferredForename, .form, .leavingDate, .destination: false
        }
    }
}

/// Reads a pupil roster exported from a school MIS (SIMS, Arbor, Bromcom...) as CSV: UTF-8 with or
/// without a BOM, CRLF or LF, columns in any order. Unknown columns (Adno, gender...) are ignored.
public enum RosterCSV {
    public static func parse(_ data: Data) -> Result<[PupilRow], RosterErrors> {
        if let problem = encodingProblem(data) { return .failure(RosterErrors(problems: [problem])) }
        var text = String(decoding: data, as: UTF8.self)
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        let records: [Record]
        do {
            records = try readRecords(text)
        } catch {
            return .failure(RosterErrors(problems: [.line(1, "file", "could not be read as CSV (\(error))")]))
        }
        // Blank lines (before the header too) are skipped but still counted.
        let isBlank: (Record) -> Bool = { $0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let headerIndex = records.firstIndex(where: { !isBlank($0) }) else {
            return .failure(RosterErrors(problems: [.line(1, "file", "is empty; expected a header line and one line per pupil")]))
        }
        let header = records[headerIndex]
        let columns: [RosterField: Int]
        switch mapHeader(header) {
        case .failure(let errors): return .failure(errors)
        case .success(let found): columns = found
        }
        var rows: [PupilRow] = []
        var problems: [RosterProblem] = []
        var seen = UPNsSeen()
        for record in records[(headerIndex + 1)...] where !isBlank(record) {
            guard record.fields.count == header.fields.count else {
                problems.append(.line(record.line, "row", "has \(record.fields.count) fields but the header has \(header.fields.count)"))
                continue
            }
            let value: (RosterField) -> String? = { field in columns[field].map { record.fields[$0] } }
            var checker = PupilFieldChecker(place: "line \(record.line)")
            let upn = checker.upn(value(.upn), field: RosterField.upn.label)
            let surname = checker.text(value(.legalSurname), field: RosterField.legalSurname.label, required: true)
            let forename = checker.text(value(.legalForename), field: RosterField.legalForename.label, required: true)
            let preferred = checker.text(value(.preferredForename), field: RosterField.preferredForename.label, required: false)
            let dob = checker.date(value(.dateOfBirth), field: RosterField.dateOfBirth.label, required: true)
            let year = checker.yearGroup(value(.yearGroup), field: RosterField.yearGroup.label)
            // A form column with a blank cell means no form; no column at all leaves forms as they are.
            let form = columns[.form] == nil ? nil : checker.text(value(.form), field: RosterField.form.label, required: false) ?? ""
            let leftOn = checker.date(value(.leavingDate), field: RosterField.leavingDate.label, required: false)
            let destination = checker.text(value(.destination), field: RosterField.destination.label, required: false)
            // Duplicates are reported even when the line has other problems too.
            if let upn, let earlier = seen.repeated(upn, at: "line \(record.line)") {
                checker.problem(RosterField.upn.label, "\(upn.value) appears twice (also \(earlier))")
            }
            problems += checker.problems
            guard checker.problems.isEmpty, let upn, let surname, let forename, let dob, let year else { continue }
            rows.append(PupilRow(upn: upn, legalForename: forename, legalSurname: surname, preferredForename: preferred,
                                 dateOfBirth: dob, yearGroup: year, form: form, leftOn: leftOn, destination: destination))
        }
        if problems.isEmpty, rows.isEmpty {
            problems.append(.line((records.last?.line ?? 1) + 1, "file", "has a header but no pupils"))
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
        return .line(line, "file", "is not UTF-8 text; save the export as \"CSV UTF-8\" and try again")
    }

    static func normalisedHeader(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Each field's column: the one whose header comes first in the field's list.
    static func mapHeader(_ header: Record) -> Result<[RosterField: Int], RosterErrors> {
        var lookup: [String: (field: RosterField, rank: Int)] = [:]
        for field in RosterField.allCases {
            for (rank, name) in field.headers.enumerated() { lookup[normalisedHeader(name)] = (field, rank) }
        }
        var found: [RosterField: (column: Int, rank: Int)] = [:]
        var problems: [RosterProblem] = []
        for (index, name) in header.fields.enumerated() {
            // Unknown columns are normal in MIS exports and are ignored.
            guard let match = lookup[normalisedHeader(name)] else { continue }
            let (field, rank) = match
            if let earlier = found[field], earlier.rank == rank {
                problems.append(.line(header.line, "header", "columns \(earlier.column + 1) and \(index + 1) are both "
                                      + "\"\(TextSanitiser.line(name))\"; keep one"))
            } else if found[field].map({ rank < $0.rank }) ?? true {
                found[field] = (index, rank)
            }
        }
        for field in RosterField.allCases where field.isRequired && found[field] == nil {
            let names = field.headers.map { "\"\($0)\"" }.joined(separator: ", ")
            problems.append(.line(header.line, "header", "no \(field.label) column (accepted headers: \(names))"))
        }
        return problems.isEmpty ? .success(found.mapValues(\.column)) : .failure(RosterErrors(problems: problems))
    }
}
