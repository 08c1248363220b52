import Analytics
import EarshotConfig
import Foundation
import XCTest

final class ConfigTests: XCTestCase {
    static var repoRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    func parse(_ text: String) throws -> EarshotConfiguration {
        try EarshotConfiguration.parse(text, fileName: "earshot.yaml")
    }

    func error(_ text: String) -> String {
        do {
            _ = try parse(text)
            XCTFail("no error for:\n\(text)")
            return ""
        } catch {
            return "\(error)"
        }
    }

    func testEmptyFileKeepsTheDefaults() throws {
        let c = try parse("")
        XCTAssertEqual(c.feedback, FeedbackSchema.standard)
        XCTAssertNil(c.analyticsCategory)
        XCTAssertNil(c.assumeUTC)
        XCTAssertEqual(try parse("# only a comment\n").feedback, .standard)
    }

    func testEveryKey() throws {
        let c = try parse("""
            analytics_category: C0002
            assume_utc: true
            pii_fields: [traits.nickname]
            channels: {text: sms}
            feedback:
              prompt_events: Feedback Requested
              answer_events: [Feedback Given, feedback given]
              dismissal_events: []
              survey_id_fields: [form_id, context.campaign.id]
              channel_fields: medium
              score_fields: response.data.nps
              answer_fields: comment
              survey_type_fields: kind
            surveys:
              s1:
                name: First
                questions:
                  - {id: q1, text: How likely…?, type: nps}
                  - {id: q2, type: rating, scale: 5}
                  - {id: q3, type: single_choice, options: [a, b]}
                  - {id: q4, type: multiple_choice, options: [x]}
                  - {id: q5, type: open}
              "42":
                questions: [{id: q, type: rating, scale: 2}]
            """)
        XCTAssertEqual(c.analyticsCategory, "C0002")
        XCTAssertEqual(c.assumeUTC, true)
        XCTAssertEqual(c.piiFields, ["traits.nickname"])
        let f = c.feedback
        XCTAssertEqual(f.channelNames, ["text": "sms"])
        XCTAssertEqual(f.promptEvents, ["Feedback Requested"])
        XCTAssertEqual(f.answerEvents, ["Feedback Given", "feedback given"])
        XCTAssertEqual(f.dismissalEvents, [])
        XCTAssertEqual(f.surveyIDFields, ["properties.form_id", "context.campaign.id"])
        XCTAssertEqual(f.channelFields, ["properties.medium"])
        XCTAssertEqual(f.scoreFields, ["properties.response.data.nps"])
        XCTAssertEqual(f.answerFields, ["properties.comment"])
        XCTAssertEqual(f.surveyTypeFields, ["properties.kind"])
        let s1 = try XCTUnwrap(f.catalog.surveys["s1"])
        XCTAssertEqual(s1.name, "First")
        XCTAssertEqual(s1.questions.map(\.id), ["q1", "q2", "q3", "q4", "q5"])
        XCTAssertEqual(s1.questions.map(\.type), [.nps, .rating(scale: 5), .singleChoice(options: ["a", "b"]),
                                                  .multipleChoice(options: ["x"]), .open])
        XCTAssertEqual(s1.questions[0].text, "How likely…?")
        XCTAssertTrue(s1.isNPS)
        XCTAssertEqual(f.catalog.surveys["42"]?.isNPS, false)
        XCTAssertTrue(f.fieldSelection.paths.isSuperset(of: ["properties.form_id", "context.campaign.id", "properties.kind"]))
    }

    func testErrorsHavePositionsAndSuggestions() {
        XCTAssertEqual(error("feedback:\n  promt_events: [x]\n"),
                       #"earshot.yaml:2:3: unknown key "promt_events" in feedback; did you mean "prompt_events"?"#)
        XCTAssertEqual(error("analytics_categry: A\n"),
                       #"earshot.yaml:1:1: unknown key "analytics_categry" in the configuration; did you mean "analytics_category"?"#)
        XCTAssertTrue(error("zzz: 1\n").contains("known keys: analytics_category, assume_utc"))
        XCTAssertEqual(error("surveys:\n  a:\n    questions:\n      - {id: q, type: ratng}\n"),
                       #"earshot.yaml:4:23: unknown question type "ratng"; did you mean "rating"?"#)
        XCTAssertEqual(error("surveys:\n  a:\n    questions:\n      - {id: q, type: rating}\n"),
                       "earshot.yaml:4:9: rating question \"q\" needs a scale (e.g. scale: 5 for 1–5)")
        XCTAssertEqual(error("surveys:\n  a:\n    questions:\n      - {id: q, type: rating, scale: 1}\n"),
                       "earshot.yaml:4:38: scale must be between 2 and 100")
        XCTAssertTrue(error("surveys:\n  a:\n    questions:\n      - {id: q, type: single_choice}\n").contains("needs options"))
        XCTAssertTrue(error("surveys:\n  a:\n    questions:\n      - {id: q, type: open, options: [a]}\n")
            .hasPrefix("earshot.yaml:4:38: options are only for"))
        XCTAssertTrue(error("surveys:\n  a:\n    questions:\n      - {id: q, type: open}\n      - {id: q, type: nps}\n")
            .hasPrefix("earshot.yaml:5:9: surveys.a: question id \"q\" is used twice"))
        XCTAssertTrue(error("surveys:\n  a:\n    name: x\n").hasPrefix("earshot.yaml:3:5: survey \"a\" needs questions"))
        XCTAssertEqual(error("assume_utc: maybe\n"), "earshot.yaml:1:13: assume_utc must be true or false")
        XCTAssertEqual(error("analytics_category: [a]\n"), "earshot.yaml:1:21: analytics_category must be text")
        XCTAssertTrue(error("feedback:\n  prompt_events: A\n  answer_events: [B, A]\n").contains("\"A\" is in both prompt_events and answer_events"))
        XCTAssertTrue(error("feedback:\n  score_fields: a..b\n").contains("is not a dotted path"))
        XCTAssertTrue(error("a: [1, 2\n").hasPrefix("earshot.yaml:2:1: invalid YAML:"))
        XCTAssertTrue(error("a: 1\na: 2\n").contains("duplicate key"))
        XCTAssertTrue(error("- a\n- b\n").hasPrefix("earshot.yaml:1:1: the configuration must be a mapping"))
        // Control characters of the file never reach the terminal.
        XCTAssertFalse(error("\"a\\u001b[31m\": 1\n").contains("\u{1B}"))
    }

    func testLoadAndFind() throws {
        let dir = NSTemporaryDirectory() + "earshot-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertNil(try EarshotConfiguration.find(storePaths: [dir]))
        try "analytics_category: C0002\n".write(toFile: dir + "/earshot.yaml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try EarshotConfiguration.find(storePaths: [dir, dir + "/earshot.yaml"]), dir + "/earshot.yaml")
        XCTAssertEqual(try EarshotConfiguration.load(path: dir + "/earshot.yaml").analyticsCategory, "C0002")
        XCTAssertThrowsError(try EarshotConfiguration.load(path: dir + "/missing.yaml")) { e in
            XCTAssertEqual("\(e)", dir + "/missing.yaml:1:1: no such configuration file")
        }
        XCTAssertThrowsError(try EarshotConfiguration.load(path: dir)) { e in
            XCTAssertTrue("\(e)".hasSuffix(":1:1: is a directory, not a configuration file"))
        }
    }

    /// ExampleData's configuration parses and declares every survey of the example shop.
    func testExampleDataConfiguration() throws {
        let c = try EarshotConfiguration.load(path: Self.repoRoot + "/ExampleData/earshot.yaml")
        XCTAssertEqual(c.analyticsCategory, "Analytics")
        XCTAssertEqual(c.feedback.catalog.surveys.keys.sorted(), [
            "01928f7e-5c2a-7b3d-9e41-2f6a8c0d1b55", "chat_nps", "delivery_sms", "gift_budget", "next_birthday",
            "nps_email_01", "nps_email_02", "onsite_nps", "post_purchase_nps", "shopping_experience", "site_feedback",
        ])
        XCTAssertEqual(c.feedback.catalog.surveys.filter { $0.value.isNPS }.count, 7)
        XCTAssertEqual(c.feedback.preferredChannelTrait, "preferred_channel")
        XCTAssertEqual(c.feedback.preferredChannelValues, ["text": "sms", "mail": "email"])
        // Its feedback keys spell out the defaults.
        // (plus `answers`, the chat scripts' list of {id, value}).
        var schema = c.feedback
        schema.catalog = SurveyCatalog()
        schema.preferredChannelValues = [:]
        var standard = FeedbackSchema.standard
        standard.answerFields.append("properties.answers")
        XCTAssertEqual(schema, standard)
    }

    /// Every `yaml` block of docs/CONFIG.md parses (the per-vendor examples), and there is one per vendor.
    func testEveryDocumentedExampleParses() throws {
        let text = try String(contentsOfFile: Self.repoRoot + "/docs/CONFIG.md", encoding: .utf8)
        var blocks: [(line: Int, text: String)] = []
        var current: [String]?
        var start = 0
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line == "```yaml" { current = []; start = i + 2; continue }
            if current != nil, line == "```" { blocks.append((start, current!.joined(separator: "\n"))); current = nil; continue }
            current?.append(String(line))
        }
        XCTAssertGreaterThanOrEqual(blocks.count, 8)
        // The first block is the catalog's schema (placeholders), every other one is a complete example.
        for block in blocks.dropFirst() {
            XCTAssertNoThrow(try EarshotConfiguration.parse(block.text, fileName: "docs/CONFIG.md block at line \(block.line)"),
                             "docs/CONFIG.md line \(block.line)")
        }
        for vendor in ["### Segment", "### RudderStack", "### PostHog", "### SatisMeter", "### Refiner", "### Delighted", "### Wootric"] {
            XCTAssertTrue(text.contains(vendor), vendor)
        }
    }
}
