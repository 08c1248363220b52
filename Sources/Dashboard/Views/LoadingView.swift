import Analytics
/// The loading screen (progress bar, bytes, events/s) and the load-error screen (message, retry, quit).
struct LoadingView {
    var state: AppState
    var progress: LoadProgress?
    var failure: String?

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let s = state, g = s.glyphs, fmt = s.format, san = s.sanitizer
        let box = area.centered(width: min(64, area.width - 2), height: failure == nil ? 7 : 8)
        guard box.width >= 10, box.height >= 3 else { return }
        if let failure {
            let inner = Box(title: "Could not load the store", glyphs: g).render(into: &buf, area: box)
            let text = san.clean(failure)
            let lines = wrap(text, width: inner.width - 2, maxLines: inner.height - 2, ellipsis: g.ellipsis)
            for (i, l) in lines.enumerated() {
                buf.put(l, in: inner.row(i).inset(dx: 1, dy: 0), role: .bad, ellipsis: g.ellipsis)
            }
            buf.put("r retry  " + g.separator + "  q quit", in: inner.row(inner.height - 1).inset(dx: 1, dy: 0),
                    role: .muted, ellipsis: g.ellipsis)
            return
        }
        let inner = Box(title: "Loading", glyphs: g).render(into: &buf, area: box)
        let row0 = inner.row(0).inset(dx: 1, dy: 0)
        if let p = progress, let engine = p.engine {
            // An engine computes: its stage and task counts, the time so far (bytes and events are not known).
            buf.put(spinner(s) + " Computing with " + san.clean(engine.name), in: row0, role: .normal, ellipsis: g.ellipsis)
            let fraction = p.fraction
            Gauge(fraction: fraction ?? 0, label: fraction.map { fmt.percent($0) } ?? fmt.missing, role: .bar, glyphs: g)
                .render(into: &buf, area: inner.row(2).inset(dx: 1, dy: 0))
            buf.put(san.clean(engine.text), in: inner.row(3).inset(dx: 1, dy: 0), role: .normal, ellipsis: g.ellipsis)
            buf.put(Format.fixed(p.elapsedSeconds, 1) + "s elapsed  " + g.separator + "  q quits (and stops the engine)",
                    in: inner.row(4).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
            return
        }
        let file = progress.map { san.clean($0.file) } ?? ""
        buf.put(spinner(s) + " " + (file.isEmpty ? "Reading the store" + g.ellipsis : "Reading " + file), in: row0,
                role: .normal, ellipsis: g.ellipsis)
        let barRow = inner.row(2).inset(dx: 1, dy: 0)
        let fraction = progress?.fraction
        let label = fraction.map { fmt.percent($0) } ?? ""
        Gauge(fraction: fraction ?? 0, label: label.isEmpty ? fmt.missing : label, role: .bar, glyphs: g)
            .render(into: &buf, area: barRow)
        if let p = progress {
            let sep = "  " + g.separator + "  "
            let bytes = p.totalBytes > 0 ? "\(Format.bytes(p.bytesRead)) of \(Format.bytes(p.totalBytes))"
                                         : "\(Format.bytes(p.bytesRead)) read"
            buf.put(bytes + sep + "\(Format.int(p.events)) events", in: inner.row(3).inset(dx: 1, dy: 0),
                    role: .normal, ellipsis: g.ellipsis)
            // Bytes per second, events per second, then the time left (or, while unknown, the time so far).
            var parts: [String] = []
            if let bps = p.bytesPerSecond { parts.append(Format.bytes(Int64(bps.rounded())) + "/s") }
            if let eps = p.eventsPerSecond { parts.append("\(Format.int(Int(eps.rounded()))) events/s") }
            parts.append(p.remainingText ?? Format.fixed(p.elapsedSeconds, 1) + "s elapsed")
            let speed = parts.joined(separator: sep)
            buf.put(speed, in: inner.row(4).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
        } else {
            buf.put("q quits at any time", in: inner.row(4).inset(dx: 1, dy: 0), role: .muted, ellipsis: g.ellipsis)
        }
    }
}

/// Splits text into lines of at most `width` columns at spaces (hard breaks for long words).
func wrap(_ text: String, width: Int, maxLines: Int, ellipsis: String = "…") -> [String] {
    guard width > 0, maxLines > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    var cw = 0
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        var w = String(word)
        var ww = DisplayWidth.of(w)
        if cw > 0 && cw + 1 + ww <= width {
            current += " " + w; cw += 1 + ww
            continue
        }
        if cw > 0 { lines.append(current); current = ""; cw = 0 }
        while ww > width {
            let head = String(Sanitizer.prefix(w, width: width))
            if head.isEmpty { break }
            lines.append(head)
            w = String(w.dropFirst(head.count))
            ww = DisplayWidth.of(w)
        }
        current = w; cw = ww
    }
    if cw > 0 { lines.append(current) }
    if lines.count > maxLines {
        lines = Array(lines.prefix(maxLines))
        lines[maxLines - 1] += " " + ellipsis
    }
    return lines
}
