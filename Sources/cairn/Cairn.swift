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
        subcommands: [InitCommand.self, DemoCommand.self, StaffCommand.self, SchoolsCommand.self, PupilsCommand.self, ConcernCommand.self,
                      QueueCommand.self, SearchCommand.self, AuditCommand.self, AccessCommand.self, SSHCommand.self, PassphraseCommand.self,
                      RetentionCommand.self, SARCommand.self, FormCommand.self, RectifyCommand.self, TransferCommand.self]
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var themeOptions: ThemeOptions

    func run() throws {
        try reported {
            let session = try Session.open(global)
            try openDashboard(store: session.store, actor: session.actor, themeName: themeOptions.theme)
        }
    }
}

/// `--theme`, shared by `cairn` and `cairn demo`. An option group rather than an `@Option` in each:
/// the root command would otherwise take `cairn demo --theme x` for itself and `demo` never see it.
struct ThemeOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Colour theme: default, light, high-contrast, monochrome, or a .toml file.",
        discussion: "Else $CAIRN_THEME, else default. NO_COLOR (set to anything) forces monochrome. "
            + "A theme that cannot be used is reported and the default theme is used instead.",
        valueName: "name"))
    var theme: String?
}

/// Opens the full-screen dashboard; shared by `cairn` and `cairn demo`. `themeName` is the
/// `--theme` option, if given.
func openDashboard(store: CairnStore, actor: Staff, themeName: String?) throws {
    // A theme that cannot be used is not fatal: say so (the alternate screen keeps the message
    // visible after quitting) and go on with the default.
    let (theme, warning) = ThemeLoader.resolve(option: themeName)
    if let warning { printError("cairn: \(warning)\n") }
    let settings = Settings.current
    let dashboard = try Dashboard(store: store, actor: actor,
                                  idle: IdlePolicy(lockAfter: settings.idleLock, exitAfter: settings.idleExit))
    try Terminal.run(driver: dashboard, theme: theme, noColor: ThemeLoader.wantsMonochrome())
    // Cairn ended the session itself (an account disabled, a long idle): say why, on the restored screen.
    if let farewell = dashboard.farewell { printError("cairn: \(farewell)\n") }
}
