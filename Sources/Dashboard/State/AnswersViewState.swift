import Analytics

/// Where the Answers view is: the survey list, a survey's questions, or one question's answers.
struct AnswersViewState: Sendable, Equatable {
    enum Level: Sendable, Equatable { case surveys, questions, question }
    var level: Level = .surveys
    /// Index into ``AppState/answerSurveys``.
    var survey = 0
    /// Index into the selected survey's questions.
    var question = 0
    /// The first line shown of the question's distribution or themes.
    var scroll = 0
}

/// One survey of the Answers view: its id, catalog name, questions (catalog order, then by id) and prompt figures.
struct AnswerSurvey: Sendable, Equatable {
    var id: String
    var name: String?
    var questions: [QuestionStats]
    var loop: LoopStats?
    var funnel: QuestionFunnel?

    var label: String { name ?? id }
}

extension AnswerSurvey {
    /// The surveys with answered questions of `r`, by survey id (the report's order), their questions by position.
    static func list(_ r: Report) -> [AnswerSurvey] {
        var out: [AnswerSurvey] = []
        for q in r.feedback.questions {
            if out.last?.id == q.surveyID { out[out.count - 1].questions.append(q); continue }
            out.append(AnswerSurvey(id: q.surveyID, name: q.surveyName, questions: [q],
                                    loop: r.feedback.surveys.first { $0.surveyID == q.surveyID },
                                    funnel: r.feedback.questionFunnels.first { $0.surveyID == q.surveyID }))
        }
        for i in out.indices {
            out[i].questions.sort { ($0.position ?? Int.max, $0.question) < ($1.position ?? Int.max, $1.question) }
        }
        return out
    }
}

extension AppState {
    /// The surveys with answered questions, by survey id (the report's order): built once per report with the
    /// view model, not on every frame or key.
    var answerSurveys: [AnswerSurvey] { model?.answerSurveys ?? [] }

    /// The lines of the selected question's distribution (for scrolling).
    var answerDetailLines: Int {
        let surveys = answerSurveys
        guard surveys.indices.contains(answers.survey),
              surveys[answers.survey].questions.indices.contains(answers.question) else { return 0 }
        return AnswersView.detailRows(surveys[answers.survey].questions[answers.question]).count
    }

    /// The Answers view's keys. The survey and question lists are tables like the other views' (move, `s`/`S`
    /// sort, `/` filter go through the shared table commands: nil is returned for them); Enter goes in, Esc clears the
    /// list's text filter or goes back; in a question, the moves scroll its distribution.
    mutating func answersCommand(_ cmd: Command) -> [Effect]? {
        let surveys = answerSurveys
        clampAnswers(surveys)
        let page = max(1, height - 10)
        switch cmd {
        case .up, .down, .pageUp, .pageDown, .home, .end:
            guard answers.level == .question else { return nil }
            let n: Int
            switch cmd {
            case .up: n = answers.scroll - 1
            case .down: n = answers.scroll + 1
            case .pageUp: n = answers.scroll - page
            case .pageDown: n = answers.scroll + page
            case .home: n = 0
            default: n = answerDetailLines - 1
            }
            answers.scroll = min(max(0, n), max(0, answerDetailLines - 1))
        case .open:
            switch answers.level {
            case .surveys:
                guard let row = tables[.answerSurveys]?.selectedRow, surveys.indices.contains(row) else { return [] }
                selectAnswerSurvey(row)
                answers.level = .questions
            case .questions:
                guard let row = tables[.answerQuestions]?.selectedRow, surveys[answers.survey].questions.indices.contains(row) else { return [] }
                answers.question = row
                answers.level = .question
                answers.scroll = 0
            case .question: break
            }
        case .back:
            switch answers.level {
            case .surveys: return nil   // clears the list's text filter, if any
            case .questions:
                if tables[.answerQuestions]?.filter.isEmpty == false { return nil }
                answers.level = .surveys
            case .question: answers.level = .questions
            }
        default:
            return nil
        }
        return []
    }

    /// Follows the survey and question lists' selections (after a move, a sort or a filter of either list).
    mutating func syncAnswers() {
        guard let row = tables[.answerSurveys]?.selectedRow, answerSurveys.indices.contains(row) else { return }
        if row != answers.survey { selectAnswerSurvey(row) }
        if answers.level == .questions, let q = tables[.answerQuestions]?.selectedRow,
           answerSurveys[row].questions.indices.contains(q), q != answers.question {
            answers.question = q
            answers.scroll = 0
        }
    }

    /// Makes survey `index` the selected one: its questions become the question list (its sort kept, its text filter
    /// and selection reset).
    mutating func selectAnswerSurvey(_ index: Int) {
        let changed = index != answers.survey
        answers.survey = index
        if changed { answers.question = 0; answers.scroll = 0 }
        refreshAnswerQuestions(reset: changed)
    }

    /// Builds the question list of the selected survey (after a new report or another survey) and re-applies its sort.
    mutating func refreshAnswerQuestions(reset: Bool = false) {
        let surveys = answerSurveys
        guard model != nil, surveys.indices.contains(answers.survey) else {
            model?.tables[.answerQuestions] = nil
            return
        }
        let t = AnswersTable.questionsModel(surveys[answers.survey], cells: cells, sanitizer: sanitizer, glyphs: glyphs)
        model?.tables[.answerQuestions] = t
        var st = tables[.answerQuestions] ?? TableState()
        if reset { st.filter = ""; st.selected = 0; st.offset = 0 }
        if let c = st.sortColumn, c >= t.columns.count { st.sortColumn = nil }
        if !reset, let pos = st.order.firstIndex(of: answers.question) { st.selected = pos }
        st.recompute(t)
        if reset, let pos = st.order.firstIndex(of: answers.question) { st.selected = pos }
        tables[.answerQuestions] = st
    }

    /// Keeps the selection inside the current report (a reload or a segment filter can remove surveys).
    mutating func clampAnswers(_ surveys: [AnswerSurvey]) {
        if surveys.isEmpty { answers = AnswersViewState(); return }
        answers.survey = min(max(0, answers.survey), surveys.count - 1)
        answers.question = min(max(0, answers.question), surveys[answers.survey].questions.count - 1)
    }
}
