/// A piece of the screen that draws itself from its own data into a rectangle of a ``ScreenBuffer`` (ratatui's
/// `Widget`): it holds what it shows (values, glyphs, roles), never the whole ``AppState``, and draws nothing outside
/// `area`. Widgets are tested alone against a few expected lines (`Tests/DashboardTests/Widgets/`), so a change to
/// one fails a small test rather than every screen golden.
protocol Widget {
    /// Draws into `area` of `buf` (clipped to it; an empty area draws nothing).
    func render(into buf: inout ScreenBuffer, area: Rect)
}

extension Bar: Widget {}
extension Sparkline: Widget {}
extension WeekAxis: Widget {}
extension Gauge: Widget {}
extension StackedBar: Widget {}
extension ColumnChart: Widget {}
extension TableWidget: Widget {}
extension TabBar: Widget {}
extension StatusLine: Widget {}
extension InputLine: Widget {}
extension KPIStrip: Widget {}
