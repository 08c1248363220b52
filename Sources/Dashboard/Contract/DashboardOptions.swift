/// How the dashboard looks and starts, chosen by the terminal runtime and the CLI.
public struct DashboardOptions: Sendable {
    /// The glyph set (`.unicode`, or `.ascii` for plain terminals).
    public var glyphs: Glyphs
    /// The view shown first.
    public var initialTab: Tab
    /// Below this size only a "terminal too small" line is drawn.
    public var minimumWidth: Int
    public var minimumHeight: Int
    /// Follow the store from the start (`earshot --follow`).
    public var follow: Bool
    /// Start the guided demo tour once the store is loaded (`earshot demo`).
    public var tour: Bool
    /// How long each tour step stays, in milliseconds.
    public var tourStepMs: Int64
    /// The header tells the data's own date (`data as of 2026-11-20`) instead of the newest event's age on the
    /// wall clock: for presenting a store that is not live (`earshot demo`), where "9d 9h ago" in red misleads.
    public var clockPinnedToData: Bool

    public init(glyphs: Glyphs = .unicode, initialTab: Tab = .overview, minimumWidth: Int = 40, minimumHeight: Int = 10,
                follow: Bool = false, tour: Bool = false, tourStepMs: Int64 = 6000, clockPinnedToData: Bool = false) {
        self.glyphs = glyphs; self.initialTab = initialTab
        self.minimumWidth = minimumWidth; self.minimumHeight = minimumHeight
        self.follow = follow
        self.tour = tour; self.tourStepMs = tourStepMs
        self.clockPinnedToData = clockPinnedToData
    }
}

/// The dashboard's views, in tab order (number keys 1–8).
public enum Tab: Int, CaseIterable, Sendable {
    case overview = 1, segments, feedback, consent, data, journeys, loops, answers

    /// The label in the tab bar.
    public var title: String {
        switch self {
        case .overview: "Overview"
        case .segments: "Segments"
        case .feedback: "Feedback"
        case .consent: "Consent"
        case .data: "Data"
        case .journeys: "Journeys"
        case .loops: "Loops"
        case .answers: "Answers"
        }
    }
}

/// What the bottom line carries: everything for a person at the keyboard, or only the content for a slide.
public enum Chrome: Sendable, Equatable {
    /// Key hints, the load time and messages (the dashboard).
    case interactive
    /// No key hints, no "loaded in", no transient messages: a picture for a slide (`earshot snapshot`, `--slide-exports`).
    case slide
}
