// The escape corpus shared by the tests of every output (dashboard cells, text report, CSV, JSON,
// Prometheus, check, messages on stderr), in the shared test-support module.

/// Each sample is one way store text could drive a terminal, reorder or hide what a reader sees.
public enum EscapeCorpus {
    public static let samples: [(name: String, text: String)] = [
        ("OSC 52 clipboard write", "\u{1b}]52;c;aGVsbG8=\u{07}"),
        ("OSC 0 window title", "\u{1b}]0;pwned\u{07}"),
        ("OSC 8 link ended by ST", "\u{1b}]8;;http://x\u{1b}\\"),
        ("CSI clear screen", "\u{1b}[2J"),
        ("CSI private mode", "\u{1b}[?1049h"),
        ("8-bit CSI", "\u{9b}31m"),
        ("8-bit OSC", "\u{9d}0;t\u{07}"),
        ("DCS", "\u{1b}P1$r\u{1b}\\"),
        ("APC with 8-bit ST", "\u{1b}_apc\u{9c}"),
        ("ESC c reset", "\u{1b}c"),
        ("ESC ( B charset", "\u{1b}(B"),
        ("C0 controls", "\u{07}\u{08}\u{0}\u{0b}\u{0c}"),
        ("CR, LF, tab", "\r\n\t"),
        ("DEL and C1 NEL", "\u{7f}\u{85}"),
        ("bidi override", "\u{202e}"),
        ("bidi isolates", "\u{2066}\u{2067}\u{2068}\u{2069}"),
        ("bidi marks", "\u{200e}\u{200f}\u{061c}"),
        ("zero-width", "\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}\u{180e}"),
        ("line and paragraph separators", "\u{2028}\u{2029}"),
        ("Hangul fillers", "\u{115f}\u{1160}\u{3164}\u{ffa0}"),
        ("tag characters", "\u{e0001}\u{e0041}"),
        ("interlinear annotation", "\u{fff9}\u{fffa}\u{fffb}"),
    ]

    /// Every sample in one string, around a visible word.
    public static var all: String { samples.map(\.text).joined(separator: "x") + "end" }

    /// A scalar no output may hold raw (written independently of the library's list, so that a
    /// character dropped from that list makes these tests fail).
    public static func isForbidden(_ v: UInt32) -> Bool {
        switch v {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        case 0x200B...0x200D, 0x2060, 0xFEFF, 0x180E: return true
        case 0x2028, 0x2029, 0x115F, 0x1160, 0x3164, 0xFFA0: return true
        case 0xE0000...0xE007F, 0xFFF9...0xFFFB: return true
        default: return false
        }
    }

    /// The first forbidden scalar of `text` (line feeds allowed when `newlines`), as `U+XXXX`, or nil.
    public static func firstForbidden(in text: String, newlines: Bool = true) -> String? {
        for s in text.unicodeScalars where isForbidden(s.value) && !(newlines && s.value == 0x0A) {
            let context = text.components(separatedBy: String(s)).first.map { String($0.suffix(40)) } ?? ""
            return "U+" + String(s.value, radix: 16, uppercase: true) + " after «" + context + "»"
        }
        return nil
    }
}
