import ArgumentParser
import ExampleGenerator

/// `earshot example-data`: (re)generate the deterministic example store.
struct ExampleDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example-data",
        abstract: "Write the deterministic example store of the fictional shop \"Nestling & Co\".",
        discussion: """
        The defaults reproduce the committed ExampleData byte for byte (older months gzip'd).
        Larger stores for benchmarks: earshot example-data --out /tmp/big --persons 60000
        """
    )

    @Option(name: .long, help: ArgumentHelp("Directory to write into (created when missing).", valueName: "dir"))
    var out: String = "ExampleData"

    @Option(name: .long, help: "Shoppers to simulate.")
    var persons: Int = 3000

    @Option(name: .long, help: "Seed of the generator.")
    var seed: UInt64 = 20261129

    @Option(name: .long, help: "Days of events, ending 2026-11-20 for the default start.")
    var days: Int = 91

    @Flag(name: .long, inversion: .prefixedNo, help: "Gzip every month but the last.")
    var gzip = true

    func run() throws {
        try reportingErrors {
            let store = ExampleStore(seed: seed, persons: persons, days: days)
            do {
                let summary = try store.generate(to: out, gzipOlderMonths: gzip)
                let companions = summary.companions.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
                print("wrote \(summary.files.count) event files and \(companions.joined(separator: ", ")) to \(out) "
                      + "(\(persons) persons, \(days) days); open it with: earshot \(out)")
            } catch {
                throw CLIError.failed("\(error)")
            }
        }
    }
}
