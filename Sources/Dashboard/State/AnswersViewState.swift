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

    /// The Answers view's keys: move in the current list, Enter to go in, Esc back.
    mutating func answersCommand(_ cmd: Command) -> [Effect]? {
        let surveys = answerSurveys
        clampAnswers(surveys)
        let page = max(1, height - 10)
        func moved(_ i: Int, _ count: Int) -> Int {
            let n: Int
            switch cmd {
            case .up: n = i - 1
            case .down: n = i + 1
            case .pageUp: n = i - page
            case .pageDown: n = i + page
            case .home: n = 0
            default: n = count - 1
            }
            return min(max(0, n), max(0, count - 1))
        }
        switch cmd {
        case .up, .down, .pageUp, .pageDown, .home, .end:
            switch answers.level {
            case .surveys:
                let next = moved(answers.survey, surveys.count)
                if next != answers.survey { answers.survey = next; answers.question = 0; answers.scroll = 0 }
            case .questions:
                guard surveys.indices.contains(answers.survey) else { return [] }
                let next = moved(answers.question, surveys[answers.survey].questions.count)
                if next != answers.question { answers.question = next; answers.scroll = 0 }
            case .question:
                answers.scroll = moved(answers.scroll, answerDetailLines)
            }
        case .open:
            switch answers.level {
            case .surveys: if !surveys.isEmpty { answers.level = .questions }
            case .questions: answers.level = .question; answers.scroll = 0
            case .question: break
            }
        case .back:
            switch answers.level {
            case .surveys: break
            case .questions: answers.level = .surveys
            case .question: answers.level = .questions
            }
        default:
            return nil
        }
        return []
    }

    /// Keeps the selection inside the current report (a reload or a segment filter can remove surveys).
    mutating func clampAnswers(_ surveys: [AnswerSurvey]) {
        if surveys.isEmpty { answers = AnswersViewState(); return }
        answers.survey = min(max(0, answers.survey), surveys.count - 1)
        answers.question = min(max(0, answers.question), surveys[answers.survey].questions.count - 1)
    }
}
