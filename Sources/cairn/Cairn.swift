import ArgumentParser
import CairnApp
import CairnDomain
import CairnStore
import CairnTerminal
import Foundation

struct Cairn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Safeguarding records for schools, kept on your own server and run from the keyboard.",
        discussion: "With no subcommand, opens the dashboard on the configured database as the signed-in user.",
        subcommands: [InitCommand.self, DemoCommand.self, StaffCommand.self, PupilsCommand.self, ConcernCommand.self,
                      QueueCommand.self, AuditCommand.self]
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Colour theme name, from the Themes folder.")
    var theme = "default"

    func run() throws {
        try reported {
            let session = try Session.open(global)
            try openDashboard(store: session.store, actor: session.actor, themeName: theme)
        }
    }
}

/// Opens the full-screen dashboard; shared by `cairn` and `cairn demo`.
func openDashboard(store: CairnStore, actor: Staff, themeName: String) throws {
    if let problem = Terminal.localeProblem() {
        throw CLIError(problem, code: 1)
    }
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
        throw CLIError("The dashboard needs a terminal. For scripts, use the subcommands (see `cairn --help`).", code: 1)
    }
    let theme: Theme
    do {
        theme = try ThemeLoader.load(named: themeName)
    } catch {
        throw CLIError("Theme \(themeName): \(error)", code: 65)
    }
    let dashboard = try Dashboard(store: store, actor: actor)
    try Terminal.run(driver: dashboard, theme: theme, noColor: ProcessInfo.processInfo.environment["NO_COLOR"] != nil)
}
