import Foundation
import XCTest
@testable import Analytics

/// Walks every declared child of the figure tree (``FigureParent/children``) over ``FigureListTests/fullReport()``:
/// each one the JSON writes is a member of its struct's JSON object, each is a field of its node under its key and
/// aliases, each list has entries in the full report; then `check` paths through every list resolve. A child added
/// to a declaration is checked here without touching this test; a new struct with children needs one `walk` line.
final class FigureTreeTests: XCTestCase {
    /// The JSON members of `x`.
    func jsonKeys<T: Encodable>(_ x: T) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(x)) as? [String: Any]
        return Set(try XCTUnwrap(object, "\(T.self) is not a JSON object").keys)
    }

    /// Checks the declared children of `x`; returns how many lists it declares.
    @discardableResult
    func walk<T: FigureParent & Encodable>(_ x: T, line: UInt = #line) throws -> Int {
        let keys = try jsonKeys(x)
        let node = FigureNode.node("\(T.self)", x)
        XCTAssertFalse(T.children.isEmpty, "\(T.self) declares no children", line: line)
        var lists = 0
        for c in T.children {
            let name = "\(T.self).\(c.key)"
            if let j = c.jsonKey { XCTAssertTrue(keys.contains(j), "the JSON of \(T.self) has no `\(j)`", line: line) }
            guard let made = c.make(x, "\(T.self)") else { continue }
            if c.placement == .entriesOnly {
                XCTAssertEqual(node.entries.map(\.key), made.entries.map(\.key), name, line: line)
            } else {
                XCTAssertEqual(node.field(c.key)?.what, made.what, "\(name) is not a field", line: line)
            }
            for a in c.aliases where c.placement != .entriesOnly {
                XCTAssertEqual(node.field(a)?.what, made.what, "alias `\(a)` of \(name)", line: line)
            }
            if c.isList {
                lists += 1
                XCTAssertTrue(made.isList, "\(name) is not a list", line: line)
                XCTAssertFalse(made.entries.isEmpty, "\(name) has no entries in the full report: add one", line: line)
            }
        }
        return lists
    }

    /// The full report with a theme and a week for its question, so that every list has an entry.
    static func report() -> Report {
        var r = FigureListTests.fullReport()
        r.feedback.questions[0].themes = [AnswerTheme(theme: "price", kind: "word", persons: 3, answers: 4, examples: [])]
        r.feedback.questions[0].weekly = [QuestionWeek(week: "2026-W46", answers: 5, persons: 4, topShare: 0.5)]
        var next = JourneyNode(step: "gifts")
        next.entries = 2
        r.journeys[0].tree.children[0].children = [next]
        return r
    }

    func testEveryDeclaredChildIsInTheJSONAndTheTree() throws {
        let r = Self.report()
        let f = r.feedback
        var lists = 0
        lists += try walk(r)
        lists += try walk(r.store)
        lists += try walk(r.consent)
        lists += try walk(f)
        lists += try walk(try XCTUnwrap(f.questions.first))
        lists += try walk(try XCTUnwrap(f.questionFunnels.first))
        try walk(try XCTUnwrap(f.questionFunnels.first?.steps.first))
        lists += try walk(f.fatigue)
        lists += try walk(try XCTUnwrap(f.fatigue.byChannel.values.first))
        lists += try walk(f.preferredChannel)
        try walk(try XCTUnwrap(f.preferredChannel.channels.first))
        lists += try walk(try XCTUnwrap(r.segments.first))
        lists += try walk(r.segments[0].profileDepth.all)
        try walk(r.segments[0].profileDepth)
        lists += try walk(try XCTUnwrap(r.loops.first))
        lists += try walk(try XCTUnwrap(r.journeys.first))
        lists += try walk(try XCTUnwrap(r.journeys.first?.tree.children.first))
        try walk(r.persons)
        lists += try walk(r.persons.profileDepth)
        XCTAssertGreaterThanOrEqual(lists, 29)
    }

    /// Documented path shapes (docs/ONCALL.md, docs/REPORT.md, the FigureTree file comments) through every list, on the
    /// full report's names.
    func testPathsThroughEveryListResolve() throws {
        let tree = FigureNode.of(Self.report())
        let paths = [
            #"store.file["a.jsonl"].events"#, "store.file_list[0].lines", "store.warnings",
            "consent.Marketing.coverage", #"consent.categories["Marketing"].granted"#, #"consent.category["Marketing"].denied"#,
            "feedback.chat.response_rate", #"feedback.channels["chat"].prompts"#, #"feedback.survey["s1"].response_rate"#,
            "feedback.total.response_rate", "feedback.all.prompts", "feedback.nps.nps", "feedback.nps_by_channel.chat.nps",
            #"feedback.nps_by_survey["s1"].nps"#, #"feedback.hour_weekday["1-09"].prompts"#,
            #"feedback.question["s1/q1"].option["child"].share"#, #"question["s1/q1"].options.child.share"#,
            #"question["s1/q1"].histogram["5"].count"#, #"question["s1/q1"].value["5"].count"#,
            #"question["s1/q1"].theme["price"].persons"#, #"question["s1/q1"].weekly[-1].top_share"#,
            #"funnel["s1"].step["q1"].answer_rate"#, #"funnel["s1"].step[0].position"#, #"feedback.funnel["s1"].steps[0].asked"#,
            "feedback.fatigue.ordinal[3].response_rate", "feedback.fatigue.ordinal[5].prompts",
            #"feedback.fatigue.gap["<1d"].prompts"#, "feedback.fatigue.channel.sms.ordinal[1].persons",
            #"feedback.fatigue.by_channel["sms"].by_gap["first"].prompts"#,
            "feedback.preferred_channel.on_preferred.response_rate", "feedback.preferred_channel.preference.email.persons",
            #"feedback.preferred_channel.channel["email"].on_other.prompts"#,
            "weekly[-1].prompts", #"week["2026-W46"].response_rate"#, #"event["Order Completed"].count"#,
            #"segment["VIP"].size"#, #"segment["VIP"].weekly[-1].size"#, "segments[0].feedback.chat.prompts",
            #"segment["VIP"].nps.nps"#, #"segment["VIP"].profile_depth.prompted.depth[1].share"#,
            #"overlap["VIP"]["New"]"#,
            #"loop["Apology"].in_time_rate"#, #"loop["Apology"].weekly[-1].missed"#, #"loop["Apology"].by_channel.email.in_time"#,
            #"loop["Apology"].channel["email"].closed"#, #"loop["Apology"].open_ages["0-3600"].open"#,
            #"journey["Baby"].persons"#, #"journey["Baby"].tree["baby"].entries"#, #"journey["Baby"].tree["baby"]["gifts"].entries"#, #"journey["Baby"].paths[0].persons"#,
            "persons.profile_depth.all.depth[0].share", "persons.profile_depth.weekly[-1].depth[4].persons",
            "persons.profile_depth.week[0].depth[0].persons",
        ]
        for text in paths {
            if case .failure(let e) = tree.resolve(rule("\(text) >= 0").path) { XCTFail("\(text): \(e.message)") }
        }
    }
}
