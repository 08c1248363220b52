import EarshotTestSupport
import XCTest
import EventStore
import ExampleGenerator
@testable import Analytics

/// The segment filter's fast path (``AnalysisIndex``: members, weekly member sets, consent states and loop/journey
/// row bits computed once, then restricted by bitset intersections and per-person passes over the filter's rows)
/// against a full recompute for every filter (the computation as it was before the index: a fresh evaluator, a
/// fresh evaluation per week, fresh consent states and matchers, each metric over the filtered persons), on
/// random example stores, random rules and random person sets: every figure, raw and published, must be equal.
final class FilteredReportPropertyTests: XCTestCase {
    /// Conditions on what the example generator writes, combined at random into rules.
    static let atoms = [
        #"did "Product Viewed" where category = "baby""#,
        #"did "Product Viewed" where category = "gifts" at least 2 times"#,
        #"did "Order Completed" in last 30d"#,
        #"did "Order Completed""#,
        #"did "Survey Sent" where channel = "chat" at least 2 times in last 30d"#,
        #"did "Survey Sent" where score >= 9"#,
        #"did page where section = "sale" at least 3 times"#,
        #"did "Email Link Clicked" then did "Product Viewed" within 1d"#,
        #"trait region = "coastal""#,
        #"trait preferred_channel in ["email", "sms"]"#,
        #"did "Order Completed" where products[].category = "baby""#,
        #"did any in last 7d"#,
    ]

    static func randomRule(_ rng: inout SeededRandom, depth: Int = 0) -> String {
        let atom = atoms[rng.int(atoms.count)]
        guard depth < 2 else { return atom }
        switch rng.int(5) {
        case 0: return "(" + randomRule(&rng, depth: depth + 1) + ") and (" + randomRule(&rng, depth: depth + 1) + ")"
        case 1: return "(" + randomRule(&rng, depth: depth + 1) + ") or (" + randomRule(&rng, depth: depth + 1) + ")"
        case 2: return "not (" + randomRule(&rng, depth: depth + 1) + ")"
        default: return atom
        }
    }

    func testFilteredReportsEqualAFullRecompute() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-filter-prop-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shop = try String(contentsOfFile: Self.repoPath("ExampleData/shop.segments"), encoding: .utf8)
        var compared = 0, nonTrivial = 0
        for seed in 1...4 as ClosedRange<UInt64> {
            var rng = SeededRandom(seed: seed &* 7919)
            let storeDir = dir + "/\(seed)"
            let example = ExampleStore(seed: seed, persons: 30 + rng.int(60), days: 10 + rng.int(70))
            try example.write(to: storeDir, gzipOlderMonths: rng.int(2) == 0)
            var rules = shop
            for i in 0..<3 { rules += "\nsegment \"random \(i)\":\n    \(Self.randomRule(&rng))\n" }
            let program = try SegmentProgram.parse(source: rules, fileName: "prop.segments")
            var selection = FieldSelection.metrics.union(FreeTextMetrics.fieldSelection).union(program.fieldSelection)
            selection = selection.union(AnalysisOptions().feedback.fieldSelection)
            let table = try StoreReader(paths: [storeDir], selection: selection).load()
            XCTAssertGreaterThan(table.personCount, 0)
            var options = AnalysisOptions()
            switch rng.int(3) {
            case 0: break
            case 1: options.now = example.rangeStartMillis + Int64(rng.int(max(1, (example.days - 1)))) * CivilTime.msPerDay
            default: options.window = Int64(1 + rng.int(10)) * CivilTime.msPerDay
            }
            if rng.int(2) == 0 { options.privacy.minCohort = 0 }

            let index = AnalysisIndex(table: table, program: program, options: options)
            XCTAssertTrue(index.keepsWeeklyMembers)
            // Over the memory budget, weekly sizes are evaluated per filter instead: the same figures.
            let lean = AnalysisIndex(table: table, program: program, options: options, weeklyBudget: 0)
            XCTAssertFalse(lean.keepsWeeklyMembers)
            var filters: [PersonSet?] = [nil, PersonSet(universe: table.personCount), PersonSet.all(table.personCount)]
            for seg in program.segments {
                let members = try XCTUnwrap(index.members(of: seg.name))
                XCTAssertEqual(members, Analysis.members(of: seg.name, table: table, program: program, options: options))
                filters.append(members)
            }
            for _ in 0..<3 {
                var s = PersonSet(universe: table.personCount)
                for p in 0..<table.personCount where rng.int(3) == 0 { s.insert(p) }
                filters.append(s)
            }
            // The full report computed together with its index (one schedule of jobs, one feedback pass for both:
            // `Analysis.indexAndRawReport`, what `report` and the dashboard use): the same figures as the recompute,
            // and an index that answers every filter exactly as the index built alone.
            let fullRaw = Self.fullRecompute(table: table, program: program, options: options, persons: nil)
            for budget in [AnalysisIndex.weeklyMemoryBudget, 0] {
                let fused = Analysis.indexAndRawReport(table: table, program: program, options: options, weeklyBudget: budget)
                XCTAssertTrue(fused.report == fullRaw, "fused, budget \(budget), seed \(seed): "
                              + Self.differences(fused.report, fullRaw).joined(separator: ", ") + " differ")
                XCTAssertEqual(fused.index.keepsWeeklyMembers, budget > 0)
                XCTAssertEqual(fused.index.members, index.members)
                let published = Analysis.indexAndReport(table: table, program: program, options: options, weeklyBudget: budget)
                XCTAssertTrue(published.report == Privacy.publish(fullRaw, policy: options.privacy), "fused published, seed \(seed)")
                for filter in filters {
                    XCTAssertTrue(Analysis.rawReport(index: fused.index, persons: filter) == Analysis.rawReport(index: index, persons: filter),
                                  "fused index, filter of \(filter?.count ?? -1) persons, seed \(seed)")
                }
            }
            let plain = Analysis.rawReport(index: AnalysisIndex(table: table, program: nil, options: options))
            XCTAssertTrue(Analysis.indexAndRawReport(table: table, program: nil, options: options).report == plain,
                          "fused without rules, seed \(seed)")
            for filter in filters {
                let fast = Analysis.rawReport(index: index, persons: filter)
                let full = Self.fullRecompute(table: table, program: program, options: options, persons: filter)
                XCTAssertTrue(fast == full, "seed \(seed), filter of \(filter?.count ?? -1) persons: "
                              + Self.differences(fast, full).joined(separator: ", ") + " differ")
                let published = Privacy.publish(full, policy: options.privacy)
                let fastPublished = Analysis.report(index: index, persons: filter)
                XCTAssertTrue(fastPublished == published, "published, seed \(seed): "
                              + Self.differences(fastPublished, published).joined(separator: ", ") + " differ")
                let leanReport = Analysis.rawReport(index: lean, persons: filter)
                XCTAssertTrue(leanReport == full, "without weekly sets, seed \(seed): "
                              + Self.differences(leanReport, full).joined(separator: ", ") + " differ")
                compared += 1
                if let filter, filter.count > 0, filter.count < table.personCount { nonTrivial += 1 }
            }
        }
        XCTAssertGreaterThan(nonTrivial, 40, "the filters must be real subsets (\(compared) compared)")
    }

    /// The filtered raw report computed from scratch, as `Analysis.rawReport` did before ``AnalysisIndex`` (serially).
    static func fullRecompute(table: EventTable, program: SegmentProgram, options: AnalysisOptions,
                              persons: PersonSet?) -> Report {
        var report = ReportBuilder.report(table: table, options: options, persons: persons)
        report.feedback.freeText = FreeTextMetrics.compute(table: table, options: options, persons: persons,
                                                           maskPII: !options.privacy.revealPII)
        report.loops = LoopMetrics.compute(table: table, program: program, options: options, persons: persons)
        report.journeys = JourneyMetrics.compute(table: table, program: program, options: options, persons: persons)
        guard let now = options.referenceTime(table), let first = table.firstEventTime else { return report }
        var weeks = SegmentMetrics.weeks(from: first, through: now)
        if weeks.count > Analysis.maxSegmentWeeks { weeks.removeFirst(weeks.count - Analysis.maxSegmentWeeks) }
        let depths = ProfileDepthMetrics.personDepths(table: table, options: options, persons: persons)
        let segments = SegmentMetrics(program: program, table: table, now: now, consent: ConsentStates(table: table, asOf: now),
                                      weeks: weeks, persons: persons, feedback: { members in
            let loops = FeedbackMetrics.compute(table: table, options: options, persons: members)
            return (loops.channels, loops.nps)
        }, depth: { depths.distribution(of: $0) })
        report.segments = segments.segments
        report.overlap = segments.overlap
        if segments.overlapLeftOut > 0 { report.store.warnings.append(Analysis.overlapWarning(leftOut: segments.overlapLeftOut)) }
        return report
    }

    /// The sections in which two reports differ (so that a failure says where, not only that they differ).
    static func differences(_ a: Report, _ b: Report) -> [String] {
        let pairs: [(String, Bool)] = [("now", a.now == b.now), ("store", a.store == b.store), ("consent", a.consent == b.consent),
                                       ("feedback", a.feedback == b.feedback), ("weekly", a.weekly == b.weekly),
                                       ("eventNames", a.eventNames == b.eventNames),
                                       ("segments", a.segments == b.segments), ("overlap", a.overlap == b.overlap),
                                       ("loops", a.loops == b.loops), ("journeys", a.journeys == b.journeys),
                                       ("privacy", a.privacy == b.privacy), ("persons", a.persons == b.persons)]
        return pairs.filter { !$0.1 }.map(\.0)
    }

    static func repoPath(_ relative: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(relative).path
    }
}

