import XCTest
@testable import SQLEngine

final class SQLLiteralTests: XCTestCase {
    func testLiteralEscapesQuotesBackslashesAndControls() {
        XCTAssertEqual(SparkSQLCompiler.literal("a'b\\c\n\u{1B}"), #"'a\'b\\c\u000a\u001b'"#)
        XCTAssertEqual(SparkSQLCompiler.literal("Analytics"), "'Analytics'")
    }
}
