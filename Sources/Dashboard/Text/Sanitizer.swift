import Analytics
import EventStore
/// Makes untrusted text (event names, properties, segment names, file names, malformed-line reasons)
/// safe to put on a terminal, and fits it to a width. Cleaning is ``SafeText`` (shared by every output,
/// with ``UnsafeText``'s list); this type adds the dashboard's placeholder and width fitting.
///
/// `clean` replaces, each by one placeholder (`�` U+FFFD, or `?` with ASCII glyphs):
/// - whole escape sequences: CSI (`ESC [` … final byte), OSC (`ESC ]` … BEL or ST), DCS/SOS/PM/APC
///   (`ESC P`/`X`/`^`/`_` … ST), other `ESC x` pairs, and their 8-bit forms (`\u{9b}`, `\u{9d}`, `\u{90}`, …);
/// - C0 controls, DEL, C1 controls;
/// - bidi controls, zero-width and invisible characters, line/paragraph separators and Hangul fillers:
///   the list of ``UnsafeText``;
///
/// A tab, newline or carriage return becomes one space (CR LF counts once); a zero-width joiner
/// *inside* an emoji sequence is dropped, so the emoji show side by side; a combining mark with no
/// base gets the dotted circle `◌` as its base.
public struct Sanitizer: Sendable {
    /// What replaces a removed character or sequence.
    public var placeholder: String
    /// Appended to truncated text.
    public var ellipsis: String

    public init(placeholder: String = "\u{FFFD}", ellipsis: String = "…") {
        self.placeholder = placeholder; self.ellipsis = ellipsis
    }

    /// The sanitizer for a glyph set (its placeholder and ellipsis).
    public init(glyphs: Glyphs) { self.init(placeholder: glyphs.placeholder, ellipsis: glyphs.ellipsis) }

    /// `text` with every control, escape sequence, bidi and zero-width character replaced
    /// (``SafeText/clean(_:placeholder:)``, the sanitizer every text output uses).
    public func clean(_ text: String) -> String { SafeText.clean(text, placeholder: placeholder) }

    /// `clean(text)` cut to at most `width` columns, ending in the ellipsis when cut.
    /// Never splits a grapheme or a wide character.
    public func fit(_ text: String, width: Int) -> String {
        Self.truncate(clean(text), width: width, ellipsis: ellipsis)
    }

    /// Cuts already clean text to `width` columns, with `ellipsis` when cut.
    public static func truncate(_ text: String, width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        if text.utf8.count <= width, text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        let total = DisplayWidth.of(text)
        if total <= width { return text }
        let ew = DisplayWidth.of(ellipsis)
        let budget = width - ew
        if budget < 0 {
            // Not even the ellipsis fits: keep what fits.
            return String(prefix(text, width: width))
        }
        return String(prefix(text, width: budget)) + ellipsis
    }

    /// Cuts already clean text to `width` columns keeping its end (for paths: `…/2026-01.jsonl.gz:1204`).
    public static func truncateHead(_ text: String, width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        let budget = width - DisplayWidth.of(ellipsis)
        guard budget >= 0 else { return String(prefix(text, width: width)) }
        var used = 0
        var start = text.endIndex
        while start > text.startIndex {
            let before = text.index(before: start)
            let w = DisplayWidth.of(text[before])
            if used + w > budget { break }
            used += w
            start = before
        }
        return ellipsis + text[start...]
    }

    /// The longest prefix of whole graphemes that fits in `width` columns.
    static func prefix(_ text: String, width: Int) -> Substring {
        var used = 0
        var end = text.startIndex
        for idx in text.indices {
            let w = DisplayWidth.of(text[idx])
            if used + w > width { break }
            used += w
            end = text.index(after: idx)
        }
        return text[text.startIndex..<end]
    }
}
