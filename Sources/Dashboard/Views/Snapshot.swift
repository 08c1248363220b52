/// One screen of the dashboard without a terminal: for `earshot snapshot`, exports and tests.
public enum Snapshot {
    /// The screen of `tab` for loaded data at a size, drawn exactly as the dashboard would draw it after
    /// the store loaded and the view's number key was pressed (no clock: ages are the report's own).
    public static func screen(data: DashboardData, tab: Tab, width: Int, height: Int,
                              glyphs: Glyphs = .unicode) -> ScreenBuffer {
        var state = AppState(options: DashboardOptions(glyphs: glyphs, initialTab: tab))
        _ = update(&state, .resize(width: width, height: height))
        _ = update(&state, .loaded(data))
        var buffer = ScreenBuffer(width: width, height: height)
        render(state, into: &buffer)
        return buffer
    }
}
