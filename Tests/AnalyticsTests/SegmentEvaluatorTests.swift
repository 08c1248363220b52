import XCTest
import EventStore
@testable import Analytics

final class SegmentEvaluatorTests: XCTestCase {
    typealias F = Fixture
    let t0 = Fixture.t0, minute = Fixture.minute, hour = Fixture.hour, day = Fixture.day

    // MARK: then … within

    func testThenWithinBoundaries() {
        let t = F.table([
            F.track("exact", "A", at: t0), F.track("exact", "B", at: t0 + day),                 // exactly 1d: matches
            F.track("late", "A", at: t0), F.track("late", "B", at: t0 + day + 1),               // 1 ms more: no
            F.track("samems", "A", at: t0), F.track("samems", "B", at: t0),                     // same ms: not strictly later
            F.track("reversed", "B", at: t0), F.track("reversed", "A", at: t0 + 1),             // wrong order
            F.track("restart", "A", at: t0), F.track("restart", "A", at: t0 + 10 * hour),
            F.track("restart", "B", at: t0 + day + 5 * hour),                                   // from the second A: 19h
        ])
        XCTAssertEqual(F.members(rule: #"did "A" then did "B" within 1d"#, t), ["exact", "restart"])
    }

    func testThenSameEventTwiceNeedsTwoEvents() {
        let t = F.table([
            F.track("once", "A", at: t0),
            F.track("twice", "A", at: t0), F.track("twice", "A", at: t0 + hour),
            F.track("sametime", "A", at: t0), F.track("sametime", "A", at: t0),
        ])
        XCTAssertEqual(F.members(rule: #"did "A" then did "A" within 1h"#, t), ["twice"])
    }

    func testThreeStepChainIsMeasuredFromTheFirstStep() {
        let t = F.table([
            F.track("v1", "A", at: t0), F.track("v1", "B", at: t0 + hour), F.track("v1", "C", at: t0 + 2 * hour),
            F.track("v2", "A", at: t0), F.track("v2", "B", at: t0 + hour), F.track("v2", "C", at: t0 + 2 * hour + 1),
            F.track("v3", "A", at: t0), F.track("v3", "C", at: t0 + 30 * minute), F.track("v3", "B", at: t0 + hour),
            F.track("v4", "A", at: t0), F.track("v4", "B", at: t0), F.track("v4", "C", at: t0 + hour),
            // a later A cannot use the B before it
            F.track("v5", "A", at: t0), F.track("v5", "B", at: t0 + hour), F.track("v5", "A", at: t0 + 90 * minute),
            F.track("v5", "C", at: t0 + 150 * minute),
        ])
        XCTAssertEqual(F.members(rule: #"did "A" then did "B" then did "C" within 2h"#, t), ["v1"])
    }

    func testThenStepsCarryTheirOwnConditionsAndWindows() {
        let t = F.table([
            F.track("p", "A", at: t0, ["x": .number(1)]), F.track("p", "B", at: t0 + minute, ["y": .string("z")]),
            F.track("q", "A", at: t0, ["x": .number(2)]), F.track("q", "B", at: t0 + minute, ["y": .string("z")]),
            F.track("r", "A", at: t0 - 10 * day, ["x": .number(1)]), F.track("r", "B", at: t0 - 10 * day + minute, ["y": .string("z")]),
        ])
        XCTAssertEqual(F.members(rule: #"did "A" where x = 1 then did "B" where y = "z" within 1d"#, t, now: t0 + hour), ["p", "r"])
        XCTAssertEqual(F.members(rule: #"did "A" where x = 1 in last 7d then did "B" within 1d"#, t, now: t0 + hour), ["p"])
    }

    // MARK: windows, quantifiers, as-of

    func testInLastWindowBoundaryAndEventsAfterNow() {
        let now = t0 + 10 * day
        let t = F.table([
            F.track("edge", "X", at: now - 7 * day),          // exactly now − 7d: kept
            F.track("before", "X", at: now - 7 * day - 1),    // 1 ms earlier: out
            F.track("future", "Y", at: t0), F.track("future", "X", at: now + 1),   // after now: ignored
            F.track("now", "X", at: now),
        ])
        XCTAssertEqual(F.members(rule: #"did "X" in last 7d"#, t, now: now), ["edge", "now"])
        XCTAssertEqual(F.members(rule: #"did "X""#, t, now: now), ["before", "edge", "now"])
        XCTAssertEqual(F.members(rule: #"did "X" at least 1 times in last 10000w"#, t, now: now), ["before", "edge", "now"])
    }

    func testQuantifiers() {
        let t = F.table([
            F.track("p0", "Y", at: t0),
            F.track("p1", "X", at: t0),
            F.track("p2", "X", at: t0), F.track("p2", "X", at: t0 + 1),
            F.track("p3", "X", at: t0), F.track("p3", "X", at: t0 + 1), F.track("p3", "X", at: t0 + 2),
        ])
        XCTAssertEqual(F.members(rule: #"did "X" at most 0 times"#, t), ["p0"])
        XCTAssertEqual(F.members(rule: #"did "X" exactly 2 times"#, t), ["p2"])
        XCTAssertEqual(F.members(rule: #"did "X" at least 2 times"#, t), ["p2", "p3"])
        XCTAssertEqual(F.members(rule: #"did "X" at most 1 time"#, t), ["p0", "p1"])
        XCTAssertEqual(F.members(rule: #"not did "X""#, t), ["p0"])
        // a name the store never saw: nobody did it, so everybody did it at most 0 times
        XCTAssertEqual(F.members(rule: #"did "Never Seen" at most 0 times"#, t), ["p0", "p1", "p2", "p3"])
        XCTAssertEqual(F.members(rule: #"did "Never Seen""#, t), [])
        // in a window: p3's third X is the only one in the last 1 ms before now = t0 + 2
        XCTAssertEqual(F.members(rule: #"did "X" at most 0 times in last 1m"#, t, now: t0 + 2 + 2 * minute), ["p0", "p1", "p2", "p3"])
        XCTAssertEqual(F.members(rule: #"did "X" exactly 1 times in last 1m"#, t, now: t0 + 2 + minute), ["p3"])
    }

    func testPersonsNotSeenYetAreInNoSegment() {
        let t = F.table([F.track("early", "Y", at: t0), F.track("late", "Y", at: t0 + day)])
        XCTAssertEqual(F.members(rule: #"not did "X""#, t, now: t0 + hour), ["early"])
        XCTAssertEqual(F.members(rule: #"not did "X""#, t), ["early", "late"])
    }

    func testTraitsAsOfNow() {
        let t = F.table([
            F.identify("u", at: t0, ["region": .string("coastal")]),
            F.identify("u", at: t0 + 2 * day, ["region": .string("inland")]),
            F.identify("v", at: t0, ["region": .string("Coastal")]),
            F.identify("w", at: t0, ["region": .number(5)]),
            F.track("x", "Y", at: t0),
        ])
        XCTAssertEqual(F.members(rule: #"trait region = "coastal""#, t, now: t0 + day), ["u"])
        XCTAssertEqual(F.members(rule: #"trait region = "coastal""#, t, now: t0 + 3 * day), [])
        XCTAssertEqual(F.members(rule: #"trait region = "inland""#, t, now: t0 + 3 * day), ["u"])
        XCTAssertEqual(F.members(rule: #"trait region = 5"#, t), ["w"])
        XCTAssertEqual(F.members(rule: #"trait region = "5""#, t), [])
        // != needs a value of the same type: the number and the missing trait are false
        XCTAssertEqual(F.members(rule: #"trait region != "coastal""#, t), ["u", "v"])
        XCTAssertEqual(F.members(rule: #"not trait region = "inland""#, t), ["v", "w", "x"])
        XCTAssertEqual(F.members(rule: #"trait region contains "oast""#, t, now: t0 + day), ["u", "v"])
        XCTAssertEqual(F.members(rule: #"trait nonexistent = "x""#, t), [])
    }

    // MARK: conditions

    func testPropertyTypesMissingValuesAndDottedPaths() {
        let t = F.table([
            F.track("e1", "E", at: t0, ["amount": .number(5), "category": .string("Baby")]),
            F.track("e2", "E", at: t0, ["amount": .string("5"), "category": .string("baby")]),
            F.track("e3", "E", at: t0),
            F.track("e4", "E", at: t0, ["amount": .number(10), "flag": .bool(true)],
                    extra: [PathValue("context.campaign.medium", .string("email"))]),
        ])
        func m(_ cond: String) -> [String] { F.members(rule: "did \"E\" where \(cond)", t) }
        XCTAssertEqual(m("amount = 5"), ["e1"])
        XCTAssertEqual(m("amount = 5.0"), ["e1"])
        XCTAssertEqual(m(#"amount = "5""#), ["e2"])
        XCTAssertEqual(m("amount != 5"), ["e4"])
        XCTAssertEqual(m("amount >= 5"), ["e1", "e4"])
        XCTAssertEqual(m("amount > -1 and amount < 10"), ["e1"])
        XCTAssertEqual(m("properties.amount > 6"), ["e4"])
        XCTAssertEqual(m(#"category = "baby""#), ["e2"])
        XCTAssertEqual(m(#"category != "baby""#), ["e1"])
        XCTAssertEqual(m(#"category contains "ab""#), ["e1", "e2"])
        XCTAssertEqual(m(#"category contains "Ba""#), ["e1"])
        XCTAssertEqual(m(#"category < "b""#), ["e1"])
        XCTAssertEqual(m(#"amount in [5, "5"]"#), ["e1", "e2"])
        XCTAssertEqual(m(#"context.campaign.medium = "email""#), ["e4"])
        XCTAssertEqual(m("flag = true"), ["e4"])
        XCTAssertEqual(m("flag != true"), [])
        XCTAssertEqual(m("flag = false"), [])
        XCTAssertEqual(m("nothing_here = 1"), [])
        XCTAssertEqual(m(#""amount" = 10 and "context.campaign.medium" = "email""#), ["e4"])
        XCTAssertEqual(F.members(rule: #"not did "E" where nothing_here = 1"#, t), ["e1", "e2", "e3", "e4"])
        XCTAssertEqual(F.members(rule: #"did any where amount >= 10"#, t), ["e4"])
    }

    func testSectionsAreCaseInsensitive() {
        let t = F.table([
            F.page("cat", at: t0, category: "Baby"),
            F.page("path", at: t0, path: "/BABY/strollers?x=1"),
            F.page("other", at: t0, path: "/gifts"),
            F.track("track", "Product Viewed", at: t0, ["section": .string("baby")]),
        ])
        XCTAssertEqual(F.members(rule: #"did page where section = "BaBy""#, t), ["cat", "path"])
        XCTAssertEqual(F.members(rule: #"did any where section contains "AB""#, t), ["cat", "path"])
        XCTAssertEqual(F.members(rule: #"did page where section in ["GIFTS", "nope"]"#, t), ["other"])
        XCTAssertEqual(F.members(rule: #"did page"#, t), ["cat", "other", "path"])
        XCTAssertEqual(F.members(rule: #"did any"#, t), ["cat", "other", "path", "track"])
        // a property named like a keyword is reached through its full path
        XCTAssertEqual(F.members(rule: #"did any where properties.section = "baby""#, t), ["track"])
    }

    func testEventNamesMatchTrackEventsAndPageNames() {
        let t = F.table([F.page("p", at: t0, category: "x", name: "Pricing"), F.track("q", "Pricing", at: t0)])
        XCTAssertEqual(F.members(rule: #"did "Pricing""#, t), ["p", "q"])
        XCTAssertEqual(F.members(rule: #"did "pricing""#, t), [])
    }

    // MARK: boolean structure and references

    func testNotAndOrPrecedence() {
        let t = F.table([
            F.track("a", "A", at: t0),
            F.track("b", "B", at: t0),
            F.track("bc", "B", at: t0), F.track("bc", "C", at: t0),
            F.track("ac", "A", at: t0), F.track("ac", "C", at: t0),
            F.track("c", "C", at: t0),
        ])
        XCTAssertEqual(F.members(rule: #"did "A" or did "B" and not did "C""#, t), ["a", "ac", "b"])
        XCTAssertEqual(F.members(rule: #"(did "A" or did "B") and not did "C""#, t), ["a", "b"])
        XCTAssertEqual(F.members(rule: #"not did "A" and not did "B""#, t), ["c"])
        XCTAssertEqual(F.members(rule: #"not (did "A" or did "B")"#, t), ["c"])
        XCTAssertEqual(F.members(rule: #"not not did "C""#, t), ["ac", "bc", "c"])
    }

    func testNestedSegmentsInAnyOrder() {
        let t = F.table([
            F.track("a", "A", at: t0),
            F.track("ab", "A", at: t0), F.track("ab", "B", at: t0),
            F.track("b", "B", at: t0),
        ])
        // "Both" is defined before the segments it uses
        let m = F.members("""
        segment "Both": in "Has A" and in "Has B"
        segment "Only A": in "Has A" and not in "Both"
        segment "Has A": did "A"
        segment "Has B": did "B"
        """, t)
        XCTAssertEqual(m["Both"], ["ab"])
        XCTAssertEqual(m["Only A"], ["a"])
        XCTAssertEqual(m["Has A"], ["a", "ab"])
    }

    // MARK: scores

    func testScoresUsingScoresSumsAndDivisionByZero() {
        let t = F.table([
            F.track("p", "Order Completed", at: t0, ["revenue": .number(30)]),
            F.track("q", "Product Viewed", at: t0), F.track("q", "Product Viewed", at: t0 + 1),
            F.track("q", "Product Viewed", at: t0 + 2), F.track("q", "Product Viewed", at: t0 + 3),
            F.track("q", "Order Completed", at: t0 + 4, ["revenue": .number(12.5)]),
            F.track("q", "Order Completed", at: t0 + 5, ["revenue": .string("12")]),   // text: adds nothing
        ])
        let rules = """
        score double_conv = conversion * 2 + 1      # uses a score defined later
        score views = count("Product Viewed")
        score orders = count("Order Completed")
        score conversion = orders / views
        score revenue = sum(revenue of "Order Completed")
        score negative = -views - -1
        score nothing = sum(missing_prop of any) + count("Nope") + minutes_in(section "nowhere")
        segment "Converters": double_conv > 1
        segment "Big": revenue >= 30 or conversion = 0.5
        """
        let s = F.scores(rules, t)
        XCTAssertEqual(s["conversion"], ["p": 0, "q": 0.5])   // p: 1 / 0 → 0
        XCTAssertEqual(s["double_conv"], ["p": 1, "q": 2])
        XCTAssertEqual(s["revenue"], ["p": 30, "q": 12.5])
        XCTAssertEqual(s["negative"], ["p": 1, "q": -3])
        XCTAssertEqual(s["nothing"], ["p": 0, "q": 0])
        let m = F.members(rules, t)
        XCTAssertEqual(m["Converters"], ["q"])
        XCTAssertEqual(m["Big"], ["p", "q"])
    }

    func testDwellTimeCutOffAtThirtyMinutes() {
        let t = F.table([
            F.page("thirty", at: t0, category: "baby"), F.track("thirty", "X", at: t0 + 30 * minute),
            F.page("under", at: t0, category: "baby"), F.track("under", "X", at: t0 + 30 * minute - 1),
            F.page("chain", at: t0, category: "Baby"), F.page("chain", at: t0 + 10 * minute, category: "gifts"),
            F.page("chain", at: t0 + 15 * minute, path: "/baby/x"),   // last event: no dwell
            F.page("future", at: t0, category: "baby"), F.track("future", "X", at: t0 + 5 * day),
        ])
        let s = F.scores(#"""
        score baby = minutes_in(section "BABY")
        score gifts = minutes_in(section "gifts")
        score recent = minutes_in(section "baby" in last 1m)
        """#, t, now: t0 + day)
        XCTAssertEqual(s["baby"]?["thirty"], 0)
        XCTAssertEqual(s["baby"]!["under"]!, 29.999_983_333_333, accuracy: 1e-9)
        XCTAssertEqual(s["baby"]?["chain"], 10)
        XCTAssertEqual(s["gifts"]?["chain"], 5)
        XCTAssertEqual(s["baby"]?["future"], 0)     // the next event is after now
        XCTAssertEqual(s["recent"]?["chain"], 0)
        XCTAssertEqual(F.scores(#"score b = minutes_in(section "baby")"#, t)["b"]?["future"], 0)   // 5 days later: over 30 min
    }

    // MARK: the example rules

    func testExampleRules() {
        let n = t0 + 100 * day
        let t = F.table([
            F.track("alice", "Email Link Clicked", at: n - 5 * day),
            F.track("alice", "Product Viewed", at: n - 5 * day + 2 * hour, ["category": .string("baby")]),
            F.track("alice", "Product Viewed", at: n - 4 * day, ["category": .string("gifts")]),
            F.track("hal", "Email Link Clicked", at: n - 5 * day),
            F.track("hal", "Product Viewed", at: n - 3 * day, ["category": .string("baby")]),
            F.track("bob", "Survey Sent", at: n - 40 * day, ["channel": .string("chat")]),
            F.track("bob", "Survey Sent", at: n - 20 * day, ["channel": .string("chat")]),
            F.track("bob", "Survey Sent", at: n - 2 * day, ["channel": .string("email")]),
            F.track("bob", "Survey Sent", at: n - 1 * day, ["channel": .string("chat")]),
            F.track("bea", "Survey Sent", at: n - 40 * day, ["channel": .string("chat")]),
            F.track("bea", "Survey Sent", at: n - 1 * day, ["channel": .string("chat")]),
            F.track("carol", "Order Completed", at: n - 90 * day),
            F.track("dave", "Order Completed", at: n - 90 * day),
            F.track("dave", "Order Completed", at: n - 10 * day),
            F.identify("erin", at: n - 50 * day, ["region": .string("coastal"), "preferred_channel": .string("sms")]),
            F.identify("erin", at: n + day, ["preferred_channel": .string("push")]),   // after now
            F.identify("ida", at: n - 50 * day, ["region": .string("coastal"), "preferred_channel": .string("push")]),
        ] + (0..<5).map { F.track("frank", "Product Viewed", at: n - 3 * day + Int64($0) * minute, ["category": .string("baby")]) }
          + (0..<4).map { F.track("gina", "Product Viewed", at: n - 3 * day + Int64($0) * minute, ["category": .string("baby")]) }
          + [F.page("gina", at: n - 2 * day, category: "Baby"), F.track("gina", "Ping", at: n - 2 * day + 10 * minute)])
        let m = F.members(Fixture.exampleRules, t, now: n)
        XCTAssertEqual(m["Baby shopper intent"], ["alice"])
        XCTAssertEqual(m["Gift buyer"], ["alice"])
        XCTAssertEqual(m["Chat regulars"], ["bob"])
        XCTAssertEqual(m["Lapsed buyers"], ["carol"])
        XCTAssertEqual(m["Coastal, email preferred"], ["erin"])
        XCTAssertEqual(m["Likely parent"], ["frank", "gina"])
        let s = F.scores(Fixture.exampleRules, t, now: n)
        XCTAssertEqual(s["likely_parent"]?["gina"], 10)
        XCTAssertEqual(s["likely_parent"]?["alice"], 2)
    }
}
