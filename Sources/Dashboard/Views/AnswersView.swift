import Analytics

/// View 8: what customers answered. Three levels, Enter to go in and Esc back: the surveys with answered
/// questions (and the selected survey's question funnel), a survey's questions, one question's distribution
/// (options, a rating or NPS histogram) or themes, with its weeks. The two lists are declared tables
/// (``AnswersTable``), sorted with `s`/`S` and filtered with `/` like every other table. It draws the data it is
/// given: the surveys, where the view is, the two lists and their sort/filter/selection.
struct AnswersView {
    var surveys: [AnswerSurvey]
    /// The level and the selected survey and question (``AnswersViewState``).
    var position: AnswersViewState
    /// The survey list (``AnswersTable/surveysModel(_:cells:sanitizer:glyphs:)``) and its state.
    var surveyTable: TableModel
    var surveyState: TableState
    /// The selected survey's question list and its state.
    var questionTable: TableModel
    var questionState: TableState
    var cells: CellText
    var sanitizer: Sanitizer
    var glyphs: Glyphs

    /// One line of a question's distribution or themes.
    enum DetailRow: Equatable {
        case heading(String)
        case option(OptionShare, top: Int)
        case bin(HistogramBin, top: Int)
        case theme(AnswerTheme, top: Int)
        case example(String)
        case note(String)
    }

    /// The lines of a question's details, in screen order.
    static func detailRows(_ q: QuestionStats) -> [DetailRow] {
        var out: [DetailRow] = []
        if !q.options.isEmpty {
            let top = max(1, q.options.filter { !$0.$persons.isSuppressed }.map(\.persons).max() ?? 1)
            out.append(.heading("option"))
            out += q.options.map { .option($0, top: top) }
        }
        if !q.histogram.isEmpty {
            let top = max(1, q.histogram.filter { !$0.$count.isSuppressed }.map(\.count).max() ?? 1)
            out.append(.heading(q.type == "nps" ? "score" : "rating"))
            out += q.histogram.map { .bin($0, top: top) }
        }
        if !q.themes.isEmpty {
            let top = max(1, q.themes.filter { !$0.$persons.isSuppressed }.map(\.persons).max() ?? 1)
            out.append(.heading("theme"))
            for t in q.themes {
                out.append(.theme(t, top: top))
                out += t.examples.prefix(2).map { .example($0) }
            }
        }
        if q.themesDropped > 0 { out.append(.note("\(q.themesDropped) themes of fewer than k persons not shown")) }
        if out.isEmpty {
            out.append(.note(q.$persons.isSuppressed ? "Withheld: fewer than k persons answered"
                                                    : "No distribution: the answers are free text without themes yet"))
        }
        return out
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let g = glyphs
        guard !surveys.isEmpty else {
            let lines = [
                "No answers to show. earshot reads every question's answer of survey responses:",
                "PostHog's $survey_response_<id> keys, configured answer fields (feedback.answer_fields),",
                "and for surveys in the earshot.yaml catalog the score and survey_response fields.",
                "",
                "(docs/DEFINITIONS.md, \"Answers\"; docs/CONFIG.md, \"surveys\")",
            ]
            HowToBox(title: "Answers", lines: lines, glyphs: g).render(into: &buf, area: area)
            return
        }
        let a = position
        let survey = surveys[min(max(0, a.survey), surveys.count - 1)]
        switch a.level {
        case .surveys:
            let (top, bottom) = Self.split(area, survey: survey)
            list(&buf, top, surveyTable, surveyState, note: "Enter: questions")
            funnel(&buf, bottom, survey)
        case .questions:
            let (top, bottom) = Self.split(area, survey: survey)
            list(&buf, top, questionTable, questionState, note: "Enter: answers  Esc: surveys")
            funnel(&buf, bottom, survey)
        case .question:
            let q = survey.questions[min(max(0, a.question), survey.questions.count - 1)]
            question(&buf, area, survey, q, scroll: a.scroll)
        }
    }

    /// The list on top (at most the part the funnel leaves), the selected survey's funnel below.
    static func split(_ area: Rect, survey: AnswerSurvey) -> (Rect, Rect) {
        let wanted = survey.funnel.map { $0.steps.count + 3 } ?? 3
        let bottomH = min(wanted, max(0, area.height - 6))
        let topH = max(min(area.height, 5), area.height - bottomH)
        return area.splitTop(topH)
    }

    /// Rows a list shows below its header in `content` (at least 1).
    static func listRows(_ content: Rect, survey: AnswerSurvey) -> Int { max(1, split(content, survey: survey).0.height - 3) }

    /// A list in its box (``FlexTableWidget``: the first column is the flexible text).
    func list(_ buf: inout ScreenBuffer, _ area: Rect, _ model: TableModel, _ st: TableState, note: String) {
        let widget = TableWidget(model: model, state: st, focused: true, glyphs: glyphs)
        let inner = Box(title: widget.title(), note: note, focused: true, glyphs: glyphs).render(into: &buf, area: area)
        FlexTableWidget(model: model, state: st, minFlex: 16, glyphs: glyphs).render(into: &buf, area: inner.inset(dx: 1, dy: 0))
    }

    /// Asked → answered per question of the selected survey, bars relative to the persons asked the first question.
    func funnel(_ buf: inout ScreenBuffer, _ area: Rect, _ survey: AnswerSurvey) {
        let g = glyphs
        guard area.height >= 3 else { return }
        let inner = Box(title: "Question funnel " + g.separator + " " + sanitizer.clean(survey.name ?? survey.id),
                        glyphs: g).render(into: &buf, area: area)
        let body = inner.inset(dx: 1, dy: 0)
        guard !body.isEmpty else { return }
        guard let f = survey.funnel else {
            buf.put("One question, or a survey not declared in earshot.yaml's catalog: no funnel", in: body.row(0),
                    role: .muted, ellipsis: g.ellipsis)
            return
        }
        let countW = 8, rateW = 7
        let labelW = max(10, min(40, body.width / 3))
        let header = body.row(0)
        buf.put("question", in: Rect(x: header.x, y: header.y, width: labelW, height: 1), role: .header, ellipsis: g.ellipsis)
        let barX = header.x + labelW + 1
        let barW = max(0, header.maxX - barX - 2 * (countW + 1) - rateW - 1)
        buf.put("asked", in: Rect(x: barX + barW + 1, y: header.y, width: countW, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
        buf.put("answered", in: Rect(x: barX + barW + countW + 2, y: header.y, width: countW, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
        buf.put("rate", in: Rect(x: header.maxX - rateW, y: header.y, width: rateW, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
        let base = f.steps.first.map { $0.$asked.isSuppressed ? 0 : $0.asked } ?? 0
        for (k, step) in f.steps.prefix(max(0, body.height - 1)).enumerated() {
            let line = body.row(1 + k)
            buf.put("\(step.position). " + sanitizer.clean(step.text ?? step.question),
                    in: Rect(x: line.x, y: line.y, width: labelW, height: 1), role: .normal, ellipsis: g.ellipsis)
            if base > 0, !step.$answered.isSuppressed, barW > 0 {
                Bar(fraction: Double(step.answered) / Double(base), glyphs: g)
                    .render(into: &buf, area: Rect(x: barX, y: line.y, width: barW, height: 1))
            }
            buf.put(cells.count(step.asked, step.$asked), in: Rect(x: barX + barW + 1, y: line.y, width: countW, height: 1),
                    align: .right, role: .muted, ellipsis: g.ellipsis)
            buf.put(cells.count(step.answered, step.$answered), in: Rect(x: barX + barW + countW + 2, y: line.y, width: countW, height: 1),
                    align: .right, role: .normal, ellipsis: g.ellipsis)
            buf.put(cells.rate(step.answerRate, step.$answerRate), in: Rect(x: line.maxX - rateW, y: line.y, width: rateW, height: 1),
                    align: .right, role: .accent, ellipsis: g.ellipsis)
        }
    }

    func question(_ buf: inout ScreenBuffer, _ area: Rect, _ survey: AnswerSurvey, _ q: QuestionStats, scroll: Int) {
        let g = glyphs
        let (head, rest) = area.splitTop(min(4, area.height))
        let title = sanitizer.clean(survey.name ?? survey.id) + " " + g.separator + " question "
            + (q.position.map(String.init) ?? sanitizer.clean(q.question))
        let inner = Box(title: title, note: "Esc: questions", focused: true, glyphs: g).render(into: &buf, area: head)
        let hb = inner.inset(dx: 1, dy: 0)
        buf.put(sanitizer.clean(q.text ?? q.question), in: hb.row(0), role: .title, ellipsis: g.ellipsis)
        var facts = [(q.type.map(AnswersTable.typeLabel) ?? "undeclared"), "\(Format.int(q.answers)) answers",
                     "\(cells.count(q.persons, q.$persons)) persons"]
        if let n = q.nps { facts.append("NPS " + (cells.privacy.label(n.$nps) ?? cells.format.nps(n.nps))) }
        if let m = q.mean, !q.histogram.isEmpty { facts.append("mean " + AnswersTable.oneDecimal(m, cells.format)) }
        if q.medianLength != nil || q.$medianLength.isSuppressed {
            facts.append("median length " + (cells.privacy.label(q.$medianLength) ?? AnswersTable.oneDecimal(q.medianLength, cells.format)))
        }
        buf.put(facts.joined(separator: "  " + g.separator + "  "), in: hb.row(1), role: .muted, ellipsis: g.ellipsis)

        let weeksW = rest.width >= 100 ? 38 : 30
        let (left, right) = rest.splitLeft(max(0, rest.width - weeksW))
        detail(&buf, left, q, scroll: scroll)
        weeks(&buf, right, q)
    }

    func detail(_ buf: inout ScreenBuffer, _ area: Rect, _ q: QuestionStats, scroll: Int) {
        let g = glyphs
        let rows = Self.detailRows(q)
        let title = q.themes.isEmpty || !q.options.isEmpty ? "Answers" : "Themes"
        let first = min(max(0, scroll), max(0, rows.count - 1))
        let inner = Box(title: title, note: rows.count > 1 ? "\(first + 1)/\(rows.count)" : "", glyphs: g).render(into: &buf, area: area)
        let body = inner.inset(dx: 1, dy: 0)
        guard !body.isEmpty else { return }
        let countW = 8, shareW = 7
        let labelW = max(8, min(28, body.width * 2 / 5))
        let barX = body.x + labelW + 1
        let barW = max(0, body.maxX - barX - countW - shareW - 2)
        for (k, row) in rows.dropFirst(first).prefix(body.height).enumerated() {
            let line = body.row(k)
            let label = Rect(x: line.x, y: line.y, width: labelW, height: 1)
            let bar = Rect(x: barX, y: line.y, width: barW, height: 1)
            let count = Rect(x: barX + barW + 1, y: line.y, width: countW, height: 1)
            let share = Rect(x: line.maxX - shareW, y: line.y, width: shareW, height: 1)
            switch row {
            case .heading(let h):
                buf.put(h, in: label, role: .header, ellipsis: g.ellipsis)
                buf.put(h == "theme" || h == "option" ? "persons" : "answers", in: count, align: .right, role: .header, ellipsis: g.ellipsis)
                if h == "option" { buf.put("share", in: share, align: .right, role: .header, ellipsis: g.ellipsis) }
            case .option(let o, let top):
                buf.put(o.other ? "(other)" : sanitizer.clean(o.option), in: label, role: o.other ? .muted : .normal, ellipsis: g.ellipsis)
                if !o.$persons.isSuppressed { Bar(fraction: Double(o.persons) / Double(top), glyphs: g).render(into: &buf, area: bar) }
                buf.put(cells.count(o.persons, o.$persons), in: count, align: .right, role: .normal, ellipsis: g.ellipsis)
                buf.put(cells.rate(o.share, o.$share), in: share, align: .right, role: .accent, ellipsis: g.ellipsis)
            case .bin(let b, let top):
                buf.put(String(b.value), in: label, align: .right, role: .normal, ellipsis: g.ellipsis)
                if !b.$count.isSuppressed {
                    let role: StyleRole = q.type == "nps" ? (b.value >= 9 ? .good : (b.value >= 7 ? .warn : .bad)) : .bar
                    Bar(fraction: Double(b.count) / Double(top), role: role, glyphs: g).render(into: &buf, area: bar)
                }
                buf.put(cells.count(b.count, b.$count), in: count, align: .right, role: .normal, ellipsis: g.ellipsis)
            case .theme(let t, let top):
                buf.put(sanitizer.clean(t.theme), in: label, role: t.kind == "phrase" ? .accent : .normal, ellipsis: g.ellipsis)
                if !t.$persons.isSuppressed { Bar(fraction: Double(t.persons) / Double(top), role: .barAlt, glyphs: g).render(into: &buf, area: bar) }
                buf.put(cells.count(t.persons, t.$persons), in: count, align: .right, role: .normal, ellipsis: g.ellipsis)
            case .example(let e):
                buf.put("  \u{201C}" + sanitizer.clean(e) + "\u{201D}", in: line, role: .muted, ellipsis: g.ellipsis)
            case .note(let n):
                let k = cells.privacy.minCohort
                buf.put(n.replacingOccurrences(of: "fewer than k", with: "fewer than \(k)"), in: line, role: .muted, ellipsis: g.ellipsis)
            }
        }
    }

    /// The question's weeks, newest first: answers and the top option's share.
    func weeks(_ buf: inout ScreenBuffer, _ area: Rect, _ q: QuestionStats) {
        let g = glyphs
        let inner = Box(title: "By week", note: q.topOption.map { "top: " + sanitizer.clean($0) } ?? "", glyphs: g)
            .render(into: &buf, area: area)
        let body = inner.inset(dx: 1, dy: 0)
        guard !body.isEmpty else { return }
        if q.weekly.isEmpty {
            buf.put(q.$persons.isSuppressed ? "Withheld" : "No answers", in: body.row(0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let figures = FlexTable(AnswersTable.weekColumns(cells: cells), rows: q.weekly, in: body.row(0), minFlex: 8)
        figures.header(into: &buf, y: body.y, flexTitle: "week", glyphs: g)
        for (k, w) in q.weekly.reversed().prefix(max(0, body.height - 1)).enumerated() {
            let line = body.row(1 + k)
            buf.put(w.week, in: figures.flex(y: line.y), role: .normal, ellipsis: g.ellipsis)
            figures.cells(into: &buf, w, y: line.y, glyphs: g)
        }
    }
}

