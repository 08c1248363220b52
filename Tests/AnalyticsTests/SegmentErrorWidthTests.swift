import XCTest
@testable import Analytics

final class SegmentErrorWidthTests: XCTestCase {
    func testCaretAccountsForWideCharacters() {
        let source = "segment \"東京\": dod \"x\"\n"
        XCTAssertThrowsError(try SegmentProgram.parse(source: source, fileName: "w.segments")) { error in
            let e = (error as! SegmentErrors).errors[0]
            XCTAssertEqual(e.location.column, 15)
            // 東 and 京 take two terminal columns each, so the caret sits two columns further right.
            XCTAssertEqual(e.description, "w.segments:1:15: unknown keyword 'dod' — did you mean 'did'?\nsegment \"東京\": dod \"x\"\n" + String(repeating: " ", count: 16) + "^")
        }
    }

    func testTextTableAlignsByDisplayWidth() {
        var t = TextTable([("name", .left), ("n", .right)])
        t.add(["東京", "1"])
        t.add(["abcd", "22"])
        XCTAssertEqual(t.lines(indent: 0), ["name   n", "----  --", "東京   1", "abcd  22"])
    }
}
