import ArgumentParser
import CairnDomain
import CairnExchange
import CairnStore
import Foundation

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Manage who may sign in and what they may see.",
        discussion: "A DSL or admin manages staff: at a school, that school's staff; at the trust, everyone. "
            + "Only a DSL can give a role that reads records (dsl, deputy, pastoral). Nobody is ever deleted.",
        subcommands: [Add.self, Disable.self, Enable.self, SetRole.self, SetYears.self, List.self, History.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a member of staff.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their operating-system username.") var username: String
        @Option(help: "Full name as others will see it.") var name: String
        @Option(help: "dsl, deputy, pastoral, staff, admin or auditor.") var role: String
        @Option(help: "Year groups a pastoral lead covers, e.g. 7,8,9 or R,1,2.") var years: String?
        @Option(help: "The school they work at (default: yours, or the only one).") var school: String?
        @Flag(help: "They work for the trust, across all its schools.") var trust = false

        func run() throws {
            try reported {
                if trust, school != nil {
                    throw CLIError("--school and --trust: choose one; someone works at one school or for the whole trust", code: 64)
                }
                let parsedRole = try parseRole(role, "--role")
                let parsedYears = try years.map { try parseYears($0, "--years") } ?? []
                let session = try Session.open(global)
                let schoolID = try school.map { try findSchool($0, in: session.store).id }
                try session.store.addStaff(actor: session.actor, Staff(username: username, displayName: name, role: parsedRole,
                                                                       years: parsedYears, school: schoolID), trustLevel: trust)
                let added = try session.store.staff(username: username)
                let place = trust ? "the trust" : try session.store.schoolName(added?.school)
                print("Added \(username) as \(describe(parsedRole, parsedYears)) at \(TextSanitiser.line(place)).")
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop someone signing in. Their records, actions and history are kept.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their username.") var username: String
        @Option(help: "Why, for the history (e.g. \"left the school\").") var reason: String?

        func run() throws {
            try reported {
                let session = try Session.open(global)
                try session.store.disableStaff(actor: session.actor, username: username, reason: reason)
                print("Disabled \(username): they can no longer sign in. Everything they recorded, their open actions and their history are kept.")
            }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled member of staff sign in again.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their username.") var username: String

        func run() throws {
            try reported {
                let session = try Session.open(global)
                try session.store.enableStaff(actor: session.actor, username: username)
                print("Enabled \(username): they can sign in again.")
            }
        }
    }

    struct SetRole: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change someone's role.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their username.") var username: String
        @Argument(help: "dsl, deputy, pastoral, staff, admin or auditor.") var role: String
        @Option(help: "Year groups, when the new role is pastoral: e.g. 7,8,9.") var years: String?

        func run() throws {
            try reported {
                let parsedRole = try parseRole(role, "ROLE")
                let parsedYears = try years.map { try parseYears($0, "--years") } ?? []
                let session = try Session.open(global)
                try session.store.setRole(actor: session.actor, username: username, role: parsedRole, years: parsedYears)
                print("\(username) is now \(describe(parsedRole, parsedYears)).")
            }
        }
    }

    struct SetYears: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-years",
                                                        abstract: "Change the year groups a pastoral lead covers.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their username.") var username: String
        @Argument(help: "Year groups, e.g. 7,8,9 or R,1,2.") var years: String

        func run() throws {
            try reported {
                let parsedYears = try parseYears(years, "YEARS")
                let session = try Session.open(global)
                try session.store.setYears(actor: session.actor, username: username, years: parsedYears)
                print("\(username) now covers \(yearList(parsedYears)).")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff, their roles and where they work.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Include disabled accounts.") var all = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let staff = try session.store.listStaff(actor: session.actor, includeDisabled: all)
                let schools = try session.store.schools()
                if json {
                    print(try StaffJSON.string(staff, schools: schools))
                    return
                }
                let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0.name) })
                let rows = [["USERNAME", "ROLE", "YEARS", "SCHOOL", "STATUS", "NAME"]] + staff.map { member in
                    [member.username, member.role.rawValue, member.years.isEmpty ? "-" : yearList(member.years),
                     member.school.map { TextSanitiser.line(names[$0] ?? "?") } ?? "Trust",
                     member.active ? "active" : "disabled", TextSanitiser.line(member.displayName)]
                }
                print(columns(rows))
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every change to a member of staff: added, role, years, disabled, enabled; when and by whom.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Their username.") var username: String

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let changes = try session.store.staffHistory(actor: session.actor, username: username)
                if changes.isEmpty { print("No changes recorded for \(username).") }
                for change in changes {
                    // An empty value is a year list emptied by a move off pastoral.
                    let value = [change.oldValue, change.newValue].compactMap { $0.map { $0.isEmpty ? "none" : TextSanitiser.line($0) } }
                        .joined(separator: " → ")
                    print("\(UKDate.dateTime(change.changedAt))  \(change.change)  \(value)  by \(change.changedBy)")
                }
            }
        }
    }
}

struct SchoolsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schools", abstract: "The schools in this database (a trust's).",
                                                    subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a school to the trust (trust-level DSL or admin).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The school's name.") var name: String

        func run() throws {
            try reported {
                let session = try Session.open(global)
                let school = try session.store.addSchool(actor: session.actor, name: name)
                print("Added \(TextSanitiser.line(school.name)). Add its staff with `cairn staff add USERNAME --school \"\(TextSanitiser.line(school.name))\" …`.")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the schools.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try reported {
                let session = try Session.open(global)
                for school in try session.store.schools() { print(TextSanitiser.line(school.name)) }
            }
        }
    }
}

/// A school by name, as people type it (any case, spaces around ignored).
func findSchool(_ name: String, in store: CairnStore) throws -> School {
    let schools = try store.schools()
    let wanted = name.trimmingCharacters(in: .whitespaces)
    if let school = schools.first(where: { $0.name.caseInsensitiveCompare(wanted) == .orderedSame }) { return school }
    let known = schools.map { "\"\(TextSanitiser.line($0.name))\"" }.joined(separator: ", ")
    throw CLIError("--school: there is no school called \"\(TextSanitiser.line(wanted))\"; the schools are \(known)", code: 65)
}

private func parseRole(_ text: String, _ label: String) throws -> Role {
    guard let role = Role(rawValue: text.lowercased()) else {
        throw CLIError("\(label): \"\(text)\" is not a role (dsl, deputy, pastoral, staff, admin, auditor)", code: 64)
    }
    return role
}

private func parseYears(_ text: String, _ label: String) throws -> Set<YearGroup> {
    var years: Set<YearGroup> = []
    for part in text.split(separator: ",") {
        guard let year = YearGroup(parsing: String(part)) else {
            throw CLIError("\(label): \"\(part)\" is not a year group (R or 1 to 13)", code: 64)
        }
        years.insert(year)
    }
    return years
}

private func yearList(_ years: Set<YearGroup>) -> String { years.sorted().map(\.short).joined(separator: ",") }

/// "Pastoral lead (Y7,Y8)", "Deputy DSL".
private func describe(_ role: Role, _ years: Set<YearGroup>) -> String {
    years.isEmpty ? role.label : "\(role.label) (\(yearList(years)))"
}

/// Rows padded into columns two spaces apart; the last column is not padded.
private func columns(_ rows: [[String]]) -> String {
    let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}
