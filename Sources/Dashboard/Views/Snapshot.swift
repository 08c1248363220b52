/// One screen of the dashboard without a terminal: for `earshot snapshot`, exports and tests.
public enum Snapshot {
    /// The screen of `tab` for loaded data at a size, drawn exactly as the dashboard would draw it after
    /// the store loaded and the view's number key was pressed (no clock: ages are the report's own).
    /// - Parameter nowMs: the wall clock for the header's "newest event … ago" (nil: the report's own age,
    ///   measured from its reference time, which keeps golden files stable).
    /// - Parameter chrome: `.slide` (what `earshot snapshot` writes by default) leaves out key hints and the load time.
    public static func screen(data: DashboardData, tab: Tab, width: Int, height: Int,
                              glyphs: Glyphs = .unicode, nowMs: Int64? = nil, chrome: Chrome = .interactive) -> ScreenBuffer {
        var state = AppState(options: DashboardOptions(glyphs: glyphs, initialTab: tab))
        _ = update(&state, .resize(width: width, height: height))
        if let nowMs { _ = update(&state, .tick(nowMs: nowMs)) }
        _ = update(&state, .loaded(data))
        var buffer = ScreenBuffer(width: width, height: height)
        render(state, into: &buffer, chrome: chrome)
        return buffer
    }
}
