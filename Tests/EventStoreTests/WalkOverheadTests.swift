import XCTest
@testable import EventStore

/// The per-line costs taken out of the walk (docs/PERFORMANCE.md, "session 8, second round"): the arena's appends
/// without a uniqueness check per string, the traits list of ``EventWalk/resolveTraits(kind:)`` reused line after
/// line, and one-line parses (``EventLineParser/parseRecords(_:)-(UnsafeRawBufferPointer)``, what ``StoreFollower``
/// calls per line) without the key predictions' block.
final class WalkOverheadTests: XCTestCase {
    // MARK: Arena appends without the per-append check

    /// After ``ByteArena/makeUnique()`` each copy appends into memory of its own: the unchecked appends of one never
    /// show in the other (without the `makeUnique`, both wrote to the shared memory at the same offset).
    func testOwnedAppendsAfterMakeUniqueKeepCopiesApart() {
        var a = ByteArena()
        let model = Array("abcdefghij".utf8)
        model.withUnsafeBufferPointer { a.append(contentsOf: $0) }
        var b = a
        a.makeUnique()
        let x = Array("xyz".utf8), y = Array("0123456789abcdef0123".utf8)
        x.withUnsafeBytes { a.appendOwned($0.baseAddress!, count: $0.count) }
        b.makeUnique()
        y.withUnsafeBytes { b.appendOwned($0.baseAddress!, count: $0.count) }
        let p = b.appendUninitializedOwned(1)
        p.pointee = UInt8(ascii: "!")
        XCTAssertEqual(a[0 ..< a.count], model + x)
        XCTAssertEqual(b[0 ..< b.count], model + y + [UInt8(ascii: "!")])
        // Growing past the capacity keeps the bytes.
        var c = ByteArena()
        var expected: [UInt8] = []
        for k in 0 ..< 600 {
            let piece = (0 ..< (k % 70)).map { UInt8(truncatingIfNeeded: $0 &+ k) }
            piece.withUnsafeBytes { if let base = $0.baseAddress { c.appendOwned(base, count: $0.count) } }
            expected += piece
        }
        XCTAssertEqual(c[0 ..< c.count], expected)
    }

    /// A walk whose arena was copied between lines (as the parse pipeline's chunk buffers are handed on) leaves the
    /// copy's bytes alone, and the copy appends without touching the walk's.
    func testWalkAfterItsArenaWasCopied() {
        let parser = EventLineParser()
        let lines = [
            #"{"type":"track","event":"Opened","userId":"u1","timestamp":"2026-01-01T00:00:00.000Z","context":{"traits":{"plan":"pro"}}}"#,
            #"{"type":"track","event":"Closed","userId":"u2","timestamp":"2026-01-01T00:00:01.000Z","context":{"traits":{"plan":"team"}}}"#,
        ]
        var buffers = WalkBuffers()
        parser.withWalk(buffers: &buffers) { w in
            let first = Array(lines[0].utf8).withUnsafeBytes { b in parser.walk(b, reusing: &w) { $0.parsedEvent() } }
            XCTAssertEqual(try? first.get().event, "Opened")
            var copy = w.buf.arena
            let before = copy[0 ..< copy.count]
            let second = Array(lines[1].utf8).withUnsafeBytes { b in parser.walk(b, reusing: &w) { $0.parsedEvent() } }
            XCTAssertEqual(try? second.get().event, "Closed")
            XCTAssertEqual(try? second.get().traits, [PathValue("plan", .string("team"))])
            copy.makeUnique()
            Array("ZZZZZZZZZZZZZZZZZZZZ".utf8).withUnsafeBytes { copy.appendOwned($0.baseAddress!, count: $0.count) }
            XCTAssertEqual(copy[0 ..< before.count], before)
            // The walk's arena still holds line 2's strings where its refs point (the copy's append did not land there).
            XCTAssertEqual(w.buf.string(w.event) as String, "Closed")
            XCTAssertEqual(w.buf.string(w.userId) as String, "u2")
        }
    }

    // MARK: The traits list reused

    /// Line after line through one walk, traits of different counts and sources (a line with many traits, then one
    /// with fewer, then none, then the hashed path for more than 32): each line's traits are exactly those of the
    /// line parsed alone — nothing of an earlier line's list remains.
    func testTraitsListReusedAcrossLines() {
        let parser = EventLineParser()
        func line(_ kind: String, _ traits: String, context: String = "{}") -> String {
            #"{"type":"\#(kind)","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","traits":\#(traits),"context":{"traits":\#(context)}}"#
        }
        let many = (0 ..< 40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let lines = [
            line("identify", #"{"a":1,"b":"x","c":{"d":true},"a":2}"#, context: #"{"a":9,"e":"y"}"#),
            line("identify", #"{"b":"z"}"#),
            line("track", #"{"a":1}"#, context: #"{"f":3}"#),
            line("identify", "{}"),
            line("identify", "{\(many)}", context: #"{"k1":"ctx","z":0}"#),
            line("identify", #"{"q":1}"#),
            line("track", "{}"),
        ]
        var buffers = WalkBuffers()
        let walked: [Result<ParsedEvent, LineError>] = parser.withWalk(buffers: &buffers) { w in
            lines.map { l in Array(l.utf8).withUnsafeBytes { b in parser.walk(b, reusing: &w) { $0.parsedEvent() } } }
        }
        for (k, l) in lines.enumerated() {
            XCTAssertEqual(walked[k], parser.parse(l), "line \(k)")
        }
        XCTAssertEqual(try? walked[1].get().traits, [PathValue("b", .string("z"))])
        XCTAssertEqual(try? walked[3].get().traits, [])
        XCTAssertEqual(try? walked[5].get().traits, [PathValue("q", .number(1))])
        XCTAssertEqual(try? walked[6].get().traits, [])
        XCTAssertEqual((try? walked[4].get().traits)?.count, 41)
    }

    // MARK: One-line parses without the predictions' block

    /// A one-line parse (what ``StoreFollower`` does for every new line) walks without key predictions: no block is
    /// allocated for them (``KeyPredictions/capacity`` 0), for an event line and for each item of a batch envelope,
    /// and the outcome is that of a walk with predictions.
    func testOneLineParseAllocatesNoPredictions() {
        let parser = EventLineParser()
        let event = #"{"type":"page","userId":"u","name":"Home","timestamp":"2026-01-01T00:00:00.000Z","properties":{"path":"/"},"context":{"consent":{"categoryPreferences":{"Analytics":true}}}}"#
        let batch = #"{"batch":[{"type":"track","event":"A","userId":"u","timestamp":"2026-01-01T00:00:00.000Z"},{"type":"track","event":"B","userId":"v","timestamp":"2026-01-01T00:00:01.000Z"}]}"#
        for (line, walks) in [(event, 1), (batch, 3)] {
            var capacities: [Int32] = []
            let records = Array(line.utf8).withUnsafeBytes { b in
                parser.parseRecords(b) { w in capacities.append(w.predictions.capacity) }
            }
            XCTAssertEqual(capacities.count, walks, line)
            XCTAssertEqual(capacities.filter { $0 != 0 }, [], "a one-line walk allocated the predictions' block")
            var buffers = WalkBuffers()
            let predicted = parser.withWalk(buffers: &buffers) { w in
                XCTAssertGreaterThan(w.predictions.capacity, 0)
                return Array(line.utf8).withUnsafeBytes { b in parser.walk(b, reusing: &w) { $0.parsedEvent() } }
            }
            if walks == 1 { XCTAssertEqual(records.outcomes.first, predicted, line) }
        }
        // The follower's path end to end: the public one-line API still gives the event.
        let parsed = parser.parseRecords(event)
        XCTAssertEqual(parsed.outcomes.count, 1)
        XCTAssertEqual(try? parsed.outcomes[0].get().name, "Home")
    }
}
