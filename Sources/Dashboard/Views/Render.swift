import Analytics
/// Draws the whole state into the buffer (already sized to the terminal). Pure: the same state and
/// size always give the same cells; it never indexes outside the buffer at any size.
public func render(_ state: AppState, into buffer: inout ScreenBuffer) {
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
            case .overview: OverviewView(state: s, model: m).render(into: &buffer, area: frame.content)
            case .segments:
                if let d = s.detail, m.segments.indices.contains(d) {
                    SegmentDetailView(state: s, model: m, segment: m.segments[d]).render(into: &buffer, area: frame.content)
                } else {
                    SegmentsView(state: s, model: m).render(into: &buffer, area: frame.content)
                }
            case .feedback: FeedbackView(state: s, model: m).render(into: &buffer, area: frame.content)
            case .consent: ConsentView(state: s, model: m).render(into: &buffer, area: frame.content)
            case .data: DataView(state: s, model: m).render(into: &buffer, area: frame.content)
            case .journeys: JourneysView(state: s).render(into: &buffer, area: frame.content)
            case .loops: LoopsView(state: s).render(into: &buffer, area: frame.content)
            }
        }
    }
    switch s.overlay {
    case .help(let scroll)?:
        HelpOverlay(scroll: scroll, glyphs: s.glyphs).render(into: &buffer, area: frame.content)
    case .picker?:
        PickerOverlay(state: s).render(into: &buffer)
    case nil:
        break
    }
    if let text = s.input {
        InputLine(prompt: "/", text: s.sanitizer.clean(text), hints: KeyMap.standard.hints(for: [.input]), glyphs: s.glyphs)
            .render(into: &buffer, area: frame.status)
    } else if let caption = s.tour?.caption, s.overlay == nil {
        TourCaption(caption: caption, glyphs: s.glyphs).render(into: &buffer, area: frame.status)
    } else {
        let (note, role) = statusNote(s)
        var hints = KeyMap.standard.hints(for: s.keyContexts)
        if case .loading = s.phase { hints.removeAll { $0.command == .reload } }
        StatusLine(hints: hints, note: note, noteRole: role, ellipsis: s.glyphs.ellipsis)
            .render(into: &buffer, area: frame.status)
    }
}

/// The right side of the status line: a message, else the loaded time.
private func statusNote(_ s: AppState) -> (String, StyleRole) {
    if let m = s.message { return (m, .warn) }
    if case .ready = s.phase, let m = s.model {
        return ("loaded in " + Format.fixed(m.loadSeconds, 1) + "s", .status)
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
            right.append(("\(spin) filtering to \(s.sanitizer.clean(p))", .warn))
        } else if let f = s.segmentFilter {
            right.append(("segment: " + s.sanitizer.clean(f), .accent))
        } else if case .ready = s.phase {
            right.append(("all persons", .header))
        }
        if case .ready = s.phase, let m = s.model, let age = dataAge(s, m) {
            right.append(("newest event " + s.format.duration(age) + " ago", age > 2 * 86_400 ? .warn : .header))
        }
        var rightWidth = 0
        for (i, r) in right.enumerated() { rightWidth += DisplayWidth.of(r.0) + (i > 0 ? 3 : 0) }
        rightWidth += 1
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

/// The bottom line during the demo tour: the finding, and how to take over.
struct TourCaption {
    var caption: String
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        buf.fill(area, role: .tabActive)
        let hint = "any key: take over"
        let hintWidth = area.width >= 60 ? DisplayWidth.of(hint) + 2 : 0
        buf.put(" " + glyphs.arrow + " " + caption, in: Rect(x: area.x, y: area.y, width: area.width - hintWidth, height: 1),
                role: .tabActive, ellipsis: glyphs.ellipsis)
        if hintWidth > 0 {
            buf.put(hint, in: Rect(x: area.maxX - hintWidth, y: area.y, width: hintWidth - 1, height: 1), align: .right,
                    role: .tabActive, ellipsis: glyphs.ellipsis)
        }
    }
}

/// Seconds from the newest event to the clock (the report's own figure before the first tick).
func dataAge(_ s: AppState, _ m: ViewModel) -> Double? {
    if let now = s.nowMs, let last = m.lastEventEpoch { return max(0, Double(now / 1000 - last)) }
    return m.store.lastEventAgeSeconds
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
