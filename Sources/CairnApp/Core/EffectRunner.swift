import CairnDomain
import CairnStore
import Foundation

/// Carries out effects against the store for one signed-in member of staff.
public struct EffectRunner: Sendable {
    public let store: CairnStore
    public let actor: Staff

    public init(store: CairnStore, actor: Staff) {
        self.store = store
        self.actor = actor
    }

    public func run(_ effect: Effect, scope: QueueScope) -> Msg {
        do {
            switch effect {
            case .loadQueue(let cursor, let limit):
                let items = try store.queue(actor: actor, scope: scope, after: cursor, limit: limit)
                return .queueLoaded(items, reset: cursor == nil, requested: limit)
            case .loadCounts:
                return .countsLoaded(try store.counts(actor: actor))
            case .openConcern(let id):
                return .concernOpened(try store.concern(actor: actor, id: id))
            case .loadCaseHolders(let id, let reference):
                return .caseHoldersLoaded(id, reference, try store.caseHolders(actor: actor))
            case .triage(let id, let decision, let seen):
                try store.triage(actor: actor, id: id, decision: decision, seen: seen)
                let holder = (try? store.staff(username: decision.caseHolder))??.displayName ?? decision.caseHolder
                return .saved("Triage saved: level \(decision.level.label), case holder \(holder).")
            case .findPupils(let text):
                return .pupilsFound(text, try store.findPupils(actor: actor, matching: text))
            case .openChronology(let pupil):
                let header = try store.pupilHeader(actor: actor, pupil: pupil)
                return .chronologyOpened(header, try store.chronology(actor: actor, pupil: pupil, limit: App.pageSize))
            case .loadChronology(let pupil, let order, let filter, let cursor):
                let rows = try store.chronology(actor: actor, pupil: pupil, order: order, filter: filter, after: cursor,
                                                limit: App.pageSize)
                return .chronologyPage(rows, reset: cursor == nil)
            case .close(let id, let outcome, let seen):
                try store.close(actor: actor, id: id, outcome: outcome, seen: seen)
                return .saved("Concern closed: \(outcome.kind.label).")
            }
        } catch StoreError.conflict(let message) {
            return .conflict(message)
        } catch {
            return .failed(Self.words(for: error))
        }
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
