// Prompt fatigue, the preferred channel and profile depth in the figure tree:
// `feedback.fatigue.ordinal[3].response_rate` (the 3rd prompt within 30 days), `feedback.fatigue.gap["<1d"].prompts`,
// `feedback.fatigue.channel["sms"].ordinal[5].response_rate` (5 or more), `feedback.preferred_channel.on_preferred.response_rate`,
// `feedback.preferred_channel.channel["email"].best_cell.response_rate`, `persons.profile_depth.all.depth[0].share`,
// `persons.profile_depth.weekly[-1].depth[4].persons`, `segment["X"].profile_depth.prompted.depth[1].share`.
// Every leaf comes from the structs' declared figures (``PromptGroup``, ``ChannelPreference``, ``DepthBucket``…).

extension FigureNode {
    static func fatigueTables(ordinals: [FatigueOrdinalRow], gaps: [FatigueGapRow], what: String) -> [(String, FigureNode)] {
        var byOrdinal = list("the prompts by ordinal\(what)", noun: "ordinal", bare: false, ordinals.map { row in
            (row.label, group("ordinal \(row.label)\(what)", row))
        })
        byOrdinal.keyedIndex = true
        let byGap = list("the prompts by gap since the previous prompt\(what)", noun: "gap", bare: false, gaps.map { row in
            (row.gap, group("gap \(FigurePath.quote(row.gap))\(what)", row))
        })
        return [("by_ordinal", byOrdinal), ("by_gap", byGap)]
    }

    static func fatigue(_ f: FatigueSummary) -> FigureNode {
        var n = FigureNode(what: "the prompt fatigue tables")
        n.fields = fatigueTables(ordinals: f.byOrdinal, gaps: f.byGap, what: "")
        n.fields.append(("by_channel", list("the fatigue tables by channel", noun: "channel", bare: true,
            f.channelTables.map { ch, t in
                var c = FigureNode(what: "the fatigue tables of channel \(FigurePath.quote(ch))")
                c.fields = fatigueTables(ordinals: t.byOrdinal, gaps: t.byGap,
                                         what: " on channel \(FigurePath.quote(ch))")
                c.aliases = ["ordinal": "by_ordinal", "gap": "by_gap"]
                return (ch, c)
            })))
        n.aliases = ["ordinal": "by_ordinal", "gap": "by_gap", "channel": "by_channel"]
        return n
    }

    static func preferredChannel(_ p: PreferredChannelSummary) -> FigureNode {
        var n = group("the preferred-channel comparison", p)
        n.fields += [
            ("on_preferred", group("the prompts on the preferred channel", p.onPreferred)),
            ("on_other", group("the prompts on another channel than the preferred one", p.onOther)),
            ("no_preference", group("the prompts to persons without a preference", p.noPreference)),
            ("preferences", list("the persons by preferred channel", noun: "channel", bare: true, p.preferences.map { c in
                (c.channel, group("the persons preferring \(FigurePath.quote(c.channel))", c))
            })),
            ("channels", list("the preferred-channel comparison by channel", noun: "channel", bare: true, p.channels.map { row in
                let what = " on channel \(FigurePath.quote(row.channel))"
                var c = FigureNode(what: "the preferred-channel comparison\(what)")
                c.fields = [
                    ("on_preferred", group("the prompts to persons preferring it\(what)", row.onPreferred)),
                    ("on_other", group("the prompts to persons preferring another channel\(what)", row.onOther)),
                    ("no_preference", group("the prompts to persons without a preference\(what)", row.noPreference)),
                ]
                if let cell = row.bestCell {
                    var best = group("the best hour × weekday\(what)", cell)
                    best.fields.insert(contentsOf: [("weekday", leaf(.count(cell.weekday))), ("hour", leaf(.count(cell.hour)))], at: 0)
                    c.fields.append(("best_cell", best))
                }
                return (row.channel, c)
            })),
        ]
        n.aliases = ["channel": "channels", "preference": "preferences"]
        return n
    }

    static func depthDistribution(_ d: DepthDistribution, what: String) -> FigureNode {
        var n = group(what, d)
        var buckets = list("the depth buckets of \(what)", noun: "depth", bare: false, d.depth.map { b in
            (b.label, group("depth \(b.label) of \(what)", b))
        })
        buckets.keyedIndex = true
        n.fields.append(("depth", buckets))
        return n
    }

    static func profileDepth(_ d: ProfileDepthSummary) -> FigureNode {
        var n = FigureNode(what: "the profile depth")
        n.fields = [
            ("all", depthDistribution(d.all, what: "the profile depth of all persons")),
            ("prompted", depthDistribution(d.prompted, what: "the profile depth of prompted persons")),
            ("weekly", list("the weekly profile depth", noun: "week", bare: false, d.weekly.map { w in
                (w.week, depthDistribution(w.distribution, what: "the profile depth as of week \(w.week)"))
            })),
        ]
        n.aliases = ["week": "weekly"]
        return n
    }

    static func persons(_ p: PersonsSummary) -> FigureNode {
        var n = FigureNode(what: "the person figures")
        n.fields = [("profile_depth", profileDepth(p.profileDepth))]
        return n
    }

    static func segmentDepth(_ d: SegmentProfileDepth, what: String) -> FigureNode {
        var n = FigureNode(what: "the profile depth of \(what)")
        n.fields = [
            ("all", depthDistribution(d.all, what: "the profile depth of \(what)")),
            ("prompted", depthDistribution(d.prompted, what: "the profile depth of the prompted members of \(what)")),
        ]
        return n
    }
}
