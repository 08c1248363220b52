import Foundation
import XCTest

/// The one golden-file check of the tests (screens, exports, reports). With `EARSHOT_RECORD=1` it writes the file
/// and FAILS ("re-recorded, review the diff"), so a recording run never passes by accident; a file that cannot be
/// written fails too. Otherwise a missing file or any difference fails with the first differing lines.
public enum GoldenFile {
    /// True when the run re-records goldens (`EARSHOT_RECORD=1`).
    public static var recording: Bool { ProcessInfo.processInfo.environment["EARSHOT_RECORD"] == "1" }

    /// Compares `actual` with the file at `url`, or records it (then fails). `filter` names the suite to re-run.
    public static func check(_ actual: String, at url: URL, filter: String, file: StaticString = #filePath, line: UInt = #line) {
        let name = url.lastPathComponent
        if recording {
            let old = try? String(contentsOf: url, encoding: .utf8)
            if old == actual { return }
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                return XCTFail("cannot record golden \(url.path): \(error)", file: file, line: line)
            }
            return XCTFail("golden \(name) re-recorded, review the diff (git diff \(url.path)) and run again without EARSHOT_RECORD",
                           file: file, line: line)
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return XCTFail("no golden file \(url.path); record it with EARSHOT_RECORD=1 swift test --filter \(filter)",
                           file: file, line: line)
        }
        if expected == actual { return }
        XCTFail("golden \(name) differs (if intended: EARSHOT_RECORD=1 swift test --filter \(filter), then review the diff):\n"
                + diff(expected, actual), file: file, line: line)
    }

    /// The first `limit` differing lines of two texts.
    public static func diff(_ expected: String, _ actual: String, limit: Int = 12) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out = ""
        var shown = 0
        for i in 0..<max(e.count, a.count) where shown < limit {
            let el = i < e.count ? String(e[i]) : "<none>"
            let al = i < a.count ? String(a[i]) : "<none>"
            if el != al {
                out += "line \(i + 1):\n  - \(el)\n  + \(al)\n"
                shown += 1
            }
        }
        return out
    }
}
