import Dashboard
@testable import Terminal
import XCTest

final class ColorTests: XCTestCase {
    func testHexToNearest256() {
        XCTAssertEqual(ColorMatching.nearest256(RGB(0x5f, 0xaf, 0xff)), 75)   // exact cube color
        XCTAssertEqual(ColorMatching.nearest256(RGB(0xff, 0, 0)), 196)
        XCTAssertEqual(ColorMatching.nearest256(RGB(0, 0, 0)), 16)
        XCTAssertEqual(ColorMatching.nearest256(RGB(0xff, 0xff, 0xff)), 231)
        XCTAssertEqual(ColorMatching.nearest256(RGB(0x80, 0x80, 0x80)), 244)  // gray ramp 128 beats cube 135
        XCTAssertEqual(ColorMatching.nearest256(RGB(0x12, 0x34, 0x56)), 23)   // cube (0,95,95) beats gray 48
        XCTAssertEqual(ColorMatching.nearest256(RGB(0x30, 0x30, 0x30)), 236)  // gray 48
    }

    func testPaletteIndexToRGB() {
        XCTAssertEqual(ColorMatching.rgb(ofIndex: 75), RGB(95, 175, 255))
        XCTAssertEqual(ColorMatching.rgb(ofIndex: 232), RGB(8, 8, 8))
        XCTAssertEqual(ColorMatching.rgb(ofIndex: 255), RGB(238, 238, 238))
        XCTAssertEqual(ColorMatching.rgb(ofIndex: 9), RGB(255, 0, 0))
    }

    func testHexToNearestANSI() {
        XCTAssertEqual(ColorMatching.nearestANSI(RGB(0x5f, 0xaf, 0xff)), 12)          // bright blue
        XCTAssertEqual(ColorMatching.nearestANSI(RGB(0x5f, 0xaf, 0xff), count: 8), 6)  // cyan
        XCTAssertEqual(ColorMatching.nearestANSI(RGB(0xff, 0x87, 0x00)), 3)           // yellow
        XCTAssertEqual(ColorMatching.nearestANSI(RGB(0x8a, 0x8a, 0x8a)), 8)           // bright black
        XCTAssertEqual(ColorMatching.nearestANSI(RGB(0x30, 0x30, 0x30)), 0)
        XCTAssertEqual(ColorMatching.nearestANSI(RGB(0xff, 0xff, 0xff)), 15)
    }

    func testColorLiterals() {
        XCTAssertEqual(try ThemeColor.parseLiteral("Bright_Red").get(), .ansi(9))
        XCTAssertEqual(try ThemeColor.parseLiteral("gray").get(), .ansi(8))
        XCTAssertEqual(try ThemeColor.parseLiteral("7").get(), .ansi(7))
        XCTAssertEqual(try ThemeColor.parseLiteral("255").get(), .indexed(255))
        XCTAssertEqual(try ThemeColor.parseLiteral("DEFAULT").get(), .terminalDefault)
        XCTAssertEqual(ThemeColor.parseLiteral("256"), .failure(.indexOutOfRange(256)))
        XCTAssertEqual(ThemeColor.parseLiteral("#fff"), .failure(.badHex("#fff")))
        XCTAssertEqual(ThemeColor.parseLiteral("12a"), .failure(.unknownName("12a")))
        XCTAssertEqual(RGB(hex: "#5FAFFF")?.hex, "#5fafff")
    }

    func testColorNumberPerTier() {
        let accent = ThemeColor.rgb(RGB(0x5f, 0xaf, 0xff))
        XCTAssertEqual(ResolvedStyles.colorNumber(accent, tier: .xterm256), 75)
        XCTAssertEqual(ResolvedStyles.colorNumber(accent, tier: .ansi16), 12)
        XCTAssertEqual(ResolvedStyles.colorNumber(accent, tier: .ansi8), 6)
        XCTAssertEqual(ResolvedStyles.colorNumber(accent, tier: .none), -1)
        XCTAssertEqual(ResolvedStyles.colorNumber(.terminalDefault, tier: .xterm256), -1)
        XCTAssertEqual(ResolvedStyles.colorNumber(.ansi(12), tier: .xterm256), 12)
        XCTAssertEqual(ResolvedStyles.colorNumber(.ansi(12), tier: .ansi8), 4)
        XCTAssertEqual(ResolvedStyles.colorNumber(.indexed(196), tier: .ansi16), 9)
        XCTAssertEqual(ResolvedStyles.colorNumber(.indexed(196), tier: .xterm256), 196)
    }

    func testResolvedDefaultThemeInEachTier() {
        let theme = Theme.builtinDefault
        XCTAssertEqual(ResolvedStyles(theme: theme, tier: .xterm256)[.tabActive],
                       TerminalStyle(foreground: 0, background: 75, attributes: .bold))
        XCTAssertEqual(ResolvedStyles(theme: theme, tier: .ansi16)[.tabActive],
                       TerminalStyle(foreground: 0, background: 12, attributes: .bold))
        XCTAssertEqual(ResolvedStyles(theme: theme, tier: .ansi8)[.tabActive],
                       TerminalStyle(foreground: 0, background: 6, attributes: .bold))
        let none = ResolvedStyles(theme: theme, tier: .none)
        XCTAssertEqual(none[.tabActive], TerminalStyle(attributes: [.reverse, .bold]))
        XCTAssertEqual(none[.selected], TerminalStyle(attributes: [.reverse, .bold]))
        XCTAssertEqual(none[.header], TerminalStyle(attributes: .bold))
        XCTAssertEqual(none[.bad], TerminalStyle(attributes: .bold))
        XCTAssertEqual(none[.warn], TerminalStyle(attributes: .underline))
        XCTAssertEqual(none[.muted], TerminalStyle(attributes: .dim))
        XCTAssertEqual(none[.normal], TerminalStyle())
        for role in StyleRole.allCases {
            XCTAssertEqual(none[role].foreground, -1)
            XCTAssertEqual(none[role].background, -1)
        }
        // Roles that differ only by color in the default theme stay distinguishable without it.
        XCTAssertNotEqual(none[.selected], none[.normal])
        XCTAssertNotEqual(none[.tabActive], none[.tabInactive])
    }
}
