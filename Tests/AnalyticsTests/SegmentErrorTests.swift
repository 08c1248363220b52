import XCTest
@testable import Analytics

/// Parser and resolver errors, as the exact text a person sees.
final class SegmentErrorTests: XCTestCase {
    func testMissingColon() {
        XCTAssertEqual(Fixture.errors("segment \"A\"\n    did \"X\"\n"), """
        rules.segments:1:12: expected ':' after segment name
        segment "A"
                   ^
        """)
    }

    func testUnknownKeywordSuggestsTheClosest() {
        XCTAssertEqual(Fixture.errors("segment \"A\":\n    dod \"Order Completed\"\n"), """
        rules.segments:2:5: unknown keyword 'dod' — did you mean 'did'?
            dod "Order Completed"
            ^
        """)
        XCTAssertEqual(Fixture.errors("segment \"A\": did \"x\" wher category = \"b\"\n"), """
        rules.segments:1:22: unknown keyword 'wher' — did you mean 'where'?
        segment "A": did "x" wher category = "b"
                             ^
        """)
        XCTAssertEqual(Fixture.errors("segmnt \"A\": did \"x\"\n"), """
        rules.segments:1:1: unknown keyword 'segmnt' — did you mean 'segment'?
        segmnt "A": did "x"
        ^
        """)
        // keywords are case-sensitive
        XCTAssertEqual(Fixture.errors("segment \"A\": trait region = \"c\" and Did \"x\"\n"), """
        rules.segments:1:37: unknown keyword 'Did' — did you mean 'did'?
        segment "A": trait region = "c" and Did "x"
                                            ^
        """)
        XCTAssertEqual(Fixture.errors("segment \"A\": did \"x\" where category contians \"b\"\n"), """
        rules.segments:1:37: unknown keyword 'contians' — did you mean 'contains'?
        segment "A": did "x" where category contians "b"
                                            ^
        """)
    }

    func testBadDurationAndUnterminatedStringAreBothReported() {
        let source = """
        segment "A":
            did "X where a = 1

        segment "B":
            did "Y" in last 7x

        segment "C":
            did "Y" in last 30
        """
        XCTAssertEqual(Fixture.errors(source), """
        rules.segments:2:9: unterminated string: add the closing " before the end of the line
            did "X where a = 1
                ^

        rules.segments:5:21: bad duration '7x': use a number followed by m, h, d or w
            did "Y" in last 7x
                            ^

        rules.segments:8:21: bad duration '30': use a number followed by m, h, d or w
            did "Y" in last 30
                            ^
        """)
    }

    func testUnknownNamesWithSuggestions() {
        XCTAssertEqual(Fixture.errors("segment \"A\":\n    in \"X\"\n"), """
        rules.segments:2:8: unknown segment "X"
            in "X"
               ^
        """)
        XCTAssertEqual(Fixture.errors("segment \"Gift buyer\": did \"x\"\nsegment \"B\": in \"Gift buyers\"\n"), """
        rules.segments:2:17: unknown segment "Gift buyers" — did you mean "Gift buyer"?
        segment "B": in "Gift buyers"
                        ^
        """)
        XCTAssertEqual(Fixture.errors("segment \"A\":\n    y > 3\n"), """
        rules.segments:2:5: unknown score 'y'
            y > 3
            ^
        """)
    }

    func testCycles() {
        XCTAssertEqual(Fixture.errors("segment \"A\":\n    in \"B\"\nsegment \"B\":\n    did \"x\" or in \"A\"\n"), """
        rules.segments:2:8: cycle: "A" → "B" → "A"
            in "B"
               ^
        """)
        XCTAssertEqual(Fixture.errors("segment \"A\": did page and in \"A\"\n"), """
        rules.segments:1:30: cycle: "A" → "A"
        segment "A": did page and in "A"
                                     ^
        """)
        // score cycles, and an unknown score in the same file: both reported, in source order
        XCTAssertEqual(Fixture.errors("score a = b + 1\nscore b = a * 2\nsegment \"A\": a > 1 and zz > 2\n"), """
        rules.segments:1:11: cycle: 'a' → 'b' → 'a'
        score a = b + 1
                  ^

        rules.segments:3:24: unknown score 'zz'
        segment "A": a > 1 and zz > 2
                               ^
        """)
    }

    func testDuplicatesAndChains() {
        XCTAssertEqual(Fixture.errors("segment \"A\": did \"x\"\nsegment \"A\": did \"y\"\n"), """
        rules.segments:2:9: duplicate segment "A": first defined at line 1
        segment "A": did "y"
                ^
        """)
        XCTAssertEqual(Fixture.errors("score s = 1\nscore s = 2\n"), """
        rules.segments:2:7: duplicate score 's': first defined at line 1
        score s = 2
              ^
        """)
        XCTAssertEqual(Fixture.errors("segment \"A\": did \"x\" then did \"y\"\n"), """
        rules.segments:1:34: expected 'within' and a duration to end the 'then' chain, e.g. within 7d
        segment "A": did "x" then did "y"
                                         ^
        """)
        XCTAssertEqual(Fixture.errors("segment \"A\": did \"x\" at least 2 times then did \"y\" within 1d\n"), """
        rules.segments:1:22: a step of a 'then' chain takes no 'at least', 'at most' or 'exactly'
        segment "A": did "x" at least 2 times then did "y" within 1d
                             ^
        """)
    }

    func testCaretFollowsTabsAndEndOfFile() {
        XCTAssertEqual(Fixture.errors("segment \"A\":\n\tdid \"x\" within 1d\n"), """
        rules.segments:2:10: 'within' ends a 'then' chain: did "A" then did "B" within 7d
        \tdid "x" within 1d
        \t        ^
        """)
        XCTAssertEqual(Fixture.errors("segment \"A\": (did \"x\" or did \"y\"\n"), """
        rules.segments:1:33: expected ')' to close the '(' at 1:14, found end of file
        segment "A": (did "x" or did "y"
                                        ^
        """)
        XCTAssertEqual(Fixture.errors("score x = 1 +"), """
        rules.segments:1:14: expected a number, a score name, count(…), sum(…), max(…), min(…), minutes_in(…) or '('
        score x = 1 +
                     ^
        """)
    }

    func testValueMistakes() {
        XCTAssertEqual(Fixture.errors("segment \"A\": did \"x\" where category = baby\n"), """
        rules.segments:1:39: text values go in double quotes: "baby"
        segment "A": did "x" where category = baby
                                              ^
        """)
        XCTAssertEqual(Fixture.errors("segment \"A\": did \"x\" where section = 5\n"), """
        rules.segments:1:36: section is text: compare it with a string in double quotes
        segment "A": did "x" where section = 5
                                           ^
        """)
        XCTAssertEqual(Fixture.errors("score s = cont(\"x\")\n"), """
        rules.segments:1:11: unknown function 'cont' — did you mean 'count'?
        score s = cont("x")
                  ^
        """)
        XCTAssertEqual(Fixture.errors("segment \u{201C}A\u{201D}: did \"x\"\n"), """
        rules.segments:1:9: use straight double quotes (") around names and values, not curly quotes
        segment \u{201C}A\u{201D}: did "x"
                ^
        """)
    }

    func testControlCharactersAreNotEchoed() {
        XCTAssertEqual(Fixture.errors("segment \"A\": did \"x\u{1B}[2J\" oops\n"), """
        rules.segments:1:26: unknown keyword 'oops': expected 'and', 'or' or the next 'segment'
        segment "A": did "x\u{FFFD}[2J" oops
                                 ^
        """)
    }

    func testAnErrorDoesNotHideTheNextDefinition() throws {
        let errors: SegmentErrors
        do {
            _ = try SegmentProgram.parse(source: "segment \"A\":\nsegment \"B\": did \"x\" and in \"A\"\nsegment \"C\": in \"Z\"\n", fileName: "f")
            return XCTFail("expected errors")
        } catch { errors = error }
        // "A" failed to parse, so referencing it is not an error; "Z" is.
        XCTAssertEqual(errors.errors.map(\.message), ["expected a rule after 'segment \"A\":'", "unknown segment \"Z\""])
        XCTAssertEqual(errors.errors.map(\.location.line), [1, 3])
    }
}

extension SegmentErrorTests {
    func testNamesInMessagesAreSanitized() {
        XCTAssertEqual(Fixture.errors("segment \"A\": in \"B\u{1B}]0;x\u{07}\"\n"), """
        rules.segments:1:17: unknown segment "B\u{FFFD}]0;x\u{FFFD}"
        segment "A": in "B\u{FFFD}]0;x\u{FFFD}"
                        ^
        """)
    }
}
