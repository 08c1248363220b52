import XCTest
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `earshot` binary (and other programs) as subprocesses, with bounded waits.
enum Binary {
    /// The `earshot` executable next to the test bundle (SwiftPM builds it with the tests).
    static var earshot: String? {
        var candidates: [URL] = []
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(me.deletingLastPathComponent().appendingPathComponent("earshot"))
        candidates.append(me.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("earshot"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/earshot"))
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Package root (for ExampleData and docs).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// This process's environment with `XDG_CACHE_HOME` pointing at a temporary directory of this test run
    /// (removed when the test process exits), so that no test reads or writes the user's real `~/.cache/earshot`.
    static var testEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = testCacheHome
        return env
    }

    /// The temporary cache home of this test process.
    static let testCacheHome: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-test-cache-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Binary.testCacheHome) }
        return dir
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    /// Runs `path args` with stdin from /dev/null and output captured in temporary files, waiting at
    /// most `timeout` seconds (then it is killed). posix_spawn and polling waitpid: no dependence on
    /// SIGCHLD delivery or pipe EOF (a daemon started by the command cannot hold the test up).
    static func run(_ path: String, _ args: [String], environment: [String: String]? = nil,
                    timeout: TimeInterval = 60) throws -> Result {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-run-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let pid = try spawn(path, args, environment: environment, stdout: base + ".out", stderr: base + ".err")
        let (status, timedOut) = wait(pid, timeout: timeout)
        func read(_ p: String) -> String {
            (FileManager.default.contents(atPath: p)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return Result(status: status, stdout: read(base + ".out"), stderr: read(base + ".err"), timedOut: timedOut)
    }

    /// Starts `path args` (stdin /dev/null, stdout and stderr appended to files) and returns its pid.
    static func spawn(_ path: String, _ args: [String], environment: [String: String]? = nil,
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
    static func wait(_ pid: pid_t, timeout: TimeInterval) -> (status: Int32, timedOut: Bool) {
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
    static func stop(_ pid: pid_t, grace: TimeInterval = 5) {
        kill(pid, SIGTERM)
        if wait(pid, timeout: grace).timedOut { return }
    }
}

struct SpawnError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A temporary directory removed afterwards.
final class TempDir {
    let path: String
    init(_ prefix: String = "earshot-test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: p, atomically: false, encoding: .utf8)
        return p
    }

    func append(_ name: String, _ text: String) {
        let h = FileHandle(forWritingAtPath: path + "/" + name)!
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }
}

/// Event lines for the CLI tests: a tiny consistent store.
enum SampleEvents {
    /// One track event with consent for Analytics and Personalization.
    static func track(_ user: String, _ time: String, _ event: String = "Product Viewed", id: String? = nil,
                      analytics: Bool = true, personalization: Bool = true) -> String {
        let mid = id.map { #","messageId":"\#($0)""# } ?? ""
        return #"{"type":"track","userId":"\#(user)","event":"\#(event)","timestamp":"\#(time)"\#(mid),"context":{"consent":{"categoryPreferences":{"Analytics":\#(analytics),"Personalization":\#(personalization)}}}}"#
    }
}
