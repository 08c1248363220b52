/// One screen of the dashboard without a terminal: for `earshot snapshot`, exports and tests.
public enum Snapshot {
    /// The screen of `tab` for loaded data at a size, drawn exactly as the dashboard would draw it after
    /// the store loaded and the view's number key was pressed (no clock: ages are the report's own).
    /// - Parameter nowMs: the wall clock for the header's "newest event … ago" (nil: the report's own age,
    ///   measured from its reference time, which keeps golden files stable).
    /// - Parameter chrome: `.slide` (what `earshot snapshot` writes by default) leaves out key hints and the load time.
    public static func screen(data: DashboardData, tab: Tab, width: Int, height: Int,
                              glyphs: Glyphs = .unicode, nowMs: Int64? = nil, chrome: Chrome = .interactive) -> ScreenBuffer {
        replay(data: data, tab: tab, keys: [], width: width, height: height, glyphs: glyphs, nowMs: nowMs, chrome: chrome).screen
    }

    /// What a headless replay left: the screen, and the effects the keys asked for that a replay does not perform
    /// (a segment filter, reload, follow, export, saving a snippet); quitting stops the replay.
    public struct Replay {
        public var screen: ScreenBuffer
        public var skipped: [Effect]
    }

    /// The screen after the store loaded on `tab` and `keys` were played through ``update(_:_:)`` one by one, exactly
    /// as the dashboard would handle them (`earshot snapshot --keys "2 j Enter"`). No terminal and no runtime: effects
    /// are not performed but returned in ``Replay/skipped``; a `quit` ends the replay.
    public static func replay(data: DashboardData, tab: Tab, keys: [Key], width: Int, height: Int, glyphs: Glyphs = .unicode,
                              nowMs: Int64? = nil, chrome: Chrome = .interactive) -> Replay {
        var state = AppState(options: DashboardOptions(glyphs: glyphs, initialTab: tab))
        _ = update(&state, .resize(width: width, height: height))
        if let nowMs { _ = update(&state, .tick(nowMs: nowMs)) }
        _ = update(&state, .loaded(data))
        var skipped: [Effect] = []
        for key in keys {
            let effects = update(&state, .key(key))
            if effects.contains(.quit) { break }
            skipped += effects
        }
        var buffer = ScreenBuffer(width: width, height: height)
        render(state, into: &buffer, chrome: chrome)
        return Replay(screen: buffer, skipped: skipped)
    }
}
