import Foundation
import XCTest
@testable import EventStore

/// The fast paths of the parse (docs/PERFORMANCE.md, "session 7, parse"): each against the slow, obviously right
/// version it replaced — the trie's hashed child lookup against a scan of the node's edges, the byte arena against an
/// array, the canonical-time fast path against the general time parser, the in-place dedupe of consent preferences.
final class ParseFastPathTests: XCTestCase {
    // MARK: Trie lookup

    /// The child of `node` whose key is `key`, found by scanning every edge of the node (the lookup before the hash).
    private func scanChild(_ trie: FieldTrie, _ v: TrieView, _ node: Int32, _ key: [UInt8]) -> Int32 {
        let start = Int(v.edgeStart[Int(node)])
        for e in start ..< start + Int(v.edgeCount[Int(node)]) {
            let edge = v.edges[e]
            guard Int(edge.length) == key.count, edge.prefix == FieldTrie.pack(key) else { continue }
            let rest = key.count > 8 ? Array(v.rest[Int(edge.restStart) ..< Int(edge.restStart) + key.count - 8]) : []
            if Array(key.dropFirst(8)) == rest { return edge.node }
        }
        return -1
    }

    /// The key at the start of `json` (a `{"key": …}` object), looked up under `node` by the walk's lookup.
    private func hashedChild(_ v: TrieView, _ node: Int32, json: [UInt8]) -> Int32 {
        json.withUnsafeBufferPointer { b in
            var s = JSONScanner(b)
            _ = try! s.objectStart(depth: 1)
            let key = try! s.objectKey()
            return v.child(of: node, key: key, in: s)
        }
    }

    /// The node reached from the root by the keys of `path` (split at dots) with the reference scan, or -1.
    private func node(_ trie: FieldTrie, _ v: TrieView, _ path: String) -> Int32 {
        var n: Int32 = 0
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            n = scanChild(trie, v, n, Array(part.utf8))
            if n < 0 { return -1 }
        }
        return n
    }

    func testHashedLookupAgreesWithEdgeScan() {
        // Keys sharing their first 8 bytes and their length (the same hash: told apart by the rest), prefixes of one
        // another, exactly 8 bytes, 9 bytes, the empty key, non-ASCII, and many siblings under one node.
        var paths: Set<String> = [
            "properties.abcdefgh_one", "properties.abcdefgh_two", "properties.abcdefgh_on", "properties.abcdefgh",
            "properties.abcdefg", "properties.a", "properties.", "properties.préférence", "properties.abcdefghi",
            "properties.x.y.z",
        ]
        for k in 0 ..< 40 { paths.insert("properties.k\(k)") }
        let trie = FieldTrie(selection: FieldSelection(paths: paths))
        trie.withView { v in
            let properties = node(trie, v, "properties")
            XCTAssertGreaterThan(properties, 0)
            var probes: [String] = ["abcdefgh_one", "abcdefgh_two", "abcdefgh_on", "abcdefgh_onf", "abcdefgh_twx",
                                    "abcdefgh", "abcdefg", "abcdefghi", "abcdefghj", "a", "b", "", "préférence",
                                    "préférencf", "path", "category", "x", "k", "k1", "k39", "k40", "$set", "$set_once"]
            probes += (0 ..< 45).map { "k\($0)" }
            for key in probes {
                let want = scanChild(trie, v, properties, Array(key.utf8))
                if paths.contains("properties." + key) { XCTAssertGreaterThan(want, 0, key) }
                // Plain, then with the whole key written as \u escapes (the decoded key is looked up), then with
                // whitespace after it, then at the very end of a short buffer (fewer than 8 bytes after the key start).
                let escaped = key.unicodeScalars.map { $0.value < 0x80 ? String(format: "\\u%04x", $0.value) : String($0) }.joined()
                for json in ["{\"\(key)\":1}", "{\"\(escaped)\":1}", "{\"\(key)\" \t: 1}"] {
                    XCTAssertEqual(hashedChild(v, properties, json: Array(json.utf8)), want, "\(json)")
                }
                let tight = Array("{\"\(key)\":".utf8)
                XCTAssertEqual(hashedChild(v, properties, json: tight), want, "tight \(key)")
            }
            // The root: every built-in field is found, an unknown key is not.
            for key in ["type", "messageId", "timestamp", "originalTimestamp", "receivedAt", "userId", "anonymousId",
                        "event", "name", "category", "previousId", "context", "properties", "traits", "typo", "Type"] {
                XCTAssertEqual(hashedChild(v, 0, json: Array("{\"\(key)\":1}".utf8)), scanChild(trie, v, 0, Array(key.utf8)), key)
            }
            // A leaf has no table: nothing is found under it.
            let leaf = node(trie, v, "properties.a")
            XCTAssertEqual(hashedChild(v, leaf, json: Array("{\"a\":1}".utf8)), -1)
        }
    }

    func testCollidingKeysEndToEnd() throws {
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.abcdefgh_one", "properties.abcdefgh_two"]))
        let line = #"{"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","properties":{"abcdefgh_two":2,"abcdefgh_one":1,"abcdefgh_tw\u006f":3}}"#
        let e = try parser.parse(line).get()
        XCTAssertEqual(e.properties.map(\.path), ["properties.abcdefgh_two", "properties.abcdefgh_one"])
        XCTAssertEqual(e.properties.map(\.value), [.number(3), .number(1)])  // the escaped repeat wins
    }

    /// The walk's inlined key, string and next-member fast paths validate exactly like the plain validator: every
    /// byte class at every offset of a key and of a string value (around the 16-byte block edges), with and without
    /// whitespace around the colon and comma, errors and their offsets included.
    func testWalkFastPathsValidateLikeTheValidatorAtEveryOffset() {
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.note"]))
        let probes: [[UInt8]] = [[0x00], [0x1F], [0x0A], [0x20], [0x7F], [0x5C, 0x6E], [0x5C, 0x22], [0x5C, 0x78],
                                 [0x5C, 0x75, 0x30, 0x30, 0x65, 0x39], [0x5C, 0x75, 0x30, 0x47, 0x30, 0x30], [0xC3, 0xA9],
                                 [0xF0, 0x9F, 0x98, 0x80], [0x80], [0xFF], [0xC3, 0x61], [0xED, 0xA0, 0x80], [0x22],
                                 [0x22, 0x3A], [0x22, 0x2C], [0x7D], [0x2C, 0x22],
                                 // Each byte class right before a colon (where a key's fast path checks for its end),
                                 // and a trailing comma after a member, with and without a space.
                                 [0x00, 0x3A], [0x1F, 0x3A], [0x80, 0x3A], [0x5C, 0x22, 0x3A], [0x22, 0x20, 0x3A],
                                 [0x22, 0x3A, 0x31, 0x2C, 0x7D], [0x22, 0x3A, 0x31, 0x2C, 0x20, 0x7D],
                                 [0x22, 0x3A, 0x22, 0x78, 0x22, 0x2C, 0x7D]]
        var checked = 0
        for probe in probes {
            for before in 0 ..< 34 {
                for after in [0, 1, 7, 8, 15, 16, 17, 31] {
                    let text = Array(repeating: UInt8(ascii: "a"), count: before) + probe + Array(repeating: UInt8(ascii: "b"), count: after)
                    for template in [#"{"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","properties":{"note":"@"}}"#,
                                     #"{"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","properties":{"@":"n"}}"#,
                                     #"{"@":1,"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z"}"#,
                                     #"{"type":"track" , "@" :1 ,"userId":"u","timestamp":"2026-01-01T00:00:00.000Z"}"#,
                                     #"{"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","context":{"consent":{"categoryPreferences":{"@":true}}}}"#,
                                     #"{"type":"track","userId":"@"}"#, #"{"@""#, #"{"type":"@"#] {
                        let t = Array(template.utf8)
                        let at = t.firstIndex(of: UInt8(ascii: "@"))!
                        let line = Array(t[..<at]) + text + Array(t[(at + 1)...])
                        assertWalkAgreesWithValidator(line, parser)
                        checked += 1
                    }
                }
            }
        }
        XCTAssertEqual(checked, probes.count * 34 * 8 * 8)
    }

    // MARK: Byte arena

    func testByteArenaGrowsAndCopiesOnWrite() {
        var a = ByteArena()
        var model: [UInt8] = []
        var rng = SystemRandomNumberGenerator()
        for round in 0 ..< 2_000 {
            let n = Int.random(in: 0 ... 70, using: &rng)
            let bytes = (0 ..< n).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
            switch round % 3 {
            case 0: bytes.withUnsafeBufferPointer { a.append(contentsOf: $0) }
            case 1: for b in bytes { a.append(b) }
            default:
                let p = a.appendUninitialized(n)
                for (k, b) in bytes.enumerated() { p[k] = b }
            }
            model += bytes
        }
        XCTAssertEqual(a.count, model.count)
        XCTAssertEqual(a[0 ..< a.count], model)
        // A copy is a value: appending to one changes neither the other's bytes nor its count.
        var b = a
        b.append(7)
        a.append(9)
        XCTAssertEqual(a.count, model.count + 1)
        XCTAssertEqual(b.count, model.count + 1)
        XCTAssertEqual(a[model.count], 9)
        XCTAssertEqual(b[model.count], 7)
        XCTAssertEqual(b[0 ..< model.count], model)
        var c = b
        c.removeAll(keepingCapacity: true)
        XCTAssertEqual(c.count, 0)
        XCTAssertEqual(b.count, model.count + 1)
        XCTAssertEqual(b[model.count], 7)
    }

    /// The 2 GiB guard (32-bit offsets) holds on every path that writes to the arena: with the limit lowered, a line
    /// whose kept text passes it is malformed with the same reason as before, and the next chunk starts afresh.
    func testArenaLimitMakesTheLineMalformed() {
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.note"]))
        let ok = #"{"type":"track","event":"E","userId":"user-1","timestamp":"2026-01-01T00:00:00.000Z","properties":{"note":"short"}}"#
        let long = #"{"type":"track","event":"E","userId":"user-1","timestamp":"2026-01-01T00:00:00.000Z","properties":{"note":"\#(String(repeating: "x", count: 200))"}}"#
        let traits = #"{"type":"identify","userId":"user-1","timestamp":"2026-01-01T00:00:00.000Z","traits":{"a":{"b":{"c":"\#(String(repeating: "y", count: 150))"}}}}"#
        func outcome(_ line: String, limit: Int) -> LineError? {
            var buffers = WalkBuffers()
            buffers.arena.limit = limit
            var copy = line
            return copy.withUTF8 { u in
                var out = RawEvents()
                let r = parser.withWalk(buffers: &buffers) { w in
                    parser.parseRaw(UnsafeRawBufferPointer(u), walk: &w, into: &out, seeds: (1, 2))
                }
                switch r {
                case .event: return nil
                case .malformed(let e): return e
                case .records: return .missingType
                }
            }
        }
        XCTAssertNil(outcome(ok, limit: 100))
        XCTAssertNil(outcome(long, limit: 1_000))
        let full = LineError.traitPathTooLong(limit: "more than 2 GiB of text in one read chunk")
        XCTAssertEqual(outcome(long, limit: 100), full)
        XCTAssertNil(outcome(traits, limit: 1_000))
        XCTAssertEqual(outcome(traits, limit: 100), full)
        XCTAssertEqual(full.reason, LineError.traitPathTooLong(limit: "more than 2 GiB of text in one read chunk").reason)
    }

    /// Every copy size (the inline word copies up to 32 bytes, `memcpy` beyond), at every source alignment: exactly
    /// the source bytes land, and not one byte around the destination changes.
    func testArenaCopyEverySize() {
        let source = (0 ..< 120).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for n in 1 ... 80 {
            for offset in 0 ..< 9 {
                var dst = [UInt8](repeating: 0xEE, count: n + 16)
                source.withUnsafeBytes { src in
                    dst.withUnsafeMutableBytes { d in ByteArena.copy(d.baseAddress! + 8, src.baseAddress! + offset, n) }
                }
                XCTAssertEqual(Array(dst[8 ..< 8 + n]), Array(source[offset ..< offset + n]), "n \(n) offset \(offset)")
                XCTAssertEqual(dst[..<8].filter { $0 != 0xEE }.count + dst[(8 + n)...].filter { $0 != 0xEE }.count, 0)
            }
        }
    }

    // MARK: Hash

    /// ``IDHash/hash(_:seed:)`` reads its tail with a few word loads instead of byte by byte: the same value for every
    /// length and alignment (the hashes are stored in the cache and decide the dedupe, so they must never change).
    func testIDHashTailEqualsByteLoop() {
        func reference(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
            let n = bytes.count
            var h = seed ^ IDHash.mum(seed ^ IDHash.p0, UInt64(truncatingIfNeeded: n) ^ IDHash.p1)
            guard let base = bytes.baseAddress else { return IDHash.mum(h ^ IDHash.p2, IDHash.p3) }
            var i = 0
            while i + 16 <= n {
                let a = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let b = base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                h = IDHash.mum(a ^ IDHash.p1 ^ h, b ^ IDHash.p2 ^ seed)
                i += 16
            }
            if i + 8 <= n {
                h = IDHash.mum(base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ IDHash.p1 ^ h, IDHash.p3 ^ seed)
                i += 8
            }
            var tail: UInt64 = 0, shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = IDHash.mum(tail ^ IDHash.p2 ^ h, IDHash.p0 ^ UInt64(truncatingIfNeeded: n))
            return IDHash.mum(h ^ IDHash.p3, h ^ IDHash.p1)
        }
        var rng = SystemRandomNumberGenerator()
        let bytes = (0 ..< 200).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        bytes.withUnsafeBytes { all in
            for n in 0 ... 72 {
                for offset in 0 ..< 8 {
                    let b = UnsafeRawBufferPointer(rebasing: all[offset ..< offset + n])
                    for seed: UInt64 in [0, 1, 0x9E37_79B9_7F4A_7C15, .max] {
                        XCTAssertEqual(IDHash.hash(b, seed: seed), reference(b, seed: seed), "n \(n) offset \(offset)")
                    }
                }
            }
        }
        XCTAssertEqual(IDHash.hash(UnsafeRawBufferPointer(start: nil, count: 0), seed: 5),
                       reference(UnsafeRawBufferPointer(start: nil, count: 0), seed: 5))
    }

    // MARK: Times

    func testCanonicalTimeFastPathAgreesWithGeneralParser() {
        func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
            var copy = text
            copy.withUTF8 { u in
                XCTAssertEqual(ISO8601Time.parse(u), ISO8601Time.parseGeneral(u, assumeUTC: false), text, file: file, line: line)
                XCTAssertEqual(ISO8601Time.parse(u, assumeUTC: true), ISO8601Time.parseGeneral(u, assumeUTC: true), text,
                               file: file, line: line)
            }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 3_000 {
            let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int.random(in: 0 ... 9999, using: &rng),
                              Int.random(in: 0 ... 13, using: &rng), Int.random(in: 0 ... 32, using: &rng),
                              Int.random(in: 0 ... 25, using: &rng), Int.random(in: 0 ... 61, using: &rng),
                              Int.random(in: 0 ... 61, using: &rng), Int.random(in: 0 ... 999, using: &rng))
            check(text)
            // Every byte replaced by a few others (separators, digits, letters, non-ASCII, control): the fast path
            // must refuse what the general parser refuses, and agree on what it accepts.
            var bytes = Array(text.utf8)
            let k = Int.random(in: 0 ..< bytes.count, using: &rng)
            for c: UInt8 in [0x2F, 0x3A, 0x30, 0x39, 0x2D, 0x2E, 0x54, 0x74, 0x5A, 0x7A, 0x20, 0x2B, 0x00, 0x7F, 0x80, 0xB9, 0xFF] {
                bytes[k] = c
                let variant = String(decoding: bytes, as: UTF8.self)
                bytes.withUnsafeBufferPointer { u in
                    XCTAssertEqual(ISO8601Time.parse(u), ISO8601Time.parseGeneral(u, assumeUTC: false), variant)
                }
            }
        }
        for text in ["2024-02-29T23:59:59.999Z", "2023-02-29T00:00:00.000Z", "1900-02-29T00:00:00.000Z",
                     "2000-02-29T00:00:00.000Z", "2016-12-31T23:59:60.000Z", "0000-01-01T00:00:00.000Z",
                     "9999-12-31T23:59:59.999Z", "2026-10-30T00:00:06.243z", "2026-10-30t00:00:06.243Z",
                     "2026-10-30 00:00:06.243Z", "2026-10-30T00:00:06,243Z", "2026-10-30T24:00:00.000Z",
                     "2026-10-30T00:60:00.000Z", "2026-04-31T00:00:00.000Z", "2026-00-01T00:00:00.000Z"] {
            check(text)
        }
        XCTAssertEqual(try ISO8601Time.milliseconds("2026-10-30T00:00:06.243Z"), 1_793_318_406_243)
    }

    // MARK: Consent preferences

    func testRepeatedConsentCategoriesKeepTheLastAtItsPosition() throws {
        let parser = EventLineParser()
        func consent(_ prefs: String) throws -> [String] {
            let line = #"{"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","context":{"consent":{"categoryPreferences":\#(prefs)}}}"#
            return try parser.parse(line).get().consent.map { "\($0.category)=\($0.granted)" }
        }
        XCTAssertEqual(try consent(#"{"A":true,"B":false,"A":false,"C":true}"#), ["B=false", "A=false", "C=true"])
        XCTAssertEqual(try consent(#"{"A":true,"A":true,"A":false}"#), ["A=false"])
        XCTAssertEqual(try consent(#"{"Ab":true,"Ba":false,"\u0041b":false}"#), ["Ba=false", "Ab=false"])
        XCTAssertEqual(try consent(#"{"A":true,"B":1,"C":false}"#), ["A=true", "C=false"])
        XCTAssertEqual(try consent(#"{"":true,"":false,"B":true}"#), ["=false", "B=true"])
        // More than 16 entries (the set path) and exactly 16 (the pairwise path) give the same answer.
        let many = (0 ..< 20).map { "\"c\($0 % 7)\":\($0 % 2 == 0)" }.joined(separator: ",")
        let sixteen = (0 ..< 16).map { "\"c\($0 % 7)\":\($0 % 2 == 0)" }.joined(separator: ",")
        XCTAssertEqual(try consent("{\(many)}"), (13 ..< 20).map { "c\($0 % 7)=\($0 % 2 == 0)" })
        XCTAssertEqual(try consent("{\(sixteen)}"), (9 ..< 16).map { "c\($0 % 7)=\($0 % 2 == 0)" })
    }

    // MARK: walk7b: the message id's pair hash; guards for literals and the trie's key rest

    /// ``IDHash/hashPair(_:seeds:)`` (the message id's dedupe key in one pass) equals the two single hashes for every
    /// length 0–72 at 8 alignments and several seed pairs, and for the empty buffer without a base — so dedupe keys
    /// and caches are unchanged.
    func testIDHashPairEqualsTwoHashes() {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0 ..< 200).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        let pairs: [(UInt64, UInt64)] = [(0, 1), (1, 0), (0x9E37_79B9_7F4A_7C15, .max), (.max, .max),
                                         (UInt64.random(in: 0 ... .max, using: &rng), UInt64.random(in: 0 ... .max, using: &rng))]
        bytes.withUnsafeBytes { all in
            for n in 0 ... 72 {
                for offset in 0 ..< 8 {
                    let b = UnsafeRawBufferPointer(rebasing: all[offset ..< offset + n])
                    for seeds in pairs {
                        let pair = IDHash.hashPair(b, seeds: seeds)
                        XCTAssertEqual(pair.0, IDHash.hash(b, seed: seeds.0), "n \(n) offset \(offset)")
                        XCTAssertEqual(pair.1, IDHash.hash(b, seed: seeds.1), "n \(n) offset \(offset)")
                    }
                }
            }
        }
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        let pair = IDHash.hashPair(none, seeds: (5, 6))
        XCTAssertEqual(pair.0, IDHash.hash(none, seed: 5))
        XCTAssertEqual(pair.1, IDHash.hash(none, seed: 6))
        // End to end: the key of a parsed message id is the one `MessageKey` gives its string.
        let seeds: (UInt64, UInt64) = (0x1234, 0x5678)
        for id in ["", "m", "0123456", "01234567", "3f1c2b7e-9a1d-4c8e-b2f0-6a7d5e4c3b21", String(repeating: "é", count: 40)] {
            var u = id
            let direct = u.withUTF8 { (IDHash.hash(UnsafeRawBufferPointer($0), seed: seeds.0), IDHash.hash(UnsafeRawBufferPointer($0), seed: seeds.1)) }
            let key = MessageKey(id, seeds: seeds)
            XCTAssertEqual(key, MessageKey(a: direct.0, b: direct.1), id)
        }
    }

    /// What ``JSONScanner/literal(_:_:)`` must do (its byte loop, written out): the first byte that differs (or the
    /// end) is the error.
    private func referenceLiteral(_ line: [UInt8], at pos: Int, _ word: String) -> Result<Int, JSONSyntaxError> {
        for (k, want) in word.utf8.enumerated() {
            guard pos + k < line.count else { return .failure(JSONSyntaxError(.unexpectedEnd, at: pos + k)) }
            guard line[pos + k] == want else { return .failure(JSONSyntaxError(.unexpectedCharacter(line[pos + k]), at: pos + k)) }
        }
        return .success(pos + word.utf8.count)
    }

    /// `true`, `false` and `null` (a guard for any faster literal path — a one-masked-word version was tried in walk7b,
    /// see docs/PERFORMANCE.md, and measured slower): every literal, cut short at every length, with every byte
    /// position substituted (by a neighbour letter, its uppercase, a NUL, a quote, a byte ≥ 0x80), followed by 0–9
    /// bytes, agrees with the byte loop — verdict, end and error offset; and through the validator and the walk (a
    /// consent preference, a property, a skipped value) the line's verdict agrees.
    func testLiteralWordFastPathAgreesWithByteLoop() {
        let literals: [(String, UInt64, Int)] = [("true", 0x74_72_75_65, 4), ("false", 0x66_61_6C_73_65, 5), ("null", 0x6E_75_6C_6C, 4)]
        var checked = 0
        for (word, packed, length) in literals {
            let w = Array(word.utf8)
            var variants: [[UInt8]] = [w]
            for cut in 0 ..< w.count { variants.append(Array(w[..<cut])) }
            for k in w.indices {
                for sub: UInt8 in [w[k] &+ 1, w[k] &- 1, w[k] & 0xDF, 0, 0x22, 0x80, 0xFF] where sub != w[k] {
                    var v = w; v[k] = sub; variants.append(v)
                }
            }
            for v in variants {
                for before in 0 ..< 3 {
                    for after in 0 ... 9 {
                        let line = Array(repeating: UInt8(ascii: " "), count: before) + v + Array(repeating: UInt8(ascii: ","), count: after)
                        let expected = referenceLiteral(line, at: before, word)
                        let got: Result<Int, JSONSyntaxError> = line.withUnsafeBufferPointer { b in
                            var s = JSONScanner(b)
                            s.pos = before
                            do throws(JSONSyntaxError) { try s.literal(packed, length); return .success(s.pos) } catch { return .failure(error) }
                        }
                        XCTAssertEqual(got, expected, "\(String(decoding: line, as: UTF8.self)) after \(after)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 1000)
        // Through the walk: in a consent preference, as a selected property and as a skipped value, against the validator.
        let parser = EventLineParser(selection: FieldSelection(paths: ["properties.flag"]))
        for (word, _, _) in literals {
            let w = Array(word.utf8)
            var variants: [[UInt8]] = [w, Array(w.dropLast()), w + [0x78]]
            for k in w.indices { var v = w; v[k] = w[k] & 0xDF; variants.append(v) }
            for v in variants {
                let lit = String(decoding: v, as: UTF8.self)
                for template in [#"{"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","context":{"consent":{"categoryPreferences":{"a":@}}}}"#,
                                 #"{"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","properties":{"flag":@}}"#,
                                 #"{"type":"track","userId":"u","timestamp":"2026-01-01T00:00:00.000Z","other":@}"#,
                                 #"{"type":"track","userId":"u","x":@"#] {
                    let line = Array(template.replacingOccurrences(of: "@", with: lit).utf8)
                    assertWalkAgreesWithValidator(line, parser)
                }
            }
        }
    }

    /// ``TrieLookup/equal(_:_:_:)`` (the rest of a long key) against `==`: every length 0–40 at 4 alignments, equal,
    /// and with one byte changed at every position (so that a word that skips a byte would be caught — the existing
    /// lookup tests did not catch a dropped last word), never reading past `n` (different sentinels after both).
    func testTrieRestEqualAgreesWithByteLoop() {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0 ..< 64).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        var checked = 0
        for n in 0 ... 40 {
            for offset in 0 ..< 4 {
                let a = Array(bytes[offset ..< offset + n])
                var cases: [[UInt8]] = [a]
                for k in 0 ..< n { var b = a; b[k] ^= UInt8(1 << (k % 8)); cases.append(b) }
                for b in cases {
                    // One byte more on each (never read: `equal` must not read past `n`; the sentinel just keeps the
                    // buffers non-empty at n = 0).
                    let got = (a + [0xAA]).withUnsafeBufferPointer { pa in
                        (b + [0x55]).withUnsafeBufferPointer { pb in TrieLookup.equal(pa.baseAddress!, pb.baseAddress!, n) }
                    }
                    XCTAssertEqual(got, a == b, "n \(n) offset \(offset)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 3000)
    }

    /// The walk's verdict on `line` is the validator's: the same syntax error (kind and offset), or none.
    private func assertWalkAgreesWithValidator(_ line: [UInt8], _ parser: EventLineParser,
                                               file: StaticString = #filePath, line number: UInt = #line) {
        let validation = line.withUnsafeBytes { JSONScanner.validate($0) }
        let parsed = line.withUnsafeBytes { parser.parse($0) }
        let label = String(decoding: line, as: UTF8.self)
        if case .failure(.invalidJSON(let e)) = parsed {
            XCTAssertEqual(e, validation, label, file: file, line: number)
        } else {
            XCTAssertNil(validation, label, file: file, line: number)
        }
    }
}
