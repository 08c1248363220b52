import Analytics
import ArgumentParser
import EarshotApp
import EventStore
import Foundation
import SQLEngine

/// `--engine` and the Spark flags shared by `report` (docs/SCALE.md).
struct EngineOptions: ParsableArguments {
    enum Engine: String, ExpressibleByArgument, CaseIterable {
        /// earshot's own reader and metrics (the default).
        case embedded
        /// Apache Spark through spark-submit.
        case spark
    }

    @Option(name: .long, help: ArgumentHelp("Who computes the figures: embedded (earshot itself) or spark (spark-submit; docs/SCALE.md lists the figures it computes).",
                                            valueName: "engine"))
    var engine: Engine = .embedded

    @Option(name: .long, help: ArgumentHelp("Spark installation (its bin/spark-submit is run). Default: SPARK_HOME, else spark-submit on PATH.",
                                            valueName: "dir"))
    var sparkHome: String?

    @Option(name: .long, help: ArgumentHelp("Spark master: local[2], spark://host:7077, yarn, …", valueName: "url"))
    var sparkMaster: String = "local[2]"

    @Option(name: .long, help: ArgumentHelp("Extra Spark configuration, repeatable: --spark-conf spark.executor.memory=4g",
                                            valueName: "key=value"))
    var sparkConf: [String] = []

    /// The Spark settings of the flags; a `--spark-conf` without `=` is a usage error.
    func settings() throws -> SparkSettings {
        var conf: [(String, String)] = []
        for item in sparkConf {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw CLIError.usage("--spark-conf \(item): expected key=value")
            }
            conf.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
        }
        return SparkSettings(sparkHome: sparkHome, master: sparkMaster, conf: conf)
    }
}

extension EngineOptions {
    /// The Spark request of the store's flags (paths, rules, options; no cache: Spark reads the store itself).
    func sparkRequest(store: StoreOptions) throws -> SparkRequest {
        SparkRequest(store: try store.request(withCache: false), settings: try settings())
    }

    /// Rejects `--spark-…` flags without `--engine spark` (they would be ignored silently).
    func validate() throws {
        if engine != .spark && (sparkHome != nil || sparkMaster != "local[2]" || !sparkConf.isEmpty) {
            throw CLIError.usage("--spark-home, --spark-master and --spark-conf need --engine spark")
        }
    }
}

/// `report --engine spark`: runs the store's figures in Spark (``SparkEngine``) and prints the report.
enum EngineReportRun {
    static func run(store: StoreOptions, engine: EngineOptions, json: Bool) throws {
        let request = try engine.sparkRequest(store: store)
        let status = ProgressLine()
        defer { status.clear() }
        let outcome = try cliErrors { try SparkEngine.run(request, progress: { status.show("spark: " + $0.description) }) }
        status.clear()
        if json { print(outcome.json) } else { print(outcome.text, terminator: "") }
    }
}

/// One status line on standard error (only when it is a terminal), overwritten in place.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let tty = Stderr.isTerminal
    private var shown = false
    func show(_ text: String) {
        guard tty else { return }
        lock.lock(); defer { lock.unlock() }
        // The stage text is Spark's (digits and "stage"): escaped like any message, the control sequence written raw.
        Stderr.writeRaw("\r\u{1B}[K")
        Stderr.write(text)
        shown = true
    }
    func clear() {
        lock.lock(); defer { lock.unlock() }
        if shown { Stderr.writeRaw("\r\u{1B}[K"); shown = false }
    }
}

/// `earshot sql`: prints the statements an engine runs for the store's figures.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the SQL that computes the report's figures in a SQL engine (Spark SQL).",
        discussion: "The statements read the view earshot_lines (file, block, rid, value) that earshot's driver registers; docs/SCALE.md lists every figure and where it is computed."
    )

    @Option(name: .long, help: "SQL dialect: spark.")
    var dialect: SQLDialectArgument = .init(.spark)

    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingErrors {
            let configuration = try store.configuration()
            let options = try store.analysisOptions(configuration: configuration)
            let program = try EngineRules.load(store: store, paths: try store.resolvedPaths())
            let compiler = SparkSQLCompiler(options: options, assumeUTC: store.readerOptions(configuration: configuration).assumeUTC,
                                            program: program)
            print(compiler.plan().script, terminator: "")
        }
    }
}

/// `--dialect` values.
struct SQLDialectArgument: ExpressibleByArgument {
    var dialect: SQLDialect
    init(_ dialect: SQLDialect) { self.dialect = dialect }
    init?(argument: String) {
        guard let d = SQLDialect(rawValue: argument) else { return nil }
        dialect = d
    }
    static var allValueStrings: [String] { SQLDialect.allCases.map(\.rawValue) }
    var defaultValueDescription: String { dialect.rawValue }
}

/// The segment rules of a store for an engine run (`--segments`, else the store's own `*.segments` file).
enum EngineRules {
    static func load(store: StoreOptions, paths: [String]) throws -> SegmentProgram? {
        let local = paths.filter { !RemotePath.isRemote($0) }
        if store.segments == nil && local.isEmpty { return nil }
        let file = try store.rulesFile(for: local)
        return try cliErrors { try StoreSession.rules(file) }
    }
}
