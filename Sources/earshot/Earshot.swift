import ArgumentParser
import Analytics
import Dashboard
import Foundation

/// `earshot`: a terminal dashboard over first-party event stores.
@main
struct Earshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot",
        abstract: "See what listening to your customers yields: segments, feedback loops and consent coverage.",
        discussion: """
        With no subcommand, earshot opens the dashboard. With no path it reads ExampleData.
        Keys inside the dashboard: ? help, i what a figure means, 1-\(Tab.allCases.count) views, / filter, f segment filter, s sort, e export, t tour, r reload, q quit.
        Privacy is on by default: personal data masked (--reveal shows it), counts of fewer than 5 persons withheld (--min-cohort).
        """,
        version: EarshotVersion.current,
        subcommands: [DashboardCommand.self, ReportCommand.self, CheckCommand.self, SegmentsCommand.self, ExampleDataCommand.self,
                      DemoCommand.self, SnapshotCommand.self, CacheCommand.self, SQLCommand.self],
        defaultSubcommand: DashboardCommand.self
    )

    /// The exit status of every usage error (bad flag, bad value, missing argument) outside `check`.
    static let usageExitCode: Int32 = 2

    /// Parses, then runs. Usage errors exit with ``usageExitCode`` (the library's own would be 64),
    /// with the library's message, the flag's help and the usage line; for `check` they are an
    /// UNKNOWN plugin result on standard output instead (exit 3), since monitoring reads only that.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(usageError: error, checking: arguments.first == CheckCommand.configuration.commandName)
        }
        do {
            try command.run()
        } catch {
            exit(withError: error)
        }
        Foundation.exit(0)
    }

    /// Ends the process for an error from parsing (help and `--version` requests included).
    static func exit(usageError error: Error, checking: Bool) -> Never {
        if exitCode(for: error) == .success { exit(withError: error) }
        if checking {
            // The library's message, then its help for the flag (what a good value looks like), then the usage line.
            let lines = fullMessage(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let first = lines.first ?? "invalid arguments"
            let summary = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
            let help = lines.dropFirst().filter { $0.hasPrefix("Help:") }
                .map { "help: " + $0.dropFirst(5).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            let usage = usageString(for: CheckCommand.self).split(separator: "\n")
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            let out = NagiosOutput.unknown(summary, details: help + ["usage: " + usage, "see `earshot check --help`"])
            FileHandle.standardOutput.write(Data(out.utf8))
            Foundation.exit(CheckStatus.unknown.exitCode)
        }
        Stderr.write(fullMessage(for: error) + "\n")
        Foundation.exit(usageExitCode)
    }
}

enum EarshotVersion {
    static let current = "0.1.0"
}
