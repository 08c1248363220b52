// Loops and journeys in the figure tree: `loop["Late delivery apology"].in_time_rate`,
// `loop["…"].open_older_than_hours`, `loop["…"].weekly[-1].missed`, `journey["…"].persons`.

extension FigureNode {
    static func outcomes(_ o: LoopOutcomes, what: String) -> [(String, Figure)] {
        [
            ("triggers", .count(o.triggers, o.$triggers)), ("in_time", .count(o.inTime, o.$inTime)),
            ("late", .count(o.late, o.$late)), ("open", .count(o.open, o.$open)), ("missed", .count(o.missed, o.$missed)),
            ("in_time_rate", .fraction(o.inTimeRate, absent: "no decided triggers (none, or all open)", o.$inTimeRate)),
        ]
    }

    static func loops(_ reports: [LoopReport]) -> FigureNode {
        list("the list of loops", noun: "loop", bare: false, reports.map { l in
            let what = "loop \(FigurePath.quote(l.name))"
            var node = group(what, outcomes(l.outcomes, what: what) + [
                ("persons", .count(l.persons, l.$persons)),
                ("late_rate", .fraction(l.lateRate, absent: "no decided triggers", l.$lateRate)),
                ("missed_rate", .fraction(l.missedRate, absent: "no decided triggers", l.$missedRate)),
                ("median_seconds_to_close", .seconds(l.medianSecondsToClose, absent: "nothing closed", l.$medianSecondsToClose)),
                ("p90_seconds_to_close", .seconds(l.p90SecondsToClose, absent: "nothing closed", l.$p90SecondsToClose)),
                ("oldest_open_seconds", .seconds(l.oldestOpenSeconds, absent: "nothing open", l.$oldestOpenSeconds)),
                ("open_older_than_hours", Figure(value: l.openOlderThanHours, unit: .hours, withheld: l.$openOlderThanHours)),
                ("within_seconds", .seconds(l.withinSeconds, absent: "no promise")),
            ])
            node.fields += [
                ("weekly", list("the weekly triggers of \(what)", noun: "week", bare: false, l.weekly.map { w in
                    (w.week, group("week \(w.week) of \(what)", outcomes(w.outcomes, what: what)))
                })),
                ("by_channel", list("the follow-up channels of \(what)", noun: "channel", bare: true, l.byChannel.map { c in
                    (c.channel, group("channel \(FigurePath.quote(c.channel)) of \(what)", [
                        ("closed", .count(c.closed, c.$closed)), ("in_time", .count(c.inTime, c.$inTime)),
                        ("median_seconds_to_close", .seconds(c.medianSecondsToClose, absent: "nothing closed", c.$medianSecondsToClose)),
                    ]))
                })),
            ]
            node.aliases = ["week": "weekly", "channel": "by_channel"]
            return (l.name, node)
        })
    }

    static func journeys(_ reports: [JourneyReport]) -> FigureNode {
        list("the list of journeys", noun: "journey", bare: false, reports.map { j in
            (j.name, group("journey \(FigurePath.quote(j.name))", [
                ("entries", .count(j.entries, j.$entries)), ("persons", .count(j.persons, j.$persons)),
            ]))
        })
    }
}
