import Analytics
import EventStore
import Foundation
import XCTest

/// The vendor fixture corpus of issue #10 (`Tests/Fixtures/vendors/`): real Segment, RudderStack and
/// PostHog payloads, each file's source and license in the folder's README.md.
///
/// A vendor folder is read the way `earshot report` reads a store (``StoreReader`` over the folder, then
/// ``Analysis/rawReport(table:program:options:persons:)``: every figure exactly, before the privacy guards),
/// so a failure names the figure and the vendor behaviour behind it, not a diff of a whole report.
enum VendorFixtures {
    /// `Tests/Fixtures/vendors` (absolute).
    static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/vendors").path

    /// The folder of one vendor (`segment`, `rudderstack`, `posthog`), or the root for the mixed store.
    static func path(_ vendor: String) -> String { vendor.isEmpty ? root : root + "/" + vendor }

    /// The report of a vendor folder with `rules` (a `.segments` source) and the default options
    /// (reference time: the latest event; analytics category `Analytics`), unless `options` is given.
    static func report(_ vendor: String, rules: String = "", options: AnalysisOptions = AnalysisOptions()) throws -> Report {
        let program = rules.isEmpty ? nil : try SegmentProgram.parse(source: rules, fileName: "\(vendor).segments")
        var selection = FieldSelection.metrics
        if let program { selection = selection.union(program.fieldSelection) }
        let table = try StoreReader(paths: [path(vendor)], selection: selection).load()
        var report = Analysis.rawReport(table: table, program: program, options: options)
        // Paths relative to the fixture root, so that messages and comparisons do not depend on the checkout.
        report.store.malformedLines = report.store.malformedLines.map {
            MalformedLineReport(file: relative($0.file), line: $0.line, reason: $0.reason)
        }
        return report
    }

    /// `path` relative to the fixture root (`segment/spec-minimal-examples.jsonl`).
    static func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    /// The size of segment `name` in `report`, or nil when the report has no such segment.
    static func size(_ report: Report, _ name: String) -> Int? {
        report.segments.first { $0.name == name }?.size
    }

    /// The malformed lines of `file` (relative path), in line order.
    static func malformed(_ report: Report, file: String) -> [MalformedLineReport] {
        report.store.malformedLines.filter { $0.file == file }
    }

    /// A category's `(granted, denied, unknown)` persons, or nil when the report has no such category.
    static func category(_ report: Report, _ name: String) -> (granted: Int, denied: Int, unknown: Int)? {
        guard let c = report.consent.categories.first(where: { $0.name == name }) else { return nil }
        return (c.granted, c.denied, c.unknown)
    }

    /// The count of track event `name` in `event_names`, or nil when absent.
    static func eventCount(_ report: Report, _ name: String) -> Int? {
        report.eventNames.first { $0.name == name }?.count
    }

    /// `earshot report --format json --no-cache --min-cohort 0 --reveal ARGS PATH` as parsed JSON (for
    /// options that only exist on the command line, such as `--assume-utc`).
    static func cliReport(_ vendor: String, _ arguments: [String], file: StaticString = #filePath,
                          line: UInt = #line) throws -> [String: Any]? {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-vendor-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let r = try Earshot.run(["report", "--format", "json", "--no-cache", "--min-cohort", "0", "--reveal"]
                                    + arguments + [path(vendor)],
                                environment: ["XDG_CACHE_HOME": cache])
        guard r.status == 0 else {
            XCTFail("earshot report \(arguments.joined(separator: " ")) on \(vendor) exited \(r.status): \(r.stderr)",
                    file: file, line: line)
            return nil
        }
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    }
}

/// Reads `a.b.c` out of parsed JSON.
func jsonValue(_ object: Any?, _ path: String) -> Any? {
    var current = object
    for key in path.split(separator: ".") {
        guard let dict = current as? [String: Any] else { return nil }
        current = dict[String(key)]
    }
    return current
}
