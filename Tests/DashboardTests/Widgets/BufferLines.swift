import XCTest
import Analytics
@testable import Dashboard

/// ratatui's `Buffer::with_lines` for earshot: an expected screen buffer written as text lines (and, optionally, one
/// role character per cell in ``Golden/roleChar(_:)``'s alphabet), so that a widget test states exactly what it draws.
extension ScreenBuffer {
    /// A buffer as wide as the longest line (shorter lines are padded with blanks), roles from `roles` (a space is
    /// `.normal`; omitted lines are all `.normal`).
    static func withLines(_ lines: [String], roles: [String] = []) -> ScreenBuffer {
        let width = lines.map { DisplayWidth.of($0) }.max() ?? 0
        var buf = ScreenBuffer(width: width, height: lines.count)
        for (y, line) in lines.enumerated() { buf.put(line, x: 0, y: y, clip: buf.area, role: .normal) }
        let byChar = Dictionary(StyleRole.allCases.map { (Golden.roleChar($0), $0) }, uniquingKeysWith: { a, _ in a })
        for (y, line) in roles.enumerated() where y < buf.height {
            for (x, ch) in line.enumerated() where x < buf.width { buf[x, y].role = byChar[ch] ?? .normal }
        }
        return buf
    }

    /// The role layer as lines of ``Golden/roleChar(_:)`` characters.
    var roleLines: [String] {
        (0..<height).map { y in String((0..<width).map { Golden.roleChar(self[$0, y].role) }) }
    }
}

/// Asserts that `actual` has the text `lines` (trailing blanks may be left out) and, when given, the role lines.
func assertBuffer(_ actual: ScreenBuffer, _ lines: [String], roles: [String]? = nil,
                  file: StaticString = #filePath, line: UInt = #line) {
    let expected = ScreenBuffer.withLines(lines, roles: roles ?? [])
    let got = actual.textLines().map { $0.trimmingTrailingSpaces }
    let want = expected.textLines().map { $0.trimmingTrailingSpaces }
    let pad = { (a: [String]) in a + Array(repeating: "", count: max(0, max(got.count, want.count) - a.count)) }
    if pad(got) != pad(want) {
        XCTFail("buffer differs:\n" + zip(pad(want), pad(got)).enumerated().map { i, p in
            (p.0 == p.1 ? "  " : "≠ ") + "\(i): want |\(p.0)|\n" + (p.0 == p.1 ? "" : "     got  |\(p.1)|\n")
        }.joined(), file: file, line: line)
        return
    }
    if let roles {
        let gotRoles = actual.roleLines.map { $0.trimmingTrailingSpaces }
        let wantRoles = roles.map { $0.trimmingTrailingSpaces }
        XCTAssertEqual(Array(gotRoles.prefix(wantRoles.count)), wantRoles, "roles differ", file: file, line: line)
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
