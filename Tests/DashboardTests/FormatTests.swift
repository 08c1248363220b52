import XCTest
@testable import Dashboard

final class FormatTests: XCTestCase {
    let f = Format()

    func testNumbersAndPercentages() {
        XCTAssertEqual(Format.int(0), "0")
        XCTAssertEqual(Format.int(999), "999")
        XCTAssertEqual(Format.int(12_400), "12,400")
        XCTAssertEqual(Format.int(1_204_332), "1,204,332")
        XCTAssertEqual(Format.int(-48_210), "-48,210")
        XCTAssertEqual(f.percent(0.412), "41.2%")
        XCTAssertEqual(f.percent(1), "100.0%")
        XCTAssertEqual(f.percent(0.00004), "<0.1%")
        XCTAssertEqual(f.percent(0), "0.0%")
        XCTAssertEqual(f.percent(nil), "—")
        XCTAssertEqual(Format(missing: "-").percent(nil), "-")
        XCTAssertEqual(f.percent0(0.655), "66%")
        XCTAssertEqual(f.change(0.0319), "+3.2%")
        XCTAssertEqual(f.change(-0.1), "-10.0%")
        XCTAssertEqual(f.change(0.00001), "0.0%")
        XCTAssertEqual(f.nps(34.52), "+35")
        XCTAssertEqual(f.nps(-4.4), "-4")
        XCTAssertEqual(f.nps(0), "0")
        XCTAssertEqual(Format.fixed(2.25, 1), "2.3")
        XCTAssertEqual(Format.fixed(-0.04, 1), "0.0")
        XCTAssertEqual(Format.bytes(287_455_192), "287.5 MB")
        XCTAssertEqual(Format.bytes(512), "512 B")
    }

    func testDurations() {
        XCTAssertEqual(f.duration(42), "42s")
        XCTAssertEqual(f.duration(725), "12m 5s")
        XCTAssertEqual(f.duration(720), "12m")
        XCTAssertEqual(f.duration(11_520), "3h 12m")
        XCTAssertEqual(f.duration(3 * 86_400 + 4 * 3600 + 59), "3d 4h")
        XCTAssertEqual(f.duration(7 * 86_400), "7d")
        XCTAssertEqual(f.duration(nil), "—")
    }

    func testISOTimes() {
        XCTAssertEqual(Format.epochSeconds(iso: "1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(Format.epochSeconds(iso: "2026-03-01T14:02:11Z"), 1_772_373_731)
        XCTAssertEqual(Format.epochSeconds(iso: "2026-03-01T14:02:11.250Z"), 1_772_373_731)
        XCTAssertEqual(Format.epochSeconds(iso: "2026-03-01T15:02:11+01:00"), 1_772_373_731)
        XCTAssertEqual(Format.epochSeconds(iso: "2024-02-29"), 1_709_164_800)
        XCTAssertNil(Format.epochSeconds(iso: "yesterday"))
        XCTAssertNil(Format.epochSeconds(iso: "2026-13-01T00:00:00Z"))
        XCTAssertEqual(Format.day("2026-03-01T14:02:11Z"), "2026-03-01")
    }
}
