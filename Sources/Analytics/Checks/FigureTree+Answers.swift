// Questions and question funnels in the figure tree: `question["next_birthday/q1"].option["child"].share`,
// `question["s/q2"].histogram["5"].count`, `question["s/score"].nps.nps`, `question["s/q1"].weekly[-1].top_share`,
// `funnel["next_birthday"].step[2].answer_rate`. Every leaf comes from the structs' declared figures.

extension FigureNode {
    static func questions(_ list: [QuestionStats]) -> FigureNode {
        FigureNode.list("the list of questions", noun: "question", bare: false, list.map { q in
            let what = "question \(FigurePath.quote(q.key))"
            var node = group(what, q)
            node.fields += [
                ("options", FigureNode.list("the options of \(what)", noun: "option", bare: true, q.options.map { o in
                    (o.option, group("option \(FigurePath.quote(o.option)) of \(what)", o))
                })),
                ("histogram", FigureNode.list("the histogram of \(what)", noun: "value", bare: true, q.histogram.map { b in
                    (String(b.value), group("value \(b.value) of \(what)", b))
                })),
                ("themes", FigureNode.list("the themes of \(what)", noun: "theme", bare: false, q.themes.map { t in
                    (t.theme, group("theme \(FigurePath.quote(t.theme)) of \(what)", t))
                })),
                ("weekly", FigureNode.list("the weekly answers of \(what)", noun: "week", bare: false, q.weekly.map { w in
                    (w.week, group("week \(w.week) of \(what)", w))
                })),
            ]
            if let n = q.nps { node.fields.append(("nps", group("the NPS of \(what)", n))) }
            node.aliases = ["option": "options", "value": "histogram", "theme": "themes", "week": "weekly"]
            return (q.key, node)
        })
    }

    static func funnels(_ list: [QuestionFunnel]) -> FigureNode {
        FigureNode.list("the list of question funnels", noun: "survey", bare: false, list.map { f in
            let what = "the question funnel of \(FigurePath.quote(f.surveyID))"
            var node = FigureNode(what: what)
            node.fields = [("steps", FigureNode.list("the steps of \(what)", noun: "step", bare: false, f.steps.map { s in
                var step = group("question \(s.position) (\(FigurePath.quote(s.question))) of \(what)", s)
                step.fields.insert(("position", leaf(.count(s.position))), at: 0)
                return (s.question, step)
            }))]
            node.aliases = ["step": "steps"]
            return (f.surveyID, node)
        })
    }
}
