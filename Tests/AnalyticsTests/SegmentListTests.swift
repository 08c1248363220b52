import XCTest
import Foundation
import EventStore
@testable import Analytics

/// Rules over lists (issue #18), by hand: some / every / same element, missing and null elements,
/// empty lists, mixed-type elements, element scores, errors and the store warning. Every table is read
/// from JSON lines by the real reader (both its parse paths) with the program's field selection.
final class SegmentListTests: XCTestCase {
    static func line(_ user: String, _ event: String, _ minute: Int, _ properties: String) -> String {
        #"{"type":"track","userId":"\#(user)","event":"\#(event)","timestamp":"2026-03-02T10:\#(String(format: "%02d", minute)):00Z","properties":\#(properties)}"#
    }

    /// Each person's orders, with what the rules below must say about them (worked out in the comments).
    static let lines: [String] = [
        // u1: baby 60 ×2 and gifts 10 — a baby product over 50: yes; all baby: no; basket 60·2 + 10·1 = 130.
        line("u1", "Order Completed", 1, #"{"products":[{"category":"baby","price":60,"quantity":2},{"category":"gifts","price":10}]}"#),
        // u2: baby 10 and gifts 60 — some baby, some product over 50, but not the same one: "baby over 50" is false.
        line("u2", "Order Completed", 2, #"{"products":[{"category":"baby","price":10},{"category":"gifts","price":60}]}"#),
        // u3: all baby (one without a price): every baby: yes; basket: (no price → nothing) + 5·1 = 5.
        line("u3", "Order Completed", 3, #"{"products":[{"category":"baby"},{"category":"baby","price":5}],"tags":["gift","sale"]}"#),
        // u4: an empty list: no element matches, and `every` is false on an empty list.
        line("u4", "Order Completed", 4, #"{"products":[]}"#),
        // u5: no list at all.
        line("u5", "Order Completed", 5, #"{"revenue":3}"#),
        // u6: null, a bare string, a null category, a numeric category, a nested variant: only the last object has a size.
        line("u6", "Order Completed", 6, #"{"products":[null,"baby",{"category":null},{"category":7,"price":"12"},{"category":"sale","variant":{"size":"S"},"price":4,"quantity":"two"}],"tags":[1,null,"gift"]}"#),
        // u7: a Cart Viewed with a baby product (not an order).
        line("u7", "Cart Viewed", 7, #"{"products":[{"category":"baby","price":99}]}"#),
    ]

    /// A table of `lines` read through the store reader (byte path) and checked against the ParsedEvent path.
    static func table(_ lines: [String], _ program: SegmentProgram) throws -> EventTable {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-lists-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let t = try StoreReader(paths: [dir.path], selection: program.fieldSelection).load()
        var b = EventTableBuilder(selection: nil)
        let parser = EventLineParser(selection: program.fieldSelection)
        for l in lines { if case .success(let e) = parser.parse(l) { b.add(e) } }
        let reference = b.finish()
        XCTAssertEqual(t.arrays, reference.arrays, "byte path and ParsedEvent path agree on the lists")
        XCTAssertEqual(t.strings.strings, reference.strings.strings)
        XCTAssertEqual(t.traitKey, reference.traitKey)
        XCTAssertEqual(t.traitValue, reference.traitValue)
        return t
    }

    static let rules = """
    segment "some baby": did "Order Completed" where products[].category = "baby"
    segment "baby over 50": did "Order Completed" where products[].category = "baby" and products[].price > 50
    segment "all baby": did "Order Completed" where every products[].category = "baby"
    segment "not baby": not did "Order Completed" where products[].category = "baby"
    segment "non-baby product": did "Order Completed" where products[].category != "baby"
    segment "gift tag": did any where tags[] = "gift"
    segment "tag one": did any where tags[] = 1
    segment "size S": did "Order Completed" where products[].variant.size = "S"
    segment "baby anywhere": did any where products[].category = "baby"
    score basket = sum(products[].price * products[].quantity of "Order Completed")
    score babies = count(products[] of "Order Completed" where products[].category = "baby")
    score items = count(products[] of "Order Completed")
    score dearest = max(products[].price of any)
    score cheapest = min(products[].price of "Order Completed")
    """

    func testSomeEverySameElementByHand() throws {
        let program = try SegmentProgram.parse(source: Self.rules, fileName: "lists.segments")
        let t = try Self.table(Self.lines, program)
        let m = Fixture.members(Self.rules, t)
        XCTAssertEqual(m["some baby"], ["u1", "u2", "u3"])
        XCTAssertEqual(m["baby over 50"], ["u1"], "same element: u2's baby product costs 10, its 60 is gifts")
        XCTAssertEqual(m["all baby"], ["u3"], "u4's empty list is not 'all baby'")
        XCTAssertEqual(m["not baby"], ["u4", "u5", "u6", "u7"])
        // != only matches text other than "baby": u6's null and 7 and bare string are not categories.
        XCTAssertEqual(m["non-baby product"], ["u1", "u2", "u6"])
        XCTAssertEqual(m["gift tag"], ["u3", "u6"])
        XCTAssertEqual(m["tag one"], ["u6"])
        XCTAssertEqual(m["size S"], ["u6"])
        XCTAssertEqual(m["baby anywhere"], ["u1", "u2", "u3", "u7"])
    }

    func testElementScoresByHand() throws {
        let program = try SegmentProgram.parse(source: Self.rules, fileName: "lists.segments")
        let t = try Self.table(Self.lines, program)
        let s = Fixture.scores(Self.rules, t)
        // u6: "12" is text (no price), 4 × "two" → quantity not a number counts 1 → 4.
        XCTAssertEqual(s["basket"], ["u1": 130, "u2": 70, "u3": 5, "u4": 0, "u5": 0, "u6": 4, "u7": 0])
        XCTAssertEqual(s["babies"], ["u1": 1, "u2": 1, "u3": 2, "u4": 0, "u5": 0, "u6": 0, "u7": 0])
        XCTAssertEqual(s["items"], ["u1": 2, "u2": 2, "u3": 2, "u4": 0, "u5": 0, "u6": 5, "u7": 0])
        XCTAssertEqual(s["dearest"], ["u1": 60, "u2": 60, "u3": 5, "u4": 0, "u5": 0, "u6": 4, "u7": 99])
        XCTAssertEqual(s["cheapest"], ["u1": 10, "u2": 10, "u3": 5, "u4": 0, "u5": 0, "u6": 4, "u7": 0])
    }

    func testSegmentEcommerceSpecExamples() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/segment-ecommerce")
        let text = try String(contentsOf: dir.appendingPathComponent("spec-examples.jsonl"), encoding: .utf8)
        let rules = """
        segment "Games order": did "Order Completed" where products[].category = "Games"
        segment "Uno over 10": did "Order Completed" where products[].name = "Uno Card Game" and products[].price > 10
        segment "Uno at 3": did "Order Completed" where products[].name = "Uno Card Game" and products[].price = 3
        segment "all Games": did "Order Completed" where every products[].category = "Games" then did "Order Refunded" where every products[].category = "Games" within 1d
        score basket = sum(products[].price * products[].quantity of "Order Completed")
        score listed = sum(products[].price * products[].quantity of "Product List Viewed")
        score refunded = sum(products[].price * products[].quantity of "Order Refunded")
        score items = count(products[] of any)
        score dearest = max(products[].price of "Order Completed")
        score cheapest = min(products[].price of "Order Completed")
        """
        let program = try SegmentProgram.parse(source: rules, fileName: "spec.segments")
        let t = try Self.table(text.split(separator: "\n").map(String.init), program)
        XCTAssertEqual(t.count, 3)
        let m = Fixture.members(rules, t)
        XCTAssertEqual(m["Games order"], ["507f191e81"])
        XCTAssertEqual(m["Uno over 10"], [])
        XCTAssertEqual(m["Uno at 3"], ["507f191e81"])
        XCTAssertEqual(m["all Games"], ["507f191e81"])
        let s = Fixture.scores(rules, t)
        XCTAssertEqual(s["basket"], ["507f191e81": 25], "19·1 + 3·2, the example's own revenue 25.00")
        XCTAssertEqual(s["listed"], ["507f191e81": 22], "no quantity: each product counts 1")
        XCTAssertEqual(s["refunded"], ["507f191e81": 25])
        XCTAssertEqual(s["items"], ["507f191e81": 6])
        XCTAssertEqual(s["dearest"], ["507f191e81": 19])
        XCTAssertEqual(s["cheapest"], ["507f191e81": 3])
    }

    /// Loops take list conditions too (their patterns go through the same filters), and a loop's list paths are part
    /// of the program's field selection: only u1, u2 and u3 ordered a baby product (u6's "baby" is a bare string).
    func testLoopTriggersWithAListCondition() throws {
        let program = try SegmentProgram.parse(source: """
        loop "Baby order follow-up":
            when did "Order Completed" where products[].category = "baby"
            expect did "Cart Viewed"
            within 1d
        """, fileName: "t.segments")
        XCTAssertTrue(program.fieldSelection.paths.contains("properties.products[].category"))
        let table = try Self.table(Self.lines, program)
        let now = try XCTUnwrap(table.lastEventTime) + 10 * 86_400_000
        let loop = try XCTUnwrap(LoopMetrics.compute(table: table, program: program,
                                                     options: AnalysisOptions(now: now, privacy: .off)).first)
        XCTAssertEqual(loop.outcomes.triggers, 3)
        XCTAssertEqual(loop.outcomes.missed, 3, "no Cart Viewed after any of them")
    }

    /// The README's figures on ExampleData (also obtained by an independent reading of the files with Python's
    /// json module: dedupe by messageId, persons stitched as in docs/DEFINITIONS.md, a baby product in an order's
    /// `products`, Σ price × (quantity, else 1)).
    func testExampleDataFigures() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let store = root.appendingPathComponent("ExampleData").path
        let source = try String(contentsOfFile: store + "/shop.segments", encoding: .utf8)
        let program = try SegmentProgram.parse(source: source, fileName: "shop.segments")
        let table = try StoreReader(paths: [store], selection: program.fieldSelection).load()
        let ev = SegmentEvaluator(program: program, table: table)
        let (sets, scores) = ev.evaluateAll(now: ev.defaultNow)
        func size(_ name: String) -> Int { sets[program.segments.firstIndex { $0.name == name }!].members.count }
        XCTAssertEqual(size("Bought for a baby"), 97)
        XCTAssertEqual(size("Big baskets"), 57)
        let basket = scores[program.scores.firstIndex { $0.name == "basket_value" }!].filter { $0 > 0 }.sorted()
        XCTAssertEqual(basket.count, 261, "every buyer ordered something with a price")
        XCTAssertEqual(basket.reduce(0, +), 31_922.5, accuracy: 0.001)
        XCTAssertEqual(basket[basket.count / 2], 49)
        XCTAssertEqual(table.personCount, 2_783)
    }

    /// A deletion request removes its person's rows and keeps everybody else's lists (found by the Spark agreement
    /// test: the table without the deleted rows had lost every list, so list rules matched nobody).
    func testDeletionKeepsOtherPersonsLists() throws {
        let rules = """
        segment "some baby": did "Order Completed" where products[].category = "baby"
        score items = count(products[] of "Order Completed")
        """
        let program = try SegmentProgram.parse(source: rules, fileName: "d.segments")
        let lines = Self.lines + [
            Self.line("gone", "Order Completed", 8, #"{"products":[{"category":"baby"}]}"#),
            #"{"type":"delete","userId":"gone","timestamp":"2026-03-02T10:09:00Z"}"#,
        ]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-lists-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let t = try StoreReader(paths: [dir.path], selection: program.fieldSelection).load()
        XCTAssertEqual(t.stats.deletedPersons, 1)
        XCTAssertEqual(Fixture.members(rules, t)["some baby"], ["u1", "u2", "u3"])
        XCTAssertEqual(Fixture.scores(rules, t)["items"], ["u1": 2, "u2": 2, "u3": 2, "u4": 0, "u5": 0, "u6": 5, "u7": 0])
    }

    /// `trait children[].age < 3`: some element of the person's **latest** `children` list (as of now).
    func testListsInTraits() throws {
        func identify(_ user: String, _ minute: Int, _ traits: String, key: String = "traits") -> String {
            #"{"type":"identify","userId":"\#(user)","timestamp":"2026-03-02T10:\#(String(format: "%02d", minute)):00Z","\#(key)":\#(traits)}"#
        }
        let lines = [
            // u1: a toddler at 10:01, then (10:05) the list holds only a 7-year-old: the latest list decides.
            identify("u1", 1, #"{"children":[{"age":1},{"age":5}]}"#),
            identify("u1", 5, #"{"children":[{"age":7}],"tags":["vip","new"]}"#),
            // u2: a toddler, sent in context.traits of a track call (RudderStack's way).
            #"{"type":"track","userId":"u2","event":"e","timestamp":"2026-03-02T10:02:00Z","context":{"traits":{"children":[{"name":"A"},{"age":2}]}}}"#,
            // u3: children is not a list; u4: an empty list; u5: nested paths and a list of lists.
            identify("u3", 3, #"{"children":"none","tags":"vip"}"#),
            identify("u4", 4, #"{"children":[]}"#),
            identify("u5", 6, #"{"children":[{"age":2.5,"school":{"city":"Oslo"}}],"tags":[["vip"]]}"#),
        ]
        let rules = """
        segment "toddler": trait children[].age < 3
        segment "oslo": trait children[].school.city = "Oslo"
        segment "vip": trait tags[] = "vip"
        segment "plain children": trait children = "none"

        """
        let program = try SegmentProgram.parse(source: rules, fileName: "t.segments")
        XCTAssertTrue(program.fieldSelection.traitLists)
        let t = try Self.table(lines, program)
        let m = Fixture.members(rules, t)
        XCTAssertEqual(m["toddler"], ["u2", "u5"])
        XCTAssertEqual(m["oslo"], ["u5"])
        XCTAssertEqual(m["vip"], ["u1"], "u3's tags is text, u5's element is a list")
        XCTAssertEqual(m["plain children"], ["u3"], "a plain trait comparison is unchanged")
        // As of 10:04, u1's latest list still has the 1-year-old.
        XCTAssertEqual(Fixture.members(rules, t, now: t.firstEventTime! + 3 * Fixture.minute)["toddler"], ["u1", "u2"])
        // Without such a rule, lists in traits stay one composite value: no element traits are kept.
        let plain = try SegmentProgram.parse(source: "segment \"x\": trait plan = \"pro\"", fileName: "p.segments")
        let t2 = try Self.table(lines, plain)
        XCTAssertFalse(t2.strings.strings.contains("children[0].age"))
        XCTAssertTrue(t.strings.strings.contains("children[0].age"))
    }

    func testErrorsAtTheirPositions() {
        XCTAssertTrue(Fixture.errors(#"segment "S": every products[].category = "baby""#)
            .hasPrefix("rules.segments:1:14: 'every' belongs inside a 'where'"))
        XCTAssertTrue(Fixture.errors(#"segment "S": did "Order Completed" where products[] contains "baby""#)
            .hasPrefix("rules.segments:1:53: 'contains' looks for text inside one string, and 'products[]' is a list"))
        XCTAssertTrue(Fixture.errors("score n = count(products[] of \"Order Completed\" where tags[] = \"gift\")")
            .hasPrefix("rules.segments:1:55: this condition looks into 'tags[]' while the elements counted are those of 'products[]'"))
        XCTAssertTrue(Fixture.errors("score n = sum(products[].price * items[].quantity of \"Order Completed\")")
            .hasPrefix("rules.segments:1:15: one value mixes two lists ('items[]' and 'products[]')"))
        XCTAssertTrue(Fixture.errors(#"segment "S": did "A" where products[].tags[] = "x""#)
            .hasPrefix("rules.segments:1:28: a path looks into one list only"))
        XCTAssertTrue(Fixture.errors(#"segment "S": did "A" where every category = "x""#)
            .hasPrefix("rules.segments:1:34: 'every' looks at every element of a list"))
        XCTAssertTrue(Fixture.errors(#"segment "S": did "A" where products[]name = "x""#)
            .hasPrefix("rules.segments:1:28: after '[]' comes '.' and a key"))
    }

    func testWarningForAListPathThatIsNeverAList() throws {
        let source = """
        segment "S":
            did "Order Completed" where products[].category = "baby"
        """
        let program = try SegmentProgram.parse(source: source, fileName: "w.segments")
        let lines = [
            Self.line("u1", "Order Completed", 1, #"{"products":"baby"}"#),
            Self.line("u2", "Order Completed", 2, #"{"products":{"category":"baby"}}"#),
            Self.line("u3", "Cart Viewed", 3, #"{"products":3}"#),
        ]
        let warnings = program.listWarnings(table: try Self.table(lines, program), source: source)
        XCTAssertEqual(warnings.map { "\($0.location): \($0.message)" }, [
            "w.segments:2:33: warning: 'products[]' looks into a list, but 'products' is never a list in the store: seen on 3 events, "
                + "\"Order Completed\" 2× as a single value or an object, \"Cart Viewed\" 1× as a single value",
        ])
        // Once it is a list somewhere, no warning.
        let mixed = lines + [Self.line("u4", "Order Completed", 4, #"{"products":[]}"#)]
        XCTAssertEqual(program.listWarnings(table: try Self.table(mixed, program), source: source), [])
    }
}
