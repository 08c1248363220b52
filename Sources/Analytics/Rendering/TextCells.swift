/// How the text report writes a figure under the privacy guard and a piece of store text: one place for the text
/// renderers (ReportRenderer and its Answers, Fatigue and Flows sections), so `<5` / `hidden` and the 60-character
/// cut are written the same way everywhere.
struct TextCells {
    let privacy: PrivacySummary

    /// A count, or `<5` / `hidden` when withheld.
    func N(_ v: Int, _ m: Suppression) -> String { privacy.label(m) ?? "\(v)" }
    /// A percentage with one decimal, or `hidden` when withheld.
    func PS(_ v: Double?, _ m: Suppression) -> String { privacy.label(m) ?? NumberFormat.percent(v) }
    /// A duration (`3h`), or its withheld mark.
    func DS(_ v: Double?, _ m: Suppression) -> String { privacy.label(m) ?? NumberFormat.duration(v) }
    /// Store text made safe for a terminal and cut at 60 characters (``DisplayText/cell(_:limit:)``).
    func cell(_ s: String) -> String { DisplayText.cell(s) }
}
