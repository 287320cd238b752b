import ArgumentParser
import CairnDomain
import CairnExchange
import CairnStore
import Foundation

/// `cairn transfer out|in|confirm|review`: a pupil's file travels to their new school as an
/// encrypted bundle (TRANSFER-FORMAT.md), and receipt is confirmed.
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Send a pupil's file to their new school, or receive one (the DSL and deputies).",
        subcommands: [Out.self, In.self, Confirm.self, Review.self])

    struct Out: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a pupil's whole file as an encrypted bundle for their new school.",
            discussion: """
                Asks twice for a passphrase of at least \(CairnStore.transferPassphraseMinimumLength) characters, without showing it \
                (or reads the first line of --passphrase-file). Give the passphrase to the receiving school apart from the file, \
                by telephone. Records the transfer in the chronology and gives you an action to confirm receipt within five school days.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The pupil's UPN.") var upn: String
        @Option(help: "The school the pupil is going to.") var to: String
        @Option(help: ArgumentHelp("Where to write the bundle: a new file, never an existing one.", valueName: "file")) var out: String
        @Option(help: ArgumentHelp("Read the passphrase from the first line of this file (for scripts).", valueName: "file"))
        var passphraseFile: String?

        func run() throws {
            try reported {
                if TransferPaths.exists(out) {
                    throw CLIError("--out: \(out) already exists; Cairn never overwrites a file. Nothing was written.", code: 65)
                }
                let session = try Session.open(global)
                try session.store.requireTransferAccess(actor: session.actor)
                let (pupil, upn) = try transferPupil(upn, in: session.store)
                let passphrase = try TransferPaths.passphrase(file: passphraseFile, twice: true)
                if passphrase.count < CairnStore.transferPassphraseMinimumLength {
                    throw CLIError("the passphrase must be at least \(CairnStore.transferPassphraseMinimumLength) characters long (yours has \(passphrase.count)). Nothing was written.", code: 65)
                }
                let key = try TransferEnvelope.key(passphrase: passphrase)
                let path = out
                let written = WrittenFlag()
                let sent: TransferSent
                do {
                    sent = try session.store.transferOut(actor: session.actor, pupil: pupil, to: to) { file in
                        let sealed = try TransferBundle.seal(file, with: key)
                        try TransferBundle.write(sealed.bytes, to: path)
                        written.value = true
                        return sealed.seal
                    }
                } catch {
                    // The bundle was written but its transfer could not be recorded: take it away again.
                    if written.value { unlink(path) }
                    throw TransferPaths.words(error)
                }
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                print("""
                    Wrote \(path) (\(size) bytes, readable by you only): the file of \(TextSanitiser.line(sent.pupilName)) \
                    (UPN \(upn.value)), \(counted(sent.entries, "entry", "entries")), for \(TextSanitiser.line(sent.toSchool)).
                    Digest (SHA-256): \(CairnStore.groupedDigest(sent.digest))
                    Give the passphrase to \(TextSanitiser.line(sent.toSchool)) separately, by telephone, never with the file.
                    When they read you their receipt code, run: cairn transfer confirm \(upn.value) CODE
                    Action set for you: confirm receipt by \(UKDate.date(sent.confirmBy)).
                    """)
            }
        }
    }

    struct In: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a bundle from another school, show what it holds, and import it.",
            discussion: """
                Asks for the passphrase without showing it (or reads the first line of --passphrase-file), checks the file, \
                shows the pupil and what the file holds, and asks before importing (y/N). Prints a receipt code to read back \
                to the sending school. Nothing is imported from a file that is damaged, changed, cut short, of an unknown \
                version, already imported, or for a pupil of another school here.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The bundle.") var file: String
        @Option(help: ArgumentHelp("Read the passphrase from the first line of this file (for scripts).", valueName: "file"))
        var passphraseFile: String?
        @Flag(help: "Import without asking (for scripts).") var yes = false
        @Option(help: "The school receiving the file; needed by trust-level staff when there are several.") var school: String?

        func run() throws {
            try reported {
                let bytes: Data
                do {
                    bytes = try TransferBundle.read(path: file)
                    // Before anyone types a passphrase: is this a bundle at all, whole, of a version we read?
                    _ = try TransferEnvelope.header(bytes)
                } catch {
                    throw TransferPaths.words(error, missing: 66)
                }
                let session = try Session.open(global)
                try session.store.requireTransferAccess(actor: session.actor)
                let schoolID = try school.map { try findSchool($0, in: session.store).id }
                let passphrase = try TransferPaths.passphrase(file: passphraseFile, twice: false)
                let opened: TransferBundle.Opened
                do { opened = try TransferBundle.open(bytes, passphrase: passphrase) } catch { throw TransferPaths.words(error) }
                let preview = try session.store.previewTransfer(actor: session.actor, opened.file, digest: opened.digest,
                                                                school: schoolID)
                print(TransferPaths.describe(preview, digest: opened.digest))
                if !yes {
                    print("Import this file into \(TextSanitiser.line(preview.receivingSchool))? [y/N] ", terminator: "")
                    let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased()
                    guard answer == "y" || answer == "yes" else {
                        print(answer == nil ? "\nNo answer, so nothing was imported (add --yes in scripts)." : "Nothing was imported.")
                        return
                    }
                }
                let received = try session.store.importTransfer(actor: session.actor, opened.file, digest: opened.digest,
                                                                receiptCode: opened.receiptCode, school: schoolID)
                print("""
                    Imported \(counted(received.entries, "entry", "entries")) into the file of \(TextSanitiser.line(received.pupilName))\
                    \(received.createdPupil ? ", added to the roll" : ""). It is at the top of the queue until someone reviews it.
                    Receipt code: \(opened.receiptCode)
                    Read the receipt code to \(TextSanitiser.line(opened.file.sendingSchool)) so that they can confirm receipt.
                    """)
            }
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Confirm that the receiving school has the file: check the receipt code they read back.",
            discussion: "Closes your action to confirm receipt, with the outcome \"receipt confirmed by\" the school. A wrong code changes nothing.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The pupil's UPN.") var upn: String
        @Argument(help: "The receipt code, as XXXX-XXXX-XXXX-XXXX.") var code: String

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let pupil = try transferPupil(upn, in: session.store)
                let school = try session.store.confirmTransferReceipt(actor: session.actor, pupil: pupil.id, code: code)
                print("Receipt confirmed by \(TextSanitiser.line(school)); the action to confirm it is done.")
            }
        }
    }

    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a received file reviewed, saying what you found or what happens next (as r in the queue).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The pupil's UPN.") var upn: String
        @Option(help: "What you found in the file, or what happens next.") var note: String

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let pupil = try transferPupil(upn, in: session.store)
                guard let transfer = try session.store.transferAwaitingReview(pupil: pupil.id) else {
                    throw CLIError("no received file for UPN \(pupil.upn.value) is waiting for review.", code: 65)
                }
                try session.store.reviewTransfer(actor: session.actor, id: transfer, note: note)
                print("Reviewed; the file has left the queue.")
            }
        }
    }
}

/// Whether `transferOut`'s sealing wrote the bundle. The store runs it synchronously, before
/// `transferOut` returns or throws, so the flag is never read while it is being written.
private final class WrittenFlag: @unchecked Sendable {
    var value = false
}

/// The pupil a transfer command names by UPN: a well-formed UPN of a pupil in this database.
private func transferPupil(_ text: String, in store: CairnStore) throws -> (id: PupilID, upn: UPN) {
    let upn: UPN
    do { upn = try UPN(text) } catch { throw CLIError("UPN: \(error). Nothing was changed.", code: 65) }
    guard let pupil = try store.pupilID(upn: upn) else {
        throw CLIError("there is no pupil with UPN \(upn.value) here. Nothing was changed.", code: 65)
    }
    return (pupil, upn)
}

/// What the transfer commands share: paths, passphrases, and words for what went wrong.
enum TransferPaths {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// From the first line of `file`, else asked on the terminal (twice, to seal).
    static func passphrase(file: String?, twice: Bool) throws -> String {
        guard let file else {
            let answers = try PassphraseReader.answers(twice ? ["Passphrase for the bundle: ", "Same again: "] : ["Passphrase: "],
                                                    unchanged: "nothing was done", otherwise: "Use --passphrase-file FILE instead.")
            guard answers.allSatisfy({ $0 == answers[0] }) else {
                throw CLIError("the two passphrases differ. Nothing was written.", code: 65)
            }
            return answers[0]
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIError("--passphrase-file: cannot read \(file).", code: 66)
        }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(line.hasSuffix("\r") ? line.dropLast() : line)
    }

    /// Transfer failures as messages with exit codes: 65 for a bad bundle, `missing` for a file not there.
    static func words(_ error: Error, missing: Int32 = 1) -> Error {
        switch error {
        case let problem as TransferError: CLIError(problem.description, code: 65)
        case let problem as TransferFileError: CLIError(problem.description, code: missing)
        case let problem as ChronologyExportError: CLIError(problem.description, code: 1)
        default: error
        }
    }

    /// What the bundle holds and what importing it would do.
    static func describe(_ preview: TransferPreview, digest: String) -> String {
        let clean = TextSanitiser.line
        let span = preview.firstDate.map { first in "\(UKDate.date(first)) to \(UKDate.date(preview.lastDate ?? first))" } ?? "no entries"
        var lines = [
            "Transfer from \(clean(preview.fromSchool)), sent \(UKDate.dateTime(preview.sentAt)) by \(clean(preview.sentBy))",
            "Pupil:    \(clean(preview.pupilName)), UPN \(preview.upn), born \(UKDate.date(preview.dateOfBirth)), \(preview.yearGroup)",
            preview.existingPupil.map { "          already on roll here as \(clean($0)): the file joins theirs" }
                ?? "          not on roll here: added to \(clean(preview.receivingSchool)) with the file",
            "Entries:  \(preview.entries), \(span)\(preview.restricted > 0 ? ", \(preview.restricted) restricted" : "")",
        ]
        lines += preview.byKind.map { "          \($0.count) \($0.kind.label.lowercased())" }
        lines.append("Records:  \(counted(preview.concerns, "concern")), \(counted(preview.actions, "action")), "
                     + counted(preview.referrals, "referral"))
        lines.append("Digest:   \(CairnStore.groupedDigest(digest))")
        lines.append("          check it with \(clean(preview.fromSchool)): it must match what they were shown")
        if preview.addressedElsewhere {
            lines.append("Note: the file is addressed to \"\(clean(preview.addressedTo))\", and this is \(clean(preview.receivingSchool)).")
        }
        return lines.joined(separator: "\n")
    }
}
