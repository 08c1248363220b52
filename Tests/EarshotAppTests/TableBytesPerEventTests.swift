import Analytics
import EarshotApp
import EventStore
import Foundation
import XCTest

/// The compact table's size (#14: ≤ 60 bytes per event for the table): ExampleData read with the fields a report
/// selects (the metrics', the free-text figures', the feedback schema's and shop.segments'), and the table's
/// accounted storage (``EventTable/storageBreakdown``) divided by its rows.
///
/// ExampleData is the same generator's output as the 1 GB benchmark store, at 1/170 of its size: its strings
/// (ids of persons and messages in the interner) weigh a little more per event, the rest is the same per row.
/// docs/PERFORMANCE.md ("The compact table") has the 1 GB figures.
final class TableBytesPerEventTests: XCTestCase {
    /// The bound this test enforces, in bytes per event.
    static let bound = 60.0

    func testExampleDataTableStaysWithinTheBound() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let store = root.appendingPathComponent("ExampleData").path
        let source = try String(contentsOfFile: store + "/shop.segments", encoding: .utf8)
        let program = try SegmentProgram.parse(source: source, fileName: "shop.segments")
        let selection = StoreSession.selection(program: program, feedback: FeedbackSchema())
        let table = try StoreReader(paths: [store], selection: selection).load()
        XCTAssertGreaterThan(table.count, 10_000)
        let parts = table.storageBreakdown
        let perEvent = Double(table.storageBytes) / Double(table.count)
        let text = parts.map { "\($0.part) \(String(format: "%.2f", Double($0.bytes) / Double(table.count)))" }.joined(separator: ", ")
        print("table bytes/event on ExampleData (\(table.count) events): \(String(format: "%.1f", perEvent)): \(text)")
        XCTAssertLessThanOrEqual(perEvent, Self.bound, "the table's bytes per event (\(text))")
        // The parts the compact layout shrank, each held to its own share.
        func share(_ name: String) -> Double { Double(parts.first { $0.part == name }?.bytes ?? 0) / Double(table.count) }
        XCTAssertLessThanOrEqual(share("time"), 5.0, "times are 5-byte offsets on a store spanning months")
        XCTAssertLessThanOrEqual(share("consentCarried") + share("consentGranted"), 4.0, "consent bits only where carried")
        XCTAssertLessThanOrEqual(share("properties"), 16.0, "property columns store only the rows that carry the path")
    }
}
