import XCTest
@testable import EventStore

final class LineSplitterTests: XCTestCase {
    /// Splits `chunks` and returns the lines (as text, "<too long n>" for dropped lines).
    func split(_ chunks: [String], finish: Bool = true, max: Int = 1 << 20) -> (lines: [String], pending: Int) {
        var splitter = LineSplitter(maxLineBytes: max)
        var out: [String] = []
        let collect: (SplitLine) -> Void = { piece in
            switch piece {
            case .line(let b): out.append(String(decoding: b, as: UTF8.self))
            case .tooLong(let n): out.append("<too long \(n)>")
            }
        }
        for c in chunks { Array(c.utf8).withUnsafeBytes { splitter.feed($0, collect) } }
        if finish { splitter.finish(collect) }
        return (out, splitter.pendingBytes)
    }

    func testSplitsAcrossChunksAndStripsCR() {
        XCTAssertEqual(split(["ab\ncd", "e\r\n\nf", "g"]).lines, ["ab", "cde", "", "fg"])
        XCTAssertEqual(split(["a\r", "\nb\r\n"]).lines, ["a", "b"])
        XCTAssertEqual(split(["only\r"]).lines, ["only"])
        XCTAssertEqual(split(["x\n"]).lines, ["x"])                  // no phantom empty last line
        XCTAssertEqual(split([]).lines, [])
        XCTAssertEqual(split(["a\r\rb\n"]).lines, ["a\r\rb"])        // only the \r before \n goes
    }

    func testIncompleteTailWaitsWithoutFinish() {
        let r = split(["one\ntw", "o-and-a-half"], finish: false)
        XCTAssertEqual(r.lines, ["one"])
        XCTAssertEqual(r.pending, 14)
    }

    func testOverlongLines() {
        XCTAssertEqual(split(["12345\nabc\n"], max: 4).lines, ["<too long 5>", "abc"])
        XCTAssertEqual(split(["12", "345", "67\r\nok"], max: 4).lines, ["<too long 8>", "ok"])
        XCTAssertEqual(split(["12", "3456789"], max: 4).lines, ["<too long 9>"])
    }
}
