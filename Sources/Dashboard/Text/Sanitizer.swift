import Analytics
/// Makes untrusted text (event names, properties, segment names, file names, malformed-line reasons)
/// safe to put on a terminal, and fits it to a width.
///
/// `clean` replaces, each by one placeholder (`�` U+FFFD, or `?` with ASCII glyphs):
/// - whole escape sequences: CSI (`ESC [` … final byte), OSC (`ESC ]` … BEL or ST), DCS/SOS/PM/APC
///   (`ESC P`/`X`/`^`/`_` … ST), other `ESC x` pairs, and their 8-bit forms (`\u{9b}`, `\u{9d}`, `\u{90}`, …);
/// - C0 controls, DEL, C1 controls;
/// - bidi controls (U+202A–202E, U+2066–2069, U+200E/200F, U+061C), zero-width and invisible
///   characters (U+200B–200D, U+2060–2064, U+FEFF, U+180E, tag characters U+E0000–E007F);
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

    /// True when `v` is a scalar `clean` never lets through.
    public static func isForbidden(_ v: UInt32) -> Bool {
        switch v {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        case 0x200B...0x200D, 0x2060...0x2064, 0xFEFF, 0x180E, 0xE0000...0xE007F: return true
        default: return false
        }
    }

    /// An emoji-like symbol (digits, `#` and `*` are emoji characters too, but not pictographs).
    static func isPictograph(_ s: Unicode.Scalar) -> Bool { s.value >= 0xA9 && s.properties.isEmoji }

    /// `text` with every control, escape sequence, bidi and zero-width character replaced.
    public func clean(_ text: String) -> String {
        // Fast path: printable ASCII only.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        let ph = placeholder.unicodeScalars
        let n = s.count
        var i = 0
        while i < n {
            let v = s[i].value
            switch v {
            case 0x1B:
                i = Self.skipEscape(s, from: i)
                out.append(contentsOf: ph)
                continue
            case 0x9B:
                i = Self.skipCSIBody(s, from: i + 1)
                out.append(contentsOf: ph)
                continue
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:
                i = Self.skipString(s, from: i + 1)
                out.append(contentsOf: ph)
                continue
            case 0x09, 0x0A:
                out.append(" ")
            case 0x0D:
                out.append(" ")
                if i + 1 < n && s[i + 1].value == 0x0A { i += 1 }
            case 0x200D:
                // Keep emoji ZWJ sequences readable: drop the joiner between two pictographs.
                let prevPicto = out.last.map { Self.isPictograph($0) || $0.value == 0xFE0F || (0x1F3FB...0x1F3FF).contains($0.value) } ?? false
                let nextPicto = i + 1 < n && Self.isPictograph(s[i + 1])
                if !(prevPicto && nextPicto) { out.append(contentsOf: ph) }
            default:
                if Self.isForbidden(v) { out.append(contentsOf: ph) } else { out.append(s[i]) }
            }
            i += 1
        }
        var result = String(out)
        if let first = result.unicodeScalars.first, first.value >= 0x300, DisplayWidth.ofScalar(first) == 0 {
            result = "\u{25CC}" + result
        }
        return result
    }

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

    // MARK: escape sequences

    /// Index after an escape sequence starting with ESC at `i`.
    static func skipEscape(_ s: [Unicode.Scalar], from i: Int) -> Int {
        let n = s.count
        guard i + 1 < n else { return n }
        let next = s[i + 1].value
        switch next {
        case 0x5B: return skipCSIBody(s, from: i + 2)                  // ESC [
        case 0x5D, 0x50, 0x58, 0x5E, 0x5F: return skipString(s, from: i + 2) // ] P X ^ _
        case 0x20...0x2F:                                                 // ESC intermediates final
            var j = i + 1
            while j < n, (0x20...0x2F).contains(s[j].value) { j += 1 }
            if j < n, (0x30...0x7E).contains(s[j].value) { j += 1 }
            return j
        case 0x30...0x7E: return i + 2                                    // ESC 7, ESC c, …
        default: return i + 1                                             // lone ESC
        }
    }

    /// Index after a CSI body: parameters 0x30–0x3F, intermediates 0x20–0x2F, one final 0x40–0x7E.
    static func skipCSIBody(_ s: [Unicode.Scalar], from start: Int) -> Int {
        let n = s.count
        var j = start
        while j < n, (0x20...0x3F).contains(s[j].value) { j += 1 }
        if j < n, (0x40...0x7E).contains(s[j].value) { j += 1 }
        return j
    }

    /// Index after a control string ended by BEL, ST (`ESC \`) or 8-bit ST (0x9C); the end when unterminated.
    static func skipString(_ s: [Unicode.Scalar], from start: Int) -> Int {
        let n = s.count
        var j = start
        while j < n {
            let v = s[j].value
            if v == 0x07 || v == 0x9C { return j + 1 }
            if v == 0x1B { return j + 1 < n && s[j + 1].value == 0x5C ? j + 2 : j } // another ESC starts anew
            j += 1
        }
        return n
    }
}
