import Foundation
import XCTest
import EarshotTestSupport
@testable import Dashboard

/// Golden-file snapshots of a screen buffer: the text layer, then one character per cell for its role.
/// Checked by the shared ``GoldenFile`` (`EARSHOT_RECORD=1` re-records and fails so the diff is reviewed).
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
        GoldenFile.check(text(buf), at: directory.appendingPathComponent(name + ".txt"), filter: "DashboardTests", file: file, line: line)
    }
}
