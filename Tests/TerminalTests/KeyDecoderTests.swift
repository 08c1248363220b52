import Dashboard
@testable import Terminal
import XCTest

final class KeyDecoderTests: XCTestCase {
    let k = KeyCodes.ncurses

    func testLinkedNcursesCodes() {
        // The values of ncurses' KEY_* macros (octal in curses.h), as reported by the shim.
        XCTAssertEqual(k.down, 0o402)
        XCTAssertEqual(k.up, 0o403)
        XCTAssertEqual(k.f0, 0o410)
        XCTAssertEqual(k.backTab, 0o541)
        XCTAssertEqual(k.resize, 0o632)
    }

    func testCharacterTable() {
        let table: [(UInt32, Key?)] = [
            (UInt32(UInt8(ascii: "q")), .char("q")),
            (UInt32(UInt8(ascii: "G")), .char("G")),
            (UInt32(UInt8(ascii: "?")), .char("?")),
            (32, .char(" ")),
            (0xe9, .char("é")),
            (0x4e2d, .char("中")),
            (0x1f600, .char("😀")),
            (1, .ctrl("a")), (3, .ctrl("c")), (21, .ctrl("u")), (26, .ctrl("z")),
            (9, .tab), (10, .enter), (13, .enter),
            (8, .backspace), (127, .backspace),
            (27, .escape),
            (0, nil), (28, nil), (31, nil),
            (0x85, nil), (0x9b, nil),            // C1 controls
            (0x202e, nil), (0x2066, nil),        // bidi override, isolate
            (0x200b, nil), (0xfeff, nil),        // zero width space, BOM
            (0xd800, nil),                       // a surrogate is not a scalar
        ]
        for (value, expected) in table {
            XCTAssertEqual(KeyDecoder.decode(.char(value), codes: k), expected.map(DecodedInput.key),
                           "char \(value)")
        }
    }

    func testKeyCodeTable() {
        let table: [(Int32, DecodedInput?)] = [
            (k.up, .key(.up)), (k.down, .key(.down)), (k.left, .key(.left)), (k.right, .key(.right)),
            (k.home, .key(.home)), (k.end, .key(.end)), (k.keypadA1, .key(.home)), (k.keypadC1, .key(.end)),
            (k.pageUp, .key(.pageUp)), (k.pageDown, .key(.pageDown)),
            (k.keypadA3, .key(.pageUp)), (k.keypadC3, .key(.pageDown)),
            (k.enter, .key(.enter)), (k.backspace, .key(.backspace)), (k.delete, .key(.delete)),
            (k.backTab, .key(.backTab)),
            (k.f0 + 1, .key(.function(1))), (k.f0 + 12, .key(.function(12))), (k.f0 + 63, .key(.function(63))),
            (k.resize, .resize),
            (k.mouse, nil), (k.insert, nil), (k.keypadB2, nil), (k.f0, nil), (9999, nil),
        ]
        for (code, expected) in table {
            XCTAssertEqual(KeyDecoder.decode(.keyCode(code), codes: k), expected, "code \(code)")
        }
    }

    func chars(_ s: String) -> [RawInput] { s.unicodeScalars.map { .char($0.value) } }

    func testEscapeSequencesAreDroppedNotTyped() {
        // Esc alone at the end of a burst is the Esc key.
        XCTAssertEqual(KeyDecoder.decode(burst: chars("\u{1b}"), codes: k), [.key(.escape)])
        // Alt-x: dropped.
        XCTAssertEqual(KeyDecoder.decode(burst: chars("\u{1b}x"), codes: k), [])
        // An unknown CSI sequence (e.g. Ctrl-Alt-Up), then a key: only the key.
        XCTAssertEqual(KeyDecoder.decode(burst: chars("\u{1b}[1;7Aq"), codes: k), [.key(.char("q"))])
        // SS3 sequence.
        XCTAssertEqual(KeyDecoder.decode(burst: chars("\u{1b}OPj"), codes: k), [.key(.char("j"))])
        // An OSC string (e.g. a terminal's answer) up to BEL, and up to ESC \.
        XCTAssertEqual(KeyDecoder.decode(burst: chars("\u{1b}]52;c;aGk=\u{07}k"), codes: k), [.key(.char("k"))])
        XCTAssertEqual(KeyDecoder.decode(burst: chars("\u{1b}]11;rgb:0/0/0\u{1b}\\2"), codes: k), [.key(.char("2"))])
        // 8-bit CSI.
        XCTAssertEqual(KeyDecoder.decode(burst: chars("\u{9b}2J"), codes: k), [])
        // Esc Esc: the first is a key, the second starts nothing more.
        XCTAssertEqual(KeyDecoder.decode(burst: chars("\u{1b}\u{1b}"), codes: k), [.key(.escape), .key(.escape)])
        // Esc followed by a decoded key code: both.
        XCTAssertEqual(KeyDecoder.decode(burst: [.char(27), .keyCode(k.up)], codes: k), [.key(.escape), .key(.up)])
        // Plain typing in one burst.
        XCTAssertEqual(KeyDecoder.decode(burst: chars("ab\r"), codes: k),
                       [.key(.char("a")), .key(.char("b")), .key(.enter)])
        // Resize inside a burst.
        XCTAssertEqual(KeyDecoder.decode(burst: [.keyCode(k.resize), .char(113)], codes: k),
                       [.resize, .key(.char("q"))])
    }
}
