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

/// The store's inputs for an engine: local files as earshot lists them (by content), remote URIs as given.
enum EngineInputs {
    /// Schemes passed to Spark as they are (Spark lists them; docs/SCALE.md names the Hadoop settings).
    static func isRemote(_ path: String) -> Bool { RemotePath.isRemote(path) }

    /// Lists `paths`: local files and directories with ``StoreLocator`` (earshot's own rules), remote URIs as they are.
    /// A gzip file must be named `.gz` and a `.gz` file must be gzip, since Spark decompresses by name: otherwise a
    /// one-line error names the file.
    static func list(_ paths: [String]) throws -> (local: [ListedFile], engine: [EngineFile], warnings: [String]) {
        let remote = paths.filter(isRemote)
        let localPaths = paths.filter { !isRemote($0) }
        var local: [ListedFile] = [], warnings: [String] = []
        if !localPaths.isEmpty {
            let location: StoreLocation
            do { location = try StoreLocator.locate(localPaths) } catch { throw CLIError.failed(error.description) }
            warnings = location.warnings
            for f in location.files {
                let gzip = isGzip(f.path)
                if gzip != f.path.hasSuffix(".gz") {
                    throw CLIError.failed("\(f.path): " + (gzip ? "gzip content without a .gz name" : "named .gz but not gzip")
                                          + " (Spark decompresses by the name): rename it, or read the store without --engine spark")
                }
                local.append(ListedFile(path: f.path, bytes: f.bytes, compressed: gzip))
            }
        }
        var engine = local.enumerated().map { EngineFile(index: $0.offset, path: absolute($0.element.path), remote: false) }
        engine += remote.enumerated().map { EngineFile(index: local.count + $0.offset, path: $0.element, remote: true) }
        return (local, engine, warnings)
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    static func isGzip(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let d = h.readData(ofLength: 2)
        return d.count == 2 && d[d.startIndex] == 0x1F && d[d.startIndex + 1] == 0x8B
    }
}

/// `report --engine spark`: lists the files, writes the SQL, runs it with spark-submit and prints the report.
enum EngineReportRun {
    static func run(store: StoreOptions, engine: EngineOptions, json: Bool) throws {
        let configuration = try store.configuration()
        let options = try store.analysisOptions(configuration: configuration)
        let paths = try store.resolvedPaths()
        let inputs = try EngineInputs.list(paths)
        let program = try EngineRules.load(store: store, paths: paths)
        let compiler = SparkSQLCompiler(options: options, assumeUTC: store.readerOptions(configuration: configuration).assumeUTC,
                                        program: program)
        let plan = compiler.plan()
        let settings = try engine.settings()
        guard settings.isAvailable else {
            throw CLIError.failed("no spark-submit found (\(settings.submitPath)): install pyspark (pip install pyspark) or name Spark with --spark-home / SPARK_HOME")
        }
        let status = ProgressLine()
        let result: EngineResult
        do {
            result = try SparkRunner(settings: settings).run(plan: plan, files: inputs.engine) { status.show("spark: " + $0) }
        } catch let e as EngineError {
            status.clear()
            throw CLIError.failed(e.message)
        }
        status.clear()
        let raw: Report
        do {
            raw = try EngineReport.rawReport(result: result, files: inputs.local, options: options, program: program,
                                             unsupportedSegments: plan.unsupportedSegments, warnings: inputs.warnings)
        } catch let e as EngineError {
            throw CLIError.failed(e.message)
        }
        let report = Privacy.publish(raw, policy: options.privacy)
        let origin = EngineReport.Origin(engine: "spark", version: result.sparkVersion, master: result.master,
                                         computedAt: CivilTime.isoTimestamp(ms: Int64(Date().timeIntervalSince1970 * 1000)),
                                         seconds: result.seconds)
        if json {
            print(EngineReport.json(report, notComputed: plan.notComputed, origin: origin, unsupportedSegments: plan.unsupportedSegments))
        } else {
            print(EngineReport.header(origin: origin, notComputed: plan.notComputed))
            for (name, why) in plan.unsupportedSegments.sorted(by: { $0.key < $1.key }) {
                print("segment \"\(name)\" not computed by this engine: \(why)")
            }
            print(ReportRenderer.text(report), terminator: "")
        }
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
        let local = paths.filter { !EngineInputs.isRemote($0) }
        if store.segments == nil && local.isEmpty { return nil }
        let file = try store.rulesFile(for: local)
        return try cliErrors { try StoreSession.rules(file) }
    }
}
