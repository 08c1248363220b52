import Analytics

/// Where the store stands.
public enum LoadPhase: Sendable, Equatable {
    /// Reading; progress once the first report came.
    case loading(LoadProgress?)
    /// Reading failed with this message.
    case failed(String)
    /// The report is shown.
    case ready
}

/// A window over the views.
enum Overlay: Sendable, Equatable {
    /// The key help, scrolled by this many lines.
    case help(scroll: Int)
    /// The segment picker; entry 0 is "All persons", entry i is segment i-1.
    case picker(selected: Int, offset: Int)
    /// The sort picker of the focused table; entry 0 is the natural order, entry i the i-th sortable column.
    case sort(selected: Int)
    /// What the figures of the current view mean, scrolled by this many lines.
    case definitions(scroll: Int)
}

/// The whole dashboard: one value, changed only by ``update(_:_:)``, drawn by ``render(_:into:)``.
public struct AppState: Sendable {
    public let options: DashboardOptions
    public internal(set) var width = 80
    public internal(set) var height = 24
    /// The last clock tick (ms since 1970), nil before the first.
    public internal(set) var nowMs: Int64?
    public internal(set) var phase: LoadPhase = .loading(nil)
    public internal(set) var tab: Tab
    /// The segment every view is restricted to, nil for all persons.
    public internal(set) var segmentFilter: String?
    /// A segment whose filtered report is being computed.
    public internal(set) var pendingFilter: String? { didSet { if pendingFilter != oldValue { filterStatus = nil } } }
    /// How far the pending filter's computation is, when its source says (an engine run); nil otherwise.
    public internal(set) var filterStatus: String?
    /// Following the store (`--follow`, `F`): the header shows "live".
    public internal(set) var following = false
    /// The last live status while following.
    public internal(set) var live: LiveStatus?
    /// The runtime was asked to follow (an `.follow(true)` effect went out for the current load).
    var followRequested = false

    var data: DashboardData?
    var filteredReport: Report?
    /// How long the active segment filter took to compute (nil: not measured, or no filter).
    public internal(set) var filterSeconds: Double?
    var model: ViewModel?
    var tables: [TableID: TableState] = [:]
    var overlay: Overlay?
    /// The search line while it is open (the table is filtered as it is typed).
    var input: String?
    /// The focused table's filter when the search line opened (`Esc` on the line restores it).
    var inputBefore = ""
    /// The list of the Data view that has the focus.
    var dataFocus: TableID = .malformed
    /// The panels below the Feedback view's loop table (`v` switches).
    var feedbackPanel: FeedbackPanel = .when
    /// The segment (index into the model's segments) open in the Segments view.
    var detail: Int?
    /// The consent category of the Segments view's Reachable column.
    var categoryIndex = 0
    /// The user cycled the category (otherwise Marketing, when present, is the default).
    var categoryChosen = false
    /// A one-line note in the status bar until the next key.
    var message: String?
    /// The guided demo while it runs (nil once any key was pressed).
    public internal(set) var tour: TourState?
    /// The tour was started once (it is not restarted by a reload).
    var tourStarted = false
    /// The Journeys and Loops views' selection and expanded nodes (FlowViews.swift).
    var flows = FlowViewState() { didSet { if flows.journey != oldValue.journey || flows.expanded != oldValue.expanded { refreshJourneyTable() } } }
    /// The visible rows of the current journey's tree as a table (``refreshJourneyTable()``).
    var journeyTable = TableModel(title: "Journey", columns: [], rows: [], emptyMessage: "")
    /// The Answers view's level and selection (AnswersViewState.swift).
    var answers = AnswersViewState()

    public init(options: DashboardOptions) {
        self.options = options
        tab = options.initialTab
        following = options.follow
        for id in TableID.allCases { tables[id] = TableState() }
        tables[.segments]?.sortColumn = nil
    }

    /// The report the views show (filtered when a segment filter is active).
    public var report: Report? { filteredReport ?? data?.report }

    /// True while something animates (loading, filtering), so the runtime knows to keep ticking.
    public var wantsTicks: Bool {
        if case .loading = phase { return true }
        return pendingFilter != nil
    }

    /// Glyphs in use.
    var glyphs: Glyphs { options.glyphs }
    var format: Format { Format(missing: options.glyphs.missing) }
    var sanitizer: Sanitizer { Sanitizer(glyphs: options.glyphs) }
    /// How figures of the shown report are written under its privacy guard.
    var cells: CellText { CellText(privacy: report?.privacy ?? PrivacySummary(), format: format) }

    /// The table the current view focuses, if any.
    var focusedTable: TableID? {
        guard case .ready = phase else { return nil }
        switch tab {
        case .overview: return nil
        case .segments: return detail == nil ? .segments : nil
        case .feedback: return .feedback
        case .consent: return .consent
        case .data: return dataFocus
        case .loops: return .loops
        case .answers:
            switch answers.level {
            case .surveys: return .answerSurveys
            case .questions: return .answerQuestions
            case .question: return nil
            }
        case .journeys: return nil
        }
    }

    /// The key contexts in force, most specific first.
    var keyContexts: [KeyContext] {
        if input != nil { return [.input] }
        if let o = overlay {
            switch o {
            case .help: return [.help]
            case .picker: return [.picker]
            case .sort: return [.sortPicker]
            case .definitions: return [.definitions]
            }
        }
        switch phase {
        case .loading, .failed: return [.loading]
        case .ready: break
        }
        if tab == .segments {
            return detail != nil ? [.detail, .global] : [.segments, .table, .global]
        }
        if tab == .data { return [.data, .table, .global] }
        if tab == .feedback { return [.feedback, .table, .global] }
        if tab == .journeys { return [.journeys, .global] }
        if tab == .loops { return [.loops, .global] }
        if tab == .answers { return answers.level == .question ? [.answers, .global] : [.answers, .table, .global] }
        return focusedTable != nil ? [.table, .global] : [.global]
    }
}
