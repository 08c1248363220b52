import Analytics
import EventStore
import Foundation
import XCTest
@testable import Dashboard

/// Every view rendered from the real ExampleData (read, analysed and rendered exactly as `earshot`
/// does), with a fixed clock, at 80×24 and 120×40.
final class ExampleDataSnapshotTests: XCTestCase {
    /// The report of ExampleData with its rules, computed once for all tests of this class.
    nonisolated(unsafe) static var cached: Report?

    static func exampleReport() throws -> Report {
        if let cached { return cached }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let store = root.appendingPathComponent("ExampleData").path
        let rules = try String(contentsOfFile: store + "/shop.segments", encoding: .utf8)
        let program = try SegmentProgram.parse(source: rules, fileName: "shop.segments")
        let table = try StoreReader(paths: ["ExampleData"].map { _ in store },
                                    selection: FieldSelection.metrics.union(program.fieldSelection)).load()
        var report = Analysis.report(table: table, program: program, options: AnalysisOptions())
        // Paths in the report are absolute in this test; make them repository-relative for stable goldens.
        report.store.malformedLines = report.store.malformedLines.map {
            MalformedLineReport(file: $0.file.replacingOccurrences(of: root.path + "/", with: ""), line: $0.line, reason: $0.reason)
        }
        report.store.fileList = report.store.fileList.map {
            var f = $0; f.path = f.path.replacingOccurrences(of: root.path + "/", with: ""); return f
        }
        cached = report
        return report
    }

    /// 2026-11-21T09:00:00Z: the morning after the last example event.
    static let nowMs: Int64 = 1_795_251_600_000

    func state(width: Int, height: Int) throws -> AppState {
        var s = AppState(options: DashboardOptions(glyphs: .unicode))
        _ = update(&s, .resize(width: width, height: height))
        _ = update(&s, .tick(nowMs: Self.nowMs))
        _ = update(&s, .loaded(DashboardData(report: try Self.exampleReport(), sourceDescription: "ExampleData", loadSeconds: 0.4)))
        return s
    }

    func testEveryViewOfExampleData() throws {
        for (w, h) in [(80, 24), (120, 40)] {
            for tab in Tab.allCases {
                var s = try state(width: w, height: h)
                _ = update(&s, .key(.char(Character(String(tab.rawValue)))))
                Golden.assert(Golden.render(s, width: w, height: h), named: "example_\(tab.title.lowercased())_\(w)x\(h)")
            }
            var s = try state(width: w, height: h)
            for k: Key in [.char("2"), .enter] { _ = update(&s, .key(k)) }
            Golden.assert(Golden.render(s, width: w, height: h), named: "example_segment_detail_\(w)x\(h)")
        }
    }
}
