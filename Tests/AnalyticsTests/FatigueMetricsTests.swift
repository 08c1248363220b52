import XCTest
import EventStore
@testable import Analytics

/// Prompt fatigue, preferred channel and profile depth on hand-computed fixtures (docs/DEFINITIONS.md,
/// "Prompt fatigue", "Preferred channel", "Profile depth"; the worked examples there are these fixtures).
final class FatigueMetricsTests: XCTestCase {
    let t0 = ms(2026, 3, 2, 9)   // a Monday, 09:00 UTC

    private func counts(_ g: PromptGroup) -> [Int] { [g.prompts, g.answered, g.persons] }

    // MARK: - Fatigue

    /// Person a: seven prompts over two months; person b: two prompts in one millisecond (file order decides).
    private func fatigueStore() -> Store {
        var s = Store()
        s.prompt("a", t0, channel: "email")                       // a1 ord 1, first, answered
        s.response("a", t0 + hour)
        s.prompt("a", t0 + 5 * hour, channel: "email")            // a2 ord 2, <1d
        s.prompt("a", t0 + 2 * day, channel: "sms")               // a3 ord 3, 1-3d (43 h), answered
        s.response("a", t0 + 2 * day + hour)
        s.prompt("a", t0 + 6 * day, channel: "email")             // a4 ord 4, 3-7d
        s.prompt("a", t0 + 7 * day, channel: "email")             // a5 ord 5, 1-3d (exactly 1 day)
        s.prompt("a", t0 + 30 * day, channel: "email")            // a6 ord 6 → 5+ (a1 exactly 30 days before counts), 7-30d
        s.response("a", t0 + 30 * day + hour)
        s.prompt("a", t0 + 60 * day + hour, channel: "sms")       // a7 ord 1 (a6 is 30 d 1 h before), >30d, answered
        s.response("a", t0 + 60 * day + 2 * hour)
        s.prompt("b", t0, channel: "sms")                         // b1 ord 1, first, answered
        s.prompt("b", t0, survey: .string("s2"), channel: "email") // b2 same ms, later in file: ord 2, <1d
        s.response("b", t0)
        return s
    }

    func testOrdinalAndGapOverall() {
        let f = ReportBuilder.report(table: fatigueStore().table(), options: AnalysisOptions()).feedback.fatigue
        XCTAssertEqual(f.trailingDays, 30)
        XCTAssertEqual(f.byOrdinal.map(\.ordinal), [1, 2, 3, 4, 5])
        XCTAssertEqual(f.byOrdinal.map(\.orMore), [false, false, false, false, true])
        XCTAssertEqual(f.byOrdinal.map { counts($0.counts) }, [[3, 3, 2], [2, 0, 2], [1, 1, 1], [1, 0, 1], [2, 1, 1]])
        XCTAssertEqual(f.byOrdinal[0].counts.responseRate, 1.0)
        XCTAssertEqual(f.byOrdinal[1].counts.responseRate, 0.0)
        XCTAssertEqual(f.byOrdinal[4].counts.responseRate, 0.5)
        XCTAssertEqual(f.byGap.map(\.gap), ["first", "<1d", "1-3d", "3-7d", "7-30d", ">30d"])
        XCTAssertEqual(f.byGap.map { counts($0.counts) }, [[2, 2, 2], [2, 0, 2], [2, 1, 1], [1, 0, 1], [1, 1, 1], [1, 1, 1]])
    }

    func testOrdinalAndGapPerChannel() {
        let f = ReportBuilder.report(table: fatigueStore().table(), options: AnalysisOptions()).feedback.fatigue
        XCTAssertEqual(f.byChannel.keys.sorted(), ["email", "sms"])
        let email = f.byChannel["email"]!, sms = f.byChannel["sms"]!
        XCTAssertEqual(email.byOrdinal.map { counts($0.counts) }, [[1, 1, 1], [2, 0, 2], [0, 0, 0], [1, 0, 1], [2, 1, 1]])
        XCTAssertEqual(sms.byOrdinal.map { counts($0.counts) }, [[2, 2, 2], [0, 0, 0], [1, 1, 1], [0, 0, 0], [0, 0, 0]])
        XCTAssertNil(sms.byOrdinal[1].counts.responseRate)
        XCTAssertEqual(email.byGap.map { counts($0.counts) }, [[1, 1, 1], [2, 0, 2], [1, 0, 1], [1, 0, 1], [1, 1, 1], [0, 0, 0]])
        XCTAssertEqual(sms.byGap.map { counts($0.counts) }, [[1, 1, 1], [0, 0, 0], [1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]])
    }

    func testReferenceTimeAndFilterRestrictPrompts() {
        let t = fatigueStore().table()
        // Before a7: a7 is not a prompt yet.
        let early = ReportBuilder.report(table: t, options: AnalysisOptions(now: t0 + 31 * day)).feedback.fatigue
        XCTAssertEqual(early.byOrdinal[0].counts.prompts, 2)
        XCTAssertEqual(early.byGap[5].counts.prompts, 0)
        // Only b.
        var b = PersonSet(universe: t.personCount); b.insert(t.person("b"))
        let onlyB = ReportBuilder.report(table: t, options: AnalysisOptions(), persons: b).feedback.fatigue
        XCTAssertEqual(onlyB.byOrdinal.map { $0.counts.prompts }, [1, 1, 0, 0, 0])
    }

    func testTrailingThirtyDaysIncludeTheirFirstMillisecond() {
        var s = Store()
        s.prompt("x", t0); s.prompt("x", t0 + 30 * day)          // exactly 30 days: counts → ordinal 2
        s.prompt("y", t0); s.prompt("y", t0 + 30 * day + 1)      // 1 ms more: ordinal 1 again
        let f = ReportBuilder.report(table: s.table(), options: AnalysisOptions()).feedback.fatigue
        XCTAssertEqual(f.byOrdinal.map { $0.counts.prompts }, [3, 1, 0, 0, 0])
        XCTAssertEqual(f.byGap.map { $0.counts.prompts }, [2, 0, 0, 0, 0, 2])
    }

    func testGapBucketBoundsAreLowerInclusive() {
        XCTAssertEqual(FatigueMetrics.gapBucket(nil), 0)
        XCTAssertEqual(FatigueMetrics.gapBucket(0), 1)
        XCTAssertEqual(FatigueMetrics.gapBucket(day - 1), 1)
        XCTAssertEqual(FatigueMetrics.gapBucket(day), 2)
        XCTAssertEqual(FatigueMetrics.gapBucket(3 * day - 1), 2)
        XCTAssertEqual(FatigueMetrics.gapBucket(3 * day), 3)
        XCTAssertEqual(FatigueMetrics.gapBucket(7 * day), 4)
        XCTAssertEqual(FatigueMetrics.gapBucket(30 * day - 1), 4)
        XCTAssertEqual(FatigueMetrics.gapBucket(30 * day), 5)
    }

    func testFatigueJSONShape() throws {
        let f = ReportBuilder.report(table: fatigueStore().table(), options: AnalysisOptions()).feedback.fatigue
        let data = try JSONEncoder().encode(f)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let ordinals = json["by_ordinal"] as! [[String: Any]]
        XCTAssertEqual(ordinals[0]["ordinal"] as? Int, 1)
        XCTAssertNil(ordinals[0]["or_more"])
        XCTAssertEqual(ordinals[4]["or_more"] as? Bool, true)
        XCTAssertEqual(ordinals[4]["prompts"] as? Int, 2)
        XCTAssertEqual(ordinals[4]["response_rate"] as? Double, 0.5)
        let gaps = json["by_gap"] as! [[String: Any]]
        XCTAssertEqual(gaps[2]["gap"] as? String, "1-3d")
        let channels = json["by_channel"] as! [String: Any]
        XCTAssertNotNil((channels["sms"] as? [String: Any])?["by_gap"])
        XCTAssertEqual(try JSONDecoder().decode(FatigueSummary.self, from: data), f)
    }

    // MARK: - Preferred channel

    private func preferenceStore() -> [ParsedEvent] {
        func prompt(_ u: String, _ t: Int64, _ channel: String, survey: String = "s1") -> ParsedEvent {
            Fixture.track(u, "Survey Shown", at: t, ["survey_id": .string(survey), "channel": .string(channel)])
        }
        func response(_ u: String, _ t: Int64, survey: String = "s1") -> ParsedEvent {
            Fixture.track(u, "Survey Sent", at: t, ["survey_id": .string(survey)])
        }
        return [
            Fixture.identify("a", at: t0 - day, ["preferred_channel": .string("Text")]),
            Fixture.identify("a", at: t0 + 20 * day, ["preferred_channel": .string("email")]),   // after now
            prompt("a", t0, "sms"), response("a", t0 + hour),
            prompt("a", t0 + day, "email"),
            prompt("a", t0 + 2 * day, "sms"),
            Fixture.identify("b", at: t0 - day, ["preferred_channel": .string("EMAIL")]),
            prompt("b", t0, "email"), response("b", t0 + hour),
            prompt("b", t0 + day, "chat", survey: "s2"), response("b", t0 + day + hour, survey: "s2"),
            Fixture.identify("c", at: t0 - day, ["preferred_channel": .number(42)]),
            prompt("c", t0, "email"),
            prompt("d", t0, "sms"), response("d", t0 + 2 * hour),
            Fixture.identify("e", at: t0 - day, ["preferred_channel": .string("  ")]),
            Fixture.identify("f", at: t0 - day, ["preferred_channel": .string("sms"), "contact_via": .string("chat")]),
        ]
    }

    private func preferred(_ schema: FeedbackSchema) -> PreferredChannelSummary {
        let options = AnalysisOptions(now: t0 + 10 * day, feedback: schema)
        return ReportBuilder.report(table: Fixture.table(preferenceStore()), options: options).feedback.preferredChannel
    }

    func testOnPreferredAgainstOtherChannels() {
        var schema = FeedbackSchema.standard
        schema.preferredChannelValues = ["text": "sms"]
        let p = preferred(schema)
        XCTAssertEqual(p.trait, "preferred_channel")
        XCTAssertEqual(counts(p.onPreferred), [3, 2, 2])
        XCTAssertEqual(p.onPreferred.responseRate!, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(counts(p.onOther), [2, 1, 2])
        XCTAssertEqual(counts(p.noPreference), [2, 1, 2])
        XCTAssertEqual(p.personsWithPreference, 3)
        XCTAssertEqual(p.preferences, [ChannelPreference(channel: "email", persons: 1), ChannelPreference(channel: "sms", persons: 2)])
        XCTAssertEqual(p.channels.map(\.channel), ["chat", "email", "sms"])
        XCTAssertEqual(p.channels.map { counts($0.onPreferred) }, [[0, 0, 0], [1, 1, 1], [2, 1, 1]])
        XCTAssertEqual(p.channels.map { counts($0.onOther) }, [[1, 1, 1], [1, 0, 1], [0, 0, 0]])
        XCTAssertEqual(p.channels.map { counts($0.noPreference) }, [[0, 0, 0], [1, 0, 1], [1, 1, 1]])
        XCTAssertEqual(p.channels.map(\.bestCell), [nil, nil, nil])   // no cell has 20 prompts
    }

    func testMappingComesFromTheChannelsMappingToo() {
        var schema = FeedbackSchema.standard
        schema.channelNames = ["Text": "sms"]
        XCTAssertEqual(counts(preferred(schema).onPreferred), [3, 2, 2])
        // Without any mapping "Text" names the channel "text": a's prompts are all on another channel.
        let plain = preferred(.standard)
        XCTAssertEqual(counts(plain.onPreferred), [1, 1, 1])
        XCTAssertEqual(counts(plain.onOther), [4, 2, 2])
        XCTAssertEqual(plain.preferences.map(\.channel), ["email", "sms", "text"])
    }

    /// Two `channels` names that differ only in case: the first in sorted order maps (`Text` before `text`), every
    /// time (the Spark SQL maps the same way); the trait is trimmed of Unicode white space (a no-break space, a line break).
    func testChannelsNamesDifferingInCaseMapByTheFirstInSortedOrder() {
        var schema = FeedbackSchema.standard
        schema.channelNames = ["text": "chat", "Text": "sms"]
        XCTAssertEqual(counts(preferred(schema).onPreferred), [3, 2, 2])   // "text" first: a prefers chat, [1, 1, 1]
        let events = [
            Fixture.identify("a", at: t0 - day, ["preferred_channel": .string("\u{A0}Email\n")]),
            Fixture.track("a", "Survey Shown", at: t0, ["survey_id": .string("s"), "channel": .string("email")]),
        ]
        let p = ReportBuilder.report(table: Fixture.table(events), options: AnalysisOptions()).feedback.preferredChannel
        XCTAssertEqual(counts(p.onPreferred), [1, 0, 1])
    }

    /// White space is trimmed scalar by scalar, as the Spark SQL's `(?U)\s` trims it: a space with a combining mark
    /// after it (one `Character` in Swift, which `isWhitespace` would drop whole) keeps the mark, so `" \u{301}Email"`
    /// names the channel `\u{301}email`, not email; a trailing `" \u{301}"` likewise stays.
    func testTrimmingKeepsACombiningMarkAfterASpace() {
        let events = [
            Fixture.identify("a", at: t0 - day, ["preferred_channel": .string(" \u{301}Email")]),
            Fixture.identify("b", at: t0 - day, ["preferred_channel": .string("Email \u{301}")]),
            Fixture.identify("c", at: t0 - day, ["preferred_channel": .string("\u{A0}Email\u{2028}")]),
            Fixture.track("a", "Survey Shown", at: t0, ["survey_id": .string("s"), "channel": .string("email")]),
            Fixture.track("b", "Survey Shown", at: t0, ["survey_id": .string("s"), "channel": .string("email")]),
            Fixture.track("c", "Survey Shown", at: t0, ["survey_id": .string("s"), "channel": .string("email")]),
        ]
        let p = ReportBuilder.report(table: Fixture.table(events), options: AnalysisOptions()).feedback.preferredChannel
        XCTAssertEqual(counts(p.onPreferred), [1, 0, 1])   // c only
        XCTAssertEqual(counts(p.onOther), [2, 0, 2])
        XCTAssertEqual(p.preferences.map(\.channel), ["email", "email \u{301}", "\u{301}email"].sorted())
    }

    func testTraitNameIsConfigurable() {
        var schema = FeedbackSchema.standard
        schema.preferredChannelTrait = "contact_via"
        let p = preferred(schema)
        XCTAssertEqual(p.trait, "contact_via")
        XCTAssertEqual(p.personsWithPreference, 1)          // f, who has no prompts
        XCTAssertEqual(counts(p.noPreference), [7, 4, 4])
        XCTAssertEqual(counts(p.onPreferred), [0, 0, 0])
    }

    func testPromptChannelsCompareIgnoringCase() {
        let events = [
            Fixture.identify("a", at: t0 - day, ["preferred_channel": .string("email")]),
            Fixture.track("a", "Survey Shown", at: t0, ["survey_id": .string("s"), "channel": .string("Email")]),
        ]
        let p = ReportBuilder.report(table: Fixture.table(events), options: AnalysisOptions()).feedback.preferredChannel
        XCTAssertEqual(counts(p.onPreferred), [1, 0, 1])
        XCTAssertEqual(p.channels.map(\.channel), ["Email"])
    }

    func testBestCellHighestRateThenMorePrompts() {
        var cells = [(prompts: Int, answered: Int)](repeating: (0, 0), count: 7 * 24)
        XCTAssertEqual(PreferredChannelMetrics.bestCellMinPrompts, 20)
        cells[10] = (20, 8); cells[30] = (24, 12); cells[2] = (19, 19); cells[50] = (40, 20)
        let best = PreferredChannelMetrics.bestCell(cells)!
        XCTAssertEqual([best.weekday, best.hour, best.prompts, best.answered], [3, 2, 40, 20])
        cells[50] = (0, 0); cells[40] = (24, 12)
        let tie = PreferredChannelMetrics.bestCell(cells)!
        XCTAssertEqual([tie.weekday, tie.hour], [2, 6])   // cell 30 (Tue 06) beats the later cell 40 on an exact tie
        cells = cells.map { _ in (19, 19) }
        XCTAssertNil(PreferredChannelMetrics.bestCell(cells))
    }

    func testBestCellFromPrompts() {
        var events: [ParsedEvent] = []
        for i in 0..<20 {   // twenty Monday 09:00 UTC email prompts (weekly), twelve answered
            let t = t0 + Int64(i) * 7 * day
            events.append(Fixture.track("p\(i)", "Survey Shown", at: t, ["survey_id": .string("s"), "channel": .string("email")]))
            if i < 12 { events.append(Fixture.track("p\(i)", "Survey Sent", at: t + minute, ["survey_id": .string("s")])) }
        }
        let p = ReportBuilder.report(table: Fixture.table(events), options: AnalysisOptions()).feedback.preferredChannel
        let cell = p.channels.first!.bestCell!
        XCTAssertEqual([cell.weekday, cell.hour, cell.prompts, cell.answered], [1, 9, 20, 12])
        XCTAssertEqual(cell.responseRate, 0.6)
    }

    // MARK: - Profile depth

    private func depthEvents() -> [ParsedEvent] {
        func answer(_ u: String, _ t: Int64, _ survey: String, _ answers: [(String, ScalarValue)],
                    score: Double? = nil) -> ParsedEvent {
            var props = [PathValue("properties.survey_id", .string(survey))]
            if let score { props.append(PathValue("properties.score", .number(score))) }
            return ParsedEvent(kind: .track, time: t, userId: u, event: "Survey Sent", properties: props,
                               answers: answers.map { PathValue("$survey_response_" + $0.0, $0.1) })
        }
        func prompt(_ u: String, _ t: Int64, _ survey: String) -> ParsedEvent {
            Fixture.track(u, "Survey Shown", at: t, ["survey_id": .string(survey)])
        }
        return [
            prompt("a", t0 - hour, "s1"),
            answer("a", t0, "s1", [("q1", .string("yes")), ("q2", .number(3))]),
            answer("a", t0 + day, "s1", [("q1", .string("no"))]),          // q1 again: still 2
            answer("a", t0 + 8 * day, "s2", [], score: 9),                  // no answer keys: the survey s2 → 3
            prompt("b", t0, "s1"),
            Fixture.page("c", at: t0),
            prompt("d", t0, "s3"),
            answer("d", t0 + day, "s3", (1...5).map { ("q\($0)", .string("x")) }),
            answer("e", t0 + 2 * day, "s1", [("q1", .null)]),              // a null answer: the survey s1 → 1
            prompt("f", t0, "s1"),
            answer("f", t0 + hour, "s1", [("q1", .string("x"))]),
            answer("g", t0 + 20 * day, "s1", [("q1", .string("x"))]),      // after now: g is not counted
        ]
    }

    private func buckets(_ d: DepthDistribution) -> [Int] { d.depth.map(\.persons) }

    func testDepthOverAllAndPromptedPersons() {
        let r = ReportBuilder.report(table: Fixture.table(depthEvents()), options: AnalysisOptions(now: t0 + 8 * day))
        let d = r.persons.profileDepth
        XCTAssertEqual(d.all.persons, 6)
        XCTAssertEqual(buckets(d.all), [2, 2, 0, 1, 1])
        let third: Double = 2.0 / 6, sixth: Double = 1.0 / 6
        let shares: [Double?] = [third, third, 0, sixth, sixth]
        XCTAssertEqual(d.all.depth.map(\.share), shares)
        XCTAssertEqual(d.all.depth.map(\.label), ["0", "1", "2", "3", "4+"])
        XCTAssertEqual(d.prompted.persons, 4)
        XCTAssertEqual(buckets(d.prompted), [1, 1, 0, 1, 1])
    }

    func testDepthWeekly() {
        let r = ReportBuilder.report(table: Fixture.table(depthEvents()), options: AnalysisOptions(now: t0 + 8 * day))
        let weeks = r.persons.profileDepth.weekly
        XCTAssertEqual(weeks.map(\.week), ["2026-W10", "2026-W11"])
        XCTAssertEqual(buckets(weeks[0].distribution), [2, 2, 1, 0, 1])
        XCTAssertEqual(buckets(weeks[1].distribution), [2, 2, 0, 1, 1])
        XCTAssertEqual(weeks.map(\.week), r.weekly.map(\.week))
    }

    func testDepthPerSegment() {
        let t = Fixture.table(depthEvents())
        let options = AnalysisOptions(now: t0 + 8 * day)
        let program = Fixture.program(#"segment "answered": did "Survey Sent""#)!
        let r = Analysis.rawReport(table: t, program: program, options: options)
        let seg = r.segments[0].profileDepth
        // a (3), d (4+), e (1), f (1); prompted among them: a, d, f.
        XCTAssertEqual(buckets(seg.all), [0, 2, 0, 1, 1])
        XCTAssertEqual(buckets(seg.prompted), [0, 1, 0, 1, 1])
        let depths = ProfileDepthMetrics.personDepths(table: t, options: options)
        var ab = PersonSet(universe: t.personCount); ab.insert(t.person("a")); ab.insert(t.person("b"))
        XCTAssertEqual(buckets(depths.distribution(of: ab).all), [1, 0, 0, 1, 0])
    }

    func testNullAnswersAreNoAnswers() {
        func response(_ u: String, _ answers: [(String, ScalarValue)]) -> ParsedEvent {
            ParsedEvent(kind: .track, time: t0, userId: u, event: "Survey Sent", properties: [PathValue("properties.survey_id", .string("s"))],
                        answers: answers.map { PathValue("$survey_response_" + $0.0, $0.1) })
        }
        let t = Fixture.table([response("a", [("q1", .null), ("q2", .string("x"))]), response("b", [("q1", .null)])])
        let d = ReportBuilder.report(table: t, options: AnalysisOptions()).persons.profileDepth
        XCTAssertEqual(buckets(d.all), [0, 2, 0, 0, 0])   // a: q2 only; b: the survey s as a whole
    }

    // MARK: - Privacy

    func testDepthPrivacyTakesTheSmallestOtherBucketAlong() {
        var d = DepthDistribution(counts: [10, 3, 7, 0, 6])
        var pass = Privacy.Pass(policy: PrivacyPolicy(minCohort: 5))
        pass.apply(&d)
        XCTAssertEqual(d.depth.map(\.$persons), [.shown, .belowMinimum, .shown, .shown, .complementary])
        XCTAssertEqual(d.depth.map(\.persons), [10, 0, 7, 0, 0])
        XCTAssertEqual(d.depth.map(\.$share), [.shown, .derived, .shown, .shown, .derived])
        XCTAssertNil(d.depth[4].share)
        var small = DepthDistribution(counts: [3, 1, 0, 0, 0])
        pass.apply(&small)
        XCTAssertEqual(small.$persons, .belowMinimum)
        XCTAssertEqual(small.depth.map(\.persons), [0, 0, 0, 0, 0])
    }

    func testFatiguePrivacyHidesSmallRowsAndOneMore() {
        var rows = [20, 8, 3, 0, 6].enumerated().map {
            FatigueOrdinalRow(ordinal: $0.offset + 1, counts: PromptGroup(prompts: $0.element, answered: $0.element / 2, persons: $0.element))
        }
        var pass = Privacy.Pass(policy: PrivacyPolicy(minCohort: 5))
        pass.apply(&rows, \.counts)
        XCTAssertEqual(rows.map(\.counts.$prompts), [.shown, .shown, .belowMinimum, .shown, .complementary])
        XCTAssertEqual(rows.map(\.counts.responseRate), [0.5, nil, nil, nil, nil])
        // Answers: 10, 4 (<5), 1 (hidden with its row), 0, 3 (hidden with its row): row 2's answers alone are below k.
        XCTAssertEqual(rows[1].counts.$answered, .belowMinimum)
        XCTAssertEqual(rows[0].counts.$answered, .shown)
    }

    func testPublishedReportWithholdsSmallFatigueFigures() throws {
        let published = Analysis.report(table: fatigueStore().table(), program: nil, options: AnalysisOptions())
        let row = published.feedback.fatigue.byOrdinal[0].counts
        XCTAssertEqual(row.$persons, .belowMinimum)
        XCTAssertNil(row.responseRate)
        XCTAssertEqual(published.persons.profileDepth.all.$persons, .belowMinimum)
        let json = String(decoding: try JSONEncoder().encode(published.feedback.fatigue), as: UTF8.self)
        XCTAssertTrue(json.contains(#""persons":{"reason":"below_minimum","suppressed":true}"#)
                      || json.contains(#""persons":{"suppressed":true,"reason":"below_minimum"}"#), json)
    }
}
