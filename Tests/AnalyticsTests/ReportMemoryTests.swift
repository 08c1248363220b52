import EventStore
import Foundation
import XCTest
@testable import Analytics

/// #11.15 in the report: event names held without a `String` per name (``EventNameList``), in the order
/// `String`'s `<` gives, and the JSON and CSV reports written in pieces that together are exactly the
/// one-document output (the stores are generated here; memory is checked by what is deterministic).
final class ReportMemoryTests: XCTestCase {
    /// Names whose byte order and `String` order differ (decomposed accents compose with an ASCII letter
    /// before them), plus text every output must neutralise.
    static let hostileNames = [
        "Zebra", "apple", "Apple", "\u{C9}clair", "E\u{301}clair", "e\u{301}x", "f", "\u{E9}", "n\u{303}", "\u{F1}", "o",
        "=cmd", "a,b", "q\"uote", "\u{202E}bidi", "\u{7}bell", "\u{1F600} smile", "\u{65E5}\u{672C}", "tab\there",
        "nl\nhere", "back\\slash", "slash/x", "\u{2028}ls", "\u{AD}", "\u{DF}", "ss", String(repeating: "x", count: 300),
        "Order Completed", "Product Viewed",
    ]

    /// A 22-byte name as the hostile store's generator writes them (`Event 0000042 5be6b438`).
    static func generatedName(_ i: Int) -> String {
        String(format: "Event %07d %08x", i, UInt32(truncatingIfNeeded: i &* 2_654_435_761))
    }

    /// A table of `track` events named `names` (name i occurs `1 + i % 3` times), 37 persons, plus a few prompts
    /// and answers so that the report's other sections are not empty.
    static func table(names: [String]) -> EventTable {
        let parser = EventLineParser(selection: FieldSelection.metrics.union(FeedbackSchema.standard.fieldSelection))
        var b = EventTableBuilder()
        var n = 0
        func add(_ object: [String: Any]) {
            let data = try! JSONSerialization.data(withJSONObject: object)
            switch parser.parse(String(decoding: data, as: UTF8.self)) {
            case .success(let e): b.add(e)
            case .failure(let e): XCTFail("line not accepted: \(e)")
            }
        }
        for (i, name) in names.enumerated() {
            for _ in 0 ... i % 3 {
                n += 1
                add(["type": "track", "event": name, "userId": "u\(n % 37)", "messageId": "m\(n)",
                     "timestamp": String(format: "2026-03-%02dT10:00:00Z", 1 + n % 28)])
            }
        }
        for p in 0 ..< 30 {
            add(["type": "track", "event": "Survey Shown", "userId": "u\(p)", "messageId": "s\(p)",
                 "timestamp": "2026-03-10T09:00:00Z", "properties": ["survey_id": "nps1", "channel": "email"]])
            if p % 3 == 0 {
                add(["type": "track", "event": "Survey Sent", "userId": "u\(p)", "messageId": "a\(p)",
                     "timestamp": "2026-03-10T09:05:00Z", "properties": ["survey_id": "nps1", "channel": "email", "score": p % 11]])
            }
        }
        return b.finish().redactingDeletions()
    }

    static let rules = """
        segment "Asked": did "Survey Shown"
        segment "Answered": did "Survey Sent"
        """

    static func report(names: [String], minCohort: Int = 0) -> Report {
        Analysis.report(table: table(names: names), program: Fixture.program(Self.rules)!,
                        options: AnalysisOptions(analyticsCategory: "Analytics",
                                                 privacy: PrivacyPolicy(minCohort: minCohort, revealPII: minCohort == 0)))
    }

    // MARK: The list

    /// The names come out sorted as `String`s sort (not by bytes), each with its count and `known` flag.
    func testEventNamesAreSortedAsStringsSortThemWithTheirCounts() {
        let names = Self.hostileNames + (0 ..< 200).map(Self.generatedName)
        let r = Self.report(names: names)
        // Keyed by bytes: canonically equivalent names ("\u{C9}clair", "E\u{301}clair") are distinct names.
        var expected: [[UInt8]: Int] = [Array("Survey Shown".utf8): 30, Array("Survey Sent".utf8): 10]
        for (i, name) in names.enumerated() { expected[Array(name.utf8), default: 0] += 1 + i % 3 }
        let got = r.eventNames.map(\.name)
        XCTAssertEqual(got.count, expected.count)
        XCTAssertEqual(got, got.sorted(by: <), "String order")
        // Byte order would put "e\u{301}x" before "f"; String order after it (é > f once composed).
        XCTAssertLessThan(try XCTUnwrap(got.firstIndex(of: "f")), try XCTUnwrap(got.firstIndex(of: "e\u{301}x")))
        for e in r.eventNames {
            XCTAssertEqual(e.count, expected[Array(e.name.utf8)], e.name)
            XCTAssertEqual(e.known, KnownEvents.isKnown(e.name), e.name)
        }
        XCTAssertTrue(r.eventNames.first { $0.name == "Order Completed" }?.known ?? false)
    }

    /// Each name costs its UTF-8 bytes plus an offset, a count and a flag (~39 B for a 22-byte name), not a
    /// `String` element (16 B) and a 48-byte heap object besides: the bound fails if a `String` per name returns.
    func testReportHoldsEventNamesWithoutAStringPerName() {
        let n = 30_000  // (100,000 took a minute in a debug build on a loaded machine; the bound is per name)
        let r = Self.report(names: (0 ..< n).map(Self.generatedName))
        let list = r.eventNames
        XCTAssertEqual(list.count, n + 2)
        XCTAssertLessThanOrEqual(list.storageBytes, (n + 2) * 40, "\(list.storageBytes / list.count) B per name")
        // Nothing but the four arrays accounted for by storageBytes.
        XCTAssertEqual(MemoryLayout<EventNameList>.size, 4 * MemoryLayout<[UInt8]>.size)
        XCTAssertEqual(list[0].name, Self.generatedName(0))
        XCTAssertEqual(list[0].count, 1)
        XCTAssertEqual(list[n - 1].name, Self.generatedName(n - 1))
        XCTAssertEqual(list[n - 1].count, 1 + (n - 1) % 3)
        // The privacy pass masks names in place into a list of the same shape (and the same bound).
        let published = Self.report(names: (0 ..< 1000).map(Self.generatedName) + ["anna@example.com"], minCohort: 5)
        XCTAssertFalse(published.eventNames.contains { $0.name.contains("anna@") })
        XCTAssertEqual(published.eventNames.count, 1003)
    }

    /// The list reads, compares, encodes and decodes as the `[EventNameCount]` it replaces.
    func testEventNameListBehavesAsTheArrayItReplaces() throws {
        let array = Self.hostileNames.enumerated().map { EventNameCount(name: $1, count: $0 + 1, known: $0 % 2 == 0) }
        let list = EventNameList(array)
        XCTAssertEqual(Array(list), array)
        XCTAssertEqual(list, EventNameList(array))
        XCTAssertNotEqual(list, EventNameList(array.dropLast()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        XCTAssertEqual(try encoder.encode(list), try encoder.encode(array))
        XCTAssertEqual(try JSONDecoder().decode(EventNameList.self, from: try encoder.encode(array)), list)
        var mapped = list
        mapped.mapNames { $0 == "apple" ? "APPLE!" : $0 }
        XCTAssertEqual(Array(mapped), array.map { e in
            var e = e; if e.name == "apple" { e.name = "APPLE!" }; return e
        })
        XCTAssertEqual(EventNameList(), [])
    }

    // MARK: Streamed JSON and CSV

    /// The JSON written in pieces is byte for byte the one-document encoding (the former `json`: the whole report
    /// through one encoder) on a report with every section and more names than several pieces hold; fails if a
    /// piece drops, repeats or reorders a name or any other member.
    func testStreamedJSONEqualsTheOneDocumentEncoding() throws {
        let n = 3 * ReportRenderer.jsonNamesPerPiece + 17
        for r in [Self.report(names: Self.hostileNames + (0 ..< n).map(Self.generatedName)),
                  Self.report(names: Self.hostileNames + (0 ..< n).map(Self.generatedName), minCohort: 5),
                  Self.report(names: ["one"]), Self.report(names: [])] {
            var pieces: [String] = []
            ReportRenderer.writeJSON(r) { pieces.append($0) }
            let whole = ReportRenderer.encodedJSON(r) + "\n"
            XCTAssertEqual(pieces.joined(), whole)
            XCTAssertEqual(ReportRenderer.json(r), whole)
            let expectedPieces = r.eventNames.isEmpty
                ? 1 : 2 + (r.eventNames.count + ReportRenderer.jsonNamesPerPiece - 1) / ReportRenderer.jsonNamesPerPiece
            XCTAssertEqual(pieces.count, expectedPieces)
            XCTAssertEqual(try JSONDecoder().decode(Report.self, from: Data(whole.utf8)), r)
        }
        // The hostile names are written escaped, never raw.
        let json = ReportRenderer.json(Self.report(names: Self.hostileNames))
        XCTAssertTrue(json.contains(#""name" : "\u202ebidi""#), "bidi override escaped")
        XCTAssertFalse(json.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x07 || $0.value == 0x2028 })
    }

    /// The CSV is written in whole rows of about `CSVWriter.pieceBytes`, and its event-name rows are the list in order.
    func testStreamedCSVComesInBoundedPiecesOfWholeRows() {
        let r = Self.report(names: Self.hostileNames + (0 ..< 5000).map(Self.generatedName))
        var pieces: [String] = []
        ReportRenderer.writeCSV(r) { pieces.append($0) }
        XCTAssertGreaterThan(pieces.count, 3)
        for p in pieces.dropLast() {
            XCTAssertGreaterThanOrEqual(p.utf8.count, CSVWriter.pieceBytes)
            XCTAssertLessThan(p.utf8.count, CSVWriter.pieceBytes + 1024)
            XCTAssertTrue(p.hasSuffix("\n"))
        }
        let text = pieces.joined()
        XCTAssertEqual(text, ReportRenderer.csv(r))
        let counts = text.split(separator: "\n").filter { $0.hasPrefix("event_name,") && $0.contains(",count,") }
        XCTAssertEqual(counts.count, r.eventNames.count)
        XCTAssertEqual(counts.map { $0.split(separator: ",").last.map(String.init) }, r.eventNames.map { String($0.count) })
    }
}
