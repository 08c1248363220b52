import XCTest
@testable import Analytics

/// The "did you mean" distance: bounded, and equal to the full optimal-string-alignment distance.
final class EditDistanceTests: XCTestCase {
    /// The textbook full-matrix OSA distance, as reference.
    func reference(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }

    func testBoundedDistanceAgreesWithTheFullMatrix() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; return z ^ (z >> 31) }
        let alphabet = Array("abcé")
        for _ in 0 ..< 3000 {
            let a = String((0 ..< Int(next() % 8)).map { _ in alphabet[Int(next() % 4)] })
            let b = String((0 ..< Int(next() % 8)).map { _ in alphabet[Int(next() % 4)] })
            let full = reference(a, b)
            XCTAssertEqual(editDistance(a, b), full, "\(a) \(b)")
            for limit in 0 ... 3 {
                XCTAssertEqual(editDistance(a, b, limit: limit), min(full, limit + 1), "\(a) \(b) limit \(limit)")
            }
        }
        XCTAssertEqual(editDistance("segmnet", "segment", limit: 2), 1)
        XCTAssertEqual(closest(to: "Gift buyr", among: ["Gift buyer", "Baby shopper"]), "Gift buyer")
    }

    /// Found by the rules fuzzer (#11): a 64 KB rules file of ~900 segments, each naming an unknown
    /// segment of the same length, took 8.7 s to reject (full edit-distance matrices).
    func testManyUnknownReferencesOfEqualLengthAreRejectedQuickly() {
        var text = ""
        var i = 0
        while text.utf8.count < 64_000 {
            text += "segment \"s\(1_00000 + i)abcdefghijklmnopqrst\": in \"x\(1_00000 + i)abcdefghijklmnopqrst\"\n"
            i += 1
        }
        XCTAssertThrowsError(try SegmentProgram.parse(source: text, fileName: "big.segments"))
        // The work, not the time (no timed assertions in tests): two such names of 28 characters that differ in
        // their first characters are given up after a few rows of the matrix, not all 28 (the full matrix made
        // this file take 8.7 s under AddressSanitizer).
        let (distance, rows) = editDistanceCountingRows("s100000abcdefghijklmnopqrst", "x100007abcdefghijklmnopqrst", limit: 1)
        XCTAssertEqual(distance, 2)
        XCTAssertLessThanOrEqual(rows, 7, "the bounded distance stops once every cell of a row exceeds the limit")
        XCTAssertEqual(editDistanceCountingRows("segmnet", "segment").rows, 7, "without a limit every row is computed")
    }
}
