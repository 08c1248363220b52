import Analytics
/// The tab bar: ` 1 Overview ` per view, the active one highlighted.
struct TabBar {
    var active: Tab
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        buf.fill(area, role: .tabInactive)
        var x = area.x
        // Full titles one column apart; without the gaps when that does not fit; else the inactive views from the
        // right keep three letters until the bar fits (the active view keeps its full title).
        var labels = Tab.allCases.map { " \($0.rawValue) \($0.title) " }
        func total() -> Int { labels.reduce(0) { $0 + DisplayWidth.of($1) } }
        let gap = total() + labels.count - 1 <= area.width ? 1 : 0
        for t in Tab.allCases.reversed() where total() > area.width && t != active {
            labels[t.rawValue - 1] = " \(t.rawValue) \(t.title.prefix(3)) "
        }
        for t in Tab.allCases {
            let label = labels[t.rawValue - 1]
            let w = DisplayWidth.of(label)
            if x + w > area.maxX { break }
            buf.put(label, x: x, y: area.y, clip: area, role: t == active ? .tabActive : .tabInactive)
            x += w + gap
        }
    }
}

/// The bottom line: key hints from the key map on the left, a note on the right.
struct StatusLine {
    var hints: [KeyBinding]
    var note: String
    var noteRole: StyleRole
    var ellipsis: String

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        buf.fill(area, role: .status)
        let noteWidth = note.isEmpty ? 0 : min(DisplayWidth.of(note) + 1, area.width)
        let hintsArea = Rect(x: area.x, y: area.y, width: area.width - noteWidth - (noteWidth > 0 ? 2 : 0), height: 1)
        var x = area.x + 1
        for h in hints {
            let key = h.label, word = h.hint ?? ""
            let w = DisplayWidth.of(key) + 1 + DisplayWidth.of(word)
            if x + w > hintsArea.maxX { break }
            x += buf.put(key, x: x, y: area.y, clip: hintsArea, role: .accent)
            x += 1
            x += buf.put(word, x: x, y: area.y, clip: hintsArea, role: .status)
            x += 2
        }
        if noteWidth > 0 {
            buf.put(note, in: Rect(x: area.maxX - noteWidth, y: area.y, width: noteWidth - 1, height: 1),
                    align: .right, role: noteRole, ellipsis: ellipsis)
        }
    }
}

/// The search line at the bottom: `/` prompt, the text, a cursor, and its keys.
struct InputLine {
    var prompt: String
    var text: String
    var hints: [KeyBinding]
    var glyphs: Glyphs
    /// The match count, before the hints.
    var note = ""

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        buf.fill(area, role: .input)
        var hintText = note.isEmpty ? "" : note + "   "
        for h in hints { hintText += "\(h.label) \(h.hint ?? "")  " }
        let hintWidth = area.width >= 50 ? DisplayWidth.of(hintText) : 0
        let field = Rect(x: area.x, y: area.y, width: area.width - hintWidth, height: 1)
        let used = buf.put(prompt, x: area.x, y: area.y, clip: field, role: .accent)
        // Show the end of a long text: the cursor stays visible.
        let room = field.width - used - 1
        var shown = text
        while DisplayWidth.of(shown) > room && !shown.isEmpty { shown.removeFirst() }
        let tw = buf.put(shown, x: area.x + used, y: area.y, clip: field, role: .input)
        buf.put(glyphs.cursor, x: area.x + used + tw, y: area.y, clip: field, role: .input)
        if hintWidth > 0 {
            buf.put(hintText, in: Rect(x: area.maxX - hintWidth, y: area.y, width: hintWidth, height: 1),
                    role: .muted, ellipsis: glyphs.ellipsis)
        }
    }
}

/// The key help, generated from the key map, scrollable.
struct HelpOverlay {
    struct Line: Equatable {
        var key: String
        var text: String
        var isSection: Bool
    }

    static func lines(_ map: KeyMap) -> [Line] {
        var out: [Line] = []
        for ctx in KeyContext.allCases {
            let bs = map.bindings(in: ctx)
            if bs.isEmpty { continue }
            if !out.isEmpty { out.append(Line(key: "", text: "", isSection: false)) }
            out.append(Line(key: "", text: ctx.rawValue, isSection: true))
            for b in bs { out.append(Line(key: b.label, text: b.description, isSection: false)) }
        }
        return out
    }

    var scroll: Int
    var glyphs: Glyphs

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let all = Self.lines(.standard)
        let box = area.centered(width: 70, height: all.count + 2)
        guard box.width >= 12, box.height >= 3 else { return }
        buf.fill(box, role: .help)
        let total = all.count
        let inner = Box(title: "Keys", note: total > box.height - 2 ? "\(min(total, scroll + box.height - 2))/\(total)" : "",
                        focused: true, glyphs: glyphs).render(into: &buf, area: box)
        let start = max(0, min(scroll, max(0, total - inner.height)))
        for r in 0..<min(inner.height, total - start) {
            let l = all[start + r]
            let row = inner.row(r).inset(dx: 1, dy: 0)
            if l.isSection {
                buf.put(l.text, in: row, role: .title, ellipsis: glyphs.ellipsis)
            } else {
                let (k, rest) = row.splitLeft(12)
                buf.put(l.key, in: k, role: .accent, ellipsis: glyphs.ellipsis)
                buf.put(l.text, in: rest, role: .help, ellipsis: glyphs.ellipsis)
            }
        }
    }
}

/// The segment picker: "All persons" then every segment with its size; the active filter is marked.
struct PickerOverlay {
    static func box(_ s: AppState) -> Rect {
        let area = Rect(x: 0, y: 0, width: s.width, height: s.height)
        return area.centered(width: min(60, s.width - 4), height: min(s.pickerCount + 2, s.height - 4))
    }

    var state: AppState

    func render(into buf: inout ScreenBuffer) {
        guard case .picker(let sel, let off) = state.overlay, let all = state.data?.report else { return }
        let san = state.sanitizer
        let box = Self.box(state)
        guard box.width >= 10, box.height >= 3 else { return }
        buf.fill(box, role: .normal)
        let g = state.glyphs
        let inner = Box(title: "Show only the members of", note: "Enter choose  Esc cancel", focused: true, glyphs: g)
            .render(into: &buf, area: box)
        for r in 0..<min(inner.height, state.pickerCount - off) {
            let i = off + r
            let name = i == 0 ? "All persons" : san.clean(all.segments[i - 1].name)
            let size = i == 0 ? all.store.persons : all.segments[i - 1].size
            let mark = i == 0 ? all.store.$persons : all.segments[i - 1].$size
            let target = state.pendingFilter ?? state.segmentFilter
            let active = i == 0 ? target == nil : target == all.segments[i - 1].name
            let row = inner.row(r)
            let role: StyleRole = i == sel ? .selected : .normal
            if i == sel { buf.fill(row, role: .selected) }
            buf.put(active ? g.bullet : " ", x: row.x + 1, y: row.y, clip: row, role: i == sel ? .selected : .accent)
            let sizeText = all.privacy.label(mark) ?? Format.int(size)
            let sw = DisplayWidth.of(sizeText)
            buf.put(name, in: Rect(x: row.x + 3, y: row.y, width: row.width - 5 - sw, height: 1), role: role, ellipsis: g.ellipsis)
            buf.put(sizeText, in: Rect(x: row.maxX - sw - 1, y: row.y, width: sw, height: 1), align: .right,
                    role: i == sel ? .selected : .muted, ellipsis: g.ellipsis)
        }
    }
}

/// What the current view's figures mean (`i`): the reference time and window, then each panel's terms.
struct DefinitionsOverlay {
    static func box(_ area: Rect) -> Rect { area.centered(width: min(100, area.width - 2), height: area.height) }

    var state: AppState
    var scroll: Int

    func render(into buf: inout ScreenBuffer, area: Rect) {
        let g = state.glyphs
        let box = Self.box(area)
        guard box.width >= 20, box.height >= 3 else { return }
        let all = Definitions.lines(state, width: box.width - 4)
        buf.fill(box, role: .help)
        let view = state.tab == .segments && state.detail != nil ? "Segment details" : state.tab.title
        let rows = box.height - 2
        let note = all.count > rows ? "\(min(all.count, scroll + rows))/\(all.count)  Esc close" : "Esc close"
        let inner = Box(title: "What the figures mean " + g.separator + " " + view, note: note, focused: true, glyphs: g)
            .render(into: &buf, area: box)
        let start = max(0, min(scroll, max(0, all.count - inner.height)))
        for r in 0..<max(0, min(inner.height, all.count - start)) {
            let l = all[start + r]
            let row = inner.row(r).inset(dx: 1, dy: 0)
            switch l.kind {
            case .blank: break
            case .section: buf.put(l.text, in: row, role: .title, ellipsis: g.ellipsis)
            case .text: buf.put(l.text, in: row, role: .help, ellipsis: g.ellipsis)
            case .term:
                let (k, rest) = row.splitLeft(18)
                buf.put(l.term, in: k, role: .accent, ellipsis: g.ellipsis)
                buf.put(l.text, in: rest.inset(dx: 0, dy: 0), role: .help, ellipsis: g.ellipsis)
            }
        }
    }
}

/// The sort picker (`s`, like htop's F6): the natural order and every sortable column of the focused table;
/// the current sort is marked with its direction.
struct SortPickerOverlay {
    var state: AppState
    var selected: Int

    /// The picker's entries: the natural order, then the sortable columns' titles.
    static func entries(_ t: TableModel) -> [String] {
        ["natural order"] + TableState.sortableColumns(t).map { t.columns[$0].title.isEmpty ? "column \($0 + 1)" : t.columns[$0].title }
    }

    func render(into buf: inout ScreenBuffer, area: Rect) {
        guard let id = state.focusedTable, let t = state.model?.tables[id], let st = state.tables[id] else { return }
        let g = state.glyphs
        let cols = TableState.sortableColumns(t)
        let names = Self.entries(t)
        let width = min(area.width, max(30, (names.map { DisplayWidth.of($0) }.max() ?? 10) + 8))
        let box = area.centered(width: width, height: min(area.height, names.count + 2))
        guard box.width >= 10, box.height >= 3 else { return }
        buf.fill(box, role: .normal)
        let inner = Box(title: "Sort by", note: "Enter sort " + g.separator + " S reversed", focused: true, glyphs: g).render(into: &buf, area: box)
        let rows = inner.height
        let offset = max(0, min(selected - rows + 1, names.count - rows))
        for r in 0..<max(0, min(rows, names.count - max(0, offset))) {
            let i = max(0, offset) + r
            let row = inner.row(r)
            let isCurrent = i == 0 ? st.sortColumn == nil : st.sortColumn == cols[i - 1]
            let role: StyleRole = i == selected ? .selected : .normal
            if i == selected { buf.fill(row, role: .selected) }
            buf.put(isCurrent ? g.bullet : " ", x: row.x + 1, y: row.y, clip: row, role: i == selected ? .selected : .accent)
            var label = names[i]
            if isCurrent && i > 0 { label += " " + (st.descending ? g.sortDescending : g.sortAscending) }
            buf.put(label, in: Rect(x: row.x + 3, y: row.y, width: row.width - 4, height: 1), role: role, ellipsis: g.ellipsis)
        }
    }
}
