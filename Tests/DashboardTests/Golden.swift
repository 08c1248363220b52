import Foundation
import XCTest
@testable import Dashboard

/// Golden-file snapshots of a screen buffer: the text layer, then one character per cell for its role.
/// `EARSHOT_RECORD=1 swift test` writes the files; otherwise a mismatch fails with a line diff.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")

    static func roleChar(_ r: StyleRole) -> Character {
        switch r {
        case .normal: " "
        case .header: "h"
        case .title: "t"
        case .tabActive: "A"
        case .tabInactive: "a"
        case .selected: "s"
        case .good: "g"
        case .warn: "w"
        case .bad: "b"
        case .muted: "m"
        case .bar: "="
        case .barAlt: "+"
        case .border: "|"
        case .accent: "c"
        case .status: "S"
        case .input: "i"
        case .help: "?"
        case .heat0: "0"
        case .heat1: "1"
        case .heat2: "2"
        case .heat3: "3"
        case .heat4: "4"
        }
    }

    /// The snapshot text of a buffer.
    static func text(_ buf: ScreenBuffer) -> String {
        var out = "\(buf.width)x\(buf.height)\n"
        out += buf.textLines().map { $0 + "|" }.joined(separator: "\n")
        out += "\n-- roles\n"
        for y in 0..<buf.height {
            var line = ""
            for x in 0..<buf.width { line.append(roleChar(buf[x, y].role)) }
            out += line + "|\n"
        }
        return out
    }

    static func render(_ state: AppState, width: Int, height: Int) -> ScreenBuffer {
        var buf = ScreenBuffer(width: width, height: height)
        render(state, into: &buf)
        return buf
    }

    private static func render(_ state: AppState, into buf: inout ScreenBuffer) {
        Dashboard.render(state, into: &buf)
    }

    /// Compares `buf` with `__Snapshots__/name.txt` (or records it).
    static func assert(_ buf: ScreenBuffer, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = directory.appendingPathComponent(name + ".txt")
        let actual = text(buf)
        if ProcessInfo.processInfo.environment["EARSHOT_RECORD"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("no golden file \(name).txt; record it with EARSHOT_RECORD=1 swift test --filter DashboardTests", file: file, line: line)
            return
        }
        if expected == actual { return }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var diff = "snapshot \(name) differs (re-record with EARSHOT_RECORD=1 if intended):\n"
        var shown = 0
        for i in 0..<max(e.count, a.count) where shown < 12 {
            let el = i < e.count ? String(e[i]) : "<none>"
            let al = i < a.count ? String(a[i]) : "<none>"
            if el != al {
                diff += "line \(i + 1):\n  - \(el)\n  + \(al)\n"
                shown += 1
            }
        }
        XCTFail(diff, file: file, line: line)
    }
}
