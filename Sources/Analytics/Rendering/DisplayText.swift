import EventStore

/// Making untrusted store text (event names, survey ids, channels, paths, reasons) safe and
/// tidy for a terminal or a spreadsheet: the text report, CSV and `check` output.
public enum DisplayText {
    /// The placeholder of the text outputs: ASCII, so that it reads the same in every locale.
    public static let placeholder = "?"

    /// ``SafeText/clean(_:placeholder:)`` with `?`: every escape sequence (as a whole) and every character
    /// on ``UnsafeText``'s list (controls, bidi, zero-width, U+2028/2029, Hangul fillers) becomes one `?`;
    /// tab, line feed and CR become a space. Returns the input unchanged when nothing needs replacing.
    public static func sanitize(_ s: String) -> String {
        SafeText.clean(s, placeholder: placeholder)
    }

    /// Sanitizes and shortens to at most `limit` characters, ending with `…` when cut.
    public static func cell(_ s: String, limit: Int = 60) -> String {
        let clean = sanitize(s)
        guard clean.count > limit, limit >= 1 else { return clean }
        return String(clean.prefix(limit - 1)) + "…"
    }
}
