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
        let bar = ProgressBar()
        defer { bar.finish() }
        let outcome = try cliErrors { try SparkEngine.run(request, progress: bar.sparkProgress) }
        bar.finish()
        if json { print(outcome.json) } else { print(outcome.text, terminator: "") }
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
            let request = try store.request(withCache: false)
            print(try cliErrors { try SparkEngine.compile(request) }.plan.script, terminator: "")
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
