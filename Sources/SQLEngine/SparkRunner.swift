#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventStore
import Foundation

/// Paths an engine lists itself.
public enum RemotePath {
    /// Whether `path` is a URI such as `s3a://bucket/dir`, `gs://…`, `abfss://…`, `hdfs://…` (any `scheme://` but
    /// `file://`): passed to Spark as it is. Plain paths and `file://` are listed by earshot.
    public static func isRemote(_ path: String) -> Bool {
        guard let r = path.range(of: "://") else { return false }
        let scheme = path[..<r.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
            && scheme.lowercased() != "file"
    }
}

/// One input of an engine run: a local file earshot listed (its index is its position), or a remote URI Spark lists.
public struct EngineFile: Codable, Sendable, Equatable {
    public var index: Int
    public var path: String
    /// An `s3a://`, `gs://`, `abfss://`, `hdfs://` (or other `scheme://`) URI passed to Spark as it is.
    public var remote: Bool
    public init(index: Int, path: String, remote: Bool) { self.index = index; self.path = path; self.remote = remote }
}

/// Why an engine run failed: one line for the user, and the log to read.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// How to reach Spark: where `spark-submit` is, the master, extra configuration.
public struct SparkSettings: Sendable, Equatable {
    /// `--spark-home`, else `SPARK_HOME`; nil: `spark-submit` from `PATH` (pip's pyspark installs one).
    public var sparkHome: String?
    /// `--spark-master`: `local[2]`, `spark://host:7077`, `yarn`, …
    public var master: String
    /// `--spark-conf k=v`, applied after earshot's own settings (so a user may override them).
    public var conf: [(String, String)]

    public init(sparkHome: String? = nil, master: String = "local[2]", conf: [(String, String)] = []) {
        self.sparkHome = sparkHome; self.master = master; self.conf = conf
    }

    public static func == (a: SparkSettings, b: SparkSettings) -> Bool {
        a.sparkHome == b.sparkHome && a.master == b.master && a.conf.elementsEqual(b.conf, by: { $0 == $1 })
    }

    /// earshot's settings for exact results: UTC session zone, ANSI mode, a repeated JSON key keeps its last value,
    /// few shuffle partitions (the default 200 is a large tax on small clusters; raise it with `--spark-conf`).
    public static let baseConf: [(String, String)] = [
        ("spark.sql.session.timeZone", "UTC"),
        ("spark.sql.ansi.enabled", "true"),
        ("spark.sql.variant.allowDuplicateKeys", "true"),
        ("spark.sql.mapKeyDedupPolicy", "LAST_WIN"),
        ("spark.sql.shuffle.partitions", "8"),
        ("spark.ui.showConsoleProgress", "true"),
    ]

    /// The `spark-submit` to run.
    public var submitPath: String {
        if let home = sparkHome ?? ProcessInfo.processInfo.environment["SPARK_HOME"], !home.isEmpty {
            return (home as NSString).appendingPathComponent("bin/spark-submit")
        }
        return "spark-submit"
    }

    /// Whether a `spark-submit` can be found (the named one exists, or one is on `PATH`).
    public var isAvailable: Bool {
        let p = submitPath
        if p.contains("/") { return FileManager.default.isExecutableFile(atPath: p) }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            if FileManager.default.isExecutableFile(atPath: String(dir) + "/" + p) { return true }
        }
        return false
    }
}

/// What the driver wrote back.
public struct EngineResult {
    public var sparkVersion: String
    public var master: String
    public var seconds: Double
    /// Result rows by statement name; each row a dictionary of column → value (JSON numbers, strings, null).
    public var rows: [String: [[String: Any]]]
    /// Files Spark listed under remote URIs (indices after the local files).
    public var remoteFiles: [String]

    /// Parses the driver's JSON document.
    public init(json: Data) throws {
        guard let top = try JSONSerialization.jsonObject(with: json) as? [String: Any],
              let results = top["results"] as? [String: Any] else {
            throw EngineError("the Spark driver's result is not the expected JSON document")
        }
        sparkVersion = top["spark_version"] as? String ?? "?"
        master = top["master"] as? String ?? "?"
        seconds = (top["seconds"] as? NSNumber)?.doubleValue ?? 0
        remoteFiles = top["remote_files"] as? [String] ?? []
        var rows: [String: [[String: Any]]] = [:]
        for (k, v) in results { rows[k] = v as? [[String: Any]] ?? [] }
        self.rows = rows
    }

    /// The integer `column` of the first row of `name` (0 when absent or null).
    public func int(_ name: String, _ column: String) -> Int { Self.int(rows[name]?.first?[column]) }

    /// A JSON number as an Int (0 for null or anything else).
    public static func int(_ v: Any?) -> Int { (v as? NSNumber)?.intValue ?? 0 }
    /// The integer `column` of a row of the result `statement` that a figure needs: a missing, null or non-numeric
    /// value is an error of the run (the driver's rows do not match this earshot), never a plausible figure such as 0.
    public static func required(_ row: [String: Any], _ column: String, of statement: String) throws -> Int {
        guard let n = row[column] as? NSNumber else {
            throw EngineError("the Spark result '\(statement)' has a row without a number in column '\(column)' (the driver does not match this earshot)")
        }
        return n.intValue
    }
    /// A JSON number as an Int64, nil for null.
    public static func int64(_ v: Any?) -> Int64? { (v as? NSNumber)?.int64Value }
}

/// Runs a ``SQLPlan`` with `spark-submit` and reads the result back.
public struct SparkRunner: Sendable {
    public var settings: SparkSettings
    public init(settings: SparkSettings) { self.settings = settings }

    /// The program and arguments that run the driver: `spark-submit --master M --name earshot --conf k=v… DRIVER PLAN
    /// OUT`, earshot's settings first and every `--spark-conf` after them (the later one wins in Spark). The settings
    /// go on the command line only (where settings read at JVM start, such as `spark.driver.memory`, take effect).
    public func commandLine(driver: String, plan: String, output: String) -> (executable: String, arguments: [String]) {
        var args = ["--master", settings.master, "--name", "earshot"]
        for (k, v) in SparkSettings.baseConf + settings.conf { args += ["--conf", "\(k)=\(v)"] }
        args += [driver, plan, output]
        let submit = settings.submitPath
        if submit.contains("/") { return (submit, args) }
        return ("/usr/bin/env", [submit] + args)
    }

    /// Writes the driver and the plan into a new directory under `workDirectory`, runs `spark-submit` in its own
    /// process group (ended with earshot: ``ChildProcessGroups``), reports progress (the stage and task counts of
    /// Spark's console progress bar) and returns the result.
    /// A failure is one line with the path of the log (`spark.log` in the run's directory, which is then kept).
    public func run(plan: SQLPlan, files: [EngineFile], workDirectory: String = NSTemporaryDirectory(),
                    progress: @escaping @Sendable (SparkProgress) -> Void = { _ in }) throws(EngineError) -> EngineResult {
        let dir = (workDirectory as NSString).appendingPathComponent("earshot-spark-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        let driver = dir + "/driver.py", planPath = dir + "/plan.json", out = dir + "/result.json", log = dir + "/spark.log"
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try SparkDriver.source.write(toFile: driver, atomically: true, encoding: .utf8)
            let document: [String: Any] = [
                "files": files.map { ["index": $0.index, "path": $0.path, "remote": $0.remote] as [String: Any] },
                "statements": plan.statements.map { ["name": $0.name, "kind": $0.kind.rawValue, "query": $0.query, "sql": $0.sql] as [String: Any] },
            ]
            try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]).write(to: URL(fileURLWithPath: planPath))
        } catch {
            throw EngineError("cannot write the Spark run's files in \(dir): \(error.localizedDescription)")
        }
        let (executable, arguments) = commandLine(driver: driver, plan: planPath, output: out)
        let logFD = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard logFD >= 0 else { throw EngineError("cannot write \(log): \(String(cString: strerror(errno)))") }
        defer { close(logFD) }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw EngineError("cannot run \(executable): no pipe (\(String(cString: strerror(errno))))") }
        // Close-on-exec: only spark-submit's standard error (dup2 clears the flag there) holds the write end, so the
        // end of its process group is the end of the pipe, whatever else this process starts meanwhile.
        for fd in pipeFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let pid: pid_t
        do {
            pid = try Self.spawn(executable, arguments, stdout: logFD, stderr: pipeFDs[1])
        } catch {
            close(pipeFDs[0]); close(pipeFDs[1])
            throw EngineError("cannot run \(settings.submitPath): \(error.message) (install pyspark with pip, or name Spark with --spark-home / SPARK_HOME)")
        }
        close(pipeFDs[1])
        ChildProcessGroups.register(pid)
        defer { ChildProcessGroups.unregister(pid) }
        // Spark's standard error goes to the log and feeds the progress; read until the group closes the pipe.
        let logHandle = FileHandle(fileDescriptor: logFD, closeOnDealloc: false)
        let watcher = ProgressWatcher(log: logHandle, report: progress)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(pipeFDs[0], $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            watcher.feed(Data(buffer[0 ..< n]))
        }
        close(pipeFDs[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Whatever of the group is still running (a JVM the script left behind) ends with the run.
        kill(-pid, SIGTERM)
        let exited = (status & 0x7F) == 0
        let code = (status >> 8) & 0xFF
        guard exited && code == 0, let data = FileManager.default.contents(atPath: out) else {
            let why = watcher.lastError ?? (exited ? (code == 0 ? "no result written" : "exit status \(code)")
                                                   : "ended by signal \(status & 0x7F)")
            throw EngineError("spark-submit failed: \(why) (log: \(log))")
        }
        let result: EngineResult
        do { result = try EngineResult(json: data) } catch {
            throw EngineError("spark-submit failed: its result is not the expected JSON document (log: \(log))")
        }
        try? FileManager.default.removeItem(atPath: dir)  // kept only when the run failed (its log is named in the error)
        return result
    }

    /// Starts `executable` with `arguments` in a new process group (its id is the child's pid), standard input from
    /// `/dev/null`, standard output and error to the given descriptors.
    static func spawn(_ executable: String, _ arguments: [String], stdout: Int32, stderr: Int32) throws(EngineError) -> pid_t {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attr, 0)
        var none = sigset_t(); sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        var defaults = sigset_t(); sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attr, argv, environ)
        guard rc == 0 else { throw EngineError(String(cString: strerror(rc))) }
        return pid
    }
}

/// One redraw of Spark's console progress bar: the stage and its finished and total tasks.
public struct SparkProgress: Sendable, Equatable, CustomStringConvertible {
    public var stage: String
    public var done: Int
    public var total: Int
    public init(stage: String, done: Int, total: Int) { self.stage = stage; self.done = done; self.total = total }
    /// `stage 3: 12/40 tasks`.
    public var description: String { "stage \(stage): \(done)/\(total) tasks" }
    /// done / total, nil when the total is 0.
    public var fraction: Double? { total > 0 ? min(1, Double(done) / Double(total)) : nil }
}

/// Copies Spark's standard error into the log and turns its console progress bar
/// (`[Stage 3:=====>   (12 + 2) / 40]`) into progress lines; remembers the last error line.
final class ProgressWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private let log: FileHandle
    private let report: @Sendable (SparkProgress) -> Void
    private var pending = ""
    private var lastShown: SparkProgress?
    private(set) var lastError: String?

    init(log: FileHandle, report: @escaping @Sendable (SparkProgress) -> Void) { self.log = log; self.report = report }

    func feed(_ data: Data) {
        guard !data.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        log.write(data)
        pending += String(decoding: data, as: UTF8.self)
        // The progress bar redraws with CR; log lines end with LF ("\r\n" is one Character: isNewline covers it).
        while let cut = pending.firstIndex(where: { $0.isNewline }) {
            let line = String(pending[..<cut])
            pending.removeSubrange(...cut)
            handle(line)
        }
        // A line without an end (binary output) is not kept beyond 64 KiB.
        if pending.utf8.count > 65536 { pending = "" }
    }

    private func handle(_ line: String) {
        if let stage = Self.progress(line) {
            if stage != lastShown { lastShown = stage; report(stage) }
        } else if line.contains("Exception") || line.hasPrefix("earshot:") || line.contains("ERROR ") {
            let cleaned = line.unicodeScalars.filter { !UnsafeText.isUnsafe($0) }.map(String.init).joined()
            lastError = String(cleaned.prefix(300))
        }
    }

    /// The stage and task counts of one redraw of the progress bar (`[Stage 3:===>  (12 + 2) / 40]`), or nil.
    static func progress(_ line: String) -> SparkProgress? {
        guard let s = line.range(of: "[Stage ") else { return nil }
        let rest = line[s.upperBound...]
        guard let colon = rest.firstIndex(of: ":"), let open = rest.lastIndex(of: "("),
              let slash = rest.range(of: ") / ", range: open ..< rest.endIndex) else { return nil }
        let stage = rest[..<colon]
        let done = rest[rest.index(after: open)...].prefix { $0.isNumber }
        let total = rest[slash.upperBound...].prefix { $0.isNumber }
        guard !stage.isEmpty, stage.count <= 20, stage.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == " " || $0 == ",") }),
              let d = Int(done.prefix(12)), let t = Int(total.prefix(12)) else { return nil }
        return SparkProgress(stage: String(stage), done: d, total: t)
    }
}
