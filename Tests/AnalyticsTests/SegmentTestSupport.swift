import XCTest
import EventStore
@testable import Analytics

/// Helpers for the segment tests: hand-built stores and member lists by person id.
enum Fixture {
    /// Monday 2026-03-02 00:00:00 UTC.
    static let t0: Int64 = 1_772_409_600_000
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    static func track(_ user: String, _ event: String, at time: Int64, _ props: [String: ScalarValue] = [:],
                      extra: [PathValue] = []) -> ParsedEvent {
        ParsedEvent(kind: .track, time: time, userId: user, event: event,
                    properties: props.sorted { $0.key < $1.key }.map { PathValue("properties." + $0.key, $0.value) } + extra)
    }

    static func page(_ user: String, at time: Int64, category: String? = nil, path: String? = nil, name: String? = nil) -> ParsedEvent {
        ParsedEvent(kind: .page, time: time, userId: user, name: name, category: category, pagePath: path)
    }

    static func identify(_ user: String, at time: Int64, _ traits: [String: ScalarValue]) -> ParsedEvent {
        ParsedEvent(kind: .identify, time: time, userId: user, traits: traits.sorted { $0.key < $1.key }.map { PathValue($0.key, $0.value) })
    }

    static func table(_ events: [ParsedEvent]) -> EventTable {
        var b = EventTableBuilder()
        for e in events { b.add(e) }
        return b.finish()
    }

    static func program(_ source: String, file: String = "test.segments",
                        line: UInt = #line) -> SegmentProgram? {
        do { return try SegmentProgram.parse(source: source, fileName: file) } catch {
            XCTFail("unexpected errors:\n\(error)", line: line)
            return nil
        }
    }

    /// Segment name → sorted person ids of its members.
    static func members(_ source: String, _ table: EventTable, now: Int64? = nil, line: UInt = #line) -> [String: [String]] {
        guard let p = program(source, line: line) else { return [:] }
        let ev = SegmentEvaluator(program: p, table: table)
        let sets = ev.evaluate(now: now ?? ev.defaultNow)
        var out: [String: [String]] = [:]
        for (i, s) in p.segments.enumerated() {
            out[s.name] = sets[i].members.map { table.strings[table.personID[$0]] }.sorted()
        }
        return out
    }

    /// Members of the single segment `S` defined by `rule`.
    static func members(rule: String, _ table: EventTable, now: Int64? = nil, line: UInt = #line) -> [String] {
        members("segment \"S\":\n    \(rule)\n", table, now: now, line: line)["S"] ?? ["<parse failed>"]
    }

    /// Score name → person id → value.
    static func scores(_ source: String, _ table: EventTable, now: Int64? = nil, line: UInt = #line) -> [String: [String: Double]] {
        guard let p = program(source, line: line) else { return [:] }
        let ev = SegmentEvaluator(program: p, table: table)
        var out: [String: [String: Double]] = [:]
        for (name, values) in ev.scores(now: now ?? ev.defaultNow) {
            var byPerson: [String: Double] = [:]
            for (i, v) in values.enumerated() { byPerson[table.strings[table.personID[i]]] = v }
            out[name] = byPerson
        }
        return out
    }

    /// The description of the errors of a source that must fail.
    static func errors(_ source: String, file: String = "rules.segments", line: UInt = #line) -> String {
        do {
            _ = try SegmentProgram.parse(source: source, fileName: file)
            XCTFail("expected errors", line: line)
            return ""
        } catch {
            return error.description
        }
    }

    static let exampleRules = """
    # "Arrived through an email click, then looked at a baby product the same day"
    segment "Baby shopper intent":
        did "Email Link Clicked" then did "Product Viewed" where category = "baby" within 1d

    segment "Gift buyer":
        did "Product Viewed" where category = "baby" and did "Product Viewed" where category = "gifts"

    segment "Chat regulars":
        did "Survey Sent" where channel = "chat" at least 2 times in last 30d

    segment "Lapsed buyers":
        did "Order Completed" and not did "Order Completed" in last 60d

    segment "Coastal, email preferred":
        trait region = "coastal" and trait preferred_channel in ["email", "sms"]

    score likely_parent = 2 * count("Product Viewed" where category = "baby") + minutes_in(section "baby") / 5 + minutes_in(section "sale") / 10

    segment "Likely parent":
        likely_parent >= 10 and not in "Gift buyer"

    """
}
