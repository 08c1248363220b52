/// The screen's frame and the geometry `update` shares with the views (page sizes, scroll windows).
enum Layout {
    /// Header (row 0), tab bar (row 1), content, status line (last row).
    struct Frame {
        var header: Rect, tabs: Rect, content: Rect, status: Rect
    }

    static func frame(width: Int, height: Int) -> Frame {
        let full = Rect(x: 0, y: 0, width: width, height: height)
        return Frame(header: full.row(0), tabs: full.row(1),
                     content: Rect(x: 0, y: 2, width: width, height: height - 3),
                     status: full.row(height - 1))
    }

    static func isTooSmall(_ s: AppState) -> Bool {
        s.width < s.options.minimumWidth || s.height < s.options.minimumHeight
    }

    /// Data rows a table shows in the current layout (at least 1).
    static func tableRows(_ s: AppState, _ id: TableID) -> Int {
        guard let m = s.model else { return 1 }
        let content = frame(width: s.width, height: s.height).content
        let area: Rect
        switch id {
        case .segments: area = SegmentsView.tableArea(content)
        case .feedback: area = FeedbackView.layout(content, m).table
        case .consent: area = ConsentView.layout(content, m).table
        case .malformed: area = DataView.layout(content, m).malformed
        case .files: area = DataView.layout(content, m).files.inset(dx: 1, dy: 1)
        case .unknownEvents: area = DataView.layout(content, m).unknown.inset(dx: 1, dy: 1)
        case .loops: return LoopsView.tableRows(content, loops: m.tables[.loops]?.rows.count ?? 0)
        case .answerSurveys, .answerQuestions:
            let surveys = m.answerSurveys
            guard surveys.indices.contains(s.answers.survey) else { return 1 }
            return AnswersView.listRows(content, survey: surveys[s.answers.survey])
        }
        return max(1, area.height - 1)
    }

    /// Entries the segment picker shows at once.
    static func pickerRows(_ s: AppState) -> Int {
        max(1, PickerOverlay.box(s).height - 2)
    }

    /// The definitions overlay's lines for the current view.
    static func definitionLines(_ s: AppState) -> [Definitions.Line] {
        let box = DefinitionsOverlay.box(frame(width: s.width, height: s.height).content)
        return Definitions.lines(s, width: box.width - 4)
    }

    /// The help overlay's lines, generated from the key map.
    static func helpLines(_ s: AppState) -> [HelpOverlay.Line] {
        HelpOverlay.lines(KeyMap.standard)
    }
}
