import XCTest
@testable import Analytics

/// `loop` and `journey` definitions: what they parse to, and their errors as a person sees them.
final class FlowLanguageTests: XCTestCase {
    func testLoopsAndJourneysNextToSegments() throws {
        let p = try XCTUnwrap(Fixture.program("""
            segment "Buyers": did "Order Completed"
            loop "Late delivery apology":
                when did "Order Delivered" where late = true
                expect did "Apology Sent"
                within 1d
            loop "Detractor follow-up": when answered nps <= 6 expect did "Support Ticket Created" or did "Email Sent" where campaign = "recovery" within 3d
            journey "After a baby email": from did "Email Link Clicked" where category = "baby" steps 3 within 30m
            journey "Led to an order": before did "Order Completed" by event steps 2
            score s = count("Order Completed")
            """))
        XCTAssertEqual(p.segments.map(\.name), ["Buyers"])
        XCTAssertEqual(p.scores.map(\.name), ["s"])
        XCTAssertEqual(p.loops.map(\.name), ["Late delivery apology", "Detractor follow-up"])
        let late = p.loops[0]
        XCTAssertEqual(late.within.milliseconds, 86_400_000)
        XCTAssertEqual(late.rule, "when did \"Order Delivered\" where late = true\n    expect did \"Apology Sent\"\n    within 1d")
        guard case .pattern(let trigger) = late.triggers[0] else { return XCTFail("pattern expected") }
        XCTAssertEqual(trigger.event, .named("Order Delivered"))
        XCTAssertEqual(trigger.conditions.first?.comparison, Comparison(op: .equal, values: [.bool(true)]))
        let detractor = p.loops[1]
        guard case .answered(.lessOrEqual, 6, _) = detractor.triggers[0] else { return XCTFail("answered expected") }
        XCTAssertEqual(detractor.expected.count, 2)
        XCTAssertEqual(p.journeys.map(\.direction), [.after, .before])
        XCTAssertEqual(p.journeys.map(\.stepKind), [.section, .event])
        XCTAssertEqual(p.journeys.map(\.steps), [3, 2])
        XCTAssertEqual(p.journeys[0].window?.milliseconds, 30 * 60_000)
        XCTAssertNil(p.journeys[1].window)
        // Property paths of loops and journeys are loaded.
        XCTAssertTrue(p.fieldSelection.paths.isSuperset(of: ["properties.late", "properties.campaign", "properties.category"]))
    }

    func testDefaultsAndOptionsInAnyOrder() throws {
        let p = try XCTUnwrap(Fixture.program("journey \"J\": from did page within 1h by event steps 10"))
        XCTAssertEqual(p.journeys[0].steps, 10)
        XCTAssertEqual(p.journeys[0].stepKind, .event)
        let q = try XCTUnwrap(Fixture.program("journey \"J\": from did any"))
        XCTAssertEqual(q.journeys[0].steps, JourneyDefinition.defaultSteps)
        XCTAssertEqual(q.journeys[0].stepKind, .section)
    }

    func testLoopErrors() {
        XCTAssertEqual(Fixture.errors("loop \"L\": when did \"A\" within 1d\n"), """
        rules.segments:1:24: expected 'expect' and the follow-up event before 'within': when did "A" expect did "B" within 1d
        loop "L": when did "A" within 1d
                               ^
        """)
        XCTAssertEqual(Fixture.errors("loop \"L\": when did \"A\" expect did \"B\"\n"), """
        rules.segments:1:38: expected 'within' and the promised time after the follow-up event, e.g. within 1d
        loop "L": when did "A" expect did "B"
                                             ^
        """)
        XCTAssertEqual(Fixture.errors("loop \"L\": did \"A\" expect did \"B\" within 1d\n"), """
        rules.segments:1:11: expected 'when' and the trigger, found 'did': loop "Late delivery apology": when did "Order Delivered" where late = true expect did "Apology Sent" within 1d
        loop "L": did "A" expect did "B" within 1d
                  ^
        """)
        XCTAssertEqual(Fixture.errors("loop \"L\": when did \"A\" at least 2 times expect did \"B\" within 1d\n"), """
        rules.segments:1:24: a loop's event takes no 'at least', 'at most' or 'exactly': each matching event counts
        loop "L": when did "A" at least 2 times expect did "B" within 1d
                               ^
        """)
        XCTAssertEqual(Fixture.errors("loop \"L\": when answred nps < 7 expect did \"B\" within 1d\n"), """
        rules.segments:1:16: unknown keyword 'answred' — did you mean 'answered'?
        loop "L": when answred nps < 7 expect did "B" within 1d
                       ^
        """)
        XCTAssertEqual(Fixture.errors("loop \"L\": when answered rating < 7 expect did \"B\" within 1d\n"), """
        rules.segments:1:24: expected 'nps' and a comparison after 'answered', e.g. answered nps <= 6
        loop "L": when answered rating < 7 expect did "B" within 1d
                               ^
        """)
        XCTAssertEqual(Fixture.errors("loop \"L\": when did \"A\" expect did \"B\" within 1d 2d\n"), """
        rules.segments:1:49: expected 'or' or the next definition, found '2d'
        loop "L": when did "A" expect did "B" within 1d 2d
                                                        ^
        """)
        XCTAssertEqual(Fixture.errors("loop L: when did \"A\" expect did \"B\" within 1d\n"), """
        rules.segments:1:6: the loop name goes in double quotes: loop "L":
        loop L: when did "A" expect did "B" within 1d
             ^
        """)
    }

    func testJourneyErrors() {
        XCTAssertEqual(Fixture.errors("journey \"J\": form did \"A\"\n"), """
        rules.segments:1:14: unknown keyword 'form' — did you mean 'from'?
        journey "J": form did "A"
                     ^
        """)
        XCTAssertEqual(Fixture.errors("journey \"J\": from did \"A\" steps 11\n"), """
        rules.segments:1:33: the number of steps is a whole number from 1 to 10, not 11
        journey "J": from did "A" steps 11
                                        ^
        """)
        XCTAssertEqual(Fixture.errors("journey \"J\": from did \"A\" by page\n"), """
        rules.segments:1:30: expected 'section' or 'event' after 'by', found 'page'
        journey "J": from did "A" by page
                                     ^
        """)
        XCTAssertEqual(Fixture.errors("journey \"J\": from did \"A\" in last 7d\n"), """
        rules.segments:1:19: a journey's entry takes no 'in last': 'within' bounds its time
        journey "J": from did "A" in last 7d
                          ^
        """)
        XCTAssertEqual(Fixture.errors("journey \"J\": from did \"A\" steps 2 steps 3\n"), """
        rules.segments:1:35: the number of steps is already given
        journey "J": from did "A" steps 2 steps 3
                                          ^
        """)
    }

    func testDuplicateNamesAndRecoveryToTheNextDefinition() {
        // Errors in a loop do not hide the errors of the definitions after it.
        XCTAssertEqual(Fixture.errors("""
            loop "L": when did "A" expect did "B" within 1d
            loop "L": when did "A" expect did "B" within 2d
            journey "J": from did "A" steps 0
            segment "S": did
            journey "J": from did "A"
            journey "J": from did "B"

            """), """
            rules.segments:2:6: duplicate loop "L": first defined at line 1
            loop "L": when did "A" expect did "B" within 2d
                 ^

            rules.segments:3:33: the number of steps is a whole number from 1 to 10, not 0
            journey "J": from did "A" steps 0
                                            ^

            rules.segments:4:17: expected an event name in double quotes, 'page' or 'any' after 'did'
            segment "S": did
                            ^

            rules.segments:6:9: duplicate journey "J": first defined at line 5
            journey "J": from did "B"
                    ^
            """)
    }

    func testTheNewWordsStayUsableAsNames() throws {
        // `when`, `expect`, `from`, `steps`, `by`, `event` … are only words of loops and journeys.
        let p = try XCTUnwrap(Fixture.program("""
            segment "S": did "X" where from = "email" and steps > 2 and event = "y"
            score when = count("X")
            segment "T": when >= 1
            """))
        XCTAssertEqual(p.segments.count, 2)
    }
}
