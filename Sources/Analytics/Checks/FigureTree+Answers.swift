// Questions and question funnels in the figure tree: `question["next_birthday/q1"].option["child"].share`,
// `question["s/q2"].histogram["5"].count`, `question["s/score"].nps.nps`, `question["s/q1"].weekly[-1].top_share`,
// `funnel["next_birthday"].step[2].answer_rate`.

extension FigureNode {
    static func questions(_ list: [QuestionStats]) -> FigureNode {
        FigureNode.list("the list of questions", noun: "question", bare: false, list.map { q in
            let what = "question \(FigurePath.quote(q.key))"
            var node = group(what, [
                ("answers", .count(q.answers)), ("persons", .count(q.persons, q.$persons)),
                ("mean", Figure(value: q.mean, unit: .count, absentBecause: "no numeric answers")),
                ("median_length", Figure(value: q.medianLength, unit: .count, absentBecause: "no text answers",
                                         withheld: q.$medianLength)),
                ("themes_dropped", .count(q.themesDropped)),
            ])
            node.fields += [
                ("options", FigureNode.list("the options of \(what)", noun: "option", bare: true, q.options.map { o in
                    (o.option, group("option \(FigurePath.quote(o.option)) of \(what)", [
                        ("count", .count(o.count, o.$count)), ("persons", .count(o.persons, o.$persons)),
                        ("share", .fraction(o.share, absent: "no persons answered", o.$share)),
                    ]))
                })),
                ("histogram", FigureNode.list("the histogram of \(what)", noun: "value", bare: true, q.histogram.map { b in
                    (String(b.value), group("value \(b.value) of \(what)", [("count", .count(b.count, b.$count))]))
                })),
                ("themes", FigureNode.list("the themes of \(what)", noun: "theme", bare: false, q.themes.map { t in
                    (t.theme, group("theme \(FigurePath.quote(t.theme)) of \(what)", [
                        ("persons", .count(t.persons, t.$persons)), ("answers", .count(t.answers)),
                    ]))
                })),
                ("weekly", FigureNode.list("the weekly answers of \(what)", noun: "week", bare: false, q.weekly.map { w in
                    (w.week, group("week \(w.week) of \(what)", [
                        ("answers", .count(w.answers, w.$answers)), ("persons", .count(w.persons, w.$persons)),
                        ("top_share", .fraction(w.topShare, absent: "no top option or no persons", w.$topShare)),
                    ]))
                })),
            ]
            if let n = q.nps { node.fields.append(("nps", nps(n, what: "the NPS of \(what)"))) }
            node.aliases = ["option": "options", "value": "histogram", "theme": "themes", "week": "weekly"]
            return (q.key, node)
        })
    }

    static func funnels(_ list: [QuestionFunnel]) -> FigureNode {
        FigureNode.list("the list of question funnels", noun: "survey", bare: false, list.map { f in
            let what = "the question funnel of \(FigurePath.quote(f.surveyID))"
            var node = FigureNode(what: what)
            node.fields = [("steps", FigureNode.list("the steps of \(what)", noun: "step", bare: false, f.steps.map { s in
                (s.question, group("question \(s.position) (\(FigurePath.quote(s.question))) of \(what)", [
                    ("position", .count(s.position)),
                    ("asked", .count(s.asked, s.$asked)), ("answered", .count(s.answered, s.$answered)),
                    ("answer_rate", .fraction(s.answerRate, absent: "nobody asked", s.$answerRate)),
                ]))
            }))]
            node.aliases = ["step": "steps"]
            return (f.surveyID, node)
        })
    }
}
