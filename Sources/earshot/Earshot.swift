import ArgumentParser

/// `earshot`: a terminal dashboard over first-party event stores.
@main
struct Earshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot",
        abstract: "See what listening to your customers yields: segments, feedback loops and consent coverage.",
        discussion: """
        With no subcommand, earshot opens the dashboard. With no path it reads ExampleData.
        Keys inside the dashboard: ? help, 1-5 views, / filter, f segment filter, s sort, e export, r reload, q quit.
        Privacy is on by default: personal data masked (--reveal shows it), counts of fewer than 5 persons withheld (--min-cohort).
        """,
        version: EarshotVersion.current,
        subcommands: [DashboardCommand.self, ReportCommand.self, CheckCommand.self, SegmentsCommand.self, ExampleDataCommand.self,
                      DemoCommand.self, SnapshotCommand.self, CacheCommand.self],
        defaultSubcommand: DashboardCommand.self
    )
}

enum EarshotVersion {
    static let current = "0.1.0"
}
