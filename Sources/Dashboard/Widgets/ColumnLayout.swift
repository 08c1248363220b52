/// Widths of columns side by side in a row, after ratatui's `Constraint` layout: every part has a minimum it needs
/// (a number's digits), a width it wants (the longest name, the full header) and may fill what is left (sparklines,
/// bars), up to a cap. Text gets what it needs first; fills grow with the box; a part is dropped (from the right,
/// never the first) only when even the minimums do not fit. Pure and cheap: tables and panel rows share it.
enum ColumnLayout {
    /// One part of a row.
    struct Part: Sendable, Equatable {
        /// The width below which the part is useless (it is dropped instead).
        var min: Int
        /// The width at which nothing is cut (the longest content); at least `min`.
        var want: Int
        /// Share of the room left once every part has what it wants (0: does not grow past `want`).
        var fill: Int = 0
        /// The most a filling part takes.
        var max: Int = Int.max
        /// May be left out when the row is too narrow.
        var droppable = true

        init(min: Int, want: Int? = nil, fill: Int = 0, max: Int = Int.max, droppable: Bool = true) {
            self.min = Swift.max(0, min)
            self.want = Swift.max(self.min, want ?? min)
            self.fill = fill
            self.max = Swift.max(self.want, max)
            self.droppable = droppable
        }

        /// A part of fixed width (ratatui `Length`).
        static func fixed(_ w: Int) -> Part { Part(min: w, want: w) }
    }

    /// Widths for `parts` in `width` cells with `gap` cells between shown parts; 0 marks a dropped part. Text longer
    /// than `generous` cells gets the rest of what it wants only after the fills have what they want.
    /// Shown widths plus gaps never exceed `width`; room left over (no part wants it) goes to `spare`, or stays unused.
    static func solve(_ parts: [Part], width: Int, gap: Int = 1, spare: Int? = nil, generous: Int = 30) -> [Int] {
        guard !parts.isEmpty else { return [] }
        var shown = Array(parts.indices)
        func need(_ idx: [Int]) -> Int { idx.reduce(0) { $0 + parts[$1].min } + Swift.max(0, idx.count - 1) * gap }
        while shown.count > 1 && need(shown) > width {
            guard let drop = shown.last(where: { parts[$0].droppable && $0 != shown.first }) else { break }
            shown.removeAll { $0 == drop }
        }
        var w = [Int](repeating: 0, count: parts.count)
        for i in shown { w[i] = parts[i].min }
        var room = width - need(shown)
        if room < 0 {
            // Only the first part is left and even its minimum does not fit: it gets the whole width.
            if let f = shown.first { w[f] = Swift.max(0, width) }
            return w
        }
        // Water-filling: one cell at a time to each part still short of what it wants, so that two text columns
        // share a narrow row fairly and a short one is whole before a long one grows further.
        func fillUp(_ target: (Int) -> Int, _ eligible: [Int]) {
            var open = eligible.filter { w[$0] < target($0) }
            while room > 0 && !open.isEmpty {
                let step = Swift.max(1, room / open.count)
                for i in open where room > 0 {
                    let add = Swift.min(step, target(i) - w[i], room)
                    w[i] += add; room -= add
                }
                open = open.filter { w[$0] < target($0) }
            }
        }
        // Text (parts that do not fill) first, up to `generous` cells each; then what the filling parts want (a
        // sparkline's one cell per week); then the rest of very long text; then the fills share what is left.
        let text = shown.filter { parts[$0].fill == 0 }
        fillUp({ Swift.min(parts[$0].want, Swift.max(parts[$0].min, generous)) }, text)
        fillUp({ parts[$0].want }, shown.filter { parts[$0].fill > 0 })
        fillUp({ parts[$0].want }, text)
        // Fills share what is left by weight, up to their caps.
        var fills = shown.filter { parts[$0].fill > 0 && w[$0] < parts[$0].max }
        while room > 0 && !fills.isEmpty {
            let weights = fills.reduce(0) { $0 + parts[$1].fill }
            let before = room
            for i in fills {
                let share = Swift.max(1, before * parts[i].fill / Swift.max(1, weights))
                let add = Swift.min(share, parts[i].max - w[i], room)
                w[i] += add; room -= add
            }
            fills = fills.filter { w[$0] < parts[$0].max }
        }
        if room > 0, let s = spare, shown.contains(s) { w[s] += room }
        return w
    }

    /// x offsets (relative to the row's start) of the parts for `widths` from ``solve(_:width:gap:spare:)``.
    static func offsets(_ widths: [Int], gap: Int = 1) -> [Int] {
        var x = 0
        var out: [Int] = []
        for w in widths {
            out.append(x)
            if w > 0 { x += w + gap }
        }
        return out
    }

    /// A flexible text part on the left and parts of fixed `widths` after it, ending at the row's end (the Journeys and
    /// Loops tables): the fixed parts that fit, in order, leaving the flexible part at least `minFlex` cells — a part
    /// too wide for the room left is skipped, a narrower one after it may still fit. Returns the kept parts (indices
    /// into `widths`), their x offsets from the row's start, and the flexible part's width (all of the room left).
    static func flexThenFixed(_ widths: [Int], width: Int, minFlex: Int, gap: Int = 1) -> (kept: [Int], xs: [Int], flex: Int) {
        var kept: [Int] = []
        var used = 0
        for (i, w) in widths.enumerated() where used + w + gap + minFlex <= width {
            kept.append(i)
            used += w + gap
        }
        var x = width
        var xs = [Int](repeating: 0, count: kept.count)
        for k in kept.indices.reversed() {
            x -= widths[kept[k]]
            xs[k] = x
            x -= gap
        }
        return (kept, xs, Swift.max(0, x))
    }
}
