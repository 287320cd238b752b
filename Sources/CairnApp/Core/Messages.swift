import CairnDomain
import CairnStore
import Foundation

public enum Msg: Sendable {
    case key(Key)
    case resized(Size)
    case tick(Date)
    case queueLoaded([QueueItem], reset: Bool, requested: Int)
    /// Files received from other schools, waiting for review at the top of the queue.
    case reviewsLoaded([TransferReview])
    case countsLoaded(StatusCounts)
    case concernOpened(ConcernDetail)
    case caseHoldersLoaded(ConcernID, ConcernReference, [Staff])
    case saved(String)
    case failed(String)
    /// Someone else decided first: the open form says what they did and keeps what was entered.
    case conflict(String)
    /// Pupils for the concern form's picker.
    case pupilsFound(String, [PupilSummary])
    /// The finder's answer for the text as it was at `generation`.
    case finderResults(generation: Int, FinderResults)
    /// The time now, after each key and on each tick while the finder waits for typing to pause.
    /// Unlike `tick`, it is not the minute turning.
    case clock(Date)
    case chronologyOpened(PupilHeader, [ChronologyRow], seekAction: Int64?)
    /// A pupil's file opened at an entry (a search hit).
    case chronologyOpenedAtEntry(PupilHeader, [ChronologyRow], entry: Int64)
    case chronologyPage([ChronologyRow], reset: Bool)
    case entryOpened(EntryDetail, then: EntryFollowUp)
    case actionsLoaded([ActionRow], reset: Bool, requested: Int)
    case ownersLoaded(OwnersFor, [Staff])
    /// The store refused what a form held: each problem goes beside its field.
    case invalid([FieldProblem])
    case chronologyRefreshed(PupilHeader, [ChronologyRow])
    /// A page of the audit log for this filter.
    case auditLoaded(AuditFilter, [AuditRecord], reset: Bool, requested: Int)
    /// The filter form's username and UPN were found: read the log with it.
    case auditFilterResolved(AuditFilter, AuditFilterDraft)
    case looksLoaded(PupilID, [LookSummary])
    case unlockChecked(Bool)
    case auditAcknowledged(AuditBreak?)
}

/// What to do once an entry has been read in full.
public enum EntryFollowUp: Equatable, Sendable {
    case show, amend, withhold, dispute
}

/// Forms that need the list of people who can own an action before they open.
public enum OwnersFor: Equatable, Sendable {
    case newAction(PupilID, concern: ConcernID?)
    case reassign(Int64)
}

/// Work that happens outside `update`; each comes back as a message.
public enum Effect: Equatable, Sendable {
    /// `after: nil` reloads from the top, keeping at least as many rows as were loaded.
    case loadQueue(after: QueueCursor?, limit: Int)
    case loadCounts
    case loadReviews
    /// Marks a received file reviewed, with what the reviewer found or will do.
    case reviewTransfer(Int64, note: String)
    case openConcern(ConcernID)
    case loadCaseHolders(ConcernID, ConcernReference)
    case triage(ConcernID, TriageDecision, seen: Int64?)
    case close(ConcernID, Outcome, seen: Int64?)
    /// `forConcern`: the concern form's picker, which may name any pupil of the school.
    case findPupils(String, forConcern: Bool)
    /// Opens a pupil's file; with an action, selects the entry that records it.
    case openChronology(PupilID, seekAction: Int64?)
    /// Opens a pupil's file with this entry selected.
    case openChronologyAtEntry(PupilID, entry: Int64)
    /// The finder's pupils and records for what was typed, at the finder's `generation`.
    case finderSearch(String, generation: Int)
    case loadChronology(PupilID, ChronologyOrder, ChronologyFilter, after: ChronologyCursor?)
    /// Reloads the open file after a change, keeping at least `limit` rows.
    case refreshChronology(PupilID, ChronologyOrder, ChronologyFilter, limit: Int)
    case openEntry(Int64, then: EntryFollowUp)
    case loadActions(ActionView, after: ActionCursor?, limit: Int)
    case loadOwners(OwnersFor)
    case record(Recording)
    case markSignificant(entry: Int64, Bool)
    case exportChronology(PupilID)
    /// A page of the audit log, newest first; `before: nil` is the newest page.
    case loadAudit(AuditFilter, before: Int64?, limit: Int)
    /// Checks the filter form's username and UPN against the store.
    case resolveAuditFilter(AuditFilterDraft)
    /// Who has looked at a pupil's file.
    case loadLooks(PupilID)
    /// Remembers privacy mode for this user.
    case savePrivacy(Bool)
    /// Checks a passphrase typed on the lock screen.
    case unlock(String)
    case acknowledgeAudit
}

/// Everything a form can ask the store to write.
public enum Recording: Equatable, Sendable {
    /// With `paper`, typed from a paper original.
    case concern(ConcernDraft, paper: PaperInput?)
    case note(PupilID, NoteInput)
    case meeting(PupilID, MeetingInput)
    case referral(PupilID, ReferralInput)
    case referralDecision(referral: Int64, decision: String, decidedOn: Date)
    case action(PupilID, ActionInput)
    case amend(entry: Int64, AmendmentInput)
    case withhold(entry: Int64, WithholdingInput)
    case liftWithholding(Int64)
    case setFlag(PupilID, ContextFlagKind, Date)
    case endFlag(PupilID, ContextFlagKind, Date)
    case completeAction(Int64, outcome: String)
    case moveAction(Int64, due: Date, reason: String)
    case reassignAction(Int64, owner: String, reason: String)
    case verifyBackfill(ConcernID)
    case dispute(entry: Int64, DisputeInput)
}

