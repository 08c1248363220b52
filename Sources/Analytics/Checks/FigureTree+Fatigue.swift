// Prompt fatigue, the preferred channel and profile depth in the figure tree:
// `feedback.fatigue.ordinal[3].response_rate` (the 3rd prompt within 30 days), `feedback.fatigue.gap["<1d"].prompts`,
// `feedback.fatigue.channel["sms"].ordinal[5].response_rate` (5 or more), `feedback.preferred_channel.on_preferred.response_rate`,
// `feedback.preferred_channel.channel["email"].best_cell.response_rate`, `persons.profile_depth.all.depth[0].share`,
// `persons.profile_depth.weekly[-1].depth[4].persons`, `segment["X"].profile_depth.prompted.depth[1].share`.
// Every leaf comes from the structs' declared figures (``PromptGroup``, ``ChannelPreference``, ``DepthBucket``…),
// every list from their declared children. In the fatigue tables `{what}` is a suffix: "" or ` on channel "sms"`.

/// The two fatigue tables of `R` (the summary's or one channel's): `[n]` names ordinal n (`[5]` the `5+` row).
func fatigueTables<R>(_ ordinals: @escaping (R) -> [FatigueOrdinalRow],
                      _ gaps: @escaping (R) -> [FatigueGapRow]) -> [FigureChild<R>] {
    [
        .list("by_ordinal", ordinals, what: "the prompts by ordinal{what}", noun: "ordinal", keyedIndex: true,
              aliases: ["ordinal"], entryKey: { $0.label }, entryWhat: { row, what in "ordinal \(row.label)\(what)" }),
        .list("by_gap", gaps, what: "the prompts by gap since the previous prompt{what}", noun: "gap", aliases: ["gap"],
              entryKey: { $0.gap }, entryWhat: { row, what in "gap \(FigurePath.quote(row.gap))\(what)" }),
    ]
}

extension FatigueSummary: FigureParent {
    /// The tables of all prompts and, by channel, of each channel's.
    public static let children: [FigureChild<FatigueSummary>] = fatigueTables({ $0.byOrdinal }, { $0.byGap }) + [
        .list("by_channel", { $0.channelTables }, what: "the fatigue tables by channel", noun: "channel", bare: true,
              aliases: ["channel"], entryKey: { $0.channel },
              entryWhat: { ch, _ in "the fatigue tables of channel \(FigurePath.quote(ch.channel))" },
              entry: { ch, what in FigureNode.node(what, ch.table, subject: " on channel \(FigurePath.quote(ch.channel))") }),
    ]
}

extension FatigueTable: FigureParent {
    /// One channel's two tables.
    public static let children: [FigureChild<FatigueTable>] = fatigueTables({ $0.byOrdinal }, { $0.byGap })
}

extension PreferredChannelSummary {
    /// The three prompt groups, the persons by preferred channel and the comparison by channel.
    public static let children: [FigureChild<PreferredChannelSummary>] = [
        .group("on_preferred", { $0.onPreferred }, what: "the prompts on the preferred channel"),
        .group("on_other", { $0.onOther }, what: "the prompts on another channel than the preferred one"),
        .group("no_preference", { $0.noPreference }, what: "the prompts to persons without a preference"),
        .list("preferences", { $0.preferences }, what: "the persons by preferred channel", noun: "channel", bare: true,
              aliases: ["preference"], entryKey: { $0.channel },
              entryWhat: { c, _ in "the persons preferring \(FigurePath.quote(c.channel))" }),
        .list("channels", { $0.channels }, what: "the preferred-channel comparison by channel", noun: "channel",
              bare: true, aliases: ["channel"], entryKey: { $0.channel },
              entryWhat: { row, _ in "the preferred-channel comparison on channel \(FigurePath.quote(row.channel))" },
              entry: { row, what in
                  FigureNode.group(what, row, subject: " on channel \(FigurePath.quote(row.channel))") }),
    ]
}

extension PreferredChannelRow {
    /// One channel's prompt groups and best hour × weekday; `{what}` is the suffix ` on channel "email"`.
    public static let children: [FigureChild<PreferredChannelRow>] = [
        .group("on_preferred", { $0.onPreferred }, what: "the prompts to persons preferring it{what}"),
        .group("on_other", { $0.onOther }, what: "the prompts to persons preferring another channel{what}"),
        .group("no_preference", { $0.noPreference }, what: "the prompts to persons without a preference{what}"),
        .custom("best_cell") { row, what in
            row.bestCell.map { cell in
                var best = FigureNode.group("the best hour × weekday\(what)", cell)
                best.fields.insert(contentsOf: [("weekday", .leaf(.count(cell.weekday))), ("hour", .leaf(.count(cell.hour)))], at: 0)
                return best
            }
        },
    ]
}

extension DepthDistribution {
    /// The depth buckets: `[n]` names depth n (`[4]` the `4+` bucket).
    public static let children: [FigureChild<DepthDistribution>] = [
        .list("depth", { $0.depth }, what: "the depth buckets of {what}", noun: "depth", keyedIndex: true,
              entryKey: { $0.label }, entryWhat: { b, what in "depth \(b.label) of \(what)" }),
    ]
}

extension ProfileDepthSummary: FigureParent {
    /// The distributions of all and of prompted persons, and per week.
    public static let children: [FigureChild<ProfileDepthSummary>] = [
        .group("all", { $0.all }, what: "the profile depth of all persons"),
        .group("prompted", { $0.prompted }, what: "the profile depth of prompted persons"),
        .list("weekly", { $0.weekly }, what: "the weekly profile depth", noun: "week", aliases: ["week"],
              entryKey: { $0.week }, entryWhat: { w, _ in "the profile depth as of week \(w.week)" },
              entry: { w, what in FigureNode.group(what, w.distribution) }),
    ]
}

extension PersonsSummary: FigureParent {
    /// The profile depth.
    public static let children: [FigureChild<PersonsSummary>] = [
        .node("profile_depth", { $0.profileDepth }, what: "the profile depth"),
    ]
}

extension SegmentProfileDepth: FigureParent {
    /// A segment's distributions; `{what}` is the segment (`segment "VIP"`).
    public static let children: [FigureChild<SegmentProfileDepth>] = [
        .group("all", { $0.all }, what: "the profile depth of {what}"),
        .group("prompted", { $0.prompted }, what: "the profile depth of the prompted members of {what}"),
    ]
}
