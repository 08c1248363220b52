/// Making untrusted store text (event names, survey ids, channels, paths, reasons) safe and
/// tidy for a terminal or a spreadsheet.
public enum DisplayText {
    /// Replaces every control character with `?`: C0 (U+0000–U+001F, which includes tab, newline
    /// and ESC), DEL (U+007F), C1 (U+0080–U+009F) and the bidirectional embedding, override and
    /// isolate controls (U+202A–U+202E, U+2066–U+2069) that could reorder what a reader sees.
    /// Everything else is kept as is. Returns the input unchanged (no copy) when nothing needs replacing.
    public static func sanitize(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(isControl(u) ? "?" : u) }
        return String(out)
    }

    @inline(__always) static func isControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (v >= 0x7F && v <= 0x9F) || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
    }

    /// Sanitizes and shortens to at most `limit` characters, ending with `…` when cut.
    public static func cell(_ s: String, limit: Int = 60) -> String {
        let clean = sanitize(s)
        guard clean.count > limit, limit >= 1 else { return clean }
        return String(clean.prefix(limit - 1)) + "…"
    }
}
