import ArgumentParser
import Analytics
import EarshotApp
import EventStore
import Foundation

/// `earshot segments …`: work with rules files.
struct SegmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segments",
        abstract: "Check segment rules files (the language is described in docs/SEGMENTS.md).",
        subcommands: [Check.self]
    )

    /// `earshot segments check FILE…`: parse and resolve without reading a store.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate rules files without reading a store; errors are printed as file:line:column."
        )

        @Argument(help: ArgumentHelp("Rules files (*.segments).", valueName: "file"))
        var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("name at least one rules file") }
        }

        func run() throws {
            var failed = false
            for file in files {
                do {
                    guard let program = try StoreSession.rules(file) else { continue }
                    var counts = "\(program.segments.count) segments, \(program.scores.count) scores"
                    if !program.loops.isEmpty { counts += ", \(program.loops.count) loops" }
                    if !program.journeys.isEmpty { counts += ", \(program.journeys.count) journeys" }
                    print("\(UnsafeText.escaped(file)): ok — " + counts)
                } catch {
                    failed = true
                    Stderr.write("earshot: error: \(error.description)\n")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
