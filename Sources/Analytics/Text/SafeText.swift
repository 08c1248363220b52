import EventStore

/// The sanitizer of every text output: the dashboard's screen, the text report, CSV and `check` output.
/// It removes what ``UnsafeText`` lists (the one list), escape sequences as a whole.
///
/// `clean` replaces, each by one placeholder:
/// - whole escape sequences: CSI (`ESC [` … final byte), OSC (`ESC ]` … BEL or ST), DCS/SOS/PM/APC
///   (`ESC P`/`X`/`^`/`_` … ST), other `ESC x` pairs, and their 8-bit forms (`\u{9b}`, `\u{9d}`, `\u{90}`, …);
/// - every other character on ``UnsafeText``'s list (controls, bidi, zero-width, separators, fillers).
///
/// A tab, line feed or carriage return becomes one space (CR LF counts once); a zero-width joiner
/// *inside* an emoji sequence is dropped, so the emoji show side by side; a combining mark with no
/// base gets the dotted circle `◌` as its base.
public enum SafeText {
    /// `text` with every escape sequence and listed character replaced by `placeholder`.
    public static func clean(_ text: String, placeholder: String = "\u{FFFD}") -> String {
        // Fast paths: printable ASCII only; or nothing listed and no orphan combining mark at the start.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        if !text.unicodeScalars.contains(where: { UnsafeText.isUnsafe($0.value) }),
           let first = text.unicodeScalars.first, first.value < 0x300 || DisplayWidth.ofScalar(first) != 0 {
            return text
        }
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        let ph = placeholder.unicodeScalars
        let n = s.count
        var i = 0
        while i < n {
            let v = s[i].value
            switch v {
            case 0x1B:
                i = skipEscape(s, from: i)
                out.append(contentsOf: ph)
                continue
            case 0x9B:
                i = skipCSIBody(s, from: i + 1)
                out.append(contentsOf: ph)
                continue
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:
                i = skipString(s, from: i + 1)
                out.append(contentsOf: ph)
                continue
            case 0x09, 0x0A:
                out.append(" ")
            case 0x0D:
                out.append(" ")
                if i + 1 < n && s[i + 1].value == 0x0A { i += 1 }
            case 0x200D:
                // Keep emoji ZWJ sequences readable: drop the joiner between two pictographs.
                let prevPicto = out.last.map { isPictograph($0) || $0.value == 0xFE0F || (0x1F3FB...0x1F3FF).contains($0.value) } ?? false
                let nextPicto = i + 1 < n && isPictograph(s[i + 1])
                if !(prevPicto && nextPicto) { out.append(contentsOf: ph) }
            default:
                if UnsafeText.isUnsafe(v) { out.append(contentsOf: ph) } else { out.append(s[i]) }
            }
            i += 1
        }
        var result = String(out)
        if let first = result.unicodeScalars.first, first.value >= 0x300, DisplayWidth.ofScalar(first) == 0 {
            result = "\u{25CC}" + result
        }
        return result
    }

    /// An emoji-like symbol (digits, `#` and `*` are emoji characters too, but not pictographs).
    static func isPictograph(_ s: Unicode.Scalar) -> Bool { s.value >= 0xA9 && s.properties.isEmoji }

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
