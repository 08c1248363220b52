import Dashboard
@testable import Terminal
import XCTest

final class ColorTierTests: XCTestCase {
    func select(_ env: [String: String], colors: Int? = nil, override: ColorTier? = nil, noColor: Bool = false) -> ColorTier {
        ColorTier.select(environment: env, terminalColors: colors, override: override, noColorFlag: noColor)
    }

    func testFromTermAlone() {
        XCTAssertEqual(select(["TERM": "xterm-256color"]), .xterm256)
        XCTAssertEqual(select(["TERM": "tmux-256color"]), .xterm256)
        XCTAssertEqual(select(["TERM": "xterm-direct"]), .xterm256)
        XCTAssertEqual(select(["TERM": "screen-16color"]), .ansi16)
        XCTAssertEqual(select(["TERM": "xterm"]), .ansi8)
        XCTAssertEqual(select(["TERM": "linux"]), .ansi8)
        XCTAssertEqual(select(["TERM": "vt100"]), .none)
        XCTAssertEqual(select(["TERM": "vt220"]), .none)
        XCTAssertEqual(select(["TERM": "xterm-mono"]), .none)
        XCTAssertEqual(select(["TERM": "dumb"]), .none)
        XCTAssertEqual(select([:]), .none)
    }

    func testColorTermRaisesAGuessButNotTheTerminfoCount() {
        XCTAssertEqual(select(["TERM": "xterm", "COLORTERM": "truecolor"]), .xterm256)
        XCTAssertEqual(select(["TERM": "xterm", "COLORTERM": "24bit"]), .xterm256)
        XCTAssertEqual(select(["TERM": "xterm", "COLORTERM": "truecolor"], colors: 8), .ansi8)
        XCTAssertEqual(select(["TERM": "vt100", "COLORTERM": "truecolor"]), .none)
    }

    func testNoColor() {
        XCTAssertEqual(select(["TERM": "xterm-256color", "NO_COLOR": "1"], colors: 256), .none)
        XCTAssertEqual(select(["TERM": "xterm-256color", "NO_COLOR": ""], colors: 256), .xterm256)
        XCTAssertEqual(select(["TERM": "xterm-256color"], colors: 256, noColor: true), .none)
    }

    func testTerminfoCountWins() {
        XCTAssertEqual(select(["TERM": "xterm-256color"], colors: 256), .xterm256)
        XCTAssertEqual(select(["TERM": "xterm-256color"], colors: 88), .ansi16)
        XCTAssertEqual(select(["TERM": "xterm-256color"], colors: 16), .ansi16)
        XCTAssertEqual(select(["TERM": "xterm-256color"], colors: 8), .ansi8)
        XCTAssertEqual(select(["TERM": "vt100"], colors: 0), .none)
    }

    func testOverrideOnlyLowers() {
        XCTAssertEqual(select(["TERM": "xterm-256color"], colors: 256, override: .ansi16), .ansi16)
        XCTAssertEqual(select(["TERM": "xterm-256color"], colors: 256, override: ColorTier.none), .none)
        XCTAssertEqual(select(["TERM": "xterm"], colors: 8, override: .xterm256), .ansi8)
    }

    func testTierNames() {
        XCTAssertEqual(ColorTier(name: "256"), .xterm256)
        XCTAssertEqual(ColorTier(name: "16"), .ansi16)
        XCTAssertEqual(ColorTier(name: "none"), ColorTier.none)
        XCTAssertNil(ColorTier(name: "12"))
    }

    func testCapabilityPrecheckAndLocale() {
        XCTAssertEqual(TerminalCapabilities.precheck(term: nil, stdoutIsTerminal: true, stdinIsTerminal: true), .termUnset)
        XCTAssertEqual(TerminalCapabilities.precheck(term: "dumb", stdoutIsTerminal: true, stdinIsTerminal: true),
                       .dumbTerminal("dumb"))
        XCTAssertEqual(TerminalCapabilities.precheck(term: "xterm", stdoutIsTerminal: false, stdinIsTerminal: true),
                       .outputNotTerminal)
        XCTAssertEqual(TerminalCapabilities.precheck(term: "xterm", stdoutIsTerminal: true, stdinIsTerminal: false),
                       .inputNotTerminal)
        XCTAssertNil(TerminalCapabilities.precheck(term: "xterm", stdoutIsTerminal: true, stdinIsTerminal: true))
        XCTAssertEqual(TerminalUnavailable.dumbTerminal("dumb").description,
                       "earshot's dashboard needs a terminal (TERM=dumb); use `earshot report` instead")
        XCTAssertTrue(TerminalCapabilities.isUTF8(codeset: "UTF-8"))
        XCTAssertTrue(TerminalCapabilities.isUTF8(codeset: "utf8"))
        XCTAssertFalse(TerminalCapabilities.isUTF8(codeset: "ANSI_X3.4-1968"))
    }
}

final class GlyphSelectionTests: XCTestCase {
    func testGlyphChoice() {
        XCTAssertEqual(GlyphSelection.glyphs(preference: .unicode, utf8Locale: true, asciiFlag: false), .unicode)
        XCTAssertEqual(GlyphSelection.glyphs(preference: .unicode, utf8Locale: false, asciiFlag: false), .ascii)
        XCTAssertEqual(GlyphSelection.glyphs(preference: .unicode, utf8Locale: true, asciiFlag: true), .ascii)
        XCTAssertEqual(GlyphSelection.glyphs(preference: .ascii, utf8Locale: true, asciiFlag: false), .ascii)
        XCTAssertEqual(GlyphSelection.glyphs(preference: .heavy, utf8Locale: false, asciiFlag: false), .ascii)
        let heavy = GlyphSelection.glyphs(preference: .heavy, utf8Locale: true, asciiFlag: false)
        XCTAssertEqual(heavy.horizontal, "━")
        XCTAssertEqual(heavy.topLeft, "┏")
        // No thin box-drawing line or thin eighth block is left in the heavy set.
        let thin: Set<String> = ["─", "│", "┌", "┐", "└", "┘", "▏", "▎", "▍"]
        let used = [heavy.horizontal, heavy.vertical, heavy.topLeft, heavy.topRight, heavy.bottomLeft,
                    heavy.bottomRight] + heavy.barBlocks
        XCTAssertTrue(thin.isDisjoint(with: used))
        XCTAssertEqual(heavy.barBlocks.count, Glyphs.unicode.barBlocks.count)
    }
}
