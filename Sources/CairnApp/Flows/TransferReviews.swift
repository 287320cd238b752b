import CairnDomain
import CairnStore
import Foundation

/// Files received from other schools, at the top of the queue until someone reviews them:
/// loading them, their keys, and marking one reviewed.
enum TransferReviews {
    /// The form's one field.
    static let note = "note"

    /// Only the safeguarding team has received files to review; nobody else is ever asked for them.
    static func load(_ state: AppState) -> [Effect] {
        AccessPolicy.decide(state.actor, .listQueue).isAllowed && AccessPolicy.decide(state.actor, .transfer).isAllowed
            ? [.loadReviews] : []
    }

    /// Keeps the selection on the same row: the same file, or the same concern below the files.
    static func loaded(_ reviews: [TransferReview], _ state: inout AppState) {
        let selectedReview = state.queue.selectedReview?.id
        let concernRow = state.queue.selected - state.queue.reviews.count
        state.queue.reviews = reviews
        if let selectedReview {
            // A file just reviewed has gone: the row that took its place is selected.
            state.queue.selected = reviews.firstIndex { $0.id == selectedReview } ?? state.queue.selected
        } else {
            state.queue.selected = reviews.count + max(0, concernRow)
        }
        state.queue.keepVisible(rows: state.queueRows)
    }

    /// A key on a received file in the queue: Enter opens the pupil's file, r marks it reviewed.
    static func command(_ command: Command, _ review: TransferReview, _ state: inout AppState) -> [Effect] {
        switch command {
        case .open:
            state.returnPane = .queue
            return [.openChronology(review.pupil.id, seekAction: nil)]
        case .markReviewed:
            let name = state.privacy ? PrivacyMask.initials(review.pupil.name) : TextLayout.clean(review.pupil.name)
            FormFlow.open(.reviewTransfer(review.id), Form(
                title: "Review the file from \(TextLayout.clean(review.fromSchool)) for \(name) (\(review.pupil.yearGroup.short))",
                fields: [
                    .multiline(note, "Review", rows: 5, required: true,
                               hint: "What you found, or what happens next (Enter on the file in the queue opens it)")
                        .whenMissing("Say what you found in the file, or what happens next"),
                ]), &state)
            return []
        case .triage, .close:
            state.notice = Notice(kind: .problem, text: "A file from another school: Enter opens it, r marks it reviewed.")
            return []
        default:
            return []
        }
    }

    /// r on a concern rather than a received file.
    static func notAFile(_ state: inout AppState) -> [Effect] {
        state.notice = Notice(kind: .problem, text: "r marks a file from another school reviewed; this is a concern.")
        return []
    }

    /// The queue row's cells after the marker: badge, state, age, pupil, what, the school it came
    /// from (in the reporter's column), and what it holds.
    static func cells(_ review: TransferReview, now: Date, pupilWidth: Int, reporterWidth: Int, school: String?) -> [String] {
        let span = review.firstDate.map { first in
            first == review.lastDate || review.lastDate == nil ? UKDate.date(first)
                : "\(UKDate.date(first))–\(UKDate.date(review.lastDate ?? first))"
        }
        return [
            "FILE",
            "new",
            UKDate.shortAge(from: review.importedAt, to: now),
            QueueView.pupilCell(review.pupil.name, year: review.pupil.yearGroup, width: pupilWidth, school: school),
            "file transfer",
            QueueView.shortName(TextLayout.clean(review.fromSchool), width: reporterWidth),
            "to review: \(counted(review.entries, "entry", "entries"))" + (span.map { ", \($0)" } ?? ""),
        ]
    }

    /// The panel beside the queue at 120 columns and wider.
    static func preview(_ review: TransferReview, width: Int) -> [TextPanel.Line] {
        var out = [TextPanel.Line(text: "File received from another school · to review", role: .title)]
        out += TextPanel.field("Pupil", PupilText.line(review.pupil), width: width)
        out += TextPanel.field("From", review.fromSchool, width: width)
        out += TextPanel.field("Sent", "\(UKDate.dateTime(review.sentAt)) by \(review.sentByName)", width: width)
        out += TextPanel.field("Imported", "\(UKDate.dateTime(review.importedAt)) by \(review.importedByName)", width: width)
        var entries = "\(review.entries)"
        if let first = review.firstDate { entries += ", \(UKDate.date(first)) to \(UKDate.date(review.lastDate ?? first))" }
        out += TextPanel.field("Entries", entries, width: width)
        out.append(TextPanel.Line(text: "", role: .normal))
        out += TextPanel.paragraph("Each imported entry says where it came from and who recorded it there. "
                                   + "Read the file, then mark it reviewed with what you found or what happens next.", width: width)
        out.append(TextPanel.Line(text: "", role: .normal))
        out.append(TextPanel.Line(text: "Enter opens the file; r marks it reviewed.", role: .muted))
        return out
    }
}
