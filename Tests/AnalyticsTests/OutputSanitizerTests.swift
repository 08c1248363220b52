import XCTest
import Foundation
import EventStore
@testable import Analytics
import EarshotTestSupport

/// Issue #11.10 / #13.6: one list of unsafe characters (``UnsafeText``) and one sanitizer behind every
/// text output, tested with the dashboard's escape corpus (Tests/Shared/EscapeCorpus.swift).
final class OutputSanitizerTests: XCTestCase {
    func testTheListCoversEveryCharacterTheCorpusForbids() {
        var v: UInt32 = 0
        while v <= 0x10FFFF {
            if !(0xD800...0xDFFF).contains(v), EscapeCorpus.isForbidden(v) {
                XCTAssertTrue(UnsafeText.isUnsafe(v), "U+\(String(v, radix: 16, uppercase: true)) is not on the list")
            }
            v += 1
        }
        // Ordinary text is not on it.
        for s in "Order Completed café 東京 한국어 👍 e\u{301} \u{1100}\u{1161}".unicodeScalars where s != " " {
            XCTAssertFalse(UnsafeText.isUnsafe(s), "U+\(String(s.value, radix: 16))")
        }
    }

    func testEveryTextOutputCleansEveryCorpusSample() {
        for (name, text) in EscapeCorpus.samples {
            let input = "a" + text + "b"
            let outputs: [(String, String)] = [
                ("text report cell", DisplayText.cell(input, limit: 200)),
                ("sanitize", DisplayText.sanitize(input)),
                ("CSV field", CSVWriter.field(input)),
                ("Prometheus label", PrometheusRenderer.escapeLabelValue(input)),
                ("Prometheus help", PrometheusRenderer.escapeHelp(input)),
                ("Nagios text", NagiosOutput.clean(input)),
                ("Nagios label", NagiosOutput.label(input)),
                ("message escape", UnsafeText.escaped(input)),
                ("SafeText", SafeText.clean(input)),
            ]
            for (output, value) in outputs {
                XCTAssertNil(EscapeCorpus.firstForbidden(in: value, newlines: false), "\(output): \(name)")
                XCTAssertTrue(value.contains("a") && value.contains("b"), "\(output) keeps the text around \(name): \(value)")
            }
        }
    }

    func testTheTextReportReplacesAWholeSequenceOnce() {
        XCTAssertEqual(DisplayText.sanitize("x\u{1b}]0;pwned\u{07}y"), "x?y", "not ?]0;pwned?")
        XCTAssertEqual(DisplayText.sanitize("a\u{1b}[2Jb\tc\u{7F}d\u{9B}31me\u{202E}f\u{2028}g\u{3164}h"), "a?b c?d?e?f?g?h")
    }

    func testJSONEscapesWithoutChangingTheValue() throws {
        for (name, text) in EscapeCorpus.samples {
            let json = UnsafeText.jsonEscaped(String(decoding: try JSONEncoder().encode(["k": "a" + text + "b"]), as: UTF8.self))
            XCTAssertNil(EscapeCorpus.firstForbidden(in: json, newlines: false), name)
            let back = try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
            XCTAssertEqual(back["k"], "a" + text + "b", name)
        }
        XCTAssertEqual(UnsafeText.jsonEscaped("\"\u{202e}\u{e0041}\""), "\"\\u202e\\udb40\\udc41\"")
        var r = Report()
        r.eventNames = [EventNameCount(name: "n\u{85}\u{2028}\u{200b}", count: 1, known: false)]
        let out = ReportRenderer.json(r)
        XCTAssertTrue(out.contains("\"n\\u0085\\u2028\\u200b\""), out)
    }

    func testMessagesEscapeStoreText() {
        XCTAssertEqual(UnsafeText.escaped("a\u{1b}]0;t\u{07}\u{202e}.segments"), "a\\u{1b}]0;t\\u{7}\\u{202e}.segments")
        XCTAssertEqual(UnsafeText.escaped("two\nlines\u{1b}", keepingNewlines: true), "two\nlines\\u{1b}")
        XCTAssertEqual(StoreError.notFound(path: "/x\u{1b}[2J\u{2066}").description, "no such file or directory: /x\\u{1b}[2J\\u{2066}")
    }

    func testPrometheusLabelsKeepDistinctValuesDistinct() {
        XCTAssertEqual(PrometheusRenderer.escapeLabelValue("a\u{1b}b"), "a\\\\u{1b}b")
        XCTAssertNotEqual(PrometheusRenderer.escapeLabelValue("a\u{1b}"), PrometheusRenderer.escapeLabelValue("a\u{7}"))
        XCTAssertEqual(PrometheusRenderer.escapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd")
    }

    // MARK: #11.11

    func testCSVFormulaCellsAreNeutralised() {
        XCTAssertEqual(CSVWriter.field("=1+1"), "'=1+1")
        XCTAssertEqual(CSVWriter.field("+49 170"), "'+49 170")
        XCTAssertEqual(CSVWriter.field("-3"), "'-3", "store text that looks like a number is still store text")
        XCTAssertEqual(CSVWriter.field("@SUM(A1)"), "'@SUM(A1)")
        XCTAssertEqual(CSVWriter.field("\tx"), "' x")
        XCTAssertEqual(CSVWriter.field("\rx"), "' x")
        XCTAssertEqual(CSVWriter.field("=HYPERLINK(\"u\",\"v\")"), "\"'=HYPERLINK(\"\"u\"\",\"\"v\"\")\"")
        XCTAssertEqual(CSVWriter.field("Order Completed"), "Order Completed")
        XCTAssertEqual(CSVWriter.field("a=b"), "a=b")
        // earshot's own numbers stay numbers.
        var w = CSVWriter()
        w.row("nps", "all", "nps", -3.5)
        w.row("store", "", "events", -3 as Int?)
        XCTAssertEqual(w.text, "nps,all,nps,-3.5\nstore,,events,-3\n")
        var named = CSVWriter()
        named.row("event_name", "-rm", "count", 2 as Int?)
        XCTAssertEqual(named.text, "event_name,'-rm,count,2\n")
    }

    // MARK: #13.5

    func testCheckNumbersForPeople() {
        XCTAssertEqual(CheckFormat.value(0.7939789626405513, unit: .fraction), "0.794 (79.4%)")
        XCTAssertEqual(CheckFormat.value(0.75, unit: .fraction), "0.75 (75.0%)")
        XCTAssertEqual(CheckFormat.value(1, unit: .fraction), "1 (100.0%)")
        XCTAssertEqual(CheckFormat.value(0.7939789626405513, unit: .fraction, comparedBy: .greaterOrEqual, with: 0.794), "0.79398 (79.4%)")
        XCTAssertEqual(CheckFormat.value(0.5496, unit: .fraction, comparedBy: .greaterOrEqual, with: 0.55), "0.5496 (55.0%)")
        XCTAssertEqual(CheckFormat.value(0.5496, unit: .fraction, comparedBy: .lessOrEqual, with: 0.6), "0.55 (55.0%)")
        XCTAssertEqual(CheckFormat.value(810_000, unit: .seconds), "810000s (9d 9h)")
        XCTAssertEqual(CheckFormat.value(33.333333, unit: .score), "33.3")
        XCTAssertEqual(DurationText.short(45), "45s")
        XCTAssertEqual(DurationText.short(725), "12m 5s")
        XCTAssertEqual(DurationText.short(3 * 3600 + 12 * 60), "3h 12m")
        XCTAssertEqual(DurationText.short(7 * 86_400), "7d")
        XCTAssertEqual(DurationText.short(-90), "-1m 30s")
    }
}
