import XCTest
@testable import Analytics
import EarshotTestSupport

/// The ASCII fast paths of the privacy code answer exactly like the Unicode ones they stand in for.
final class ASCIIFastPathTests: XCTestCase {
    func testCharacterClassesAgreeForEveryASCIICharacter() {
        for v in 0..<128 {
            let c = Character(Unicode.Scalar(UInt8(v)))
            XCTAssertEqual(c.piiIsLetter, c.isLetter, "letter \(v)")
            XCTAssertEqual(c.piiIsNumber, c.isNumber, "number \(v)")
            XCTAssertEqual(c.piiIsWhitespace, c.isWhitespace, "whitespace \(v)")
            XCTAssertEqual(c.piiIsUppercase, c.isUppercase, "uppercase \(v)")
        }
        let crlf: Character = "\r\n"
        XCTAssertEqual(crlf.piiIsWhitespace, crlf.isWhitespace)
        XCTAssertEqual(crlf.piiIsLetter, crlf.isLetter)
    }

    func testASCIIWordSplittingEqualsTheUnicodePath() {
        // A no-break space after the text sends words(_:) down its Unicode path without adding a word.
        let alphabet = Array("abcXYZ'-09@ .,\r\n\tthe-and'sK")
        var rng = SeededRandom(seed: 7)
        for _ in 0..<2_000 {
            let text = String((0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            XCTAssertEqual(FreeTextMetrics.asciiWords(text), FreeTextMetrics.words(text + "\u{00A0}"), "text: \(text.debugDescription)")
        }
        XCTAssertEqual(FreeTextMetrics.words("Lovely PRAM, the bassinet's great-- 2nd time! don't"), ["lovely", "pram", "bassinet's", "great", "time"])
    }
}

