import XCTest
import EventStore
@testable import Analytics

final class ReportRendererTests: XCTestCase {
    /// A small hand-made report.
    static func smallReport() -> Report {
        var store = StoreSummary()
        store.files = 1; store.lines = 8; store.events = 7; store.duplicates = 1; store.malformed = 1; store.persons = 3
        store.malformedShare = 0.125
        store.firstEvent = "2026-03-02T09:00:00.000Z"; store.lastEvent = "2026-03-04T10:00:00.000Z"
        store.lastEventAgeSeconds = 3725
        store.malformedLines = [MalformedLineReport(file: "data/a.jsonl", line: 4, reason: "not valid JSON")]
        store.fileList = [FileSummary(path: "data/a.jsonl", bytes: 900, lines: 8, events: 7, duplicates: 1, malformed: 1)]
        var consent = ConsentSummary()
        consent.persons = 3; consent.events = 7; consent.eventsWithoutConsent = 1; consent.eventsConsentUnknown = 2
        consent.categories = [CategoryCoverage(name: "Analytics", granted: 2, denied: 1, unknown: 0, coverage: 2.0 / 3)]
        var feedback = FeedbackSummary()
        var email = LoopStats(channel: "email")
        email.prompts = 3; email.answered = 2; email.responseRate = 2.0 / 3; email.personsPrompted = 2
        email.personsAnswered = 2; email.personResponseRate = 1; email.dismissed = 1; email.dismissalRate = 1.0 / 3
        email.medianSecondsToAnswer = 150
        feedback.channels = [email]
        feedback.total = email
        feedback.total.channel = "all"
        var survey = email
        survey.surveyID = "s,1"
        feedback.surveys = [survey]
        feedback.responses = 3; feedback.unmatchedResponses = 1
        feedback.nps = NPSStats.from(promoters: 1, passives: 0, detractors: 1)
        feedback.npsByChannel = ["email": NPSStats.from(promoters: 1, passives: 0, detractors: 1)]
        feedback.npsBySurvey = ["s,1": NPSStats.from(promoters: 1, passives: 0, detractors: 1)]
        feedback.hourWeekday = [HourWeekdayCell(weekday: 1, hour: 9, prompts: 3, answered: 2, responseRate: 2.0 / 3)]
        return Report(now: "2026-03-04T11:02:05.000Z", store: store, consent: consent, feedback: feedback,
                      weekly: [WeekPoint(week: "2026-W10", personsSeen: 3, prompts: 3, answered: 2, responseRate: 2.0 / 3,
                                         consentCoverage: ["Analytics": 2.0 / 3])],
                      eventNames: [EventNameCount(name: "Order Completed", count: 2, known: true),
                                   EventNameCount(name: "Survey Shown", count: 3, known: true),
                                   EventNameCount(name: "evil\u{1B}[31mname", count: 1, known: false)])
    }

    func testText() {
        let expected = """
        STORE
          now             2026-03-04T11:02:05.000Z
          files           1
          lines           8
          events          7
          duplicates      1
          malformed       1 (12.5%)
          persons         3
          first event     2026-03-02T09:00:00.000Z
          last event      2026-03-04T10:00:00.000Z
          last event age  1h 02m

          Malformed lines (1 of 1):
            where           reason
            --------------  --------------
            data/a.jsonl:4  not valid JSON

        CONSENT
          3 persons, 7 events; analytics category "Analytics"
          events collected without consent: 1 (14.3%); consent unknown: 2 (28.6%)

          category   granted  denied  unknown  coverage
          ---------  -------  ------  -------  --------
          Analytics        2       1        0     66.7%

        FEEDBACK BY CHANNEL
          response window 7d; 3 responses, 1 unmatched

          channel  prompts  answered   rate  persons  pers. answered  pers. rate  dismissed  dism. rate  median answer
          -------  -------  --------  -----  -------  --------------  ----------  ---------  ----------  -------------
          email          3         2  66.7%        2               2      100.0%          1       33.3%         2m 30s
          all            3         2  66.7%        2               2      100.0%          1       33.3%         2m 30s

        FEEDBACK BY SURVEY
          survey  channel  prompts  answered   rate  persons  pers. answered  pers. rate  dismissed  dism. rate  median answer
          ------  -------  -------  --------  -----  -------  --------------  ----------  ---------  ----------  -------------
          s,1     email          3         2  66.7%        2               2      100.0%          1       33.3%         2m 30s

        NPS
          scope    name   scored  promoters  passives  detractors  nps
          -------  -----  ------  ---------  --------  ----------  ---
          all                  2          1         0           1  0.0
          channel  email       2          1         0           1  0.0
          survey   s,1         2          1         0           1  0.0

        TOP EVENT NAMES (3 of 3)
          name             count  known
          ---------------  -----  -----
          Survey Shown         3  yes
          Order Completed      2  yes
          evil?name            1  no

        WEEKLY
          week      persons  prompts  answered   rate  Analytics
          --------  -------  -------  --------  -----  ---------
          2026-W10        3        3         2  66.7%      66.7%

        """
        XCTAssertEqual(ReportRenderer.text(Self.smallReport()), expected)
    }

    func testCSV() {
        let csv = ReportRenderer.csv(Self.smallReport())
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "section,key,metric,value")
        XCTAssertEqual(lines.last, "")   // ends with a newline
        XCTAssertTrue(lines.contains("store,,malformed_share,0.125"))
        XCTAssertTrue(lines.contains("store,,files,1"))
        XCTAssertTrue(lines.contains("store,,last_event_age_seconds,3725"))
        XCTAssertTrue(lines.contains("consent_category,Analytics,coverage,0.6666666666666666"))
        XCTAssertTrue(lines.contains("feedback_survey,\"s,1\",channel,email"))
        XCTAssertTrue(lines.contains("nps_survey,\"s,1\",nps,0"))
        XCTAssertTrue(lines.contains("hour_weekday,1-09,prompts,3"))
        XCTAssertTrue(lines.contains("weekly,2026-W10,consent_coverage.Analytics,0.6666666666666666"))
        XCTAssertTrue(lines.contains("event_name,evil?name,known,false"), "the whole CSI sequence is one ?")
        XCTAssertTrue(lines.contains("malformed_line,data/a.jsonl:4,reason,not valid JSON"))
        XCTAssertTrue(lines.contains("store_file,data/a.jsonl,compressed,false"))
        var withNil = Self.smallReport()
        withNil.feedback.total.responseRate = nil
        XCTAssertTrue(ReportRenderer.csv(withNil).contains("\nfeedback_total,all,response_rate,\n"))
    }

    func testCSVQuoting() {
        XCTAssertEqual(CSVWriter.field("plain"), "plain")
        XCTAssertEqual(CSVWriter.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVWriter.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVWriter.field("line\nbreak"), "line break")   // sanitized first: a line break is a space, as on screen
        XCTAssertEqual(CSVWriter.field(""), "")
        var w = CSVWriter()
        w.row("s", "k,1", "m", "v\"")
        XCTAssertEqual(w.text, "s,\"k,1\",m,\"v\"\"\"\n")
    }

    func testJSONIsStableSortedAndWritesNulls() throws {
        let report = Self.smallReport()
        let json = ReportRenderer.json(report)
        XCTAssertEqual(json, ReportRenderer.json(report))
        XCTAssertTrue(json.hasSuffix("}\n"))
        XCTAssertTrue(json.contains("\"overlap\" : [],\n"))                // empty containers on one line
        XCTAssertTrue(json.contains("\"warnings\" : []\n"))
        XCTAssertTrue(json.contains("\"file\" : \"data/a.jsonl\""))   // slashes unescaped
        XCTAssertTrue(json.contains("\"survey_id\" : null"))            // channel rows: null, not missing
        XCTAssertTrue(json.contains("\"evil\\u001b[31mname\""))         // control characters escaped by JSON
        XCTAssertLessThan(json.range(of: "\"consent\"")!.lowerBound, json.range(of: "\"event_names\"")!.lowerBound)
        XCTAssertLessThan(json.range(of: "\"event_names\"")!.lowerBound, json.range(of: "\"feedback\"")!.lowerBound)
        let decoded = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        XCTAssertEqual(decoded, report)
        let empty = try JSONSerialization.jsonObject(with: Data(ReportRenderer.json(Report()).utf8)) as! [String: Any]
        XCTAssertTrue(empty["now"] is NSNull)
        XCTAssertEqual((empty["feedback"] as! [String: Any])["nps"].map { ($0 as! [String: Any])["nps"] is NSNull }, true)
    }

    /// Every stored property of every report type is written: guards the explicit encoders in Report.swift.
    func testEveryPropertyIsEncoded() throws {
        var report = Self.smallReport()
        report.segments = [SegmentReport(name: "n", rule: "r", size: 1, share: 0.5, reachable: ["Analytics": 1],
                                         weekly: [SegmentWeek(week: "2026-W10", size: 1)], feedback: [], nps: NPSStats())]
        report.overlap = [SegmentOverlap(a: "n", b: "m", size: 0)]
        let object = try JSONSerialization.jsonObject(with: Data(ReportRenderer.json(report).utf8)) as! [String: Any]
        func check(_ value: Any, _ json: Any?, _ path: String) {
            guard let dict = json as? [String: Any] else { return XCTFail("\(path) is not an object") }
            let children = Mirror(reflecting: value).children
            XCTAssertEqual(dict.count, children.count, "\(path): keys \(dict.keys.sorted())")
        }
        check(report, object, "report")
        check(report.store, object["store"], "store")
        check(report.consent, object["consent"], "consent")
        check(report.feedback, object["feedback"], "feedback")
        let feedback = object["feedback"] as! [String: Any]
        check(report.feedback.total, feedback["total"], "total")
        check(report.feedback.nps, feedback["nps"], "nps")
        check(report.feedback.hourWeekday[0], (feedback["hour_weekday"] as! [Any])[0], "hour_weekday")
        check(report.weekly[0], (object["weekly"] as! [Any])[0], "weekly")
        check(report.consent.categories[0], ((object["consent"] as! [String: Any])["categories"] as! [Any])[0], "category")
        check(report.segments[0], (object["segments"] as! [Any])[0], "segment")
        check(report.eventNames[0], (object["event_names"] as! [Any])[0], "event_names")
    }

    func testCollapseEmptyContainers() {
        let input = "{\n  \"a\" : [\n\n  ],\n  \"b\" : {\n\n  },\n  \"c\" : [\n    1\n  ],\n  \"d\" : \"[ ]\"\n}"
        let expected = "{\n  \"a\" : [],\n  \"b\" : {},\n  \"c\" : [\n    1\n  ],\n  \"d\" : \"[ ]\"\n}"
        XCTAssertEqual(String(decoding: ReportRenderer.collapseEmptyContainers(Array(input.utf8)), as: UTF8.self), expected)
    }

    func testSanitize() {
        XCTAssertEqual(DisplayText.sanitize("a\u{1B}[2Jb\tc\u{7F}d\u{9B}1e\u{202E}f"), "a?b c?d??f", "whole sequences, as the dashboard")
        XCTAssertEqual(DisplayText.sanitize("Café ☕ 日本"), "Café ☕ 日本")
        XCTAssertEqual(DisplayText.cell(String(repeating: "x", count: 70)), String(repeating: "x", count: 59) + "…")
    }

    func testNumberFormats() {
        XCTAssertEqual(NumberFormat.percent(0.42857), "42.9%")
        XCTAssertEqual(NumberFormat.percent(1), "100.0%")
        XCTAssertEqual(NumberFormat.percent(0.0005), "0.1%")
        XCTAssertEqual(NumberFormat.percent(nil), "-")
        XCTAssertEqual(NumberFormat.oneDecimal(-33.333), "-33.3")
        XCTAssertEqual(NumberFormat.oneDecimal(-0.04), "0.0")
        XCTAssertEqual(NumberFormat.duration(45), "45s")
        XCTAssertEqual(NumberFormat.duration(200), "3m 20s")
        XCTAssertEqual(NumberFormat.duration(7500), "2h 05m")
        XCTAssertEqual(NumberFormat.duration(273_600), "3d 04h")
        XCTAssertEqual(NumberFormat.duration(604_800), "7d")
        XCTAssertEqual(NumberFormat.duration(3600), "1h")
        XCTAssertEqual(NumberFormat.duration(59.6), "1m")
        XCTAssertEqual(NumberFormat.plain(3), "3")
        XCTAssertEqual(NumberFormat.plain(0.25), "0.25")
    }
}
