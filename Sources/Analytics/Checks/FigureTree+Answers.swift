// Questions and question funnels in the figure tree: `question["next_birthday/q1"].option["child"].share`,
// `question["s/q2"].histogram["5"].count`, `question["s/score"].nps.nps`, `question["s/q1"].weekly[-1].top_share`,
// `funnel["next_birthday"].step[2].answer_rate`. Every leaf comes from the structs' declared figures, every list
// from their declared children.

extension QuestionStats {
    /// A question's options, histogram, themes, weekly answers and NPS.
    public static let children: [FigureChild<QuestionStats>] = [
        .list("options", { $0.options }, what: "the options of {what}", noun: "option", bare: true, aliases: ["option"],
              entryKey: { $0.option }, entryWhat: { o, what in "option \(FigurePath.quote(o.option)) of \(what)" }),
        .list("histogram", { $0.histogram }, what: "the histogram of {what}", noun: "value", bare: true, aliases: ["value"],
              entryKey: { String($0.value) }, entryWhat: { b, what in "value \(b.value) of \(what)" }),
        .list("themes", { $0.themes }, what: "the themes of {what}", noun: "theme", aliases: ["theme"],
              entryKey: { $0.theme }, entryWhat: { t, what in "theme \(FigurePath.quote(t.theme)) of \(what)" }),
        .list("weekly", { $0.weekly }, what: "the weekly answers of {what}", noun: "week", aliases: ["week"],
              entryKey: { $0.week }, entryWhat: { w, what in "week \(w.week) of \(what)" }),
        .group("nps", { $0.nps }, what: "the NPS of {what}"),
    ]

    /// The list of questions read by `questions`, as a child of `R` (the report's shortcut or the feedback summary).
    static func listChild<R>(_ key: String, _ questions: @escaping (R) -> [QuestionStats], aliases: [String] = ["question"],
                             jsonKey: String? = "") -> FigureChild<R> {
        .list(key, questions, what: "the list of questions", noun: "question", aliases: aliases, jsonKey: jsonKey,
              entryKey: { $0.key }, entryWhat: { q, _ in "question \(FigurePath.quote(q.key))" })
    }
}

extension QuestionFunnel {
    /// A funnel's steps.
    public static let children: [FigureChild<QuestionFunnel>] = [
        .list("steps", { $0.steps }, what: "the steps of {what}", noun: "step", aliases: ["step"],
              entryKey: { $0.question },
              entryWhat: { s, what in "question \(s.position) (\(FigurePath.quote(s.question))) of \(what)" }),
    ]

    /// The list of question funnels read by `funnels`, as a child of `R`.
    static func listChild<R>(_ key: String, _ funnels: @escaping (R) -> [QuestionFunnel], aliases: [String],
                             jsonKey: String? = "") -> FigureChild<R> {
        .list(key, funnels, what: "the list of question funnels", noun: "survey", aliases: aliases, jsonKey: jsonKey,
              entryKey: { $0.surveyID }, entryWhat: { f, _ in "the question funnel of \(FigurePath.quote(f.surveyID))" })
    }
}

extension FunnelStep {
    /// The step's position, before its figures.
    public static let children: [FigureChild<FunnelStep>] = [.leaf("position", first: true) { .count($0.position) }]
}
