import XCTest
import Foundation
import Analytics
import EarshotTestSupport
@testable import SQLEngine

/// The generated Spark SQL of every rule-language construct and of the feedback and weekly statements, compared with
/// golden files in `Tests/SQLEngineTests/Golden` (re-record with `EARSHOT_RECORD=1 swift test --filter SQLGoldenFileTests`
/// and review the diff). What the SQL computes is checked against the embedded engine by the Spark agreement test;
/// these goldens make every change of the statements visible in review.
final class SQLGoldenFileTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// One rule construct: the rules, and the SQL of the segment named "S" with the per-person columns and chains
    /// it reads.
    func check(_ name: String, _ rules: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let program = try SegmentProgram.parse(source: rules, fileName: "t.segments")
        let s = SegmentSQL(program: program)
        var text = "-- rules:\n" + rules.split(separator: "\n").map { "--   " + $0 }.joined(separator: "\n") + "\n"
        if let why = s.unsupported["S"] {
            text += "-- not compiled: \(why)\n"
        } else {
            text += "-- segment S:\n" + (s.compiled["S"] ?? "(missing)") + "\n"
        }
        for (k, v) in s.counts { text += "-- per-person column \(k):\n\(v)\n" }
        for (k, v) in s.chains { text += "-- chain \(k):\n\(v)\n" }
        if !s.properties.isEmpty { text += "-- properties: \(s.properties.joined(separator: ", "))\n" }
        if !s.traits.isEmpty { text += "-- traits: \(s.traits.joined(separator: ", "))\n" }
        if !s.lists.isEmpty { text += "-- lists: \(s.lists.joined(separator: ", "))\n" }
        if !s.traitLists.isEmpty { text += "-- list traits: \(s.traitLists.joined(separator: ", "))\n" }
        if s.usesSection { text += "-- reads the page section\n" }
        if s.usesNext { text += "-- reads each event's next event time\n" }
        GoldenFile.check(text, at: Self.directory.appendingPathComponent("segment-\(name).sql"), filter: "SQLGoldenFileTests",
                         file: file, line: line)
    }

    func testDid() throws { try check("did", #"segment "S": did "Order Completed""#) }
    func testDidPageAndAny() throws { try check("did-page-any", #"segment "S": did page at least 3 times and did any exactly 2 times"#) }
    func testNotAndOr() throws { try check("not-and-or", #"segment "S": not did "X" and (did "Y" at most 1 times or did "Z")"#) }
    func testWhere() throws {
        try check("where", #"segment "S": did "V" where category = "baby" and price >= 20 and gift != true and name contains "Set""#)
    }
    func testWhereIn() throws { try check("where-in", #"segment "S": did "V" where size in ["S", 2, true]"#) }
    func testSection() throws { try check("section", #"segment "S": did page where section = "Sale""#) }
    func testCountsInWindows() throws { try check("counts-in-windows", #"segment "S": did "Order Completed" at least 2 times in last 30d"#) }
    func testThenWithin() throws {
        try check("then-within", #"segment "S": did "Signed Up" then did "Product Viewed" where category = "baby" in last 7d then did "Order Completed" within 2d"#)
    }
    func testTraits() throws { try check("traits", #"segment "S": trait region = "coastal" and trait plan in ["pro", "plus"] and trait age >= 30"#) }
    func testMembership() throws {
        try check("in-segment", """
            segment "A": did "X"
            segment "S": in "A" and not did "Y"
            """)
    }
    func testScoreCount() throws {
        try check("score-count", """
            score engaged = count("Product Viewed" in last 30d) * 2 - count("Survey Dismissed") / 4
            segment "S": engaged >= 3
            """)
    }
    func testScoreMinutesIn() throws {
        try check("score-minutes-in", """
            score dwell = minutes_in(section "sale" in last 7d) + -engaged
            score engaged = count(page)
            segment "S": dwell > 1.5
            """)
    }
    func testScoreSum() throws {
        try check("score-sum", """
            score spend = sum(revenue of "Order Completed")
            segment "S": spend >= 100
            """)
    }
    func testScoreSumOfAFormulaOverElements() throws {
        try check("score-sum-elements", """
            score basket = sum(products[].price * products[].quantity / rate of "Order Completed" where products[].category = "baby" and currency = "EUR" in last 90d)
            segment "S": basket > 20.5
            """)
    }
    func testScoreMaxMin() throws {
        try check("score-max-min", """
            score spread = max(revenue of "Order Completed") - min(products[].price of "Order Completed" where every products[].category = "baby")
            segment "S": spread >= 10
            """)
    }
    func testScoreCountElements() throws {
        try check("score-count-elements", """
            score babies = count(products[] of "Order Completed" where products[].category = "baby" and products[].price > 50)
            segment "S": babies >= 2
            """)
    }
    func testListPath() throws {
        try check("list-path", #"segment "S": did "Order Completed" where products[].category = "baby" and products[].price > 50 and tags[] = "gift""#)
    }
    func testListEvery() throws {
        try check("list-every", #"segment "S": did "Order Completed" where every products[].category = "baby" and every products[].price < 100"#)
    }
    func testListTrait() throws { try check("list-trait", #"segment "S": trait children[].age < 3 or trait tags[] = "vip""#) }

    /// The per-person segment statements (members as of now and per week of the weekly series, sizes, reach,
    /// overlap) for rules with a chain, a trait, a list trait, a list, `minutes_in`, a windowed count and a chain with a
    /// windowed step (the weekly statements of each kind: docs/SCALE.md, "Weekly sizes without events × weeks").
    func testSegmentStatements() throws {
        let program = try SegmentProgram.parse(source: """
            segment "A": did "X" then did "Y" within 1d and trait plan = "pro"
            score dwell = minutes_in(section "sale") + sum(products[].price of "Order Completed")
            segment "B": dwell > 2 or trait children[].age < 3
            segment "C": did "X" in last 10d at least 2 times or (did "X" in last 7d then did "Y" within 1h)
            """, fileName: "t.segments")
        let compiler = SparkSQLCompiler(options: AnalysisOptions(now: 1_780_000_000_000), program: program)
        let text = compiler.segmentResults().map { "-- \($0.kind.rawValue): \($0.name)\n\($0.query);\n" }.joined(separator: "\n")
        GoldenFile.check(text, at: Self.directory.appendingPathComponent("segment-statements.sql"), filter: "SQLGoldenFileTests")
    }

    /// The feedback and weekly statements with the default schema and a 7-day window.
    func testFeedbackAndWeeklyStatements() {
        let compiler = SparkSQLCompiler(options: AnalysisOptions(now: 1_780_000_000_000))
        let text = compiler.feedbackStatements().map { "-- \($0.kind.rawValue): \($0.name)\n\($0.sql);\n" }.joined(separator: "\n")
        GoldenFile.check(text, at: Self.directory.appendingPathComponent("feedback-weekly.sql"), filter: "SQLGoldenFileTests")
    }

    /// The prompt-fatigue and preferred-channel statements and the trait column, with the default schema and with a
    /// configured trait, value mapping and channel names (FatigueSQL.swift).
    func testFatigueAndPreferredChannelStatements() {
        func text(_ compiler: SparkSQLCompiler) -> String {
            "-- column: \(compiler.preferredChannelColumn.name)\n\(compiler.preferredChannelColumn.sql)\n\n"
                + compiler.fatigueStatements().map { "-- \($0.kind.rawValue): \($0.name)\n\($0.sql);\n" }.joined(separator: "\n")
        }
        var options = AnalysisOptions(now: 1_780_000_000_000)
        var all = text(SparkSQLCompiler(options: options))
        options.feedback.preferredChannelTrait = "contact.channel"
        options.feedback.preferredChannelValues = ["text": "sms", "e-mail": "email"]
        options.feedback.channelNames = ["Mail": "email", "mail": "post", "TXT": "sms"]
        all += "\n-- configured: trait contact.channel, values {text: sms, e-mail: email}, channels {Mail: email, mail: post, TXT: sms}\n"
        all += "-- column: pct\n\(SparkSQLCompiler(options: options).preferredChannelColumn.sql)\n"
        all += "-- es_pref mapping:\n\(SparkSQLCompiler(options: options).preferredChannelMapping("t"))\n"
        GoldenFile.check(all, at: Self.directory.appendingPathComponent("fatigue-preferred-channel.sql"), filter: "SQLGoldenFileTests")
    }

    /// The feedback columns of the events with a configured schema (several fields, channel names).
    func testFeedbackColumnsWithConfiguredSchema() {
        var options = AnalysisOptions()
        options.feedback = FeedbackSchema(promptEvents: ["Poll Shown"], answerEvents: ["Poll Answered"], dismissalEvents: [],
                                          surveyIDFields: ["properties.poll", "properties.$survey_id"],
                                          channelFields: ["properties.medium", "context.channel"],
                                          scoreFields: ["properties.rating"], surveyTypeFields: [],
                                          channelNames: ["mail": "email", "text": "sms"])
        let text = SparkSQLCompiler(options: options).feedbackColumns.map { "-- \($0.name):\n\($0.sql)\n" }.joined()
        GoldenFile.check(text, at: Self.directory.appendingPathComponent("feedback-columns-configured.sql"), filter: "SQLGoldenFileTests")
    }
}
