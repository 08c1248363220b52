/// The one list of characters earshot never writes raw to a terminal, a file or a pipe when they come
/// from the store (event names, properties, file names, categories, rules), and the escaped forms used
/// where the text must stay identifiable (paths in messages, JSON, Prometheus label values).
///
/// Every output uses this list: the dashboard and the text report replace these characters
/// (`SafeText.clean` in Analytics, whole escape sequences at once), JSON writes them as `\uXXXX`,
/// messages on standard error and Prometheus labels as `\u{…}`. The list:
/// - C0 controls U+0000–U+001F (tab, line feed and ESC included), DEL U+007F, C1 controls U+0080–U+009F;
/// - bidirectional controls: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069;
/// - zero-width and invisible characters: U+200B–U+200D, U+2060–U+2065, U+206A–U+206F, U+FEFF, U+180E,
///   U+FFF9–U+FFFB (interlinear annotation), the tag characters U+E0000–U+E007F;
/// - the line and paragraph separators U+2028, U+2029 (line breaks for some terminals and JavaScript);
/// - the Hangul fillers U+115F, U+1160, U+3164, U+FFA0 (blank, yet not white space).
public enum UnsafeText {
    /// True when the scalar value `v` is on the list.
    @inline(__always)
    public static func isUnsafe(_ v: UInt32) -> Bool {
        if v < 0x20 { return true }
        if v < 0x7F { return false }
        switch v {
        case 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        case 0x200B...0x200D, 0x2060...0x2065, 0x206A...0x206F, 0xFEFF, 0x180E, 0xFFF9...0xFFFB: return true
        case 0xE0000...0xE007F: return true
        case 0x2028, 0x2029: return true
        case 0x115F, 0x1160, 0x3164, 0xFFA0: return true
        default: return false
        }
    }

    /// True when the scalar is on the list.
    @inline(__always)
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool { isUnsafe(s.value) }

    /// True when `text` holds a character on the list.
    public static func containsUnsafe(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return false }
        return text.unicodeScalars.contains { isUnsafe($0.value) }
    }

    /// `text` with every character on the list written as `\u{1b}` (lower-case hex), for messages that
    /// name store-borne things (file names, categories): the text stays identifiable and prints safely.
    /// With `keepingNewlines`, line feeds stay (for multi-line messages written by earshot).
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        guard containsUnsafe(text) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if isUnsafe(v) && !(keepingNewlines && v == 0x0A) {
                out += "\\u{" + String(v, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// JSON text with every character on the list that is not already escaped written as a `\uXXXX`
    /// escape (a surrogate pair above U+FFFF). Line feeds stay: a JSON encoder never writes one inside
    /// a string, so they are the pretty printer's. The value a JSON parser reads is unchanged.
    public static func jsonEscaped(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { isUnsafe($0.value) && $0.value != 0x0A }) else { return json }
        var out = ""
        out.reserveCapacity(json.utf8.count + 16)
        func hex4(_ u: UInt32) -> String {
            let h = String(u, radix: 16)
            return "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
        }
        for scalar in json.unicodeScalars {
            let v = scalar.value
            guard isUnsafe(v), v != 0x0A else { out.unicodeScalars.append(scalar); continue }
            if v > 0xFFFF {
                let u = v - 0x10000
                out += hex4(0xD800 + (u >> 10)) + hex4(0xDC00 + (u & 0x3FF))
            } else {
                out += hex4(v)
            }
        }
        return out
    }
}
