// The privacy guards of prompt fatigue, the preferred channel and profile depth (docs/PRIVACY.md): every count of
// persons or prompts in 1 ..< k is withheld, rates and shares derived from it go with it, and where the rows of a
// table add up to a total shown elsewhere, one withheld row takes the smallest other along (so it cannot be
// worked out by subtraction). Each struct's own rule is its declared one (``Privacy/Pass/guardFigures(_:)``);
// what is taken along by hand is the whole group, the complementary row, and the persons behind a withheld total.

extension Privacy.Pass {
    /// Fatigue tables, overall and per channel (channel names masked).
    mutating func apply(_ f: inout FatigueSummary) {
        apply(&f.byOrdinal, \.counts)
        apply(&f.byGap, \.counts)
        var channels: [String: FatigueTable] = [:]
        for (name, table) in maskedKeys(f.byChannel) {
            var t = table
            apply(&t.byOrdinal, \.counts)
            apply(&t.byGap, \.counts)
            channels[name] = t
        }
        f.byChannel = channels
    }

    /// Preferred channel: the groups on / off / without a preference (overall and per channel), the persons per
    /// preferred channel, and each channel's best hour × weekday cell.
    mutating func apply(_ p: inout PreferredChannelSummary) {
        apply(&p.groups, \.group)
        let totalHidden = guardFigures(&p).$personsWithPreference.isSuppressed
        var prefs = p.preferences.map { var c = $0; c.channel = id(c.channel); return c }
        for i in prefs.indices {
            if totalHidden && !small(prefs[i].persons) && prefs[i].persons > 0 {
                hide(&prefs[i], \.persons, \.$persons, .derived)
            } else {
                _ = guardFigures(&prefs[i])
            }
        }
        complement(&prefs, total: p.$personsWithPreference, value: \.persons, mark: \.$persons)
        p.preferences = prefs
        p.channels = p.channels.map { row in
            var r = row
            r.channel = id(r.channel)
            apply(&r.groups, \.group)
            if var cell = r.bestCell { r.bestCell = guardFigures(&cell) }
            return r
        }
    }

    /// Profile depth: overall, over prompted persons, weekly, per segment.
    mutating func apply(_ d: inout ProfileDepthSummary) {
        apply(&d.all)
        apply(&d.prompted)
        d.weekly = d.weekly.map { var w = $0; apply(&w.distribution); return w }
    }

    /// A distribution: fewer than k persons hide it whole; otherwise each bucket in 1 ..< k goes with its share,
    /// and a single withheld bucket takes the smallest other non-zero bucket along (they add up to the persons).
    mutating func apply(_ d: inout DepthDistribution) {
        if guardFigures(&d).$persons.isSuppressed {
            for i in d.depth.indices {
                if d.depth[i].persons > 0 {
                    hide(&d.depth[i], \.persons, \.$persons, small(d.depth[i].persons) ? .belowMinimum : .derived)
                }
                hide(&d.depth[i], \.share, \.$share)
            }
            return
        }
        for i in d.depth.indices { _ = guardFigures(&d.depth[i]) }
        if let j = complement(&d.depth, total: d.$persons, value: \.persons, mark: \.$persons) {
            hide(&d.depth[j], \.share, \.$share)
        }
    }

    /// Rows whose prompt groups partition a total shown elsewhere (fatigue buckets, on / off / no preference).
    /// Each group: fewer than k persons or prompts hide the whole group; fewer than k answered hide the answers
    /// and the rate. Then, when exactly one group's prompts (or answers) are withheld, the smallest other non-zero
    /// one goes too.
    mutating func apply<Row>(_ rows: inout [Row], _ group: WritableKeyPath<Row, PromptGroup>) {
        for i in rows.indices { apply(&rows[i][keyPath: group]) }
        // The prompts' complement takes the whole row along, the answers' complement its answers and rate.
        if let j = complement(&rows, total: .shown, value: group.appending(path: \PromptGroup.prompts), mark: group.appending(path: \PromptGroup.$prompts)) {
            hide(&rows[j][keyPath: group], \.persons, \.$persons, .complementary)
            hide(&rows[j][keyPath: group], \.answered, \.$answered, .complementary)
            hide(&rows[j][keyPath: group], \.responseRate, \.$responseRate)
        }
        if let j = complement(&rows, total: .shown, value: group.appending(path: \PromptGroup.answered), mark: group.appending(path: \PromptGroup.$answered)) {
            hide(&rows[j][keyPath: group], \.responseRate, \.$responseRate)
        }
    }

    /// One prompt group on its own: the declared rule (each count in 1 ..< k, the rate with the prompts or
    /// answers), and a group of fewer than k persons or prompts is withheld whole (its answers too, unless none).
    mutating func apply(_ g: inout PromptGroup) {
        guardFigures(&g)
        guard g.$persons.isSuppressed || g.$prompts.isSuppressed else { return }
        hide(&g, \.persons, \.$persons, .derived)
        hide(&g, \.prompts, \.$prompts, .derived)
        if g.answered > 0 { hide(&g, \.answered, \.$answered, .derived) }
        hide(&g, \.responseRate, \.$responseRate)
    }
}
