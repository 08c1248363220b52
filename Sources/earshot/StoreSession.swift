import Analytics
import EventStore
import Foundation

/// A store read into memory, with its rules, ready to answer reports.
struct LoadedStore: Sendable {
    var table: EventTable
    var program: SegmentProgram?
    var options: AnalysisOptions
    var paths: [String]
    var seconds: Double

    /// The full report (segments included).
    func report(persons: PersonSet? = nil) -> Report {
        Analysis.report(table: table, program: program, options: options, persons: persons)
    }
}

/// Reads rules and store for a command: the one place where flags become a `LoadedStore`.
enum StoreSession {
    /// Parses the rules file (if any), reads the store with only the columns needed, and returns both.
    /// Errors are `CLIError`s with messages for the person at the keyboard.
    static func load(_ options: StoreOptions, progress: ((ReadProgress) -> Void)? = nil) throws -> LoadedStore {
        let started = Date()
        let paths = try options.resolvedPaths()
        let analysis = try options.analysisOptions()
        let program = try rules(options.rulesFile(for: paths))
        var selection = FieldSelection.metrics.union(FreeTextMetrics.fieldSelection)
        if let program { selection = selection.union(program.fieldSelection) }
        let table: EventTable
        do {
            table = try StoreReader(paths: paths, selection: selection).load(cache: options.cache, progress: progress).table
        } catch {
            throw CLIError.failed(error.description)
        }
        return LoadedStore(table: table, program: program, options: analysis, paths: paths,
                           seconds: Date().timeIntervalSince(started))
    }

    /// Parses a rules file; `nil` path → no rules.
    static func rules(_ path: String?) throws -> SegmentProgram? {
        guard let path else { return nil }
        let source: String
        do {
            source = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                throw CLIError.failed("no such rules file: \(path)")
            }
            throw CLIError.failed("cannot read rules file \(path) as UTF-8 text")
        }
        do {
            return try SegmentProgram.parse(source: source, fileName: path)
        } catch {
            throw CLIError.failed("invalid segment rules:\n\(error.description)")
        }
    }
}
