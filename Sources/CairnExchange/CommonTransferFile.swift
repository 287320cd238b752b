import CairnDomain
import CairnStore
import Foundation
import XMLCoder

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the core pupil fields from a DfE Common Transfer File (CTF): the XML a school's MIS writes
/// when a pupil moves school. `CTfile > CTFpupilData > Pupil` gives UPN, Surname, Forename and DOB
/// (yyyy-mm-dd); `Pupil > BasicDetails` gives PreferredForename and NCyearActual. Everything else
/// in a CTF (contacts, SEN, attendance, assessments, school history) is left alone: it belongs in
/// the MIS. A CTF carries no registration group, so a pupil it adds has no form until the next
/// roster import, and a pupil already on file keeps theirs. A CTF is never a full roster.
public enum CommonTransferFile {
    public static func parse(_ data: Data) -> Result<[PupilRow], RosterErrors> {
        if let problem = wellFormednessProblem(data) { return .failure(RosterErrors(problems: [problem])) }
        let file: CTFile
        do {
            file = try XMLDecoder().decode(CTFile.self, from: data)
        } catch {
            return .failure(RosterErrors(problems: [Self.problem(decoding: error)]))
        }
        guard let pupils = file.pupilData?.pupils, !pupils.isEmpty else {
            let message = file.pupilData == nil
                ? "has no <CTFpupilData> element: is it a Common Transfer File?"
                : "has no pupils (<CTFpupilData> holds no <Pupil>)"
            return .failure(RosterErrors(problems: [RosterProblem(place: "CTF", field: "file", message: message)]))
        }
        var rows: [PupilRow] = []
        var problems: [RosterProblem] = []
        var seen = UPNsSeen()
        for (index, pupil) in pupils.enumerated() {
            let known = pupil.upn.map { TextSanitiser.line($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? ""
            let place = "pupil \(index + 1)" + (known.isEmpty ? "" : " (UPN \(known))")
            var checker = PupilFieldChecker(place: place)
            let upn = checker.upn(pupil.upn, field: "UPN")
            let surname = checker.text(pupil.surname, field: "Surname", required: true)
            let forename = checker.text(pupil.forename, field: "Forename", required: true)
            let dob = checker.date(pupil.dateOfBirth, field: "DOB", required: true)
            let preferred = checker.text(pupil.basicDetails?.preferredForename, field: "BasicDetails/PreferredForename",
                                         required: false)
            let year = checker.yearGroup(pupil.basicDetails?.yearActual, field: "BasicDetails/NCyearActual")
            if let upn, let earlier = seen.repeated(upn, at: "pupil \(index + 1)") {
                checker.problem("UPN", "\(upn.value) appears twice (also \(earlier))")
            }
            problems += checker.problems
            guard checker.problems.isEmpty, let upn, let surname, let forename, let dob, let year else { continue }
            rows.append(PupilRow(upn: upn, legalForename: forename, legalSurname: surname, preferredForename: preferred,
                                 dateOfBirth: dob, yearGroup: year, form: nil))
        }
        return problems.isEmpty ? .success(rows) : .failure(RosterErrors(problems: problems))
    }

    /// XMLCoder reports a malformed file without saying where; Foundation's parser knows the line
    /// it gave up on (on Linux it can return true and still set the error, so both are checked).
    static func wellFormednessProblem(_ data: Data) -> RosterProblem? {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        guard !parser.parse() || parser.parserError != nil else { return nil }
        return RosterProblem(place: "CTF", field: "file", message: """
            is not well-formed XML (the parser gave up at line \(parser.lineNumber), column \(parser.columnNumber))
            """)
    }

    /// A decoding error names the pupil it was in when the coding path passes through one.
    static func problem(decoding error: any Error) -> RosterProblem {
        guard let decoding = error as? DecodingError else {
            return RosterProblem(place: "CTF", field: "file", message: "could not be read (\(error))")
        }
        let context: DecodingError.Context? = switch decoding {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
             .dataCorrupted(let context): context
        @unknown default: nil
        }
        let path = context?.codingPath ?? []
        let field = path.last.map(\.stringValue) ?? "file"
        var place = "CTF"
        if let pupil = path.firstIndex(where: { $0.stringValue == "Pupil" }), pupil + 1 < path.count,
           let index = path[pupil + 1].intValue {
            place = "pupil \(index + 1)"
        }
        return RosterProblem(place: place, field: field, message: "is not in the form a CTF gives it")
    }
}

// MARK: The parts of the CTF schema Cairn reads

private struct CTFile: Decodable {
    var pupilData: CTFPupilData?

    enum CodingKeys: String, CodingKey {
        case pupilData = "CTFpupilData"
    }
}

private struct CTFPupilData: Decodable {
    var pupils: [CTFPupil]?

    enum CodingKeys: String, CodingKey {
        case pupils = "Pupil"
    }
}

private struct CTFPupil: Decodable {
    var upn: String?
    var surname: String?
    var forename: String?
    var dateOfBirth: String?
    var basicDetails: CTFBasicDetails?

    enum CodingKeys: String, CodingKey {
        case upn = "UPN"
        case surname = "Surname"
        case forename = "Forename"
        case dateOfBirth = "DOB"
        case basicDetails = "BasicDetails"
    }
}

private struct CTFBasicDetails: Decodable {
    var preferredForename: String?
    var yearActual: String?

    enum CodingKeys: String, CodingKey {
        case preferredForename = "PreferredForename"
        case yearActual = "NCyearActual"
    }
}
