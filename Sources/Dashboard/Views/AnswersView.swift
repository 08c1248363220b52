import Analytics

extension AppState {
    /// A number with one decimal, or the missing mark.
    func oneDecimal(_ x: Double?) -> String { x.map { Format.fixed($0, 1) } ?? format.missing }
}

/// View 8: what customers answered. Three levels, Enter to go in and Esc back: the surveys with answered
/// questions (and the selected survey's question funnel), a survey's questions, one question's distribution
/// (options, a rating or NPS histogram) or themes, with its weeks.
struct AnswersView {
    var state: AppState

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
        let g = state.glyphs
        let surveys = state.answerSurveys
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
        let a = state.answers
        let s = min(max(0, a.survey), surveys.count - 1)
        let survey = surveys[s]
        switch a.level {
        case .surveys:
            let (top, bottom) = split(area, rows: surveys.count, survey: survey)
            surveyList(&buf, top, surveys, selected: s)
            funnel(&buf, bottom, survey)
        case .questions:
            let (top, bottom) = split(area, rows: survey.questions.count, survey: survey)
            questionList(&buf, top, survey, selected: min(a.question, survey.questions.count - 1))
            funnel(&buf, bottom, survey)
        case .question:
            let q = survey.questions[min(max(0, a.question), survey.questions.count - 1)]
            question(&buf, area, survey, q, scroll: a.scroll)
        }
    }

    /// The list on top (as tall as its rows, at most the part the funnel leaves), the funnel below.
    func split(_ area: Rect, rows: Int, survey: AnswerSurvey) -> (Rect, Rect) {
        let wanted = survey.funnel.map { $0.steps.count + 3 } ?? 3
        let bottomH = min(wanted, max(0, area.height - 6))
        let topH = max(min(area.height, 5), area.height - bottomH)
        let (top, bottom) = area.splitTop(topH)
        return (top, bottom)
    }

    func list<Row>(_ buf: inout ScreenBuffer, _ area: Rect, title: String, note: String, flexTitle: String,
                   rows: [Row], selected: Int, label: (Row) -> String, columns: [AnswerColumn<Row>]) {
        let g = state.glyphs
        let inner = Box(title: title, note: note, focused: true, glyphs: g).render(into: &buf, area: area)
        let body = inner.inset(dx: 1, dy: 0)
        guard !body.isEmpty else { return }
        let kept = fittedAnswerColumns(columns, rows: rows, width: body.width, minFlex: 16)
        let (xs, flexWidth) = answerColumnPositions(kept, in: body.row(0))
        buf.put(flexTitle, in: Rect(x: body.x, y: body.y, width: flexWidth, height: 1), role: .header, ellipsis: g.ellipsis)
        for (i, c) in kept.enumerated() {
            buf.put(c.title, in: Rect(x: xs[i], y: body.y, width: c.width, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
        }
        let visible = max(0, body.height - 1)
        let offset = max(0, selected - visible + 1)
        for k in 0..<visible {
            let i = offset + k
            guard i < rows.count else { break }
            let line = body.row(1 + k), isSelected = i == selected
            if isSelected { buf.fill(line, role: .selected) }
            buf.put(label(rows[i]), in: Rect(x: line.x, y: line.y, width: flexWidth, height: 1),
                    role: isSelected ? .selected : .normal, ellipsis: g.ellipsis)
            for (c, col) in kept.enumerated() {
                let (t, role) = col.cell(rows[i])
                buf.put(t, in: Rect(x: xs[c], y: line.y, width: col.width, height: 1), align: .right,
                        role: isSelected ? .selected : role, ellipsis: g.ellipsis)
            }
        }
    }

    func surveyList(_ buf: inout ScreenBuffer, _ area: Rect, _ surveys: [AnswerSurvey], selected: Int) {
        let st = state
        let columns: [AnswerColumn<AnswerSurvey>] = [
            AnswerColumn(title: "questions", width: 9) { (Format.int($0.questions.count), .normal) },
            AnswerColumn(title: "answered by", width: 11) { s in
                let best = s.questions.max { $0.persons < $1.persons }!
                return (st.cells.count(best.persons, best.$persons), .normal)
            },
            AnswerColumn(title: "prompts", width: 7) { s in
                (s.loop.map { st.cells.count($0.prompts, $0.$prompts) } ?? st.format.missing, .muted)
            },
            AnswerColumn(title: "resp. rate", width: 10) { s in
                (s.loop.map { st.cells.rate($0.responseRate, $0.$responseRate) } ?? st.format.missing, .muted)
            },
        ]
        list(&buf, area, title: "Answers " + state.glyphs.separator + " surveys (\(surveys.count))", note: "Enter: questions",
             flexTitle: "survey", rows: surveys, selected: selected, label: { st.sanitizer.clean($0.label) }, columns: columns)
    }

    /// The most telling figure of a question: the top option and its share, the NPS, the mean, the top theme.
    func topAnswer(_ q: QuestionStats) -> String {
        let st = state
        if let n = q.nps { return "NPS " + (st.report?.privacy.label(n.$nps) ?? st.format.nps(n.nps)) }
        if let o = q.options.first, !o.other, q.type != nil || q.histogram.isEmpty {
            return st.sanitizer.clean(o.option) + " " + st.cells.rate(o.share, o.$share)
        }
        if let m = q.mean, !q.histogram.isEmpty { return "mean " + st.oneDecimal(m) }
        if let t = q.themes.first { return "\u{201C}" + st.sanitizer.clean(t.theme) + "\u{201D}" }
        return st.format.missing
    }

    func questionList(_ buf: inout ScreenBuffer, _ area: Rect, _ survey: AnswerSurvey, selected: Int) {
        let st = state
        let columns: [AnswerColumn<QuestionStats>] = [
            AnswerColumn(title: "type", width: 6) { ($0.type.map(Self.typeLabel) ?? "?", .muted) },
            AnswerColumn(title: "persons", width: 7) { (st.cells.count($0.persons, $0.$persons), .normal) },
            AnswerColumn(title: "top answer", width: 10) { (Sanitizer.truncate(self.topAnswer($0), width: 22, ellipsis: st.glyphs.ellipsis), .accent) },
        ]
        list(&buf, area, title: st.sanitizer.clean(survey.label) + " " + st.glyphs.separator + " questions (\(survey.questions.count))",
             note: "Enter: answers  Esc: surveys", flexTitle: "question", rows: survey.questions, selected: selected,
             label: { q in (q.position.map { "\($0). " } ?? "") + st.sanitizer.clean(q.text ?? q.question) }, columns: columns)
    }

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

    /// Asked → answered per question of the selected survey, bars relative to the persons asked the first question.
    func funnel(_ buf: inout ScreenBuffer, _ area: Rect, _ survey: AnswerSurvey) {
        let g = state.glyphs
        guard area.height >= 3 else { return }
        let inner = Box(title: "Question funnel " + g.separator + " " + state.sanitizer.clean(survey.name ?? survey.id),
                        glyphs: g).render(into: &buf, area: area)
        let body = inner.inset(dx: 1, dy: 0)
        guard !body.isEmpty else { return }
        guard let f = survey.funnel else {
            buf.put("One question, or a survey not declared in earshot.yaml's catalog: no funnel", in: body.row(0),
                    role: .muted, ellipsis: g.ellipsis)
            return
        }
        let st = state
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
            buf.put("\(step.position). " + st.sanitizer.clean(step.text ?? step.question),
                    in: Rect(x: line.x, y: line.y, width: labelW, height: 1), role: .normal, ellipsis: g.ellipsis)
            if base > 0, !step.$answered.isSuppressed, barW > 0 {
                Bar(fraction: Double(step.answered) / Double(base), glyphs: g)
                    .render(into: &buf, area: Rect(x: barX, y: line.y, width: barW, height: 1))
            }
            buf.put(st.cells.count(step.asked, step.$asked), in: Rect(x: barX + barW + 1, y: line.y, width: countW, height: 1),
                    align: .right, role: .muted, ellipsis: g.ellipsis)
            buf.put(st.cells.count(step.answered, step.$answered), in: Rect(x: barX + barW + countW + 2, y: line.y, width: countW, height: 1),
                    align: .right, role: .normal, ellipsis: g.ellipsis)
            buf.put(st.cells.rate(step.answerRate, step.$answerRate), in: Rect(x: line.maxX - rateW, y: line.y, width: rateW, height: 1),
                    align: .right, role: .accent, ellipsis: g.ellipsis)
        }
    }

    func question(_ buf: inout ScreenBuffer, _ area: Rect, _ survey: AnswerSurvey, _ q: QuestionStats, scroll: Int) {
        let g = state.glyphs, st = state
        let (head, rest) = area.splitTop(min(4, area.height))
        let title = st.sanitizer.clean(survey.name ?? survey.id) + " " + g.separator + " question "
            + (q.position.map(String.init) ?? st.sanitizer.clean(q.question))
        let inner = Box(title: title, note: "Esc: questions", focused: true, glyphs: g).render(into: &buf, area: head)
        let hb = inner.inset(dx: 1, dy: 0)
        buf.put(st.sanitizer.clean(q.text ?? q.question), in: hb.row(0), role: .title, ellipsis: g.ellipsis)
        var facts = [(q.type.map(Self.typeLabel) ?? "undeclared"), "\(Format.int(q.answers)) answers",
                     "\(st.cells.count(q.persons, q.$persons)) persons"]
        if let n = q.nps { facts.append("NPS " + (st.report?.privacy.label(n.$nps) ?? st.format.nps(n.nps))) }
        if let m = q.mean, !q.histogram.isEmpty { facts.append("mean " + st.oneDecimal(m)) }
        if q.medianLength != nil || q.$medianLength.isSuppressed {
            facts.append("median length " + (st.report?.privacy.label(q.$medianLength) ?? st.oneDecimal(q.medianLength)))
        }
        buf.put(facts.joined(separator: "  " + g.separator + "  "), in: hb.row(1), role: .muted, ellipsis: g.ellipsis)

        let weeksW = rest.width >= 100 ? 38 : 30
        let (left, right) = rest.splitLeft(max(0, rest.width - weeksW))
        detail(&buf, left, q, scroll: scroll)
        weeks(&buf, right, q)
    }

    func detail(_ buf: inout ScreenBuffer, _ area: Rect, _ q: QuestionStats, scroll: Int) {
        let g = state.glyphs, st = state
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
                buf.put(o.other ? "(other)" : st.sanitizer.clean(o.option), in: label, role: o.other ? .muted : .normal, ellipsis: g.ellipsis)
                if !o.$persons.isSuppressed { Bar(fraction: Double(o.persons) / Double(top), glyphs: g).render(into: &buf, area: bar) }
                buf.put(st.cells.count(o.persons, o.$persons), in: count, align: .right, role: .normal, ellipsis: g.ellipsis)
                buf.put(st.cells.rate(o.share, o.$share), in: share, align: .right, role: .accent, ellipsis: g.ellipsis)
            case .bin(let b, let top):
                buf.put(String(b.value), in: label, align: .right, role: .normal, ellipsis: g.ellipsis)
                if !b.$count.isSuppressed {
                    let role: StyleRole = q.type == "nps" ? (b.value >= 9 ? .good : (b.value >= 7 ? .warn : .bad)) : .bar
                    Bar(fraction: Double(b.count) / Double(top), role: role, glyphs: g).render(into: &buf, area: bar)
                }
                buf.put(st.cells.count(b.count, b.$count), in: count, align: .right, role: .normal, ellipsis: g.ellipsis)
            case .theme(let t, let top):
                buf.put(st.sanitizer.clean(t.theme), in: label, role: t.kind == "phrase" ? .accent : .normal, ellipsis: g.ellipsis)
                if !t.$persons.isSuppressed { Bar(fraction: Double(t.persons) / Double(top), role: .barAlt, glyphs: g).render(into: &buf, area: bar) }
                buf.put(st.cells.count(t.persons, t.$persons), in: count, align: .right, role: .normal, ellipsis: g.ellipsis)
            case .example(let e):
                buf.put("  \u{201C}" + st.sanitizer.clean(e) + "\u{201D}", in: line, role: .muted, ellipsis: g.ellipsis)
            case .note(let n):
                let k = st.report?.privacy.minCohort ?? 0
                buf.put(n.replacingOccurrences(of: "fewer than k", with: "fewer than \(k)"), in: line, role: .muted, ellipsis: g.ellipsis)
            }
        }
    }

    /// The question's weeks, newest first: answers and the top option's share.
    func weeks(_ buf: inout ScreenBuffer, _ area: Rect, _ q: QuestionStats) {
        let g = state.glyphs, st = state
        let inner = Box(title: "By week", note: q.topOption.map { "top: " + st.sanitizer.clean($0) } ?? "", glyphs: g)
            .render(into: &buf, area: area)
        let body = inner.inset(dx: 1, dy: 0)
        guard !body.isEmpty else { return }
        if q.weekly.isEmpty {
            buf.put(q.$persons.isSuppressed ? "Withheld" : "No answers", in: body.row(0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let columns: [AnswerColumn<QuestionWeek>] = [
            AnswerColumn(title: "answers", width: 7) { (st.cells.count($0.answers, $0.$answers), .normal) },
            AnswerColumn(title: "top", width: 6) { ($0.topShare == nil && !$0.$topShare.isSuppressed ? st.format.missing
                                                  : st.cells.rate($0.topShare, $0.$topShare), .accent) },
        ]
        let kept = fittedAnswerColumns(columns, rows: q.weekly, width: body.width, minFlex: 8)
        let (xs, flexWidth) = answerColumnPositions(kept, in: body.row(0))
        buf.put("week", in: Rect(x: body.x, y: body.y, width: flexWidth, height: 1), role: .header, ellipsis: g.ellipsis)
        for (i, c) in kept.enumerated() {
            buf.put(c.title, in: Rect(x: xs[i], y: body.y, width: c.width, height: 1), align: .right, role: .header, ellipsis: g.ellipsis)
        }
        for (k, w) in q.weekly.reversed().prefix(max(0, body.height - 1)).enumerated() {
            let line = body.row(1 + k)
            buf.put(w.week, in: Rect(x: line.x, y: line.y, width: flexWidth, height: 1), role: .normal, ellipsis: g.ellipsis)
            for (c, col) in kept.enumerated() {
                let (t, role) = col.cell(w)
                buf.put(t, in: Rect(x: xs[c], y: line.y, width: col.width, height: 1), align: .right, role: role, ellipsis: g.ellipsis)
            }
        }
    }
}

// The column helpers of the Journeys and Loops views before they became declared tables (#12.4), kept for the
// Answers view's three lists.

/// A right-aligned column of an Answers list: title, width, and the cell of each row.
struct AnswerColumn<Row> {
    var title: String
    var width: Int
    var cell: (Row) -> (String, StyleRole)
}

/// The columns that fit in `width` (leaving `minFlex` for the flexible text), each widened to its title and its
/// widest cell over `rows` (so `hidden` or a long duration is never cut while there is room, as ``ColumnLayout``
/// does for the other tables). Columns that do not fit are dropped from the end.
func fittedAnswerColumns<Row>(_ columns: [AnswerColumn<Row>], rows: [Row], width: Int, minFlex: Int) -> [AnswerColumn<Row>] {
    var kept: [AnswerColumn<Row>] = []
    var used = 0
    for var c in columns {
        c.width = rows.reduce(max(c.width, DisplayWidth.of(c.title))) { max($0, DisplayWidth.of(c.cell($1).0)) }
        guard used + c.width + 1 + minFlex <= width else { continue }
        kept.append(c)
        used += c.width + 1
    }
    return kept
}

/// The x of each kept column and the flexible column's width.
func answerColumnPositions<Row>(_ columns: [AnswerColumn<Row>], in row: Rect) -> (xs: [Int], flexWidth: Int) {
    var x = row.maxX
    var xs = [Int](repeating: 0, count: columns.count)
    for i in columns.indices.reversed() {
        x -= columns[i].width
        xs[i] = x
        x -= 1
    }
    return (xs, max(0, x - row.x))
}
