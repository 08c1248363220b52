import Foundation
import XCTest
import EarshotTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Issue 11.3: a crash (or SIGQUIT) while the dashboard is up must leave the terminal as the shell
/// had it — main screen, visible cursor, the same `stty` modes — and the process must end with the
/// signal, not keep running under a backtrace drawn over the dashboard.
final class CrashRestoreTmuxTests: XCTestCase {
    func testSIGQUITEndsTheDashboardAndRestoresTheTerminal() throws {
        try crash(with: SIGQUIT, name: "QUIT")
    }

    func testSIGABRTRestoresTheTerminal() throws {
        try crash(with: SIGABRT, name: "ABRT")
    }

    func testSIGSEGVRestoresTheTerminal() throws {
        try crash(with: SIGSEGV, name: "SEGV")
    }

    /// Starts the dashboard on ExampleData in tmux, sends `signal` to it, and checks the terminal afterwards.
    func crash(with signal: Int32, name: String) throws {
        let tmux = try Tmux.start(testCase: self)
        defer { tmux.stop() }
        let binary = try Self.earshotBinary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = dir.appendingPathComponent("stty-before").path
        let after = dir.appendingPathComponent("stty-after").path
        let pidFile = dir.appendingPathComponent("pid").path
        // No core files; the terminal modes before and after; the dashboard's pid (exec keeps it).
        // The Swift runtime's backtracer (which a crash still reaches, after the terminal is restored)
        // would wait 30 s for a key on a terminal: not interactive here.
        let inner = "echo $$ > \(shellQuote(pidFile)); exec env TERM=xterm-256color SWIFT_BACKTRACE=interactive=no "
            + "\(shellQuote(binary)) ExampleData"
        try tmux.launch("ulimit -c 0; stty -a > \(shellQuote(before)); sh -c \(shellQuote(inner)); s=$?; "
                        + "stty -a > \(shellQuote(after)); (exit $s)", directory: repositoryRoot.path)
        try tmux.waitFor("the dashboard", polls: 2400) { $0.contains("1 Overview") }
        XCTAssertEqual(try tmux.display("#{alternate_on}"), "1")
        XCTAssertEqual(try tmux.display("#{cursor_flag}"), "0")
        let pidText = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try XCTUnwrap(pid_t(pidText))
        XCTAssertEqual(kill(pid, signal), 0)

        let status = try tmux.waitForExit(polls: 2400)
        XCTAssertEqual(status, 128 + Int(signal), "earshot should end with SIG\(name)")
        XCTAssertEqual(try tmux.display("#{alternate_on}"), "0", "the alternate screen must be left after SIG\(name)")
        XCTAssertEqual(try tmux.display("#{cursor_flag}"), "1", "the cursor must be visible after SIG\(name)")
        let modesBefore = try String(contentsOfFile: before, encoding: .utf8)
        let modesAfter = try String(contentsOfFile: after, encoding: .utf8)
        XCTAssertEqual(modesAfter, modesBefore, "the terminal modes (stty -a) must be restored after SIG\(name)")
        XCTAssertTrue(modesAfter.contains(" icanon") && modesAfter.contains(" echo "), modesAfter)
        // The dashboard is gone from the screen: the shell's own screen is back.
        XCTAssertFalse(try tmux.capture().contains("1 Overview"))
    }
}

extension CrashRestoreTmuxTests {
    /// The built `earshot` (the shared finder).
    static func earshotBinary() throws -> String { try Binary.requireEarshot() }
}

extension Tmux {
    /// ``waitForExit()`` with a longer wait (a backtrace may be symbolicated first).
    func waitForExit(polls: Int) throws -> Int {
        let screen = try waitFor("earshot to exit", polls: polls) { $0.contains("EARSHOT_EXIT=") }
        guard let range = screen.range(of: "EARSHOT_EXIT=") else { return -1 }
        return Int(screen[range.upperBound...].prefix { $0.isNumber }) ?? -1
    }
}
