import XCTest
import Foundation
import ExampleGenerator
#if canImport(Glibc)
import Glibc
import EarshotTestSupport
#endif

/// On call over SSH, for real: a private OpenSSH server on the loopback interface, a login with
/// `ssh -tt` inside a tmux pane at 80×24 running `earshot --follow`, tab navigation, events appended
/// while watching, a clean quit, and `earshot check` over `ssh` without a tty.
///
/// Skipped when sshd, ssh, ssh-keygen or tmux is missing, except in CI (CI=true), where `.ci/run`
/// installs them and a missing tool is a failure. Every wait is bounded; sshd and the tmux server
/// are always stopped in tearDown.
final class SSHEndToEndTests: XCTestCase {
    static let sshd = "/usr/sbin/sshd"
    var dir: TempDir!
    var sshdPID: pid_t?
    var port = 0
    var tmuxSocket = ""
    var user = ""
    var earshot = ""

    override func setUpWithError() throws {
        let ci = ProcessInfo.processInfo.environment["CI"] == "true"
        let tools = [Self.sshd, which("ssh"), which("ssh-keygen"), which("tmux")]
        if tools.contains(where: { $0 == nil || !FileManager.default.isExecutableFile(atPath: $0!) }) {
            if ci { XCTFail("CI needs sshd, ssh, ssh-keygen and tmux (.ci/run installs openssh-server, openssh-client, tmux)"); return }
            throw XCTSkip("sshd, ssh, ssh-keygen or tmux is not installed")
        }
        let bin = try Binary.requireEarshot()
        earshot = bin
        dir = TempDir("earshot-ssh")
        user = String(cString: getpwuid(getuid())!.pointee.pw_name)
        tmuxSocket = "earshot-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try startSSHD()
    }

    override func tearDown() {
        if !tmuxSocket.isEmpty { _ = try? Binary.run(which("tmux")!, ["-L", tmuxSocket, "kill-server"], timeout: 10) }
        if let pid = sshdPID { Binary.stop(pid) }
        sshdPID = nil
        dir = nil
    }

    // MARK: The test

    func testDashboardAndCheckOverSSH() throws {
        guard sshdPID != nil else { return }  // setUp failed in CI
        // A small realistic store, copied into the temp dir (written there by the generator).
        let store = dir.path + "/store"
        try ExampleStore(seed: 7, persons: 60, days: 10).write(to: store, gzipOlderMonths: false)
        let liveFile = "live.jsonl"
        dir.write("store/\(liveFile)", "")

        // 1. The dashboard through `ssh -tt` in an 80×24 tmux pane.
        // --no-cache everywhere: the ssh session does not carry CI's throw-away XDG_CACHE_HOME.
        let remote = "LANG=C.UTF-8 \(shellQuote(earshot)) --follow --no-cache \(shellQuote(store)); echo EARSHOT-EXITED-$?"
        let sshCommand = (["ssh", "-tt"] + sshOptions() + ["\(user)@127.0.0.1", remote]).map(shellQuote).joined(separator: " ")
        try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", "-s", "e2e", "sh -c \(shellQuote(sshCommand + "; sleep 120"))"])
        _ = try? tmux(["set-option", "-g", "status", "off"])

        // The Overview's own box title (the loading screen also says "events") and the follow mark.
        let loaded = waitFor(seconds: 30) { let s = self.screen(); return s.contains("Top segments") && s.contains("live") }
        XCTAssertTrue(loaded, "the dashboard did not come up over ssh:\n\(screen())\nsshd log:\n\(sshdLog())")
        guard loaded else { return }
        XCTAssertEqual(try tmux(["display-message", "-p", "-t", "e2e", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines), "1")
        let before = try XCTUnwrap(overviewFigure("events"), screen())
        let personsBefore = try XCTUnwrap(overviewFigure("persons"), screen())
        XCTAssertTrue(screen().split(separator: "\n").first?.contains("earshot") == true)

        // Tabs: each view draws its own content — a screen that changed and shows the view's own box title (the tab
        // bar names every view on every screen, so it proves nothing).
        for (key, marker) in [("5", "Files ("), ("4", "Consent by category"), ("3", "Feedback loops ("), ("1", "Top segments")] {
            let before = screen()
            try keys(key)
            XCTAssertTrue(waitFor(seconds: 10) { let s = self.screen(); return s != before && s.contains(marker) },
                          "view \(key) (\(marker)):\n\(screen())")
        }
        XCTAssertNotNil(overviewFigure("events"), "overview:\n\(screen())")

        // 2. Events arrive while we watch: three new persons, written now.
        let now = ISO8601DateFormatter().string(from: Date())
        var lines = ""
        for i in 1...3 {
            lines += SampleEvents.track("ssh-live-\(i)", now, "Product Viewed", id: "ssh-live-\(i)") + "\n"
        }
        dir.append("store/\(liveFile)", lines)
        let grew = waitFor(seconds: 20) { self.overviewFigure("events") == before + 3 }
        XCTAssertTrue(grew, "live figures did not change (events were \(before)):\n\(screen())")
        XCTAssertEqual(overviewFigure("persons"), personsBefore + 3)
        XCTAssertTrue(screen().contains("● live"), screen())

        // 3. Quit: earshot exits 0 and the terminal is restored (normal screen, the marker printed).
        try keys("q")
        let exited = waitFor(seconds: 15) { self.screen().contains("EARSHOT-EXITED-0") }
        XCTAssertTrue(exited, "earshot did not quit cleanly:\n\(screen())")
        XCTAssertEqual(try tmux(["display-message", "-p", "-t", "e2e", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines), "0")

        // 4. `earshot check` over ssh, no tty: exit codes and the status line come through.
        let expected = before + 3
        let ok = try sshRun("\(shellQuote(earshot)) check --no-cache \(shellQuote(store)) --rule \(shellQuote("store.events >= \(expected)")) --warn \(shellQuote("store.last_event_age <= 1h"))")
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("EARSHOT OK - \(store) as of "), ok.stdout)
        XCTAssertTrue(ok.stdout.contains(": 2 rules ok | 'store.events'=\(expected);;\(expected):;0 'store.last_event_age'="), ok.stdout)
        let crit = try sshRun("\(shellQuote(earshot)) check --no-cache \(shellQuote(store)) --rule \(shellQuote("store.events > \(expected)"))")
        XCTAssertEqual(crit.status, 2, crit.stdout + crit.stderr)
        XCTAssertTrue(crit.stdout.hasPrefix("EARSHOT CRITICAL - \(store) as of "), crit.stdout)
        XCTAssertTrue(crit.stdout.contains(": 1 critical: store.events = \(expected), not > \(expected) |"), crit.stdout)
        let unknown = try sshRun("\(shellQuote(earshot)) check --no-cache \(shellQuote(dir.path + "/nowhere")) --rule \(shellQuote("store.events > 0"))")
        XCTAssertEqual(unknown.status, 3, unknown.stdout + unknown.stderr)
        XCTAssertTrue(unknown.stdout.hasPrefix("EARSHOT UNKNOWN - \(dir.path)/nowhere as of "), unknown.stdout)
        XCTAssertTrue(unknown.stdout.contains(": cannot read the store: no such file or directory"), unknown.stdout)
    }

    // MARK: sshd

    func startSSHD() throws {
        let keygen = which("ssh-keygen")!
        for key in ["host_key", "client_key"] {
            let r = try Binary.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "earshot-e2e", "-f", dir.path + "/" + key], timeout: 30)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        try FileManager.default.copyItem(atPath: dir.path + "/client_key.pub", toPath: dir.path + "/authorized_keys")
        if getuid() == 0 && !FileManager.default.fileExists(atPath: "/run/sshd") {
            // OpenSSH's privilege separation directory (compiled in; normally made by the service).
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        }
        port = try freePort()
        let config = """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(dir.path)/host_key
        PidFile \(dir.path)/sshd.pid
        AuthorizedKeysFile \(dir.path)/authorized_keys
        UsePAM no
        StrictModes no
        PermitRootLogin prohibit-password
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        AllowTcpForwarding no
        X11Forwarding no
        PrintMotd no
        PrintLastLog no
        LogLevel ERROR

        """
        dir.write("sshd_config", config)
        let log = dir.path + "/sshd.log"
        let pid = try Binary.spawn(Self.sshd, ["-D", "-e", "-f", dir.path + "/sshd_config"], stdout: log, stderr: log)
        sshdPID = pid
        // Bounded wait until a login works.
        let up = waitFor(seconds: 20, every: 0.2) {
            guard kill(pid, 0) == 0 else { return false }
            return (try? self.sshRun("true", timeout: 10).status) == 0
        }
        if !up {
            XCTFail("sshd did not accept a login on port \(port):\n\(sshdLog())")
            throw XCTSkip("sshd did not start")
        }
    }

    func sshOptions() -> [String] {
        ["-F", "/dev/null", "-p", "\(port)", "-i", dir.path + "/client_key", "-o", "IdentitiesOnly=yes",
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
         "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10"]
    }

    /// Runs a command over ssh without a tty.
    func sshRun(_ command: String, timeout: TimeInterval = 60) throws -> Binary.Result {
        try Binary.run(which("ssh")!, ["-T"] + sshOptions() + ["\(user)@127.0.0.1", command], timeout: timeout)
    }

    func sshdLog() -> String { (try? String(contentsOfFile: dir.path + "/sshd.log", encoding: .utf8)) ?? "" }

    // MARK: tmux

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let r = try Binary.run(which("tmux")!, ["-L", tmuxSocket] + args, environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color"], timeout: 15)
        if r.status != 0 { throw TmuxError(message: "tmux \(args.joined(separator: " ")): \(r.stderr)") }
        return r.stdout
    }

    func keys(_ k: String) throws { try tmux(["send-keys", "-t", "e2e", k]) }

    func screen() -> String { (try? tmux(["capture-pane", "-p", "-t", "e2e"])) ?? "" }

    /// A number after a label on the overview's summary line (`persons 60   events 1,234`).
    func overviewFigure(_ label: String) -> Int? {
        for line in screen().split(separator: "\n") where line.contains("persons ") && line.contains("events ") {
            let words = line.split(separator: " ")
            guard let i = words.firstIndex(where: { $0 == label }), i + 1 < words.count else { return nil }
            return Int(words[i + 1].filter { $0.isNumber })
        }
        return nil
    }

    // MARK: Helpers

    func waitFor(seconds: Double, every interval: Double = 0.1, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(useconds_t(interval * 1_000_000))
        }
        return condition()
    }

    func which(_ tool: String) -> String? {
        for d in ["/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin"] where FileManager.default.isExecutableFile(atPath: "\(d)/\(tool)") {
            return "\(d)/\(tool)"
        }
        return nil
    }

    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TmuxError(message: "socket failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0 else { throw TmuxError(message: "bind failed") }
        let named = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        guard named == 0 else { throw TmuxError(message: "getsockname failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

struct TmuxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A word for a POSIX shell, single-quoted when needed.
func shellQuote(_ s: String) -> String {
    if !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:@,+".contains($0)) }) { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
