import CairnDomain
import Foundation

/// A validated pupil from an MIS roster or a Common Transfer File, as the exchange layer hands it over.
public struct PupilRow: Equatable, Sendable {
    public var upn: UPN
    public var legalForename: String
    public var legalSurname: String
    public var preferredForename: String?
    public var dateOfBirth: Date
    public var yearGroup: YearGroup
    /// nil when the file does not say (a CTF has no registration group): a pupil on file keeps theirs.
    public var form: String?
    /// When the MIS says the pupil left (or will leave: a date after the import day leaves them on roll).
    public var leftOn: Date?
    /// Where a leaver went: the next school, when the export names it.
    public var destination: String?

    public init(upn: UPN, legalForename: String, legalSurname: String, preferredForename: String?, dateOfBirth: Date,
                yearGroup: YearGroup, form: String?, leftOn: Date? = nil, destination: String? = nil) {
        self.upn = upn
        self.legalForename = legalForename
        self.legalSurname = legalSurname
        self.preferredForename = preferredForename
        self.dateOfBirth = dateOfBirth
        self.yearGroup = yearGroup
        self.form = form
        self.leftOn = leftOn
        self.destination = destination
    }

    var displayName: String { PupilName.display(legal: legalForename, preferred: preferredForename, surname: legalSurname) }
}

/// Whether a file holds every pupil at the school or only some of them.
public enum RosterCoverage: String, Sendable {
    /// The whole roll: a pupil at the school who is not in it has left.
    case full
    /// Some pupils (a CTF, a list of new starters): nobody is marked left for being absent.
    case partial
}

/// A pupil as an import report names them.
public struct RosterPupil: Equatable, Sendable {
    public var upn: String
    public var name: String
    public var yearGroup: YearGroup
    public var form: String

    public init(upn: String, name: String, yearGroup: YearGroup, form: String) {
        self.upn = upn
        self.name = name
        self.yearGroup = yearGroup
        self.form = form
    }
}

/// One field that an import changes: "year group: Year 7 -> Year 8".
public struct RosterChange: Equatable, Sendable {
    public var field: String
    public var old: String
    public var new: String

    public init(field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }
}

public struct RosterUpdate: Equatable, Sendable {
    public var upn: String
    public var name: String
    public var changes: [RosterChange]

    public init(upn: String, name: String, changes: [RosterChange]) {
        self.upn = upn
        self.name = name
        self.changes = changes
    }
}

public struct RosterLeaver: Equatable, Sendable {
    public var upn: String
    public var name: String
    public var leftOn: Date
    public var destination: String?

    public init(upn: String, name: String, leftOn: Date, destination: String?) {
        self.upn = upn
        self.name = name
        self.leftOn = leftOn
        self.destination = destination
    }
}

/// The action a leaver with a safeguarding file gets: the DSL must send the file on.
public struct LeaverAction: Equatable, Sendable {
    public var upn: String
    public var pupilName: String
    public var owner: String
    public var ownerName: String
    public var due: Date
    public var description: String

    public init(upn: String, pupilName: String, owner: String, ownerName: String, due: Date, description: String) {
        self.upn = upn
        self.pupilName = pupilName
        self.owner = owner
        self.ownerName = ownerName
        self.due = due
        self.description = description
    }
}

/// What an import did, or would do on a dry run.
public struct RosterSync: Equatable, Sendable {
    public var school: String
    public var coverage: RosterCoverage
    public var dryRun: Bool
    public var added: [RosterPupil] = []
    public var updated: [RosterUpdate] = []
    public var left: [RosterLeaver] = []
    /// On the file as having left already, and never on roll here: not added (Cairn keeps no data it has no use for).
    public var notAdded: [RosterLeaver] = []
    public var actions: [LeaverAction] = []
    /// The importer may not know who has a safeguarding file (an admin): any actions were set but are not listed.
    public var actionsWithheld = false
    public var unchanged = 0

    public init(school: String, coverage: RosterCoverage, dryRun: Bool) {
        self.school = school
        self.coverage = coverage
        self.dryRun = dryRun
    }

    /// "3 added, 1 updated, 2 left, 1 action, 40 unchanged": the audit event's detail.
    var counts: String {
        var parts = ["\(added.count) added", "\(updated.count) updated", "\(left.count) left"]
        if !notAdded.isEmpty { parts.append("\(notAdded.count) not added (already left)") }
        parts.append("\(actions.count) transfer action\(actions.count == 1 ? "" : "s")")
        parts.append("\(unchanged) unchanged")
        return parts.joined(separator: ", ")
    }
}
