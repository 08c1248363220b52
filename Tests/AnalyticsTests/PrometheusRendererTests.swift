import XCTest
@testable import Analytics

final class PrometheusRendererTests: XCTestCase {
    func lines() -> [String] {
        PrometheusRenderer.render(checkReport()).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func testFamiliesHaveHelpAndTypeBeforeTheirSamples() {
        let l = lines()
        XCTAssertEqual(l.last, "")  // ends with a newline
        var declared: Set<String> = []
        var current: String?
        for line in l.dropLast() {
            if line.hasPrefix("# HELP ") {
                let name = String(line.dropFirst(7).split(separator: " ")[0])
                XCTAssertTrue(PrometheusRenderer.isValidMetricName(name), name)
                XCTAssertTrue(declared.insert(name).inserted, "\(name) declared twice")
                current = name
            } else if line.hasPrefix("# TYPE ") {
                XCTAssertEqual(line, "# TYPE \(current!) gauge")
            } else {
                let name = String(line.prefix(while: { $0 != "{" && $0 != " " }))
                XCTAssertEqual(name, current, line)
                let value = line.split(separator: " ").last.map(String.init) ?? ""
                XCTAssertNotNil(Double(value), line)
                XCTAssertFalse(value == "NaN", line)
            }
        }
        for required in ["earshot_persons", "earshot_events", "earshot_malformed_lines", "earshot_duplicates",
                         "earshot_last_event_timestamp_seconds", "earshot_segment_size", "earshot_segment_reachable",
                         "earshot_consent_persons", "earshot_consent_coverage", "earshot_feedback_prompts",
                         "earshot_feedback_answered", "earshot_feedback_response_rate", "earshot_nps",
                         "earshot_events_without_consent"] {
            XCTAssertTrue(declared.contains(required), required)
        }
    }

    func testSamplesLineByLine() {
        let l = lines()
        func family(_ name: String) -> [String] {
            guard let start = l.firstIndex(of: "# TYPE \(name) gauge") else { XCTFail(name); return [] }
            return Array(l[(start + 1)...].prefix(while: { !$0.hasPrefix("#") && !$0.isEmpty }))
        }
        XCTAssertEqual(Array(l.prefix(3)), ["# HELP earshot_files Event files read.", "# TYPE earshot_files gauge", "earshot_files 2"])
        XCTAssertEqual(family("earshot_persons"), ["earshot_persons 40"])
        XCTAssertEqual(family("earshot_events"), ["earshot_events 190"])
        XCTAssertEqual(family("earshot_duplicates"), ["earshot_duplicates 4"])
        XCTAssertEqual(family("earshot_malformed_lines"), ["earshot_malformed_lines 2"])
        XCTAssertEqual(family("earshot_malformed_share"), ["earshot_malformed_share 0.01"])
        // 2026-03-04T08:50:00Z
        XCTAssertEqual(family("earshot_last_event_timestamp_seconds"), ["earshot_last_event_timestamp_seconds 1772614200"])
        XCTAssertEqual(family("earshot_last_event_age_seconds"), ["earshot_last_event_age_seconds 600"])
        XCTAssertEqual(family("earshot_consent_persons"), [
            #"earshot_consent_persons{category="Analytics",state="granted"} 30"#,
            #"earshot_consent_persons{category="Analytics",state="denied"} 6"#,
            #"earshot_consent_persons{category="Analytics",state="unknown"} 4"#,
            #"earshot_consent_persons{category="Personalization",state="granted"} 22"#,
            #"earshot_consent_persons{category="Personalization",state="denied"} 10"#,
            #"earshot_consent_persons{category="Personalization",state="unknown"} 8"#,
        ])
        XCTAssertEqual(family("earshot_consent_coverage"), [
            #"earshot_consent_coverage{category="Analytics"} 0.75"#,
            #"earshot_consent_coverage{category="Personalization"} 0.55"#,
        ])
        XCTAssertEqual(family("earshot_events_without_consent"), [#"earshot_events_without_consent{category="Analytics"} 3"#])
        XCTAssertEqual(family("earshot_feedback_prompts"), [#"earshot_feedback_prompts{channel="chat"} 20"#,
                                                            #"earshot_feedback_prompts{channel="sms"} 0"#])
        XCTAssertEqual(family("earshot_feedback_answered"), [#"earshot_feedback_answered{channel="chat"} 5"#,
                                                             #"earshot_feedback_answered{channel="sms"} 0"#])
        // sms has no prompts: its rate is absent, not NaN.
        XCTAssertEqual(family("earshot_feedback_response_rate"), [#"earshot_feedback_response_rate{channel="chat"} 0.25"#])
        XCTAssertEqual(family("earshot_survey_response_rate"), [#"earshot_survey_response_rate{survey="nps_email_01",channel="email"} 0.4"#])
        XCTAssertEqual(family("earshot_nps"), ["earshot_nps 25"])
        XCTAssertEqual(family("earshot_segment_size"), [#"earshot_segment_size{segment="Likely parent"} 12"#,
                                                        #"earshot_segment_size{segment="VIP"} 3"#])
        XCTAssertEqual(family("earshot_segment_reachable"), [
            #"earshot_segment_reachable{segment="Likely parent",category="Analytics"} 10"#,
            #"earshot_segment_reachable{segment="Likely parent",category="Personalization"} 7"#,
        ])
        XCTAssertEqual(family("earshot_segment_overlap"), [#"earshot_segment_overlap{a="Likely parent",b="VIP"} 2"#])
        // Segments without scored responses have no NPS sample, so the family is left out.
        XCTAssertFalse(l.contains { $0.hasPrefix("# HELP earshot_segment_nps") })
        XCTAssertFalse(l.contains { $0.contains("NaN") })
    }

    func testLabelValuesAreEscaped() {
        var r = checkReport()
        r.segments = [SegmentReport(name: "say \"hi\"\\now\nnext", rule: "", size: 5, share: nil, reachable: [:],
                                    weekly: [], feedback: [], nps: NPSStats())]
        r.overlap = []
        let out = PrometheusRenderer.render(r)
        XCTAssertTrue(out.contains("\nearshot_segment_size{segment=\"say \\\"hi\\\"\\\\now\\nnext\"} 5\n"), out)
        // No raw line feed inside a sample: every line is a comment or name{…} value.
        for line in out.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertTrue(line.hasPrefix("earshot_"), String(line))
        }
        XCTAssertEqual(PrometheusRenderer.escapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd")
    }

    func testWithheldFiguresHaveNoSample() {
        var r = checkReport()
        r.segments[1].$size = .belowMinimum
        r.segments[1].size = 0
        r.store.$persons = .belowMinimum
        r.feedback.channels[0].$responseRate = .derived
        let out = PrometheusRenderer.render(r)
        XCTAssertFalse(out.contains("earshot_persons"))
        XCTAssertTrue(out.contains(#"earshot_segment_size{segment="Likely parent"} 12"#))
        XCTAssertFalse(out.contains(#"earshot_segment_size{segment="VIP"}"#))
        XCTAssertFalse(out.contains("earshot_feedback_response_rate"))
    }

    func testMetricNameValidation() {
        XCTAssertTrue(PrometheusRenderer.isValidMetricName("earshot_nps"))
        XCTAssertTrue(PrometheusRenderer.isValidMetricName("a:b_9"))
        XCTAssertFalse(PrometheusRenderer.isValidMetricName("9lives"))
        XCTAssertFalse(PrometheusRenderer.isValidMetricName("with-dash"))
        XCTAssertFalse(PrometheusRenderer.isValidMetricName(""))
    }

    func testEmptyReportHasNoAbsentValues() {
        let out = PrometheusRenderer.render(Report())
        XCTAssertTrue(out.contains("earshot_events 0\n"))
        XCTAssertFalse(out.contains("earshot_last_event_timestamp_seconds"))
        XCTAssertFalse(out.contains("earshot_nps "))
        XCTAssertFalse(out.contains("NaN"))
    }
}
