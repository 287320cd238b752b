import CairnDomain
import CairnStore
import Foundation

/// Privacy mode (`p`): for a shared office or a shared screen, every pupil on screen is shown as
/// initials and year group only. Applied once, to a copy of the state just before it is drawn, so
/// no view can forget it: names become initials, and UPN, form, legal name and date of birth are
/// blanked where they are held (views leave out a blank UPN or form, and the date of birth with it).
enum PrivacyMask {
    /// "Amara Okafor" -> "A.O."; "Jo" -> "J."
    static func initials(_ name: String) -> String {
        let letters = TextLayout.clean(name).split(whereSeparator: { $0 == " " || $0 == "-" }).compactMap(\.first)
        return letters.isEmpty ? "?" : letters.map { "\($0)." }.joined()
    }

    static func apply(_ state: AppState) -> AppState {
        guard state.privacy else { return state }
        var shown = state
        shown.queue.items = state.queue.items.map(mask)
        shown.queue.reviews = state.queue.reviews.map { review in
            var masked = review
            masked.pupil = mask(review.pupil)
            return masked
        }
        if var detail = shown.detail {
            detail.detail.item = mask(detail.detail.item)
            shown.detail = detail
        }
        if var chronology = shown.chronology {
            chronology.header = mask(chronology.header)
            shown.chronology = chronology
        }
        shown.actions.items = state.actions.items.map(mask)
        shown.audit = state.audit.masked(initials)
        switch state.overlay {
        case .finder(var finder):
            finder.results = finder.results.map(mask)
            finder.hits = finder.hits.map {
                var hit = $0
                hit.pupil = mask(hit.pupil)
                return hit
            }
            shown.overlay = .finder(finder)
        case .form(var session):
            session.form.relabelOptions { $0.privateLabel }
            shown.overlay = .form(session)
        default:
            break
        }
        return shown
    }

    static func mask(_ pupil: PupilSummary) -> PupilSummary {
        var masked = pupil
        masked.name = initials(pupil.name)
        masked.upn = ""
        masked.form = ""
        return masked
    }

    static func mask(_ item: QueueItem) -> QueueItem {
        var masked = item
        masked.pupils = item.pupils.map(mask)
        return masked
    }

    static func mask(_ header: PupilHeader) -> PupilHeader {
        var masked = header
        masked.name = initials(header.name)
        masked.legalName = masked.name
        masked.upn = ""
        masked.form = ""
        return masked
    }

    static func mask(_ row: ActionRow) -> ActionRow {
        var masked = row
        masked.pupilName = initials(row.pupilName)
        masked.upn = ""
        return masked
    }
}

/// "Amara Okafor · Year 7 · form 7K", leaving out a form that privacy mode has blanked.
enum PupilText {
    static func line(_ pupil: PupilSummary) -> String {
        "\(TextLayout.clean(pupil.name)) · \(pupil.yearGroup)" + (pupil.form.isEmpty ? "" : " · form \(TextLayout.clean(pupil.form))")
    }
}

/// Which school a row is from, for a trust-level reader: a short code in lists, the name in panels.
enum SchoolTag {
    /// "Oakfield Academy" -> "OA"; nil when the reader sees one school only.
    static func short(_ school: SchoolID, _ state: AppState) -> String? {
        guard let name = state.schoolNames[school] else { return nil }
        let letters = TextLayout.clean(name).split(separator: " ").compactMap(\.first).filter(\.isLetter)
        return String(letters.prefix(3)).uppercased()
    }

    static func name(_ school: SchoolID?, _ state: AppState) -> String? {
        school.flatMap { state.schoolNames[$0] }.map(TextLayout.clean)
    }
}
