import CairnDomain
import CairnExchange
import CairnStore
import Foundation

/// Carries out effects against the store for one signed-in member of staff.
public struct EffectRunner: Sendable {
    public let store: CairnStore
    public let actor: Staff
    /// Where `x` writes chronology exports.
    public let exportDirectory: URL

    public init(store: CairnStore, actor: Staff, exportDirectory: URL) {
        self.store = store
        self.actor = actor
        self.exportDirectory = exportDirectory
    }

    public func run(_ effect: Effect, scope: QueueScope) -> Msg {
        do {
            switch effect {
            case .loadQueue(let cursor, let limit):
                let items = try store.queue(actor: actor, scope: scope, after: cursor, limit: limit)
                return .queueLoaded(items, reset: cursor == nil, requested: limit)
            case .loadCounts:
                return .countsLoaded(try store.counts(actor: actor))
            case .loadReviews:
                return .reviewsLoaded(try store.transfersToReview(actor: actor))
            case .reviewTransfer(let id, let note):
                try store.reviewTransfer(actor: actor, id: id, note: note)
                return .saved("Marked reviewed: the received file has left the queue.")
            case .openConcern(let id):
                return .concernOpened(try store.concern(actor: actor, id: id))
            case .loadCaseHolders(let id, let reference):
                return .caseHoldersLoaded(id, reference, try store.caseHolders(actor: actor))
            case .triage(let id, let decision, let seen):
                try store.triage(actor: actor, id: id, decision: decision, seen: seen)
                let holder = (try? store.staff(username: decision.caseHolder))??.displayName ?? decision.caseHolder
                return .saved("Triage saved: level \(decision.level.label), case holder \(holder).")
            case .findPupils(let text, let forConcern):
                return .pupilsFound(text, try store.findPupils(actor: actor, matching: text, forConcern: forConcern))
            case .finderSearch(let text, let generation):
                return .finderResults(generation: generation, try store.finderSearch(actor: actor, text: text))
            case .openChronologyAtEntry(let pupil, let entry):
                let header = try store.pupilHeader(actor: actor, pupil: pupil)
                return .chronologyOpenedAtEntry(header, try store.chronology(actor: actor, pupil: pupil, limit: App.pageSize),
                                                entry: entry)
            case .openChronology(let pupil, let seekAction):
                let header = try store.pupilHeader(actor: actor, pupil: pupil)
                return .chronologyOpened(header, try store.chronology(actor: actor, pupil: pupil, limit: App.pageSize),
                                         seekAction: seekAction)
            case .loadChronology(let pupil, let order, let filter, let cursor):
                let rows = try store.chronology(actor: actor, pupil: pupil, order: order, filter: filter, after: cursor,
                                                limit: App.pageSize)
                return .chronologyPage(rows, reset: cursor == nil)
            case .refreshChronology(let pupil, let order, let filter, let limit):
                let header = try store.pupilHeader(actor: actor, pupil: pupil)
                return .chronologyRefreshed(header, try store.chronology(actor: actor, pupil: pupil, order: order,
                                                                          filter: filter, limit: limit))
            case .openEntry(let id, let then):
                return .entryOpened(try store.entry(actor: actor, id: id), then: then)
            case .loadActions(let view, let cursor, let limit):
                return .actionsLoaded(try store.actions(actor: actor, view: view, after: cursor, limit: limit),
                                      reset: cursor == nil, requested: limit)
            case .loadOwners(let purpose):
                return .ownersLoaded(purpose, try store.actionOwners(actor: actor))
            case .record(let recording):
                return .saved(try RecordingRunner(store: store, actor: actor).save(recording))
            case .markSignificant(let entry, let significant):
                try store.setSignificant(actor: actor, entry: entry, significant: significant)
                return .saved(significant ? "Marked as significant." : "No longer marked as significant.")
            case .exportChronology(let pupil):
                let export = try store.chronologyExport(actor: actor, pupil: pupil)
                let files = try ChronologyExporter.write(export, to: exportDirectory)
                let folder = Self.abbreviated(files.text.deletingLastPathComponent().path)
                return .saved("Exported \(files.text.lastPathComponent) and .html to \(folder)")
            case .loadAudit(let filter, let before, let limit):
                return .auditLoaded(filter, try store.auditLog(actor: actor, filter: filter, before: before, limit: limit),
                                    reset: before == nil, requested: limit)
            case .resolveAuditFilter(let draft):
                return .auditFilterResolved(try AuditPane.resolve(draft, in: store), draft)
            case .loadLooks(let pupil):
                return .looksLoaded(pupil, try store.whoHasLooked(actor: actor, pupil: pupil))
            case .savePrivacy(let on):
                try store.setPreference(actor: actor, Dashboard.privacyPreference, on ? "on" : "off")
                return .saved(on ? "Privacy mode: pupils are shown as initials and year group. p shows names again."
                                 : "Privacy mode off: pupils are shown by name.")
            case .unlock(let attempt):
                return .unlockChecked(try store.verifyPassphrase(username: actor.username, attempt))
            case .acknowledgeAudit:
                return .auditAcknowledged(try store.acknowledgeAuditBreak(actor: actor))
            case .close(let id, let outcome, let seen):
                try store.close(actor: actor, id: id, outcome: outcome, seen: seen)
                return .saved("Concern closed: \(outcome.kind.label).")
            }
        } catch StoreError.invalid(let problems) {
            return .invalid(problems)
        } catch StoreError.conflict(let message) {
            return .conflict(message)
        } catch {
            return .failed(Self.words(for: error))
        }
    }

    /// A path with the home directory shown as "~", as a person would write it.
    static func abbreviated(_ path: String) -> String {
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        guard !home.isEmpty, home != "/", path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }

    /// Errors in words a DSL can act on; never a raw database message.
    static func words(for error: Error) -> String {
        switch error {
        case let denied as AccessDenied: return denied.description
        case let storeError as StoreError: return storeError.description
        default: return "Could not complete that: \(error)"
        }
    }
}
