import Foundation
import XCTest

/// `earshot report` on the committed ExampleData, compared with reviewed golden files.
///
/// Re-record after an intended change with `EARSHOT_RECORD=1 swift test --filter ReportGoldenTests`
/// and review the diff of `Tests/EarshotTests/Golden/`.
final class ReportGoldenTests: XCTestCase {
    func testJSONReportOnExampleData() throws {
        try assertGolden(["report", "--format", "json"], file: "example-report.json")
    }

    func testTextReportOnExampleData() throws {
        try assertGolden(["report"], file: "example-report.txt")
    }

    private func assertGolden(_ arguments: [String], file: String) throws {
        let r = try Earshot.run(arguments, currentDirectory: Fixture.repoRoot)
        XCTAssertEqual(r.status, 0, r.stderr)
        let url = URL(fileURLWithPath: Fixture.repoRoot).appendingPathComponent("Tests/EarshotTests/Golden/\(file)")
        if ProcessInfo.processInfo.environment["EARSHOT_RECORD"] == "1" {
            try r.stdout.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if r.stdout != expected {
            let got = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            XCTFail("""
                \(file) differs from the golden file at line \(first + 1):
                  golden: \(first < want.count ? String(want[first]) : "<end>")
                  actual: \(first < got.count ? String(got[first]) : "<end>")
                Re-record with EARSHOT_RECORD=1 if the change is intended.
                """)
        }
    }
}
