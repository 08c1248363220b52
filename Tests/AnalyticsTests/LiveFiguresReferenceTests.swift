import XCTest
import EventStore
@testable import Analytics
import EarshotTestSupport

/// The live figures of follow mode (``LiveFigures``) against a full recompute: seeded random streams of events —
/// duplicate messageIds, anonymous ids linked to users late (by identify and alias, with earlier times, so an
/// anonymous person moves into a user who already has events and the persons count drops), same-millisecond consent
/// ties decided by file order, empty preference objects, Segment's consent event, deletion requests (also for a
/// person's anonymous ids, and persons who come back), late events, consent categories and the analytics category
/// appearing mid-stream — are appended in random batches. After every batch the live store and consent sections
/// must equal those of ``Analysis/rawReport(table:program:options:persons:)`` over the table the reader builds from
/// the same events (its dedupe decides what is accepted, as the follower's does).
final class LiveFiguresReferenceTests: XCTestCase {
    static let users = ["u0", "u1", "u2", "u3", "u4", "a2"]  // "a2" is also an anonymous id (PostHog's distinct_id)
    static let anons = ["a0", "a1", "a2", "a3", "a4", "a5", "a6"]
    static let base: Int64 = 1_790_000_000_000

    /// A random event; `step` moves categories in over time.
    static func event(_ rng: inout SeededRandom, step: Int) -> ParsedEvent {
        let kinds: [EventKind] = [.track, .track, .track, .identify, .alias, .page, .delete]
        var kind = kinds[rng.int(kinds.count)]
        // Times from a small range, so that ties and late events are common.
        let time = base + Int64(rng.int(40)) * 60_000
        let messageId: String? = rng.int(5) == 0 ? nil : "m\(rng.int(400))"
        var user: String? = rng.int(2) == 0 ? users[rng.int(users.count)] : nil
        var anon: String? = rng.int(3) > 0 ? anons[rng.int(anons.count)] : nil
        if user == nil && anon == nil { anon = anons[rng.int(anons.count)] }
        if kind == .delete && user == nil { user = users[rng.int(users.count)] }
        if kind == .alias && user == nil { kind = .track }
        let previous: String? = kind == .alias ? anons[rng.int(anons.count)] : nil
        if rng.int(12) == 0 { user = "" }  // an empty id counts as absent
        if user == "" && (anon == nil || anon == "") { anon = anons[rng.int(anons.count)] }
        var categories = ["Personalization", "Ads"]
        if step > 2 { categories.append("Analytics") }
        if step > 5 { categories.append("C\(step / 6)") }
        var consent: [ConsentEntry] = []
        var cleared = false
        switch rng.int(6) {
        case 0, 1:
            for _ in 0 ..< 1 + rng.int(3) {
                let c = categories[rng.int(categories.count)]
                consent.append(ConsentEntry(c, rng.int(2) == 0, label: rng.int(4) == 0 ? "Label \(rng.int(3))" : nil))
            }
        case 2 where rng.int(3) == 0:
            cleared = true
        default:
            break
        }
        let name: String? = kind == .track
            ? (rng.int(8) == 0 ? ConsentMetrics.preferenceUpdatedEvent : ["Product Viewed", "Order Completed"][rng.int(2)]) : nil
        return ParsedEvent(kind: kind, messageId: messageId, time: time, userId: user, anonymousId: anon, event: name,
                           previousId: previous, consent: consent, consentCleared: cleared)
    }

    func check(seed: UInt64, options: AnalysisOptions, batches: Int = 25, file: StaticString = #filePath, line: UInt = #line) {
        var rng = SeededRandom(seed: seed)
        var builder = EventTableBuilder()
        var live = LiveFigures(options: options)
        var total = 0
        for step in 0 ..< batches {
            var accepted: [ParsedEvent] = []
            for _ in 0 ..< 1 + rng.int(30) {
                let e = Self.event(&rng, step: step)
                builder.stats.lines += 1
                if builder.add(e) { accepted.append(e) }
            }
            total += accepted.count
            // The follower hands events over in pieces of any size.
            var rest = accepted[...]
            while !rest.isEmpty {
                let n = 1 + rng.int(rest.count)
                live.apply(rest.prefix(n))
                rest = rest.dropFirst(n)
            }
            var copy = builder
            let table = copy.finish().redactingDeletions()
            let full = Analysis.rawReport(table: table, program: nil, options: options)
            let store = live.store(stats: builder.stats)
            let consent = live.consent()
            XCTAssertEqual(store, full.store, "seed \(seed), batch \(step): store", file: file, line: line)
            XCTAssertEqual(consent, full.consent, "seed \(seed), batch \(step): consent", file: file, line: line)
            if store != full.store || consent != full.consent { return }
        }
        XCTAssertEqual(live.eventCount, total)
        XCTAssertTrue(live.exact)
    }

    func testRandomAppendsEqualAFullRecompute() {
        for seed in UInt64(1) ... 40 { check(seed: seed, options: AnalysisOptions()) }
    }

    func testWithAFixedReferenceTime() {
        var options = AnalysisOptions()
        options.now = Self.base + 20 * 60_000
        for seed in UInt64(100) ... 120 { check(seed: seed, options: options) }
    }

    func testAnotherAnalyticsCategory() {
        var options = AnalysisOptions()
        options.analyticsCategory = "Ads"
        for seed in UInt64(200) ... 215 { check(seed: seed, options: options) }
    }

    /// The streams do make the cases the figures must survive (else equality could be of trivial figures).
    func testTheStreamsHoldTheHardCases() {
        var rng = SeededRandom(seed: 7)
        var builder = EventTableBuilder()
        var duplicates = 0, merges = 0, deletedPersons = 0
        var live = LiveFigures(options: AnalysisOptions())
        var personsBefore = 0
        for step in 0 ..< 25 {
            var batch: [ParsedEvent] = []
            for _ in 0 ..< 20 {
                let e = Self.event(&rng, step: step)
                if builder.add(e) { batch.append(e) } else { duplicates += 1 }
            }
            live.apply(batch)
            let s = live.store(stats: builder.stats)
            if s.persons < personsBefore { merges += 1 }
            personsBefore = s.persons
            deletedPersons = max(deletedPersons, s.deletedPersons)
        }
        XCTAssertGreaterThan(duplicates, 0)
        XCTAssertGreaterThan(merges, 0, "a batch must make the persons count drop")
        XCTAssertGreaterThan(deletedPersons, 0)
        XCTAssertGreaterThan(live.consent().categories.count, 3, "categories appear mid-stream")
    }

    /// A hand-computed case: an anonymous person merged into a user by a late alias, a consent tie in one
    /// millisecond (the later line wins), a deletion.
    func testAHandComputedStream() {
        let t = Self.base
        var live = LiveFigures(options: AnalysisOptions())
        live.apply([
            ParsedEvent(kind: .track, time: t, userId: "u1", event: "A"),
            ParsedEvent(kind: .track, time: t + 1, anonymousId: "x", event: "A",
                        consent: [ConsentEntry("Analytics", false)]),
            ParsedEvent(kind: .track, time: t + 1, anonymousId: "x", event: "A",
                        consent: [ConsentEntry("Analytics", true)]),
        ])
        var s = live.store(stats: StoreStats())
        XCTAssertEqual(s.persons, 2)
        XCTAssertEqual(live.consent().categories.first?.granted, 1, "the later line of the tie wins")
        live.apply([ParsedEvent(kind: .alias, time: t + 2, userId: "u1", previousId: "x")])
        s = live.store(stats: StoreStats())
        XCTAssertEqual(s.persons, 1, "x merged into u1")
        XCTAssertEqual(s.events, 4)
        live.apply([ParsedEvent(kind: .delete, time: t + 3, userId: "u1"),
                     ParsedEvent(kind: .track, time: t + 4, userId: "u2", event: "A")])
        s = live.store(stats: StoreStats())
        XCTAssertEqual(s.persons, 1, "u1 deleted with x's events, u2 new")
        XCTAssertEqual(s.events, 1)
        XCTAssertEqual(s.deletedPersons, 1)
        XCTAssertEqual(s.deletedEvents, 5)
        XCTAssertEqual(live.consent().categories.first?.granted, 0)
        XCTAssertEqual(live.consent().categories.first?.unknown, 1)
    }
}
