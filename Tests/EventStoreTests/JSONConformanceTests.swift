import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

/// JSONTestSuite (Nicolas Seriot): y_ must be accepted, n_ rejected, i_ must not crash or hang.
final class JSONConformanceTests: XCTestCase {
    /// The suite's `test_parsing` folder: vendored in `Tests/Fixtures/JSONTestSuite` (MIT), so a fresh clone is
    /// complete; a `shared/conformance/JSONTestSuite` beside the repository is the fallback.
    static func suiteDirectory() -> URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // Tests/EventStoreTests
        let vendored = dir.deletingLastPathComponent().appendingPathComponent("Fixtures/JSONTestSuite/test_parsing")
        if FileManager.default.fileExists(atPath: vendored.path) { return vendored }
        // Up to the repository root (the folder holding Package.swift), then look beside it and above.
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        var base = dir.deletingLastPathComponent()
        while true {
            let candidate = base.appendingPathComponent("shared/conformance/JSONTestSuite/test_parsing")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            if base.path == "/" { return nil }
            base = base.deletingLastPathComponent()
        }
    }

    func testJSONTestSuite() throws {
        guard let dir = Self.suiteDirectory() else {
            // The suite is part of the repository: a missing one is a failure, never a skip.
            return XCTFail("JSONTestSuite not found (Tests/Fixtures/JSONTestSuite/test_parsing)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThan(names.count, 300)
        var accepted = 0, rejected = 0, implementationDefined = 0
        for name in names {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            let error = data.withUnsafeBytes { JSONScanner.validate($0) }
            switch name.first {
            case "y":
                XCTAssertNil(error, "\(name) must be accepted, got: \(error.map(\.description) ?? "")")
                accepted += 1
            case "n":
                XCTAssertNotNil(error, "\(name) must be rejected")
                rejected += 1
            default:
                implementationDefined += 1
            }
        }
        XCTAssertEqual(accepted, 95)
        XCTAssertEqual(rejected, 188)
        XCTAssertEqual(implementationDefined, 35)
    }

    func testErrorPositionsAndMessages() {
        XCTAssertEqual(JSONScanner.validate("{\"a\": \"xyz")?.description, "unterminated string at column 7")
        XCTAssertEqual(JSONScanner.validate("[1,2,]")?.description, "trailing comma at column 6")
        XCTAssertEqual(JSONScanner.validate("{\"a\":1,}")?.description, "trailing comma at column 8")
        XCTAssertEqual(JSONScanner.validate("01")?.description, "invalid number (leading zero) at column 1")
        XCTAssertEqual(JSONScanner.validate("{\"a\" 1}")?.description, "expected ':' after object key at column 6")
        XCTAssertEqual(JSONScanner.validate("{} x")?.description, "unexpected data after the JSON value at column 4")
        XCTAssertEqual(JSONScanner.validate("   ")?.description, "empty document at column 1")
        XCTAssertEqual(JSONScanner.validate("[tru]")?.description, "unexpected character ']' at column 5")
        XCTAssertEqual(JSONScanner.validate("\"a\\x\"")?.description, "invalid escape sequence in string at column 3")
        XCTAssertEqual(JSONScanner.validate("\"\\u12G4\"")?.description, "invalid \\u escape in string (needs 4 hex digits) at column 2")
        XCTAssertEqual(JSONScanner.validate("\"a\tb\"")?.description, "unescaped control character in string at column 3")
        XCTAssertEqual(JSONScanner.validate("1.")?.description, "invalid number at column 1")
        XCTAssertEqual(JSONScanner.validate("{1:2}")?.description, "expected a string key in object at column 2")
        XCTAssertEqual(JSONScanner.validate("[1 2]")?.description, "expected ',' or ']' in array at column 4")
        XCTAssertNil(JSONScanner.validate(" {\"a\":[1,-2.5e+3,true,false,null,\"\\ud83d\\ude00\"]}\r\n"))
    }

    func testStrictUTF8() {
        func check(_ bytes: [UInt8]) -> JSONSyntaxError? {
            bytes.withUnsafeBytes { JSONScanner.validate($0) }
        }
        let q = UInt8(ascii: "\"")
        XCTAssertNil(check([q, 0xC3, 0xA9, q]))                         // é
        XCTAssertNil(check([q, 0xF0, 0x9F, 0x98, 0x80, q]))             // 😀
        XCTAssertEqual(check([q, 0xC0, 0xAF, q])?.problem, .invalidUTF8)       // overlong '/'
        XCTAssertEqual(check([q, 0xE0, 0x80, 0xAF, q])?.problem, .invalidUTF8) // overlong 3-byte
        XCTAssertEqual(check([q, 0xED, 0xA0, 0x80, q])?.problem, .invalidUTF8) // encoded surrogate
        XCTAssertEqual(check([q, 0xF4, 0x90, 0x80, 0x80, q])?.problem, .invalidUTF8) // above U+10FFFF
        XCTAssertEqual(check([q, 0xE2, 0x82, q])?.problem, .invalidUTF8)       // truncated sequence
        XCTAssertEqual(check([q, 0x80, q])?.offset, 1)                         // lone continuation
        // A non-ASCII byte in the eight-byte fast path.
        XCTAssertEqual(check([q] + Array("abcdefgh".utf8) + [0xFF] + Array("ijklmnop".utf8) + [q])?.offset, 9)
    }

    /// Every byte class at every offset of a string, so each lands in the 16-byte (SSE2) block, the 8-byte tail and
    /// the byte loop of `scanString` in turn, at every lane: the verdict and the error's offset must be exact.
    func testStringBytesAtEveryOffset() {
        let q = UInt8(ascii: "\""), a = UInt8(ascii: "a")
        // (bytes put into the string, the expected problem — nil: valid —, its offset inside the probe)
        let probes: [([UInt8], JSONSyntaxError.Problem?, Int)] = [
            ([0x00], .controlCharacterInString, 0), ([0x01], .controlCharacterInString, 0),
            ([0x1F], .controlCharacterInString, 0), ([0x0A], .controlCharacterInString, 0),
            ([0x20], nil, 0), ([0x21], nil, 0), ([0x7E], nil, 0), ([0x7F], nil, 0), ([0x2F], nil, 0), ([0x5B], nil, 0),
            ([0x5C, 0x6E], nil, 0), ([0x5C, 0x5C], nil, 0), ([0x5C, 0x22], nil, 0),
            ([0x5C, 0x75, 0x30, 0x30, 0x65, 0x39], nil, 0), ([0x5C, 0x78], .invalidEscape, 0),
            ([0x5C, 0x75, 0x30, 0x47, 0x30, 0x30], .invalidUnicodeEscape, 0),
            ([0xC3, 0xA9], nil, 0), ([0xE2, 0x82, 0xAC], nil, 0), ([0xF0, 0x9F, 0x98, 0x80], nil, 0),
            ([0x80], .invalidUTF8, 0), ([0xFF], .invalidUTF8, 0), ([0xC3, 0x61], .invalidUTF8, 0),
            ([0xED, 0xA0, 0x80], .invalidUTF8, 0), ([0xC0, 0xAF], .invalidUTF8, 0), ([0x61, 0xF4, 0x90, 0x80, 0x80], .invalidUTF8, 1),
            ([q], .dataAfterValue, 1),  // the string ends at the quote; the rest is data after the value
        ]
        for (probe, problem, at) in probes {
            for before in 0 ..< 40 {
                for after in [0, 1, 7, 8, 15, 16, 17, 31] {
                    let doc = [q] + Array(repeating: a, count: before) + probe + Array(repeating: a, count: after) + [q]
                    let error = doc.withUnsafeBytes { JSONScanner.validate($0) }
                    let label = "probe \(probe) after \(before) bytes, \(after) after"
                    XCTAssertEqual(error?.problem, problem, label)
                    if problem != nil { XCTAssertEqual(error?.offset, 1 + before + at, label) }
                    // Unterminated: the same string without its closing quote.
                    let open = doc.dropLast().withUnsafeBytes { JSONScanner.validate($0) }
                    if problem == nil { XCTAssertEqual(open, JSONSyntaxError(.unterminatedString, at: 0), label) }
                }
            }
        }
    }

    func testDepthLimit() {
        let ok = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        XCTAssertNil(JSONScanner.validate(ok))
        let deep = String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
        XCTAssertEqual(JSONScanner.validate(deep)?.description, "nested too deeply (more than 256 levels) at column 257")
        let huge = String(repeating: "{\"a\":", count: 100_000)
        XCTAssertEqual(JSONScanner.validate(huge)?.problem, .nestedTooDeeply(limit: 256))
    }
}

/// The extracting parser validates exactly like the plain validator, whatever the bytes.
final class JSONMutationTests: XCTestCase {
    func testParserAndValidatorAgreeOnMutatedLines() {
        let seed = Array((#"{"type":"identify","messageId":"m\u00e9","userId":"u1","anonymousId":"a","timestamp":"2024-01-01T00:00:00.5+01:00","# +
            #""traits":{"a":{"b":[1,2.5e3,-0,true,null]},"c":"\ud83d\ude00"},"context":{"consent":{"categoryPreferences":{"X":true}},"# +
            #""consentManagement":{"allowedConsentIds":["k"]},"page":{"path":"/p"}},"properties":{"category":"c","score":7}}"#).utf8)
        let parser = EventLineParser()
        XCTAssertNotNil(try? seed.withUnsafeBytes { parser.parse($0) }.get())
        var rng = SeededRandom(seed: 11)
        let alphabet = Array(#"{}[]":,\u0123456789abcdefnrtl-+.eE "#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        var invalid = 0
        for _ in 0 ..< 20_000 {
            var line = seed
            for _ in 0 ..< 1 + Int(rng.next() % 3) {
                let at = Int(rng.next() % UInt64(line.count))
                switch rng.next() % 3 {
                case 0: line[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: line.remove(at: at)
                default: line.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                }
            }
            let validation = line.withUnsafeBytes { JSONScanner.validate($0) }
            let parsed = line.withUnsafeBytes { parser.parse($0) }
            if case .failure(.invalidJSON(let e)) = parsed {
                XCTAssertEqual(e, validation, String(decoding: line, as: UTF8.self))
                invalid += 1
            } else {
                XCTAssertNil(validation, String(decoding: line, as: UTF8.self))
            }
        }
        XCTAssertGreaterThan(invalid, 5_000)
    }
}
