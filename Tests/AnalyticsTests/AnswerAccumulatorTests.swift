import EventStore
import XCTest
@testable import Analytics

/// The answer accumulator's in-place paths (docs/PERFORMANCE.md, "Session 9, second round"): the per-question entries
/// kept in an array, the week slots with the previous answer's week remembered, the funnels' per-person position marks.
/// Every figure below is computed by hand from docs/DEFINITIONS.md, "Answers".
final class AnswerAccumulatorTests: XCTestCase {
    // Monday 2026-10-05 12:00 UTC (ISO week 2026-W41) and Tuesday 2026-10-13 12:00 UTC (2026-W42).
    let weekA: Int64 = 1_791_201_600_000
    let weekB: Int64 = 1_791_892_800_000

    func testEntriesWeeksAndFunnelMarksAcrossPersons() throws {
        let catalog = SurveyCatalog(surveys: ["s": CatalogSurvey(name: "Survey", questions: [
            CatalogQuestion(id: "q1", type: .singleChoice(options: ["Yes", "No"])),
            CatalogQuestion(id: "q2", type: .rating(scale: 5)),
            CatalogQuestion(id: "q3", type: .open),
        ])])
        var strings = Interner()
        let yes = strings.intern("yes"), no = strings.intern("No"), yesSpaced = strings.intern("YES ")
        var acc = AnswerAccumulator(catalog: catalog, strings: strings)
        func add(_ q: String, _ v: PropValue, row: Int32, time: Int64, person: Int32) {
            acc.add(survey: 0, name: "s", question: q, value: v, row: row, time: time, person: person)
        }
        // Person 0: prompted; q1 three times, the weeks A, B, A (back to a week seen before).
        acc.prompted(survey: 0, name: "s", person: 0)
        add("q1", .string(yes), row: 0, time: weekA, person: 0)
        add("q1", .string(no), row: 1, time: weekB, person: 0)
        add("q1", .string(yes), row: 2, time: weekA + 1000, person: 0)
        // Person 1: q2 then q1 in one response (week B), then q2 without a value (counted, no value).
        add("q2", .number(4), row: 3, time: weekB, person: 1)
        add("q1", .string(yesSpaced), row: 3, time: weekB, person: 1)
        add("q2", .null, row: 4, time: weekB, person: 1)
        // Person 2: q1 only (its position was marked by person 1: the marks must be cleared between persons).
        add("q1", .string(no), row: 5, time: weekB, person: 2)

        let stats = acc.stats()
        XCTAssertEqual(stats.map(\.question), ["q1", "q2"])
        let q1 = stats[0], q2 = stats[1]
        XCTAssertEqual(q1.answers, 5)
        XCTAssertEqual(q1.persons, 3)
        XCTAssertEqual(q1.topOption, "Yes")
        XCTAssertEqual(q1.options.map(\.option), ["Yes", "No"])
        XCTAssertEqual(q1.options.map(\.count), [3, 2])
        XCTAssertEqual(q1.options.map(\.persons), [2, 2])
        XCTAssertEqual(q1.weekly.map(\.week), [CivilTime.isoWeekLabel(CivilTime.weekIndex(ofMs: weekA)),
                                              CivilTime.isoWeekLabel(CivilTime.weekIndex(ofMs: weekB))])
        XCTAssertEqual(q1.weekly.map(\.answers), [2, 3])
        XCTAssertEqual(q1.weekly.map(\.persons), [1, 3])
        XCTAssertEqual(q1.weekly.map(\.topShare), [1.0, 1.0 / 3.0])
        XCTAssertEqual(q2.answers, 2)
        XCTAssertEqual(q2.persons, 1)
        XCTAssertEqual(q2.mean, 4)
        XCTAssertEqual(q2.histogram.map(\.count), [0, 0, 0, 1, 0])
        XCTAssertEqual(q2.weekly.map(\.answers), [1])

        let funnels = acc.funnelStats()
        XCTAssertEqual(funnels.count, 1)
        // Person 0 reached q2 (answered q1), person 1 q3 (answered q1, q2), person 2 q2 (answered q1).
        XCTAssertEqual(funnels[0].steps.map(\.asked), [3, 3, 1])
        XCTAssertEqual(funnels[0].steps.map(\.answered), [3, 1, 0])
    }

    /// Many weeks and questions interleaved: each week's counts are those of a dictionary keyed by (question, week).
    func testWeekSlotsMatchAPlainCountWhenWeeksAlternate() {
        let catalog = SurveyCatalog(surveys: [:])
        var strings = Interner()
        let texts = (0 ..< 5).map { strings.intern("t\($0)") }
        var acc = AnswerAccumulator(catalog: catalog, strings: strings)
        var expected: [String: [Int64: (answers: Int, persons: Set<Int32>)]] = [:]
        var row: Int32 = 0
        for person in Int32(0) ..< 40 {
            for i in 0 ..< 6 {
                let question = "q\((Int(person) + i) % 3)"
                let time = weekA + Int64((Int(person) * 7 + i * 3) % 5) * 7 * 86_400_000
                acc.add(survey: 0, name: "x", question: question, value: .string(texts[(Int(person) + i) % 5]), row: row,
                        time: time, person: person)
                let w = CivilTime.weekIndex(ofMs: time)
                expected[question, default: [:]][w, default: (0, [])].answers += 1
                expected[question, default: [:]][w, default: (0, [])].persons.insert(person)
                row += 1
            }
        }
        for q in acc.stats() {
            let weeks = expected[q.question]!.sorted { $0.key < $1.key }
            XCTAssertEqual(q.weekly.map(\.week), weeks.map { CivilTime.isoWeekLabel($0.key) }, q.question)
            XCTAssertEqual(q.weekly.map(\.answers), weeks.map(\.value.answers), q.question)
            XCTAssertEqual(q.weekly.map(\.persons), weeks.map(\.value.persons.count), q.question)
        }
    }
}
