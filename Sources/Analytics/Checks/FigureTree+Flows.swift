// Loops and journeys in the figure tree: `loop["Late delivery apology"].in_time_rate`,
// `loop["…"].open_older_than_hours`, `loop["…"].weekly[-1].missed`, `journey["…"].persons`,
// `journey["X"].tree["baby"]["gifts"].entries`. Every leaf comes from the structs' declared figures, every list
// from their declared children.

extension LoopReport {
    /// A loop's weekly triggers, follow-up channels and open triggers by age.
    public static let children: [FigureChild<LoopReport>] = [
        .list("weekly", { $0.weekly }, what: "the weekly triggers of {what}", noun: "week", aliases: ["week"],
              entryKey: { $0.week }, entryWhat: { w, what in "week \(w.week) of \(what)" }),
        .list("by_channel", { $0.byChannel }, what: "the follow-up channels of {what}", noun: "channel", bare: true,
              aliases: ["channel"],
              entryKey: { $0.channel }, entryWhat: { c, what in "channel \(FigurePath.quote(c.channel)) of \(what)" }),
        .list("open_ages", { $0.openAges }, what: "the open triggers by age of {what}", noun: "age bin",
              entryKey: ageKey, entryWhat: { b, what in "age bin \(ageKey(b)) of \(what)" }),
    ]

    static func ageKey(_ b: LoopAgeBin) -> String { NumberFormat.plain(b.fromSeconds) + "-" + NumberFormat.plain(b.toSeconds) }
}

extension JourneyReport {
    /// A journey's tree of steps and its paths.
    public static let children: [FigureChild<JourneyReport>] = [
        .list("tree", { $0.tree.children }, what: "the tree of {what}", noun: "step",
              entryKey: { $0.step }, entryWhat: { n, what in "step \(FigurePath.quote(n.step)) of the tree of \(what)" }),
        .list("paths", { $0.paths }, what: "the paths of {what}", noun: "path",
              entryKey: pathKey, entryWhat: { p, what in "path \(FigurePath.quote(pathKey(p))) of \(what)" }),
    ]

    static func pathKey(_ p: JourneyPath) -> String { p.steps.joined(separator: " > ") }
}

extension JourneyNode {
    /// A step's next steps, as its own entries (`journey["X"].tree["baby"]["gifts"].entries`).
    public static let children: [FigureChild<JourneyNode>] = [
        .list("children", { $0.children }, what: "{what}", noun: "step", placement: .entriesOnly,
              entryKey: { $0.step }, entryWhat: { n, what in "step \(FigurePath.quote(n.step)) of \(what)" }),
    ]
}
