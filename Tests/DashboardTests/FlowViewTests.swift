import XCTest
import Analytics
@testable import Dashboard

/// The Journeys (6) and Loops (7) views: keys, the segment rule from a path, the snippet effect, goldens.
final class FlowViewTests: XCTestCase {
    func keys(_ s: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    func steps(_ s: AppState) -> [String] { s.journeyRows.map { String(repeating: " ", count: $0.depth) + $0.node.step } }

    func testTreeExpandsAndCollapsesLikeAFileTree() {
        var s = Fixture.loadedState()
        _ = keys(&s, [.char("6")])
        XCTAssertEqual(s.tab, .journeys)
        XCTAssertEqual(steps(s), ["baby", "sale", "gifts & occasions — wrapping and cards", "(left)"])
        _ = keys(&s, [.enter])   // expand "baby"
        XCTAssertEqual(steps(s), ["baby", " gifts", " sale", " outerwear", " (other)", " (left)", "sale",
                                  "gifts & occasions — wrapping and cards", "(left)"])
        _ = keys(&s, [.down, .right])   // expand baby → gifts
        XCTAssertEqual(s.selectedJourneyRow?.path, ["baby", "gifts"])
        XCTAssertEqual(steps(s).prefix(5), ["baby", " gifts", "  checkout", "  sale", "  (left)"])
        _ = keys(&s, [.down, .down])   // on baby → gifts → sale
        XCTAssertEqual(s.selectedJourneyRow?.path, ["baby", "gifts", "sale"])
        _ = keys(&s, [.left])   // a leaf: to its parent
        XCTAssertEqual(s.selectedJourneyRow?.path, ["baby", "gifts"])
        _ = keys(&s, [.escape])   // collapse it
        XCTAssertEqual(steps(s).prefix(3), ["baby", " gifts", " sale"])
        _ = keys(&s, [.enter, .enter])   // Enter twice: open and closed again
        XCTAssertEqual(steps(s).prefix(3), ["baby", " gifts", " sale"])
        // Leaves and (other) do not expand.
        _ = keys(&s, [.char("G"), .enter])
        XCTAssertEqual(s.selectedJourneyRow?.node.step, "(left)")
        XCTAssertEqual(s.journeyRows.count, 9)
    }

    func testSegmentRuleFromThePathAndTheSnippetEffect() {
        var s = Fixture.loadedState()
        _ = keys(&s, [.char("6"), .enter, .down, .char("s")])
        let rule = "did \"Email Link Clicked\" where category = \"baby\" then did page where section = \"baby\" then did page where section = \"gifts\" within 30m"
        XCTAssertEqual(s.message, "w saves · " + rule)
        let effects = keys(&s, [.char("w")])
        XCTAssertEqual(effects, [.appendSnippet("segment \"After a baby email: baby → gifts\":\n    " + rule + "\n")])
        // The rule is valid in the rules language.
        if case .appendSnippet(let text)? = effects.first {
            XCTAssertNoThrow(try SegmentProgram.parse(source: text, fileName: "earshot-snippets.segments"))
        }
        // A special node uses its parent's path.
        _ = keys(&s, [.char("G"), .char("s")])
        XCTAssertEqual(s.message, "w saves · did \"Email Link Clicked\" where category = \"baby\"")
        // The other journey: `before` and `by event` read backwards into time order.
        _ = keys(&s, [.char("]"), .enter, .down, .char("s")])
        XCTAssertEqual(s.message, "w saves · did \"Cart Viewed\" then did \"Checkout Started\" then did \"Order Completed\" within 1h")
    }

    func testScrollKeepsTheSelectionVisible() {
        var s = Fixture.loadedState(width: 80, height: 16)
        _ = keys(&s, [.char("6"), .enter, .down, .enter, .char("j"), .char("j"), .char("j"), .char("j"), .char("j"), .char("j"), .char("j")])
        let visible = JourneysView.treeRows(s)
        XCTAssertGreaterThanOrEqual(s.flows.selected, s.flows.offset)
        XCTAssertLessThan(s.flows.selected, s.flows.offset + visible)
        let text = Golden.render(s, width: 80, height: 16).textLines().joined(separator: "\n")
        XCTAssertTrue(text.contains(s.selectedJourneyRow!.node.step), text)
    }

    func testLoopsSelection() {
        var s = Fixture.loadedState()
        _ = keys(&s, [.char("7"), .down, .down, .down])
        XCTAssertEqual(s.tables[.loops]?.selected, 2)
        _ = keys(&s, [.home])
        XCTAssertEqual(s.tables[.loops]?.selected, 0)
    }

    func testGoldens() {
        for (w, h) in [(80, 24), (120, 40)] {
            var s = Fixture.loadedState(width: w, height: h)
            _ = keys(&s, [.char("6"), .enter, .down, .enter])
            Golden.assert(Golden.render(s, width: w, height: h), named: "journeys_expanded_\(w)x\(h)")
            s = Fixture.loadedState(width: w, height: h)
            _ = keys(&s, [.char("7"), .down])
            Golden.assert(Golden.render(s, width: w, height: h), named: "loops_second_\(w)x\(h)")
        }
        var s = Fixture.loadedState(width: 80, height: 24, glyphs: .ascii)
        _ = keys(&s, [.char("6"), .enter])
        Golden.assert(Golden.render(s, width: 80, height: 24), named: "journeys_ascii_80x24")
    }
}
