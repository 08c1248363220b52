import XCTest
import Foundation
import EventStore
@testable import Analytics

/// `sum(…)` scores are exact whatever the order of the events (docs/DEFINITIONS.md, Scores; issue #17): values are
/// added in millionths as integers, so the embedded engine and Spark (which sums in any order) agree. By hand.
final class ScoreSumTests: XCTestCase {
    static func line(_ user: String, _ minute: Int, _ properties: String) -> String {
        SegmentListTests.line(user, "Order Completed", minute, properties)
    }

    func testMillionthsByHand() throws {
        let rules = """
        score spend = sum(revenue of "Order Completed")
        score basket = sum(products[].price * products[].quantity of "Order Completed")
        score scaled = sum(revenue * factor of "Order Completed")
        score top = max(revenue * factor of "Order Completed")
        segment "exactly 0.3": spend = 0.3
        segment "basket 0.3": basket = 0.3
        """
        let lines = [
            // u1: 0.1 + 0.2 — as doubles 0.30000000000000004, in millionths exactly 300 000 → 0.3.
            Self.line("u1", 1, #"{"revenue":0.1}"#), Self.line("u1", 2, #"{"revenue":0.2}"#),
            // u2: the same inside one list: 0.1·1 + 0.2·1.
            Self.line("u2", 3, #"{"products":[{"price":0.1},{"price":0.2,"quantity":1}]}"#),
            // u3: huge values are clamped to ±10¹² each, so the order cannot lose the 1: 10¹² + 1 − 10¹² = 1
            // (as doubles in this order 1e300 + 1 − 1e300 = 0).
            Self.line("u3", 4, #"{"revenue":1e300}"#), Self.line("u3", 5, #"{"revenue":1}"#), Self.line("u3", 6, #"{"revenue":-1e300}"#),
            // u4: half a millionth rounds away from zero: 0.0000005 → 1, −0.0000015 → −2 millionths; total −1.
            Self.line("u4", 7, #"{"revenue":0.0000005}"#), Self.line("u4", 8, #"{"revenue":-0.0000015}"#),
            // u5: a value that is not finite (1e300 · 1e300 = ∞) is no number: it adds nothing, max skips it.
            Self.line("u5", 9, #"{"revenue":1e300,"factor":1e300}"#), Self.line("u5", 10, #"{"revenue":2,"factor":3}"#),
        ]
        let program = try SegmentProgram.parse(source: rules, fileName: "s.segments")
        let t = try SegmentListTests.table(lines, program)
        let s = Fixture.scores(rules, t)
        XCTAssertEqual(s["spend"], ["u1": 0.3, "u2": 0, "u3": 1, "u4": -0.000001, "u5": 1e12 + 2])
        XCTAssertEqual(s["basket"], ["u1": 0, "u2": 0.3, "u3": 0, "u4": 0, "u5": 0])
        XCTAssertEqual(s["scaled"]?["u5"], 6, "1e300·1e300 is ∞: no number")
        XCTAssertEqual(s["top"]?["u5"], 6, "max skips the infinite value")
        let m = Fixture.members(rules, t)
        XCTAssertEqual(m["exactly 0.3"], ["u1"])
        XCTAssertEqual(m["basket 0.3"], ["u2"])
    }

    func testMicro() {
        XCTAssertEqual(ScoreSum.micro(0.0000005), 1)
        XCTAssertEqual(ScoreSum.micro(-0.0000005), -1)
        XCTAssertEqual(ScoreSum.micro(0.00000049), 0)
        XCTAssertEqual(ScoreSum.micro(0.0000025), 3, "half away from zero, not to even")
        XCTAssertEqual(ScoreSum.micro(19.99), 19_990_000)
        XCTAssertEqual(ScoreSum.micro(1e300), ScoreSum.limit)
        XCTAssertEqual(ScoreSum.micro(-.greatestFiniteMagnitude), -ScoreSum.limit)
        XCTAssertNil(ScoreSum.micro(.infinity))
        XCTAssertNil(ScoreSum.micro(.nan))
        XCTAssertEqual(ScoreSum.value(300_000), 0.3)
    }

    /// `value` converts a sum that fits in 64 bits through `Int64` (fast) and a wider one through the generic
    /// 128-bit conversion: both must give exactly `Double(micro) / scale`, rounding included (values above 2⁵³ are
    /// not all representable, so the conversion rounds to nearest, ties to even).
    func testValueIsTheCorrectlyRoundedQuotient() {
        var samples: [Int128] = [0, 1, -1, 300_000, Int128(Int64.max), Int128(Int64.min), Int128(Int64.max) + 1,
                                 Int128(Int64.min) - 1, (1 << 53) + 1, -((1 << 53) + 1), (1 << 54) + 3, (1 << 63) - 513,
                                 (1 << 63) - 511, Int128(ScoreSum.limit) * 1_000_000, .max, .min]
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
        for shift in stride(from: 0, through: 126, by: 3) {
            let raw = Int128(truncatingIfNeeded: UInt128(next()) << 64 | UInt128(next()))
            samples.append(raw >> shift)
        }
        for m in samples {
            let expected = Double(m) / ScoreSum.scale
            XCTAssertEqual(ScoreSum.value(m).bitPattern, expected.bitPattern, "\(m)")
        }
    }
}
