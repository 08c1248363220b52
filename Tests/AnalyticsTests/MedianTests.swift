import XCTest
import EarshotTestSupport
@testable import Analytics

/// `median(_:)` finds the middle values by selection (session 7): it must be exactly the sorted definition — the same
/// `Double` for odd and even counts — on random, sorted, reversed, constant, few-valued and organ-pipe inputs, and
/// `selectKth` must leave the k smallest values before position k.
final class MedianTests: XCTestCase {
    private func sortedMedian(_ values: [Int64]) -> Double? {
        guard !values.isEmpty else { return nil }
        let v = values.sorted(), n = v.count
        return n % 2 == 1 ? Double(v[n / 2]) : (Double(v[n / 2 - 1]) + Double(v[n / 2])) / 2
    }

    func testMedianEqualsTheSortedDefinition() {
        var rng = SeededRandom(seed: 7)
        var inputs: [[Int64]] = [[], [5], [Int64.max, Int64.max - 1], [Int64.min, Int64.max]]
        for n in [2, 15, 16, 17, 18, 31, 64, 65, 100, 257, 1000, 4097] {
            inputs.append((0 ..< n).map { _ in Int64(rng.int(1_000_000)) - 500_000 })
            inputs.append((0 ..< n).map { _ in Int64(rng.int(3)) * 60_000 })             // few distinct delays
            inputs.append((0 ..< n).map { Int64($0) })                                   // sorted
            inputs.append((0 ..< n).map { Int64(n - $0) })                               // reversed
            inputs.append([Int64](repeating: 42, count: n))                              // constant
            inputs.append((0 ..< n).map { Int64(min($0, n - $0)) })                      // organ pipe
            inputs.append((0 ..< n).map { _ in Int64(bitPattern: rng.next()) })          // full range
        }
        for v in inputs {
            XCTAssertEqual(median(v), sortedMedian(v), "\(v.count) values: \(v.prefix(8))…")
        }
    }

    func testSelectKthLeavesTheSmallestBefore() {
        var rng = SeededRandom(seed: 11)
        for n in [1, 2, 17, 100, 1000] {
            for _ in 0 ..< 20 {
                let original = (0 ..< n).map { _ in Int64(rng.int(50)) }
                let k = rng.int(n)
                var v = original
                let x = v.withUnsafeMutableBufferPointer { selectKth($0, k) }
                let sorted = original.sorted()
                XCTAssertEqual(x, sorted[k])
                XCTAssertEqual(v[..<k].sorted(), Array(sorted[..<k]), "n \(n), k \(k)")
                XCTAssertEqual(v.sorted(), sorted, "a permutation")
            }
        }
    }
}
