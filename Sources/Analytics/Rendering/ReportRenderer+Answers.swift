// Question details (options, histograms, themes, weekly) and question funnels in the text, CSV and Prometheus
// reports (docs/REPORT.md).

extension ReportRenderer {
    /// How many themes per question the text report prints.
    public static let textThemes = 10

    /// The ANSWERS and QUESTION FUNNELS sections of the text report (no lines when there are no questions).
    static func answerText(_ report: Report) -> [String] {
        var out: [String] = []
        let privacy = report.privacy
        let tx = TextCells(privacy: privacy)
        let details = report.feedback.questions.filter { !$0.options.isEmpty || !$0.histogram.isEmpty || !$0.themes.isEmpty }
        if !details.isEmpty {
            out += ["", "ANSWERS"]
            for q in details {
                var head = "\(tx.cell(q.key)) (\(q.type ?? "undeclared")): \(q.answers) answers, \(tx.N(q.persons, q.$persons)) persons"
                if let m = q.mean { head += ", mean \(NumberFormat.oneDecimal(m))" }
                if let n = q.nps { head += ", NPS \(privacy.label(n.$nps) ?? NumberFormat.oneDecimal(n.nps))" }
                if q.medianLength != nil || q.$medianLength.isSuppressed {
                    head += ", median length \(privacy.label(q.$medianLength) ?? NumberFormat.oneDecimal(q.medianLength))"
                }
                out += ["", head]
                if let text = q.text { out.append("  " + DisplayText.cell(text, limit: 200)) }
                if !q.options.isEmpty {
                    var t = TextTable([("option", .left), ("answers", .right), ("persons", .right), ("share", .right)])
                    for o in q.options { t.add([o.other ? "(other)" : tx.cell(o.option), tx.N(o.count, o.$count), tx.N(o.persons, o.$persons), tx.PS(o.share, o.$share)]) }
                    out += t.lines()
                }
                if !q.histogram.isEmpty {
                    var t = TextTable([("value", .right), ("answers", .right)])
                    for b in q.histogram { t.add(["\(b.value)", tx.N(b.count, b.$count)]) }
                    out += t.lines()
                }
                if !q.themes.isEmpty {
                    var t = TextTable([("theme", .left), ("kind", .left), ("persons", .right), ("answers", .right), ("example", .left)])
                    for th in q.themes.prefix(textThemes) {
                        t.add([tx.cell(th.theme), th.kind, tx.N(th.persons, th.$persons), "\(th.answers)",
                               th.examples.first.map { DisplayText.cell($0, limit: 60) } ?? ""])
                    }
                    out += t.lines()
                }
                if q.themesDropped > 0 { out.append("  \(q.themesDropped) themes of fewer than \(privacy.minCohort) persons not shown") }
            }
        }
        if !report.feedback.questionFunnels.isEmpty {
            out += ["", "QUESTION FUNNELS"]
            var t = TextTable([("survey", .left), ("#", .right), ("question", .left), ("asked", .right), ("answered", .right),
                               ("answer rate", .right)])
            for f in report.feedback.questionFunnels {
                for s in f.steps {
                    t.add([s.position == 1 ? tx.cell(f.surveyID) : "", "\(s.position)", tx.cell(s.question), tx.N(s.asked, s.$asked),
                           tx.N(s.answered, s.$answered), tx.PS(s.answerRate, s.$answerRate)])
                }
            }
            out += t.lines()
        }
        return out
    }
}

extension CSVWriter {
    /// Question detail rows: `question_option`, `question_histogram`, `question_nps`, `question_theme`,
    /// `question_weekly`, `funnel_step`.
    mutating func answers(_ report: Report) {
        for q in report.feedback.questions {
            let key = q.key
            row("question", key, "top_option", q.topOption)
            for o in q.options { figures("question_option", key + "/" + (o.other ? "(other)" : o.option), o) }
            for b in q.histogram { figures("question_histogram", key + "/" + String(b.value), b) }
            if let n = q.nps { figures("question_nps", key, n) }
            for t in q.themes { figures("question_theme", key + "/" + t.theme, t) }
            for w in q.weekly { figures("question_weekly", key + "/" + w.week, w) }
        }
        for f in report.feedback.questionFunnels {
            for s in f.steps { figures("funnel_step", f.surveyID + "/" + String(s.position) + "/" + s.question, s) }
        }
    }
}

extension Exposition {
    /// Families of the questions and funnels from the declared lists (labels `survey`, `question`, `option`, `value`,
    /// `position`): `earshot_question_*`, `earshot_question_nps`, `earshot_funnel_*`.
    mutating func answers(_ r: Report) {
        let qs = r.feedback.questions
        func labels(_ q: QuestionStats) -> [(String, String)] { [("survey", q.surveyID), ("question", q.question)] }
        figures(prefix: "earshot_question", what: "", qs.map { (labels($0), $0) })
        figures(prefix: "earshot_question", what: "",
                qs.flatMap { q in q.options.map { (labels(q) + [("option", $0.other ? "(other)" : $0.option)], $0) } })
        figures(prefix: "earshot_question", what: "", qs.flatMap { q in q.histogram.map { (labels(q) + [("value", String($0.value))], $0) } })
        figures(prefix: "earshot_question_nps", what: "of the NPS question's answers",
                qs.compactMap { q in q.nps.map { (labels(q), $0) } }, only: ["nps"])
        figures(prefix: "earshot_funnel", what: "", r.feedback.questionFunnels.flatMap { f in
            f.steps.map { ([("survey", f.surveyID), ("position", String($0.position)), ("question", $0.question)], $0) }
        })
    }
}
