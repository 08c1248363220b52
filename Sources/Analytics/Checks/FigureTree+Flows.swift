// Loops and journeys in the figure tree: `loop["Late delivery apology"].in_time_rate`,
// `loop["…"].open_older_than_hours`, `loop["…"].weekly[-1].missed`, `journey["…"].persons`.

extension FigureNode {
    static func loops(_ reports: [LoopReport]) -> FigureNode {
        list("the list of loops", noun: "loop", bare: false, reports.map { l in
            let what = "loop \(FigurePath.quote(l.name))"
            var node = group(what, l)
            node.fields += [
                ("weekly", list("the weekly triggers of \(what)", noun: "week", bare: false, l.weekly.map { w in
                    (w.week, group("week \(w.week) of \(what)", w))
                })),
                ("by_channel", list("the follow-up channels of \(what)", noun: "channel", bare: true, l.byChannel.map { c in
                    (c.channel, group("channel \(FigurePath.quote(c.channel)) of \(what)", c))
                })),
                ("open_ages", list("the open triggers by age of \(what)", noun: "age bin", bare: false, l.openAges.map { b in
                    let key = NumberFormat.plain(b.fromSeconds) + "-" + NumberFormat.plain(b.toSeconds)
                    return (key, group("age bin \(key) of \(what)", b))
                })),
            ]
            node.aliases = ["week": "weekly", "channel": "by_channel"]
            return (l.name, node)
        })
    }

    static func journeys(_ reports: [JourneyReport]) -> FigureNode {
        list("the list of journeys", noun: "journey", bare: false, reports.map { j in
            let what = "journey \(FigurePath.quote(j.name))"
            var node = group(what, j)
            node.fields += [
                ("tree", steps(j.tree.children, what: "the tree of \(what)")),
                ("paths", list("the paths of \(what)", noun: "path", bare: false, j.paths.map { p in
                    let key = p.steps.joined(separator: " > ")
                    return (key, group("path \(FigurePath.quote(key)) of \(what)", p))
                })),
            ]
            return (j.name, node)
        })
    }

    /// Journey steps by name, each with its figures and its next steps as entries
    /// (`journey["X"].tree["baby"]["gifts"].entries`).
    static func steps(_ nodes: [JourneyNode], what: String) -> FigureNode {
        list(what, noun: "step", bare: false, nodes.map { n in
            var node = steps(n.children, what: "step \(FigurePath.quote(n.step)) of \(what)")
            node.fields = figures(n, what: node.what)
            return (n.step, node)
        })
    }
}
