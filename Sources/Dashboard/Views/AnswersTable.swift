import Analytics

/// The Answers view's tables, declared like the other views' (sortable with `s`/`S`, filtered with `/`): the surveys,
/// a survey's questions, and a question's weeks. The first column of the two lists is the flexible text column.
enum AnswersTable {
    /// The survey list: its name, then its figures.
    static func surveyColumns(cells c: CellText, sanitizer san: Sanitizer) -> [TableColumn<AnswerSurvey>] {
        [
            TableColumn("survey", width: 16, flex: true, align: .left, cell: { .text(san.clean($0.label), .normal) },
                        key: { .folded(san.clean($0.label)) }),
            TableColumn("questions", width: 9, cell: { .text(Format.int($0.questions.count), .normal) },
                        key: { CellText.key($0.questions.count) }),
            TableColumn("answered by", width: 11, cell: { s in
                let best = answeredBy(s)
                return .text(best.map { c.count($0.persons, $0.$persons) } ?? c.format.missing, .normal)
            }, key: { s in answeredBy(s).map { CellText.key($0.persons, $0.$persons) } ?? .missing }),
            TableColumn("prompts", width: 7, cell: { s in .text(s.loop.map { c.count($0.prompts, $0.$prompts) } ?? c.format.missing, .muted) },
                        key: { s in s.loop.map { CellText.key($0.prompts, $0.$prompts) } ?? .missing }),
            TableColumn("resp. rate", width: 10, cell: { s in
                .text(s.loop.map { c.rate($0.responseRate, $0.$responseRate) } ?? c.format.missing, .muted)
            }, key: { s in s.loop.map { CellText.key($0.responseRate, $0.$responseRate) } ?? .missing }),
        ]
    }

    /// The question of a survey answered by the most persons (what "answered by" shows).
    static func answeredBy(_ s: AnswerSurvey) -> QuestionStats? { s.questions.max { $0.persons < $1.persons } }

    /// The survey list's model (rows in the report's order, so a row's index is the survey's index).
    static func surveysModel(_ surveys: [AnswerSurvey], cells: CellText, sanitizer: Sanitizer, glyphs: Glyphs) -> TableModel {
        TableModel(title: "Answers " + glyphs.separator + " surveys", columns: surveyColumns(cells: cells, sanitizer: sanitizer),
                   rows: surveys, emptyMessage: "No answered surveys",
                   search: { (sanitizer.clean($0.label) + " " + $0.id).lowercased() })
    }

    /// A survey's question list: position and text, then type, persons and the top answer.
    static func questionColumns(cells c: CellText, sanitizer san: Sanitizer) -> [TableColumn<QuestionStats>] {
        [
            TableColumn("question", width: 16, flex: true, align: .left, cell: { .text(questionLabel($0, san), .normal) },
                        key: { q in q.position.map { .number(Double($0)) } ?? .folded(san.clean(q.question)) }),
            TableColumn("type", width: 6, align: .left, cell: { .text($0.type.map(typeLabel) ?? "?", .muted) },
                        key: { .folded($0.type.map(typeLabel) ?? "") }),
            TableColumn("persons", width: 7, cell: { .text(c.count($0.persons, $0.$persons), .normal) },
                        key: { CellText.key($0.persons, $0.$persons) }),
            TableColumn("top answer", width: 10, align: .left, cell: {
                .text(Sanitizer.truncate(topAnswer($0, cells: c, sanitizer: san), width: 22, ellipsis: san.ellipsis), .accent)
            }, key: { .folded(topAnswer($0, cells: c, sanitizer: san)) }),
        ]
    }

    /// The question list's model for `survey` (rows in position order, so a row's index is the question's index).
    static func questionsModel(_ survey: AnswerSurvey, cells: CellText, sanitizer: Sanitizer, glyphs: Glyphs) -> TableModel {
        TableModel(title: sanitizer.clean(survey.label) + " " + glyphs.separator + " questions",
                   columns: questionColumns(cells: cells, sanitizer: sanitizer), rows: survey.questions,
                   emptyMessage: "No answered questions",
                   search: { q in [questionLabel(q, sanitizer), q.question, q.type.map(typeLabel) ?? ""].joined(separator: " ").lowercased() })
    }

    /// The selected question's weeks (the week is the flexible column, drawn by the view).
    static func weekColumns(cells c: CellText) -> [TableColumn<QuestionWeek>] {
        [
            TableColumn("answers", width: 7, cell: { .text(c.count($0.answers, $0.$answers), .normal) }),
            TableColumn("top", width: 6, cell: {
                .text($0.topShare == nil && !$0.$topShare.isSuppressed ? c.format.missing : c.rate($0.topShare, $0.$topShare), .accent)
            }),
        ]
    }

    /// `1. Who is the next birthday on your list?` (the question's id when it has no text).
    static func questionLabel(_ q: QuestionStats, _ san: Sanitizer) -> String {
        (q.position.map { "\($0). " } ?? "") + san.clean(q.text ?? q.question)
    }

    /// The most telling figure of a question: the top option and its share, the NPS, the mean, the top theme.
    static func topAnswer(_ q: QuestionStats, cells c: CellText, sanitizer san: Sanitizer) -> String {
        if let n = q.nps { return "NPS " + (c.privacy.label(n.$nps) ?? c.format.nps(n.nps)) }
        if let o = q.options.first, !o.other, q.type != nil || q.histogram.isEmpty {
            return san.clean(o.option) + " " + c.rate(o.share, o.$share)
        }
        if let m = q.mean, !q.histogram.isEmpty { return "mean " + oneDecimal(m, c.format) }
        if let t = q.themes.first { return "\u{201C}" + san.clean(t.theme) + "\u{201D}" }
        return c.format.missing
    }

    /// A number with one decimal, or the missing mark.
    static func oneDecimal(_ x: Double?, _ format: Format) -> String { x.map { Format.fixed($0, 1) } ?? format.missing }

    /// The short word for a question type.
    static func typeLabel(_ type: String) -> String {
        switch type {
        case "single_choice": "choice"
        case "multiple_choice": "multi"
        case "rating": "rating"
        case "nps": "NPS"
        case "open": "open"
        default: type
        }
    }
}
