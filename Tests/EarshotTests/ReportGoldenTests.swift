import Foundation
import XCTest
import EarshotTestSupport

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
        GoldenFile.check(r.stdout, at: URL(fileURLWithPath: Fixture.repoRoot).appendingPathComponent("Tests/EarshotTests/Golden/\(file)"),
                         filter: "ReportGoldenTests")
    }
}
