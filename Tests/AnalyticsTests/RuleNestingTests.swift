import Foundation
import XCTest
import EventStore
@testable import Analytics

/// Issue 11.2: machine-made rules files (a store's own `*.segments` is loaded automatically) with
/// deep nesting or very long chains are an error or a result, never a stack overflow.
///
/// Every hostile input is parsed, resolved, compiled and evaluated on a thread with a 1 MiB stack
/// (an eighth of the main thread's), so a pass that recurses per chain element or per level
/// without a limit crashes this test rather than passing by luck. The nesting limit fits in it
/// even in a debug build.
final class RuleNestingTests: XCTestCase {
    static let limit = 100

    /// Runs `body` on a thread with a small stack and waits for it.
    func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        done.wait()
    }

    /// The first line of the errors of `source` (`file:line:col: message`).
    static func firstError(_ source: String) -> String {
        do {
            _ = try SegmentProgram.parse(source: source, fileName: "hostile.segments")
            return "no error"
        } catch {
            return String(error.description.prefix { $0 != "\n" })
        }
    }

    static let table = Fixture.table([
        Fixture.track("u1", "x", at: Fixture.t0),
        Fixture.track("u2", "y", at: Fixture.t0),
        Fixture.identify("u1", at: Fixture.t0, ["plan": .string("pro")]),
    ])

    /// Members of each segment by person id, scores by name and person id.
    static func run(_ source: String) -> (members: [String: [String]], scores: [String: [String: Double]])? {
        guard let p = try? SegmentProgram.parse(source: source, fileName: "hostile.segments") else { return nil }
        _ = p.fieldSelection
        let ev = SegmentEvaluator(program: p, table: table)
        let all = ev.evaluateAll(now: ev.defaultNow)
        var members: [String: [String]] = [:]
        for (i, s) in p.segments.enumerated() {
            members[s.name] = all.segments[i].members.map { table.strings[table.personID[$0]] }.sorted()
        }
        var scores: [String: [String: Double]] = [:]
        for (i, s) in p.scores.enumerated() {
            for person in 0 ..< table.personCount {
                scores[s.name, default: [:]][table.strings[table.personID[person]]] = all.scores[i][person]
            }
        }
        return (members, scores)
    }

    func testTenThousandNestedParenthesesAreOneError() {
        onSmallStack {
            let n = 10_000
            let source = "segment \"A\": " + String(repeating: "(", count: n) + "did \"x\"" + String(repeating: ")", count: n)
                + "\nsegment \"B\": did \"y\"\n"
            // The 101st '(' is at column 14 + 100.
            XCTAssertEqual(Self.firstError(source), "hostile.segments:1:114: nested too deeply (limit \(Self.limit))")
            // and only that one: the parser skips to the next definition; the 20,000-character
            // line is shown as an excerpt around the column, the caret under the 101st '('.
            do throws(SegmentErrors) { _ = try SegmentProgram.parse(source: source, fileName: "f") } catch {
                XCTAssertEqual(error.errors.count, 1)
                XCTAssertEqual(error.description, "f:1:114: nested too deeply (limit \(Self.limit))\n"
                               + "…" + String(repeating: "(", count: 120) + "…\n"
                               + String(repeating: " ", count: 61) + "^")
            }
        }
    }

    func testNestingUpToTheLimitIsAccepted() {
        onSmallStack {
            let n = Self.limit
            let rule = String(repeating: "(", count: n) + "did \"x\"" + String(repeating: ")", count: n)
            let nots = String(repeating: "not ", count: n) + "did \"x\""  // even: same as did "x"
            let mixed = String(repeating: "(not ", count: n / 2) + "did \"x\"" + String(repeating: ")", count: n / 2)
            let formula = String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n)
            let negations = String(repeating: "- ", count: n) + "2"
            let r = Self.run("""
            segment "P": \(rule)
            segment "N": \(nots)
            segment "M": \(mixed)
            score f = \(formula)
            score g = \(negations)
            """)
            XCTAssertEqual(r?.members["P"], ["u1"])
            XCTAssertEqual(r?.members["N"], ["u1"])
            XCTAssertEqual(r?.members["M"], ["u1"])  // 50 nots: even
            XCTAssertEqual(r?.scores["f"]?["u2"], 1)
            XCTAssertEqual(r?.scores["g"]?["u2"], 2)
        }
    }

    func testDeepNotsMinusesAndFormulaParenthesesAreErrors() {
        onSmallStack {
            let nots = "segment \"A\": " + String(repeating: "not ", count: 75_000) + "did \"x\"\n"
            XCTAssertEqual(Self.firstError(nots), "hostile.segments:1:\(14 + 4 * Self.limit): nested too deeply (limit \(Self.limit))")
            let parens = "score s = " + String(repeating: "(", count: 4_000) + "1" + String(repeating: ")", count: 4_000) + "\n"
            XCTAssertEqual(Self.firstError(parens), "hostile.segments:1:\(11 + Self.limit): nested too deeply (limit \(Self.limit))")
            let minus = "score s = " + String(repeating: "-", count: 50_000) + "1\n"
            XCTAssertEqual(Self.firstError(minus), "hostile.segments:1:\(11 + Self.limit): nested too deeply (limit \(Self.limit))")
            // nesting counts across '(' and 'not' together, on the line where it happens
            let mixed = "segment \"A\":\n" + String(repeating: "(not ", count: 60) + "did \"x\"" + String(repeating: ")", count: 60) + "\n"
            XCTAssertEqual(Self.firstError(mixed), "hostile.segments:2:\(5 * 50 + 1): nested too deeply (limit \(Self.limit))")
        }
    }

    func testLongFlatChainsAreParsedAndEvaluatedWithoutRecursion() {
        onSmallStack {
            // A hundred thousand `and`s; twenty thousand `or`s, `+`, `-` (each far beyond what a
            // recursive pass survives on this stack; fewer only to keep the debug-build lexer quick).
            let ands = Array(repeating: "did \"x\"", count: 100_000).joined(separator: " and ")
            let n = 20_000
            let ors = Array(repeating: "did \"nope\"", count: n).joined(separator: " or ") + " or trait plan = \"pro\""
            let mixed = (0 ..< n).map { $0 % 2 == 0 ? "did \"x\"" : "not did \"y\"" }.joined(separator: " and ")
            let sum = Array(repeating: "count(\"x\")", count: n).joined(separator: " + ")
            let product = Array(repeating: "2", count: 20).joined(separator: " * ") + " / 2" + String(repeating: " - 1", count: n)
            guard let r = Self.run("""
            segment "And": \(ands)
            segment "Or": \(ors)
            segment "Mixed": \(mixed)
            segment "Ref": in "And" and in "Or" and s >= \(n)
            score s = \(sum)
            score p = \(product)
            """) else { return XCTFail("did not parse") }
            XCTAssertEqual(r.members["And"], ["u1"])
            XCTAssertEqual(r.members["Or"], ["u1"])
            XCTAssertEqual(r.members["Mixed"], ["u1"])
            XCTAssertEqual(r.members["Ref"], ["u1"])
            XCTAssertEqual(r.scores["s"]?["u1"], Double(n))
            XCTAssertEqual(r.scores["s"]?["u2"], 0)
            // left to right: 2^20 / 2 - n
            XCTAssertEqual(r.scores["p"]?["u1"], Double(1 << 19) - Double(n))
        }
    }

    /// The value inside `sum(…)`, `max(…)` and `min(…)` (issue #18) nests and chains like a score formula:
    /// `(` and unary `-` count against the same limit, `+ - * /` chains are flat.
    func testValueFormulasInsideAggregatesNestAndChainLikeFormulas() {
        onSmallStack {
            let parens = "score s = sum(" + String(repeating: "(", count: 4_000) + "price" + String(repeating: ")", count: 4_000) + " of \"x\")\n"
            XCTAssertEqual(Self.firstError(parens), "hostile.segments:1:\(15 + Self.limit): nested too deeply (limit \(Self.limit))")
            let minus = "score s = max(" + String(repeating: "-", count: 50_000) + "price of \"x\")\n"
            XCTAssertEqual(Self.firstError(minus), "hostile.segments:1:\(15 + Self.limit): nested too deeply (limit \(Self.limit))")
            let n = 20_000
            let deep = String(repeating: "(", count: Self.limit) + "3" + String(repeating: ")", count: Self.limit)
            let negated = String(repeating: "- ", count: Self.limit) + "4"
            let chain = Array(repeating: "1", count: n).joined(separator: " + ") + " * 2" + String(repeating: " / 1", count: n)
            guard let r = Self.run("""
            score deep = sum(\(deep) of "x")
            score negated = max(\(negated) of "x")
            score chain = min(\(chain) of "x")
            """) else { return XCTFail("did not parse") }
            XCTAssertEqual(r.scores["deep"]?["u1"], 3)
            XCTAssertEqual(r.scores["negated"]?["u1"], 4)  // an even number of '-'
            XCTAssertEqual(r.scores["chain"]?["u1"], Double(n + 1), "1 + … + 1 * 2 / 1 / …: * and / bind tighter")
            XCTAssertEqual(r.scores["chain"]?["u2"], 0, "no \"x\": min of nothing is 0")
        }
    }

    func testChainsKeepLeftToRightMeaning() {
        let r = Self.run("""
        score a = 10 - 4 - 3
        score b = 64 / 4 / 2 * 3
        score c = 1 + 2 * 3 - 8 / 4 / 2
        score d = 5 / 0 + 1
        segment "S": did "y" or did "x" and not did "x"
        """)
        XCTAssertEqual(r?.scores["a"]?["u1"], 3)
        XCTAssertEqual(r?.scores["b"]?["u1"], 24)
        XCTAssertEqual(r?.scores["c"]?["u1"], 6)
        XCTAssertEqual(r?.scores["d"]?["u1"], 1)
        XCTAssertEqual(r?.members["S"], ["u2"])  // and binds tighter than or
    }

    /// The check rule parser reads one flat comparison per line: long paths and bracket runs are
    /// errors or figures, never deep recursion.
    func testCheckRuleParserOnHostileLines() {
        onSmallStack {
            let brackets = "segment" + String(repeating: "[", count: 100_000) + " >= 1"
            XCTAssertNil(try? RuleParser.parse(brackets, level: .critical, origin: "--rule 1"))
            let long = Array(repeating: "a", count: 100_000).joined(separator: ".") + " >= 1"
            XCTAssertEqual((try? RuleParser.parse(long, level: .critical, origin: "--rule 1"))?.path.components.count, 100_000)
            let file = String(repeating: "warn: consent.Analytics.coverage >= 0.5\n", count: 20_000)
                + String(repeating: "(", count: 10_000) + "\n"
            do throws(RuleError) {
                _ = try RuleParser.parseFile(file, fileName: "hostile.rules")
                XCTFail("expected an error")
            } catch {
                XCTAssertEqual(error.position, "hostile.rules:20001:1")
            }
        }
    }

    /// Thousands of unknown names in a generated file: every one is reported, but "did you mean"
    /// is searched for the first few only (each search compares with every name).
    func testThousandsOfUnknownNamesAreReportedWithoutQuadraticSuggestions() {
        let n = 5_000
        let source = (0 ..< n).map { String(format: "segment \"A%04d\": in \"B%04d\" and s%04d > 1", $0, $0, $0) }
            .joined(separator: "\n") + "\nscore t0000 = 1\n"
        do throws(SegmentErrors) {
            _ = try SegmentProgram.parse(source: source, fileName: "generated.segments")
            XCTFail("expected errors")
        } catch {
            XCTAssertEqual(error.errors.count, 2 * n)
            // Searched: the first 20 unknown names (a segment and a score per line), in source order.
            XCTAssertEqual(error.errors[0].message, "unknown segment \"B0000\" — did you mean \"A0000\"?")
            XCTAssertEqual(error.errors[1].message, "unknown score 's0000' — did you mean 't0000'?")
            XCTAssertEqual(error.errors[18].message, "unknown segment \"B0009\" — did you mean \"A0009\"?")
            XCTAssertEqual(error.errors[20].message, "unknown segment \"B0010\"")
            XCTAssertFalse(error.errors.dropFirst(Resolver.maxSuggestions).contains { $0.message.contains("did you mean") })
            XCTAssertEqual(error.errors.last?.message, "unknown score 's4999'")
        }
    }
}
