import XCTest
@testable import Analytics

final class RuleParserTests: XCTestCase {
    func testEveryOperator() {
        let cases: [(String, RuleOperator)] = [("<", .less), ("<=", .lessOrEqual), (">", .greater), (">=", .greaterOrEqual),
                                               ("==", .equal), ("!=", .notEqual)]
        for (text, op) in cases {
            let r = rule("store.events \(text) 5")
            XCTAssertEqual(r.op, op, text)
            XCTAssertEqual(r.threshold, Threshold(value: 5, kind: .number, text: "5"))
            XCTAssertEqual(r.path.components, [.name("store"), .name("events")])
        }
        // No spaces needed.
        XCTAssertEqual(rule("store.events>=5").op, .greaterOrEqual)
        XCTAssertEqual(rule("store.events<5").threshold.value, 5)
    }

    func testValues() {
        XCTAssertEqual(rule("a.b >= 0.55").threshold, Threshold(value: 0.55, kind: .number, text: "0.55"))
        XCTAssertEqual(rule("a.b >= -20").threshold.value, -20)
        XCTAssertEqual(rule("a.b >= 1e3").threshold.value, 1000)
        XCTAssertEqual(rule("a.b >= .5").threshold.value, 0.5)
        XCTAssertEqual(rule("a.b >= 55%").threshold, Threshold(value: 0.55, kind: .percent, text: "55%"))
        XCTAssertEqual(rule("a.b <= 15m").threshold, Threshold(value: 900, kind: .duration, text: "15m"))
        XCTAssertEqual(rule("a.b <= 1d12h").threshold.value, 129_600)
        XCTAssertEqual(rule("a.b <= 500ms").threshold.value, 0.5)
        XCTAssertEqual(rule("a.b <= 2w").threshold.value, 1_209_600)
    }

    func testPaths() {
        let r = rule(#"segment["Likely parent"].reachable.Personalization >= 1000"#)
        XCTAssertEqual(r.path.components, [.name("segment"), .key("Likely parent"), .name("reachable"), .name("Personalization")])
        XCTAssertEqual(r.path.columns, [1, 8, 26, 36])
        XCTAssertEqual(r.path.description, #"segment["Likely parent"].reachable.Personalization"#)
        XCTAssertEqual(rule("weekly[-1].response_rate > 0").path.components, [.name("weekly"), .index(-1), .name("response_rate")])
        XCTAssertEqual(rule(#"segment["say \"hi\" \\ now"].size > 0"#).path.components[1], .key(#"say "hi" \ now"#))
        XCTAssertEqual(rule("segment['single'].size > 0").path.components[1], .key("single"))
        XCTAssertEqual(rule("feedback.survey[ \"nps-q1\" ].response_rate > 0").path.components[2], .key("nps-q1"))
        XCTAssertEqual(rule("feedback.survey.nps-q1.prompts > 0").path.components[2], .name("nps-q1"))
        XCTAssertEqual(rule("  store.events > 1   # trailing comment").source, "store.events > 1")
        // A path with a newline in a key is written back escaped.
        XCTAssertEqual(rule(#"segment["a\nb"].size > 0"#).path.description, #"segment["a\nb"].size"#)
    }

    func testMalformedRulesPointAtTheColumn() {
        let cases: [(String, Int, String)] = [
            ("", 1, "empty rule"),
            ("store.events", 13, "expected a comparison"),
            ("store.events >= high", 17, "found `high`"),
            ("store.events = 3", 14, "use `==`"),
            ("store.events => 3", 14, "write `>=`"),
            ("store.events >=", 16, "expected a number"),
            ("store.events >= 3 4", 19, "unexpected `4`"),
            (#"segment["open.size > 3"#, 9, "unterminated string"),
            ("segment[x].size > 3", 9, "expected a quoted name or a position"),
            (#"segment["a".size > 3"#, 12, "expected `]`"),
            ("store. > 3", 7, "expected a name after `.`"),
            ("> 3", 1, "expected a figure"),
            ("store.last_event_age < 1.5h", 24, "durations take whole units"),
            ("store.last_event_age < -5m", 24, "cannot be negative"),
            (#"segment["a\q"].size > 3"#, 11, "unknown escape"),
        ]
        for (text, column, fragment) in cases {
            guard let e = ruleError(text) else { XCTFail("\(text) parsed"); continue }
            XCTAssertEqual(e.column, column, "\(text): \(e.message)")
            XCTAssertTrue(e.message.contains(fragment), "\(text): \(e.message)")
            XCTAssertNil(e.line)
        }
    }

    func testErrorDescriptionHasCaret() {
        let e = ruleError("consent.Analytics.coverage >= lots")!
        XCTAssertEqual(e.description, """
        --rule 1, column 31: expected a number (0.55, 55%, 1000) or a duration (15m, 2h, 1d12h) after `>=`, found `lots`
          consent.Analytics.coverage >= lots
                                        ^
        """)
    }

    func testRulesFile() throws {
        let source = """
        # freshness
        store.last_event_age <= 15m
          warn: feedback.chat.response_rate >= 0.3   # a warning only

        CRIT: consent.Analytics.coverage >= 50%
        warning: store.malformed_share < 0.01
        """
        let rules = try RuleParser.parseFile(source, fileName: "oncall.rules")
        XCTAssertEqual(rules.map(\.level), [.critical, .warning, .critical, .warning])
        XCTAssertEqual(rules.map(\.origin), ["oncall.rules:2", "oncall.rules:3", "oncall.rules:5", "oncall.rules:6"])
        XCTAssertEqual(rules[1].source, "feedback.chat.response_rate >= 0.3")
        XCTAssertEqual(rules[2].threshold.kind, .percent)
    }

    func testRulesFileErrorsAreFileLineColumn() {
        let source = "store.events > 0\n\nwarn: consent.Analytics.coverage >= nope\n"
        XCTAssertThrowsError(try RuleParser.parseFile(source, fileName: "r.txt")) { error in
            let e = error as! RuleError
            XCTAssertEqual(e.position, "r.txt:3:37")
            XCTAssertEqual(e.caretLines, ["  warn: consent.Analytics.coverage >= nope", "                                      ^"])
        }
        XCTAssertThrowsError(try RuleParser.parseFile("warn:   # nothing\n", fileName: "r.txt")) { error in
            XCTAssertEqual((error as! RuleError).position, "r.txt:1:9")
        }
        // A word before a colon that is not a level is part of the path and fails there.
        XCTAssertThrowsError(try RuleParser.parseFile("info: store.events > 1\n", fileName: "r.txt")) { error in
            XCTAssertEqual((error as! RuleError).position, "r.txt:1:5")
        }
    }
}
