import ArgumentParser
import CairnDomain
import CairnExchange
import CairnStore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a new Cairn database for a school.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The school's name.")
    var school: String

    @Option(help: "Username of the first DSL (default: your operating-system account).")
    var dsl: String?

    @Option(help: "The DSL's full name as staff will see it.")
    var dslName: String?

    @Flag(help: "For a multi-academy trust: the DSL works for the trust and can add its other schools.")
    var trust = false

    func run() throws {
        try reported {
            let name = school.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw CLIError("--school: the school's name is empty", code: 64) }
            let username = dsl ?? Session.operatingSystemUser()
            if let problem = Staff.validateUsername(username) { throw CLIError("--dsl: \(problem)", code: 64) }
            let path = global.databasePath
            let store = try CairnStore.create(path: path)
            _ = try store.bootstrap(school: name, dsl: Staff(username: username, displayName: dslName ?? username,
                                                             role: .dsl, school: nil), trustLevel: trust)
            print("Created \(path) for \(name) with \(username) as \(trust ? "the trust's DSL" : "DSL").")
        }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demo database of synthetic pupils (if absent) and open it as the demo DSL.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Seed for the synthetic data; the same seed gives the same school.")
    var seed: UInt64 = 2026

    @Flag(help: "Create the database but do not open the dashboard.")
    var noOpen = false

    @OptionGroup var themeOptions: ThemeOptions

    func run() throws {
        try reported {
            let path = global.database ?? ".cairn/demo.sqlite"
            if !FileManager.default.fileExists(atPath: path) {
                printError("Creating a demo school at \(path)…\n")
                let started = Date()
                let concerns = try DemoSchool.create(path: path, seed: seed)
                let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
                printError("Made \(concerns) synthetic concerns in \(seconds)s.\n")
            }
            if noOpen { return }
            var options = global
            options.database = path
            if options.actAs == nil { options.actAs = "demo.dsl" }
            let session = try Session.open(options)
            try openDashboard(store: session.store, actor: session.actor, themeName: themeOptions.theme)
        }
    }
}

struct PupilsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pupils", abstract: "Pupils on roll.",
                                                    subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the school's pupils into line with an MIS roster (CSV) or a Common Transfer File (all or nothing).",
            discussion: """
                A CSV is the school's whole roll unless --partial is given: pupils on roll but not in it are marked \
                as left today (a leaving-date column gives the date), and a leaver with a safeguarding file gets \
                an action for the DSL to transfer it within 5 school days. Nobody is ever deleted. A CTF (--ctf) \
                only adds and updates. CSV columns, any order and case: \
                \(RosterField.allCases.map { $0.label + ($0.isRequired ? "" : " (optional)") }.joined(separator: ", ")); \
                see the README for every header accepted.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV export, or with --ctf the CTF's XML file.") var file: String
        @Flag(help: "The file is a DfE Common Transfer File (XML); it adds and updates pupils, never marks anyone left.")
        var ctf = false
        @Flag(help: "The CSV lists only some pupils: nobody is marked left for being absent from it.")
        var partial = false
        @Flag(help: "Show every change the import would make, and make none.") var dryRun = false
        @Option(help: "The school the pupils are at; needed by trust-level staff when there are several.") var school: String?

        func run() throws {
            try reported {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError("\(file): cannot read the file", code: 66)
                }
                let parsed = ctf ? CommonTransferFile.parse(data) : RosterCSV.parse(data)
                let rows: [PupilRow]
                switch parsed {
                case .success(let found): rows = found
                case .failure(let errors):
                    let hint = !ctf && Self.looksLikeXML(data) ? "\n(This looks like XML: for a Common Transfer File add --ctf.)" : ""
                    throw CLIError("\(file) was not imported; nothing was changed:\n" + errors.description + hint, code: 65)
                }
                let session = try Session.open(global)
                let schoolID = try school.map { try findSchool($0, in: session.store).id }
                let sync = try session.store.importPupils(actor: session.actor, rows, coverage: ctf || partial ? .partial : .full,
                                                          school: schoolID, dryRun: dryRun)
                print(RosterReport.text(sync), terminator: "")
            }
        }

        static func looksLikeXML(_ data: Data) -> Bool {
            String(decoding: data.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines.union(["\u{FEFF}"]))
                .hasPrefix("<")
        }
    }
}
