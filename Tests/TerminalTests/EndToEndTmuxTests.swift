import Foundation
import XCTest
import EarshotTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Drives the real `earshot` binary in a detached tmux session, like a person at an 80×24 terminal:
/// waits for the dashboard, visits every tab and the help, quits, and checks that the terminal is
/// back to normal. Needs the integrated CLI (`earshot [PATH…] [--theme T] [--ascii] [--no-color]`)
/// and ExampleData; skipped only when tmux is missing and `CI` is not `true`.
final class EndToEndTmuxTests: XCTestCase {
    /// What only each view shows at 80×24 (all of them, on ExampleData and on the hostile store), after its key:
    /// its box titles. The tab bar (`3 Feedback`) is on every screen and proves nothing.
    let tabs: [(key: String, title: String, markers: [String])] = [
        ("2", "Segments", ["Segments ("]),
        ("3", "Feedback", ["Feedback loops ("]),
        ("4", "Consent", ["Consent by category", "Reachable share by segment ("]),
        ("5", "Data", ["Files ("]),
        ("1", "Overview", ["Top segments"]),
    ]

    func testDashboardInColorAndUnicode() throws {
        try runTour(environment: "TERM=xterm-256color", expectAlternateScreen: true, expectASCII: false)
    }

    func testDashboardOnVT100WithoutUTF8() throws {
        try runTour(environment: "TERM=vt100 LANG=C LC_ALL=C", expectAlternateScreen: false, expectASCII: true)
    }

    func testEscapeSequencesInEventsNeverReachTheTerminal() throws {
        let tmux = try Tmux.start(testCase: self)
        defer { tmux.stop() }
        let store = try makeHostileStore()
        defer { try? FileManager.default.removeItem(at: store) }
        try tmux.launch("env TERM=xterm-256color \(shellQuote(try earshotBinary())) \(shellQuote(store.path))",
                        directory: repositoryRoot.path)
        try tmux.waitFor("the dashboard", polls: 1200) { $0.contains("1 Overview") }

        // Visit every view: untrusted text shows up in segment, event, category and file names.
        for tab in tabs {
            try tmux.press(tab.key, view: tab.title, markers: tab.markers)
            let styled = try tmux.capture(escapes: true)
            XCTAssertFalse(styled.contains("\u{1b}]"), "an OSC sequence (e.g. OSC 52) reached the terminal on \(tab.title)")
            XCTAssertFalse(styled.contains("\u{1b}[2J"), "a clear-screen sequence reached the terminal on \(tab.title)")
            XCTAssertFalse(styled.unicodeScalars.contains { $0.value == 0x9b }, "an 8-bit CSI reached the terminal")
            XCTAssertFalse(styled.unicodeScalars.contains { (0x202a...0x202e).contains($0.value)
                || (0x2066...0x2069).contains($0.value) }, "a bidi control reached the terminal on \(tab.title)")
            // Every escape left on screen is tmux's own color/attribute (SGR) rendering.
            let sgr = try NSRegularExpression(pattern: "\u{1b}\\[[0-9;:]*m")
            let stripped = sgr.stringByReplacingMatches(in: styled, range: NSRange(styled.startIndex..., in: styled),
                                                        withTemplate: "")
            XCTAssertFalse(stripped.contains("\u{1b}"), "a non-SGR escape sequence is on screen on \(tab.title)")
        }
        // The hostile event names are listed on the Data view — sanitized, with placeholders where the controls were.
        try tmux.press("5", view: "Data", markers: ["Files (", "Unknown event names", "Evil"])
        let data = try tmux.capture()
        XCTAssertTrue(data.contains("\u{FFFD}"), "sanitized placeholders expected:\n\(data)")
        // OSC 52 would have set a tmux paste buffer.
        XCTAssertEqual(try tmux.run(["list-buffers"]).trimmingCharacters(in: .whitespacesAndNewlines), "")
        XCTAssertTrue(try tmux.capture().contains("1 Overview"), "the screen was cleared or garbled")

        try tmux.sendKeys("q")
        let status = try tmux.waitForExit()
        XCTAssertEqual(status, 0)
    }

    // MARK: - The tour

    func runTour(environment: String, expectAlternateScreen: Bool, expectASCII: Bool) throws {
        let tmux = try Tmux.start(testCase: self)
        defer { tmux.stop() }
        let binary = try earshotBinary()
        let example = repositoryRoot.appendingPathComponent("ExampleData")
        guard FileManager.default.fileExists(atPath: example.path) else {
            XCTFail("ExampleData is missing at \(example.path)"); return
        }
        try tmux.launch("env \(environment) \(shellQuote(binary)) ExampleData", directory: repositoryRoot.path)
        // Loading shows first; the tab bar appears once the store is read.
        try tmux.waitFor("the dashboard to load", polls: 1200) { $0.contains("1 Overview") }
        if expectAlternateScreen {
            XCTAssertEqual(try tmux.display("#{alternate_on}"), "1", "the dashboard should use the alternate screen")
            XCTAssertEqual(try tmux.display("#{cursor_flag}"), "0", "the cursor should be hidden while running")
        }

        for tab in tabs {
            try tmux.press(tab.key, view: tab.title, markers: tab.markers)
            if expectASCII {
                let screen = try tmux.capture()
                XCTAssertTrue(screen.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII output without UTF-8:\n\(screen)")
            }
        }

        try tmux.press("?", view: "the key help", markers: [" Keys "])
        try tmux.press("Escape", view: "the Overview again, help closed", markers: ["Top segments"], absent: [" Keys "])

        try tmux.sendKeys("q")
        let status = try tmux.waitForExit()
        XCTAssertEqual(status, 0, "earshot should exit 0 after q")
        XCTAssertEqual(try tmux.display("#{alternate_on}"), "0", "the alternate screen must be left on exit")
        XCTAssertEqual(try tmux.display("#{cursor_flag}"), "1", "the cursor must be visible again on exit")
    }

    // MARK: - Fixtures

    /// A store whose names and properties carry terminal escape sequences, bidi overrides and an
    /// escape in a file name, plus a malformed line quoting them.
    func makeHostileStore() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let osc52 = "\\u001b]52;c;aGFja2Vk\\u0007"
        let clear = "\\u001b[2J"
        let csi8 = "\\u009b31m"
        let bidi = "\\u202e"
        var lines: [String] = []
        for i in 0..<20 {
            lines.append("""
            {"type":"track","event":"Evil \(osc52)\(clear)\(csi8)\(bidi) Event \(i % 3)","userId":"u\(i)\(clear)",\
            "messageId":"m\(i)","timestamp":"2024-06-0\(1 + i % 9)T10:00:00Z",\
            "properties":{"category":"\(bidi)cat\(osc52)","note":"\(clear)x"},\
            "context":{"consent":{"categoryPreferences":{"Analytics\(clear)":true}}}}
            """)
        }
        lines.append("{\"type\":\"track\",\"event\":\"\(osc52)")   // malformed: unterminated
        lines.append("\u{1b}]52;c;aGFja2Vk\u{07}\u{1b}[2J not json at all")
        try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("events.jsonl"), atomically: true,
                                               encoding: .utf8)
        try lines[0].write(to: dir.appendingPathComponent("ev\u{1b}[2Jil.jsonl"), atomically: true, encoding: .utf8)
        return dir
    }

    /// The built `earshot` (the shared finder: `EARSHOT_BIN`, next to the test bundle, `.build/debug`).
    func earshotBinary() throws -> String { try Binary.requireEarshot() }
}

/// An error whose description is the whole message.
struct EndToEndFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

/// A private tmux server (its own socket) with one 80×24 session.
final class Tmux {
    let socket: String
    let session = "earshot"
    let tmuxPath: String
    private var launched = false
    /// The XDG_CACHE_HOME of the program under test.
    var cacheHome: String { configPath + ".cache" }

    /// The server's configuration: applications may set the clipboard (OSC 52 creates a paste
    /// buffer), so a leaked OSC 52 is visible to the test.
    let configPath: String

    private init(socket: String, tmuxPath: String, configPath: String) {
        self.socket = socket; self.tmuxPath = tmuxPath; self.configPath = configPath
    }

    /// Finds tmux; skips the test when it is missing, unless `CI=true` (then it fails).
    static func start(testCase: XCTestCase) throws -> Tmux {
        let paths = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux", "/bin/tmux"]
        guard let path = paths.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                throw EndToEndFailure("tmux is required for the end-to-end tests in CI")
            }
            throw XCTSkip("tmux is not installed")
        }
        let socket = "earshot-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).conf").path
        try "set -s set-clipboard on\nset -g status off\n".write(toFile: config, atomically: true, encoding: .utf8)
        return Tmux(socket: socket, tmuxPath: path, configPath: config)
    }

    /// Starts `command` through the shell in a detached 80×24 session; the shell prints the exit
    /// status and keeps the pane open so the terminal state after exit can be inspected.
    func launch(_ command: String, directory: String) throws {
        // The program's cache goes to a throw-away directory (removed by stop()), never the user's ~/.cache/earshot.
        try? FileManager.default.createDirectory(atPath: cacheHome, withIntermediateDirectories: true)
        let wrapped = "XDG_CACHE_HOME='\(cacheHome)' \(command); echo \"EARSHOT_EXIT=$?\"; sleep 600"
        _ = try run(["new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-c", directory, wrapped])
        launched = true
    }

    func stop() {
        _ = try? run(["kill-server"])
        try? FileManager.default.removeItem(atPath: configPath)
        try? FileManager.default.removeItem(atPath: cacheHome)
    }

    /// Runs one tmux command and returns its standard output.
    ///
    /// Uses posix_spawn + waitpid, not Foundation's Process: the tmux server that the first command
    /// starts inherits the descriptors Process uses to notice the child's exit, so waitUntilExit
    /// would never return. Output goes through a temporary file for the same reason.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let r = try Binary.run(tmuxPath, ["-f", configPath, "-L", socket] + arguments, timeout: 30)
        if r.timedOut { throw EndToEndFailure("tmux \(arguments.joined(separator: " ")) did not finish within 30 s") }
        return r.stdout
    }

    func capture(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
    }

    func display(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", session, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func sendKeys(_ key: String) throws {
        _ = try run(["send-keys", "-t", session, key])
    }

    /// Sends `key` and waits for a screen that differs from the one before it (text or colors: a moved selection
    /// changes only colors) and shows every one of `markers` (text only the expected view shows) and none of
    /// `absent`; returns that screen's text.
    @discardableResult
    func press(_ key: String, view: String, markers: [String], absent: [String] = []) throws -> String {
        let before = try capture(escapes: true)
        try sendKeys(key)
        var screen = ""
        for _ in 0..<400 {
            screen = try capture()
            if markers.allSatisfy({ screen.contains($0) }) && !absent.contains(where: { screen.contains($0) }),
               try capture(escapes: true) != before { return screen }
            usleep(25_000)
        }
        throw EndToEndFailure("timed out waiting for \(view) after \(key) (\(markers), a changed screen); the screen was:\n\(screen)")
    }

    /// Polls the screen (every 25 ms, at most `polls` times) until `condition` holds.
    @discardableResult
    func waitFor(_ what: String, polls: Int = 400, _ condition: (String) -> Bool) throws -> String {
        var screen = ""
        for _ in 0..<polls {
            screen = try capture()
            if condition(screen) { return screen }
            usleep(25_000)
        }
        throw EndToEndFailure("timed out waiting for \(what); the screen was:\n\(screen)")
    }

    /// Waits for the shell line `EARSHOT_EXIT=N` and returns N.
    func waitForExit() throws -> Int {
        let screen = try waitFor("earshot to exit") { $0.contains("EARSHOT_EXIT=") }
        guard let range = screen.range(of: "EARSHOT_EXIT=") else { return -1 }
        let digits = screen[range.upperBound...].prefix { $0.isNumber }
        return Int(digits) ?? -1
    }
}
