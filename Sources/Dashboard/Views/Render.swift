import Analytics
/// Draws the whole state into the buffer (already sized to the terminal). Pure: the same state and
/// size always give the same cells; it never indexes outside the buffer at any size.
/// - Parameter chrome: `.slide` leaves out key hints, the load time and messages (a picture for a slide).
public func render(_ state: AppState, into buffer: inout ScreenBuffer, chrome: Chrome = .interactive) {
    var s = state
    s.width = buffer.width
    s.height = buffer.height
    buffer.fill(buffer.area, role: .normal)
    guard buffer.width > 0, buffer.height > 0 else { return }
    if Layout.isTooSmall(s) {
        let msg = "terminal too small (\(s.width)×\(s.height), need \(s.options.minimumWidth)×\(s.options.minimumHeight))"
        let text = s.glyphs == .ascii ? msg.replacingOccurrences("×", "x") : msg
        buffer.put(text, in: buffer.area.row(buffer.height / 2), align: .center, role: .warn, ellipsis: s.glyphs.ellipsis)
        return
    }
    let frame = Layout.frame(width: s.width, height: s.height)
    Header(state: s).render(into: &buffer, area: frame.header)
    switch s.phase {
    case .loading(let p):
        LoadingView(state: s, progress: p, failure: nil).render(into: &buffer, area: frame.content)
    case .failed(let message):
        LoadingView(state: s, progress: nil, failure: message).render(into: &buffer, area: frame.content)
    case .ready:
        TabBar(active: s.tab, glyphs: s.glyphs).render(into: &buffer, area: frame.tabs)
        if let m = s.model {
            switch s.tab {
            case .overview: OverviewView(model: m, glyphs: s.glyphs, format: s.format).render(into: &buffer, area: frame.content)
            case .segments:
                if let d = s.detail, m.segments.indices.contains(d) {
                    SegmentDetailView(model: m, glyphs: s.glyphs, segment: m.segments[d]).render(into: &buffer, area: frame.content)
                } else {
                    SegmentsView(model: m, tableState: s.tables[.segments] ?? TableState(), categoryIndex: s.categoryIndex, glyphs: s.glyphs).render(into: &buffer, area: frame.content)
                }
            case .feedback:
                FeedbackView(model: m, tableState: s.tables[.feedback] ?? TableState(), panel: s.feedbackPanel, glyphs: s.glyphs, format: s.format)
                    .render(into: &buffer, area: frame.content)
            case .consent: ConsentView(model: m, tableState: s.tables[.consent] ?? TableState(), glyphs: s.glyphs).render(into: &buffer, area: frame.content)
            case .data: DataView(model: m, tables: s.tables, focus: s.dataFocus, glyphs: s.glyphs).render(into: &buffer, area: frame.content)
            case .journeys:
                JourneysView(journeys: s.report?.journeys ?? [], journey: s.currentJourney, rows: s.journeyRows, table: s.journeyTable,
                             flows: s.flows, cells: m.cells, sanitizer: s.sanitizer, glyphs: s.glyphs)
                    .render(into: &buffer, area: frame.content)
            case .loops:
                LoopsView(loops: s.report?.loops ?? [], table: m.tables[.loops] ?? TableModel(title: "Loops", columns: [], rows: [], emptyMessage: ""),
                          tableState: s.tables[.loops] ?? TableState(), cells: m.cells, sanitizer: s.sanitizer, glyphs: s.glyphs)
                    .render(into: &buffer, area: frame.content)
            case .answers:
                let empty = TableModel(title: "", columns: [], rows: [], emptyMessage: "")
                AnswersView(surveys: m.answerSurveys, position: s.answers,
                            surveyTable: m.tables[.answerSurveys] ?? empty, surveyState: s.tables[.answerSurveys] ?? TableState(),
                            questionTable: m.tables[.answerQuestions] ?? empty, questionState: s.tables[.answerQuestions] ?? TableState(),
                            cells: m.cells, sanitizer: s.sanitizer, glyphs: s.glyphs)
                    .render(into: &buffer, area: frame.content)
            }
        }
    }
    switch s.overlay {
    case .help(let scroll)?:
        HelpOverlay(scroll: scroll, glyphs: s.glyphs).render(into: &buffer, area: frame.content)
    case .picker?:
        PickerOverlay(state: s).render(into: &buffer)
    case .sort(let sel)?:
        SortPickerOverlay(state: s, selected: sel).render(into: &buffer, area: frame.content)
    case .definitions(let scroll)?:
        DefinitionsOverlay(state: s, scroll: scroll).render(into: &buffer, area: frame.content)
    case nil:
        break
    }
    if let text = s.input {
        InputLine(prompt: "/", text: s.sanitizer.clean(text), hints: KeyMap.standard.hints(for: [.input]), glyphs: s.glyphs,
                  note: matchNote(s))
            .render(into: &buffer, area: frame.status)
    } else if let caption = s.tour?.caption, s.overlay == nil {
        // A caption too long for the line takes the row above as well (wrapped, not cut).
        let caption2 = TourCaption(caption: caption, glyphs: s.glyphs)
        let area = caption2.lines(width: frame.status.width).count > 1 && frame.content.height > 4
            ? Rect(x: frame.status.x, y: frame.status.y - 1, width: frame.status.width, height: 2) : frame.status
        caption2.render(into: &buffer, area: area)
    } else if chrome == .slide {
        buffer.fill(frame.status, role: .status)
    } else {
        let (note, role) = statusNote(s)
        var hints = KeyMap.standard.hints(for: s.keyContexts)
        if case .loading = s.phase { hints.removeAll { $0.command == .reload } }
        StatusLine(hints: hints, note: note, noteRole: role, ellipsis: s.glyphs.ellipsis)
            .render(into: &buffer, area: frame.status)
    }
}

/// `3 of 15 match` for the search line (rows matching the text themselves, of all rows).
func matchNote(_ s: AppState) -> String {
    guard let id = s.focusedTable, let t = s.model?.tables[id], let st = s.tables[id] else { return "" }
    if st.filter.isEmpty { return Format.int(t.rows.count) + " rows" }
    return st.matches == 0 ? "no match" : Format.int(st.matches) + " of " + Format.int(t.rows.count) + " match"
}

/// The right side of the status line: a message, else the loaded time.
private func statusNote(_ s: AppState) -> (String, StyleRole) {
    if let m = s.message { return (m, .warn) }
    if case .ready = s.phase, let m = s.model {
        var note = "loaded in " + Format.fixed(m.loadSeconds, 1) + "s"
        // The segment filter's own time, in milliseconds (it should be a blink: docs/PERFORMANCE.md).
        if s.segmentFilter != nil, s.filteredReport != nil, let f = s.filterSeconds {
            note += " " + s.glyphs.separator + " filtered in " + Format.int(Int((f * 1000).rounded())) + " ms"
        }
        return (note, .status)
    }
    return ("", .status)
}

/// Row 0: the name, the source, the segment filter and how old the newest event is.
struct Header {
    var state: AppState

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let s = state, g = s.glyphs
        buf.fill(area, role: .header)
        var x = area.x + buf.put(" earshot ", x: area.x, y: area.y, clip: area, role: .title)
        // Right side: filter and freshness.
        var right: [(String, StyleRole)] = []
        // Privacy guards turned off are said in the warning color, first, so that they cannot be missed.
        if let privacy = s.report?.privacy, privacy.applied {
            if !privacy.piiMasked { right.append(("PERSONAL DATA SHOWN", .warn)) }
            if privacy.minCohort == 0 { right.append(("small counts shown", .warn)) }
        }
        if s.following { right.append(liveLabel(s)) }
        if let p = s.pendingFilter {
            let spin = spinner(s)
            let status = s.filterStatus.map { " (" + s.sanitizer.clean($0) + ")" } ?? ""
            right.append(("\(spin) filtering to \(s.sanitizer.clean(p))\(status)", .warn))
        } else if let f = s.segmentFilter {
            right.append(("segment: " + s.sanitizer.clean(f), .accent))
        } else if case .ready = s.phase {
            right.append(("all persons", .header))
        }
        if case .ready = s.phase, let m = s.model {
            if s.options.clockPinnedToData, let day = m.lastDay {
                right.append(("data as of " + day, .header))
            } else if let age = dataAge(s, m) {
                right.append(freshnessLabel(age, s.format))
            }
        }
        var rightWidth = 0
        for (i, r) in right.enumerated() { rightWidth += DisplayWidth.of(r.0) + (i > 0 ? 3 : 0) }
        rightWidth += 1
        // Following: the store and consent figures are live, the other views' figures are of an older analysis
        // (docs/DASHBOARD.md, "Follow mode"); said after the live marker when the line has room.
        let liveText = liveLabel(s).0
        if s.following, let asOf = s.data?.viewsAsOfMs, let at = right.firstIndex(where: { $0.0 == liveText }) {
            let note = "views as of " + clockTime(asOf)
            if rightWidth + DisplayWidth.of(note) + 3 <= area.width - 12 {
                right.insert((note, .muted), at: at + 1)
                rightWidth += DisplayWidth.of(note) + 3
            }
        }
        if rightWidth > area.width - 12 { right = Array(right.prefix(1)); rightWidth = DisplayWidth.of(right.first?.0 ?? "") + 1 }
        if rightWidth > area.width - 10 { right = []; rightWidth = 1 }
        let sourceWidth = area.maxX - x - rightWidth - 2
        if let m = s.model, sourceWidth > 3 {
            x += buf.put(m.source, in: Rect(x: x + 1, y: area.y, width: sourceWidth, height: 1), role: .header, ellipsis: g.ellipsis,
                         keepEnd: true)
        }
        var rx = area.maxX - rightWidth
        for (i, r) in right.enumerated() {
            if i > 0 { rx += buf.put(" " + g.separator + " ", x: rx, y: area.y, clip: area, role: .header) }
            rx += buf.put(r.0, x: rx, y: area.y, clip: area, role: r.1)
        }
    }
}

/// The header's live marker: `● live 12.5 ev/s`, or what keeps following from working.
func liveLabel(_ s: AppState) -> (String, StyleRole) {
    let mark = s.glyphs.bullet + " live"
    guard let live = s.live else { return (mark, .accent) }
    if let problem = live.problem { return (mark + ": " + s.sanitizer.clean(problem), .warn) }
    let rate = live.eventsPerSecond
    let text = rate >= 10 || rate == 0 ? Format.int(Int(rate.rounded())) : Format.fixed(rate, 1)
    return (mark + " " + text + " ev/s", .accent)
}

/// The bottom line during the demo tour: the finding, and how to take over. A caption wider than the line wraps
/// at a word onto a second line when the caller gives it two rows.
struct TourCaption {
    var caption: String
    var glyphs: Glyphs

    static let hint = "any key: take over"

    func hintWidth(_ width: Int) -> Int { width >= 60 ? DisplayWidth.of(Self.hint) + 2 : 0 }

    /// The caption's lines for a line of `width` cells: one when it fits beside the hint, else two (the second
    /// cut with an ellipsis only when even two lines are too short).
    func lines(width: Int) -> [String] {
        let text = " " + glyphs.arrow + " " + caption
        let first = width - hintWidth(width)
        if DisplayWidth.of(text) <= first || first <= 10 { return [text] }
        // Break at the last space that fits on the first line.
        var head = "", used = 0, breakAt: String.Index?
        for i in text.indices {
            let w = DisplayWidth.of(String(text[i]))
            if used + w > first { break }
            if text[i] == " " && i > text.index(text.startIndex, offsetBy: 3) { breakAt = i }
            used += w
            head.append(text[i])
        }
        let cut = breakAt ?? text.index(text.startIndex, offsetBy: head.count)
        return [String(text[..<cut]), "   " + text[cut...].drop(while: { $0 == " " })]
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        buf.fill(area, role: .tabActive)
        let hw = hintWidth(area.width)
        let lines = area.height > 1 ? lines(width: area.width) : [" " + glyphs.arrow + " " + caption]
        for (i, line) in lines.prefix(area.height).enumerated() {
            buf.put(line, in: Rect(x: area.x, y: area.y + i, width: area.width - (i == 0 ? hw : 0), height: 1),
                    role: .tabActive, ellipsis: glyphs.ellipsis)
        }
        if hw > 0 {
            buf.put(Self.hint, in: Rect(x: area.maxX - hw, y: area.y, width: hw - 1, height: 1), align: .right,
                    role: .tabActive, ellipsis: glyphs.ellipsis)
        }
    }
}

/// Seconds from the newest event to the clock (the report's own figure before the first tick).
func dataAge(_ s: AppState, _ m: ViewModel) -> Double? {
    if let now = s.nowMs, let last = m.lastEventEpoch { return Double(now / 1000 - last) }
    return m.store.lastEventAgeSeconds
}

/// How long ago the newest event was written, in the header: `newest event 2h 3m ago` (in the warning color past
/// two days), or for a newest event more than a minute in the future (clock skew, test data)
/// `newest event in 3d (clock skew?)`, also in the warning color, never a reassuring "0s ago".
func freshnessLabel(_ ageSeconds: Double, _ format: Format) -> (String, StyleRole) {
    if ageSeconds < -60 {
        return ("newest event in " + format.duration(-ageSeconds) + " (clock skew?)", .warn)
    }
    let age = max(0, ageSeconds)
    return ("newest event " + format.duration(age) + " ago", age > 2 * 86_400 ? .warn : .header)
}

/// `20:12:05Z`: the UTC time of day of `ms` (since 1970).
func clockTime(_ ms: Int64) -> String {
    let secs = ((ms / 1000) % 86_400 + 86_400) % 86_400
    func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return two(secs / 3600) + ":" + two(secs / 60 % 60) + ":" + two(secs % 60) + "Z"
}

/// The spinner frame for the current tick.
func spinner(_ s: AppState) -> String {
    let frames = s.glyphs.spinner
    guard !frames.isEmpty else { return "" }
    let i = Int(((s.nowMs ?? 0) / 100) % Int64(frames.count))
    return frames[i]
}

extension String {
    /// Replaces every occurrence of the character `a` by the string `b` (no Foundation).
    func replacingOccurrences(_ a: Character, _ b: String) -> String {
        var out = ""
        for ch in self { if ch == a { out += b } else { out.append(ch) } }
        return out
    }
}
