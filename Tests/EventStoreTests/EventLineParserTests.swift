import XCTest
@testable import EventStore

final class EventLineParserTests: XCTestCase {
    let parser = EventLineParser(selection: .metrics)

    func event(_ line: String, _ p: EventLineParser? = nil, file: StaticString = #filePath, line l: UInt = #line) -> ParsedEvent? {
        switch (p ?? parser).parse(line) {
        case .success(let e): return e
        case .failure(let err): XCTFail("rejected: \(err.reason)", file: file, line: l); return nil
        }
    }

    func reason(_ line: String) -> String? {
        if case .failure(let e) = parser.parse(line) { return e.reason }
        return nil
    }

    func testTrackFieldsAndSkipping() throws {
        let line = #"{"context":{"ignored":{"deep":[1,{"x":"y\"}"}],"n":-0.5e-3},"timezone":"Europe/Berlin","page":{"path":"/ctx"}},"# +
            #""type":"track","event":"Order Completed","messageId":"m-1","userId":"u1","anonymousId":"a1","# +
            #""timestamp":"2024-03-10T12:00:00.250Z","receivedAt":"not a time","# +
            #""properties":{"category":"Baby","score":9,"channel":"email","other":{"category":"no"},"survey_id":"42"}}"#
        let e = try XCTUnwrap(event(line))
        XCTAssertEqual(e.kind, .track)
        XCTAssertEqual(e.event, "Order Completed")
        XCTAssertEqual(e.messageId, "m-1")
        XCTAssertEqual(e.userId, "u1")
        XCTAssertEqual(e.anonymousId, "a1")
        XCTAssertEqual(e.time, 1_710_072_000_250)
        XCTAssertEqual(e.timezone, "Europe/Berlin")
        XCTAssertEqual(e.pagePath, "/ctx")
        XCTAssertNil(e.category)   // track: only a top-level category
        XCTAssertEqual(e.properties, [
            PathValue("properties.category", .string("Baby")),
            PathValue("properties.score", .number(9)),
            PathValue("properties.channel", .string("email")),
            PathValue("properties.survey_id", .string("42")),   // a numeric string stays a string
        ])
        XCTAssertEqual(e.traits, [])
        XCTAssertEqual(e.consent, [])
    }

    func testPageCategoryAndPathFallbacks() throws {
        let a = try XCTUnwrap(event(#"{"type":"page","name":"Home","anonymousId":"a","timestamp":"2024-01-01T00:00:00Z","properties":{"category":"Gifts","path":"/gifts/x"},"context":{"page":{"path":"/other"}}}"#))
        XCTAssertEqual(a.kind, .page)
        XCTAssertEqual(a.name, "Home")
        XCTAssertEqual(a.category, "Gifts")
        XCTAssertEqual(a.pagePath, "/gifts/x")
        let b = try XCTUnwrap(event(#"{"type":"screen","category":"Top","anonymousId":"a","timestamp":"2024-01-01T00:00:00Z","properties":{"category":"Inner"}}"#))
        XCTAssertEqual(b.category, "Top")
        XCTAssertNil(b.pagePath)
        let c = try XCTUnwrap(event(#"{"type":"page","anonymousId":"a","timestamp":"2024-01-01T00:00:00Z","context":{"page":{"path":"/from/context"}}}"#))
        XCTAssertEqual(c.pagePath, "/from/context")
        XCTAssertNil(c.category)
        let other = try XCTUnwrap(event(#"{"type":"Track","anonymousId":"a","timestamp":"2024-01-01T00:00:00Z"}"#))
        XCTAssertEqual(other.kind, .other)
    }

    func testEventTimeFallbackOrder() throws {
        let base = #""type":"track","userId":"u","#
        XCTAssertEqual(event("{" + base + #""originalTimestamp":"1970-01-01T00:00:01Z","receivedAt":"1970-01-01T00:00:02Z"}"#)?.time, 1_000)
        XCTAssertEqual(event("{" + base + #""receivedAt":"1970-01-01T00:00:02Z"}"#)?.time, 2_000)
        XCTAssertEqual(event("{" + base + #""timestamp":null,"receivedAt":"1970-01-01T00:00:02Z"}"#)?.time, 2_000)
        // The first present field decides, even if a later one would parse.
        XCTAssertEqual(reason("{" + base + #""timestamp":"2024-02-30T00:00:00Z","receivedAt":"1970-01-01T00:00:02Z"}"#),
                       #""timestamp" is not a valid time: "2024-02-30T00:00:00Z": day out of range for the month"#)
        XCTAssertEqual(reason("{" + base + #""originalTimestamp":"2024-01-01T10:00:00"}"#),
                       #""originalTimestamp" is a time without a zone: "2024-01-01T10:00:00" (use --assume-utc to read such times as UTC)"#)
        XCTAssertEqual(reason("{" + base + #""timestamp":1712000000}"#),
                       #""timestamp" is not a valid time: expected an ISO-8601 string, found a number"#)
        XCTAssertEqual(reason(#"{"type":"track","userId":"u"}"#),
                       #"no event time (none of "timestamp", "originalTimestamp", "receivedAt")"#)
        // Duplicate keys: the last one wins.
        XCTAssertEqual(event("{" + base + #""timestamp":"bad","timestamp":"1970-01-01T00:00:03Z"}"#)?.time, 3_000)
    }

    func testIdentityRules() throws {
        let t = #""type":"track","timestamp":"2024-01-01T00:00:00Z""#
        // A number is an id, written as JavaScript writes it (issue #10 item 3).
        XCTAssertEqual(event("{" + t + #","userId":42}"#)?.userId, "42")
        XCTAssertEqual(reason("{" + t + #","userId":true}"#), #"neither "userId" nor "anonymousId" is a non-empty string"#)
        XCTAssertEqual(reason("{" + t + #","userId":"","anonymousId":null}"#), #"neither "userId" nor "anonymousId" is a non-empty string"#)
        let e = try XCTUnwrap(event("{" + t + #","userId":"","anonymousId":"a9"}"#))
        XCTAssertNil(e.userId)
        XCTAssertEqual(e.anonymousId, "a9")
        // Last duplicate wins, even when it is not a string.
        XCTAssertEqual(event("{" + t + #","userId":"first","userId":"second"}"#)?.userId, "second")
        XCTAssertEqual(event("{" + t + #","userId":"first","userId":7}"#)?.userId, "7")
        XCTAssertEqual(reason("{" + t + #","userId":"first","userId":null}"#), #"neither "userId" nor "anonymousId" is a non-empty string"#)
    }

    func testEscapesAndUnicode() throws {
        let line = #"{"type":"track","us\u0065rId":"\u00e9\ud83d\ude00\n\"q\"","anonymousId":"\ud800x","# +
            #""event":"caf\u00E9 \/ ok","timestamp":"2024-01-01T00:00:00\u005a","properties":{"category":"日本語"}}"#
        let e = try XCTUnwrap(event(line))
        XCTAssertEqual(e.userId, "é😀\n\"q\"")
        XCTAssertEqual(e.anonymousId, "\u{FFFD}x")          // lone surrogate replaced
        XCTAssertEqual(e.event, "café / ok")
        XCTAssertEqual(e.time, 1_704_067_200_000)
        XCTAssertEqual(e.properties, [PathValue("properties.category", .string("日本語"))])
    }

    func testNumbersAndComposites() throws {
        let p = EventLineParser(selection: FieldSelection(paths: ["properties.a", "properties.b", "properties.c", "properties.d",
                                                                  "properties.e", "properties.f", "context.campaign.medium",
                                                                  "context.campaign"]))
        let e = try XCTUnwrap(event(#"{"type":"track","userId":"u","timestamp":"2024-01-01T00:00:00Z","# +
            #""properties":{"a":1.5e2,"b":-12345678901234567890,"c":[1,2],"d":{"x":1},"e":null,"f":false,"a":0.1},"# +
            #""context":{"campaign":{"medium":"email","source":"x"}}}"#, p))
        XCTAssertEqual(e.properties, [
            PathValue("properties.a", .number(0.1)),   // duplicate key: last wins, first position
            PathValue("properties.b", .number(-12_345_678_901_234_567_168)),
            PathValue("properties.c", .composite),
            PathValue("properties.d", .composite),
            PathValue("properties.e", .null),
            PathValue("properties.f", .bool(false)),
            PathValue("context.campaign.medium", .string("email")),
            PathValue("context.campaign", .composite),
        ])
        XCTAssertEqual(e.properties[1].value, .number(-1.2345678901234567e19))
    }

    func testTraitsFlattening() throws {
        let e = try XCTUnwrap(event(#"{"type":"identify","userId":"u","timestamp":"2024-01-01T00:00:00Z","# +
            #""traits":{"plan":"pro","age":41,"address":{"city":"Kiel","geo":{"lat":54.3}},"tags":["a","b"],"# +
            #""vip":true,"note":null,"empty":{},"plan":"team"}}"#))
        XCTAssertEqual(e.traits, [
            PathValue("plan", .string("team")),
            PathValue("age", .number(41)),
            PathValue("address.city", .string("Kiel")),
            PathValue("address.geo.lat", .number(54.3)),
            PathValue("tags", .composite),
            PathValue("vip", .bool(true)),
            PathValue("note", .null),
        ])
        // Only identify calls carry traits.
        let t = try XCTUnwrap(event(#"{"type":"track","userId":"u","timestamp":"2024-01-01T00:00:00Z","traits":{"plan":"pro"}}"#))
        XCTAssertEqual(t.traits, [])
    }

    func testConsentBothFormats() throws {
        let e = try XCTUnwrap(event(#"{"type":"track","userId":"u","timestamp":"2024-01-01T00:00:00Z","context":{"# +
            #""consent":{"categoryPreferences":{"Advertising":true,"Analytics":false,"Weird":"yes","Null":null,"Nested":{"a":true}}},"# +
            #""consentManagement":{"allowedConsentIds":["C0001",7,"C0002"],"deniedConsentIds":["C0004"]}}}"#))
        XCTAssertEqual(e.consent, [
            ConsentEntry("Advertising", true), ConsentEntry("Analytics", false),
            ConsentEntry("C0001", true), ConsentEntry("C0002", true), ConsentEntry("C0004", false),
        ])
        let none = try XCTUnwrap(event(#"{"type":"track","userId":"u","timestamp":"2024-01-01T00:00:00Z","context":{"consent":{"categoryPreferences":[true]}}}"#))
        XCTAssertEqual(none.consent, [])
    }

    func testMalformedReasons() {
        XCTAssertEqual(reason(#"{"type":"track","userId":"u","timestamp":"2024-01-01T00:00:00Z","event":"oops}"#),
                       "invalid JSON: unterminated string at column 73")
        XCTAssertEqual(reason(#"{"type":"track",}"#), "invalid JSON: trailing comma at column 17")
        XCTAssertEqual(reason(#"{"type":"track"} {"#), "invalid JSON: unexpected data after the JSON value at column 18")
        XCTAssertEqual(reason(#"[{"type":"track"}]"#), "not a JSON object (the line is an array)")
        XCTAssertEqual(reason(#""track""#), "not a JSON object (the line is a string)")
        XCTAssertEqual(reason(#"{"userId":"u","timestamp":"2024-01-01T00:00:00Z"}"#),
                       #"no "type" string (track, identify, page, screen, group or alias), and not a batch envelope or PostHog event"#)
        XCTAssertEqual(reason(#"{"type":7,"userId":"u","timestamp":"2024-01-01T00:00:00Z"}"#),
                       #"no "type" string (track, identify, page, screen, group or alias), and not a batch envelope or PostHog event"#)
        // Validation covers skipped subtrees too.
        XCTAssertEqual(reason(#"{"type":"track","userId":"u","timestamp":"2024-01-01T00:00:00Z","x":[01]}"#),
                       "invalid JSON: invalid number (leading zero) at column 70")
        let deep = #"{"type":"track","x":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"
        XCTAssertEqual(reason(deep), "invalid JSON: nested too deeply (more than 256 levels) at column 276")
    }

    func testStaticEntryPoint() {
        let bytes = Array(#"{"type":"alias","userId":"u2","previousId":"a3","timestamp":"2024-01-01T00:00:00Z"}"#.utf8)
        let r = bytes.withUnsafeBytes { EventLineParser.parse($0, selection: .metrics) }
        XCTAssertEqual(try r.get().previousId, "a3")
        XCTAssertEqual(try r.get().kind, .alias)
    }
}

final class EventLineParserSelectionTests: XCTestCase {
    func testSelectedPathsInsideConsentAndTraits() throws {
        let p = EventLineParser(selection: FieldSelection(paths: ["context.consent.categoryPreferences.Analytics", "traits.plan"]))
        let e = try p.parse(#"{"type":"identify","userId":"u","timestamp":"2024-01-01T00:00:00Z","# +
            #""context":{"consent":{"categoryPreferences":{"Analytics":false,"Ads":true}}},"traits":{"plan":"pro","seats":3}}"#).get()
        XCTAssertEqual(e.consent, [ConsentEntry("Analytics", false), ConsentEntry("Ads", true)])
        XCTAssertEqual(e.properties, [PathValue("context.consent.categoryPreferences.Analytics", .bool(false)),
                                      PathValue("traits.plan", .string("pro"))])
        XCTAssertEqual(e.traits, [PathValue("plan", .string("pro")), PathValue("seats", .number(3))])
    }

    func testKeysWithEscapesMatchWantedPaths() throws {
        let e = try EventLineParser().parse(#"{"typ\u0065":"page","\u0075serId":"u","timestamp":"2024-01-01T00:00:00Z","# +
            #""propert\u0069es":{"c\u0061tegory":"Shoes"}}"#).get()
        XCTAssertEqual(e.kind, .page)
        XCTAssertEqual(e.userId, "u")
        XCTAssertEqual(e.category, "Shoes")
        XCTAssertEqual(e.properties, [PathValue("properties.category", .string("Shoes"))])
    }
}

/// Issue #11.4: repeated consent keys keep the last value at its own position, in linear time.
final class ConsentRepeatedKeysTests: XCTestCase {
    func parse(_ prefs: String) throws -> ParsedEvent {
        try EventLineParser().parse(#"{"type":"track","userId":"u","timestamp":"2024-01-01T00:00:00Z","context":{"consent":{"categoryPreferences":{"#
                                    + prefs + "}}}}").get()
    }

    func testLastValueWinsAtItsOwnPositionInShortAndLongObjects() throws {
        let short = try parse(#""A":true,"B":false,"A":false,"C":true"#)
        XCTAssertEqual(short.consent, [ConsentEntry("B", false), ConsentEntry("A", false), ConsentEntry("C", true)])
        // Long enough for the hashed path: 40 categories, the first ten repeated at the end with the other value.
        var parts = (0 ..< 40).map { #""K\#($0)":true"# }
        parts += (0 ..< 10).map { #""K\#($0)":false"# }
        let long = try parse(parts.joined(separator: ","))
        XCTAssertEqual(long.consent.count, 40)
        XCTAssertEqual(long.consent.first, ConsentEntry("K10", true))
        XCTAssertEqual(Array(long.consent.suffix(10)), (0 ..< 10).map { ConsentEntry("K\($0)", false) })
    }

    func testHostileLineWithManyCategoriesIsReadWhole() throws {
        // 160,000 distinct categories in one line (about 2.5 MB): a search per member made this take 46 s.
        let prefs = (0 ..< 160_000).map { #""c\#($0)":true"# }.joined(separator: ",")
        let e = try parse(prefs + #","c7":false"#)
        XCTAssertEqual(e.consent.count, 160_000)
        XCTAssertEqual(e.consent.last, ConsentEntry("c7", false))
    }
}
