import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `earshot` binary (and other programs) as subprocesses, with bounded waits: the one subprocess
/// runner and the one binary finder of the tests.
public enum Binary {
    /// The `earshot` executable: `EARSHOT_BIN` when set, else the one SwiftPM built next to the test bundle, else
    /// `.build/debug/earshot`; nil when there is none.
    public static var earshot: String? {
        if let explicit = ProcessInfo.processInfo.environment["EARSHOT_BIN"], !explicit.isEmpty { return explicit }
        var dirs: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dirs.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        dirs.append(me.deletingLastPathComponent())
        dirs.append(me.deletingLastPathComponent().deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            dirs.append(bundle.bundleURL.deletingLastPathComponent())
        }
        dirs.append(URL(fileURLWithPath: packageRoot).appendingPathComponent(".build/debug"))
        return dirs.map { $0.appendingPathComponent("earshot").path }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The `earshot` executable, or an error that says to build it (a test never passes without the binary).
    public static func requireEarshot() throws -> String {
        guard let path = earshot else {
            throw SpawnError(message: "the earshot binary was not found next to the tests or in .build/debug; run `swift build` first")
        }
        return path
    }

    /// Package root (for ExampleData, docs and fixtures).
    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// This process's environment with `XDG_CACHE_HOME` pointing at a temporary directory of this test run
    /// (removed when the test process exits), so that no test reads or writes the user's real `~/.cache/earshot`.
    public static var testEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = testCacheHome
        return env
    }

    /// The temporary cache home of this test process.
    public static let testCacheHome: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-test-cache-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Binary.testCacheHome) }
        return dir
    }()

    /// What a run left: exit status (128+N after signal N), standard output and error, and whether it was killed
    /// for taking too long.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
    }

    /// Runs `path args` with stdin from /dev/null and output captured in temporary files, waiting at
    /// most `timeout` seconds (then it is killed). posix_spawn and polling waitpid: no dependence on
    /// SIGCHLD delivery or pipe EOF (a daemon started by the command cannot hold the test up).
    /// With `directory`, the program runs there (through `/bin/sh -c 'cd … && exec …'`).
    public static func run(_ path: String, _ args: [String], environment: [String: String]? = nil,
                           in directory: String? = nil, timeout: TimeInterval = 60) throws -> Result {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-run-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let (program, arguments) = directory.map { ("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", $0, path] + args) } ?? (path, args)
        let pid = try spawn(program, arguments, environment: environment, stdout: base + ".out", stderr: base + ".err")
        let (status, timedOut) = wait(pid, timeout: timeout)
        func read(_ p: String) -> String {
            (FileManager.default.contents(atPath: p)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return Result(status: status, stdout: read(base + ".out"), stderr: read(base + ".err"), timedOut: timedOut)
    }

    /// Starts `path args` (stdin /dev/null, stdout and stderr appended to files) and returns its pid.
    public static func spawn(_ path: String, _ args: [String], environment: [String: String]? = nil,
                      stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        let env = environment ?? Binary.testEnvironment
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv { free(p) }; for p in envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, &argv, &envp)
        guard rc == 0 else { throw SpawnError(message: "cannot start \(path): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Waits for `pid` at most `timeout` seconds (SIGKILL after that); the exit status (128+N after signal N).
    public static func wait(_ pid: pid_t, timeout: TimeInterval) -> (status: Int32, timedOut: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var timedOut = false
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return (-1, false) }
            if Date() > deadline {
                timedOut = true
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(10_000)
        }
        let signal = status & 0x7F
        return (signal == 0 ? (status >> 8) & 0xFF : 128 + signal, timedOut)
    }

    /// Stops a spawned process: SIGTERM, then SIGKILL after `grace` seconds.
    public static func stop(_ pid: pid_t, grace: TimeInterval = 5) {
        kill(pid, SIGTERM)
        if wait(pid, timeout: grace).timedOut { return }
    }
}

/// A subprocess could not be started (or the binary is missing).
public struct SpawnError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

