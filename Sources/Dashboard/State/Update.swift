import Analytics

/// Applies one action to the state and returns the work the runtime must do.
/// Pure and fast: nothing here reads files, clocks or recomputes metrics.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .key(let key):
        if state.tour != nil {
            if key == .char("t") {
                state.restartTour()
                return []
            }
            // Any other key hands control back to the presenter; space and Esc do nothing else.
            state.tour = nil
            if key == .char(" ") || key == .escape {
                state.message = "Tour stopped: the keys are yours (? for help)"
                return []
            }
        }
        return handleKey(&state, key)
    case .resize(let w, let h):
        state.width = max(0, w); state.height = max(0, h)
        state.keepSelectionsVisible()
        return []
    case .tick(let now):
        state.nowMs = now
        return state.advanceTour(now: now)
    case .exported(let note):
        state.message = note
        return []
    case .loadProgress(let p):
        if case .loading = state.phase { state.phase = .loading(p) }
        return []
    case .loaded(let d):
        return state.receive(d)
    case .loadFailed(let message):
        state.phase = .failed(message)
        state.pendingFilter = nil
        return []
    case .filterReady(let segment, let report, let seconds):
        // The answer to the pending filter, or a refresh of the active one while following.
        guard state.pendingFilter == segment || (state.pendingFilter == nil && state.segmentFilter == segment),
              let d = state.data else { return [] }
        state.pendingFilter = nil
        state.segmentFilter = segment
        state.filteredReport = report
        state.filterSeconds = seconds
        state.rebuildModel(report: report, data: d)
        return []
    case .liveUpdate(let d, let status):
        return state.receiveLive(d, status)
    case .filterProgress(let segment, let status):
        if state.pendingFilter == segment { state.filterStatus = status }
        return []
    case .filterFailed(let segment, let reason):
        guard state.pendingFilter == segment else { return [] }
        state.pendingFilter = nil
        state.message = reason
        return []
    }
}

private func handleKey(_ s: inout AppState, _ key: Key) -> [Effect] {
    let effects = dispatchKey(&s, key)
    // The Answers view follows its lists' selections after a move, a sort or a filter.
    if s.tab == .answers, case .ready = s.phase { s.syncAnswers() }
    return effects
}

private func dispatchKey(_ s: inout AppState, _ key: Key) -> [Effect] {
    s.message = nil
    let contexts = s.keyContexts
    if contexts == [.input] {
        if let cmd = KeyMap.standard.command(for: key, in: [.input]) { return s.inputCommand(cmd) }
        if key == .ctrl("c") { return [.quit] }
        if case .char(let ch) = key {
            s.input?.append(ch)
            s.applyInputFilter()
        }
        return []
    }
    guard let cmd = KeyMap.standard.command(for: key, in: contexts) else {
        if key == .ctrl("c") { return [.quit] }
        return []
    }
    if contexts == [.help] { return s.helpCommand(cmd) }
    if contexts == [.picker] { return s.pickerCommand(cmd) }
    if contexts == [.sortPicker] { return s.sortPickerCommand(cmd) }
    if contexts == [.definitions] { return s.definitionsCommand(cmd) }
    return s.perform(cmd)
}

extension AppState {
    /// Takes a freshly loaded store: keeps tab, sorts and text filters; re-requests the segment filter.
    mutating func receive(_ d: DashboardData) -> [Effect] {
        data = d
        phase = .ready
        filteredReport = nil
        filterSeconds = nil
        rebuildModel(report: d.report, data: d)
        if options.tour && !tourStarted, let m = model {
            tourStarted = true
            let steps = Tour.steps(m, segmentOrder: tables[.segments]?.order ?? [], format: format, answers: answerSurveys)
            tour = TourState(steps: steps, stepMs: max(500, options.tourStepMs))
        }
        let wanted = pendingFilter ?? segmentFilter
        segmentFilter = nil
        pendingFilter = nil
        var effects: [Effect] = []
        if following && !followRequested {
            followRequested = true
            effects.append(.follow(true))
        }
        if let seg = wanted, d.report.segments.contains(where: { $0.name == seg }) {
            pendingFilter = seg
            effects.append(.computeFilter(segment: seg))
        }
        return effects
    }

    /// Derives the view model of a report and re-applies every table's sort and filter.
    mutating func rebuildModel(report: Report, data d: DashboardData) {
        let catCount = ViewModel.categoryNames(report).count
        if categoryIndex >= max(1, catCount) { categoryIndex = 0 }
        if !categoryChosen {
            categoryIndex = ViewModel.categoryNames(report).firstIndex(where: { $0.lowercased() == "marketing" }) ?? 0
        }
        let m = ViewModel(report: report, source: d.sourceDescription, loadSeconds: d.loadSeconds,
                          glyphs: glyphs, categoryIndex: categoryIndex, rules: d.rules)
        model = m
        if let det = detail, det >= m.segments.count { detail = nil }
        for id in TableID.allCases {
            guard let t = m.tables[id] else { continue }
            var st = tables[id] ?? TableState()
            if let c = st.sortColumn, c >= t.columns.count { st.sortColumn = nil }
            st.recompute(t)
            tables[id] = st
        }
        refreshJourneyTable()
        clampAnswers(answerSurveys)
        syncAnswers()
        refreshAnswerQuestions()
        keepSelectionsVisible()
    }

    /// Clamps every table's scroll offset to what the current layout shows.
    mutating func keepSelectionsVisible() {
        for id in TableID.allCases {
            guard var st = tables[id] else { continue }
            st.scrollToSelection(visibleRows: Layout.tableRows(self, id))
            tables[id] = st
        }
    }

    mutating func perform(_ cmd: Command) -> [Effect] {
        if case .ready = phase, tab == .journeys, let effects = flowCommand(cmd) { return effects }
        if case .ready = phase, tab == .answers, let effects = answersCommand(cmd) { return effects }
        switch cmd {
        case .quit:
            return [.quit]
        case .reload:
            if case .loading = phase { return [] }
            phase = .loading(nil)
            overlay = nil
            input = nil
            if followRequested {
                // The follow restarts on the reloaded store (see `receive`).
                followRequested = false
                live = nil
                return [.follow(false), .reload]
            }
            return [.reload]
        case .toggleFollow:
            return toggleFollow()
        case .help:
            overlay = .help(scroll: 0)
        case .nextTab:
            tab = Tab(rawValue: tab.rawValue % Tab.allCases.count + 1) ?? .overview
        case .previousTab:
            tab = Tab(rawValue: (tab.rawValue + Tab.allCases.count - 2) % Tab.allCases.count + 1) ?? .overview
        case .showTab(let t):
            tab = t
        case .segmentFilter:
            guard let all = data?.report.segments else { return [] }
            if all.isEmpty && segmentFilter == nil {
                message = model?.segmentsHint ?? RulesOrigin.unknown.emptySegmentsHint
                return []
            }
            let current = (pendingFilter ?? segmentFilter).flatMap { f in all.firstIndex(where: { $0.name == f }) }.map { $0 + 1 } ?? 0
            overlay = .picker(selected: current, offset: 0)
            clampPicker()
        case .up, .down, .pageUp, .pageDown, .home, .end:
            if tab == .segments, let det = detail {
                guard let st = tables[.segments], let pos = st.order.firstIndex(of: det) else { return [] }
                let next = cmd == .up ? pos - 1 : (cmd == .down ? pos + 1 : pos)
                if st.order.indices.contains(next) {
                    detail = st.order[next]
                    tables[.segments]?.selected = next
                }
                return []
            }
            guard let id = focusedTable, var st = tables[id] else { return [] }
            let page = max(1, Layout.tableRows(self, id) - 1)
            switch cmd {
            case .up: st.move(by: -1)
            case .down: st.move(by: 1)
            case .pageUp: st.move(by: -page)
            case .pageDown: st.move(by: page)
            case .home: st.move(by: -st.order.count)
            default: st.move(by: st.order.count)
            }
            st.scrollToSelection(visibleRows: Layout.tableRows(self, id))
            tables[id] = st
        case .open:
            guard tab == .segments, detail == nil, let row = tables[.segments]?.selectedRow,
                  let t = model?.tables[.segments], t.rows.indices.contains(row) else { return [] }
            detail = t.rows[row].ref
        case .back:
            if tab == .segments, detail != nil {
                detail = nil
            } else if let id = focusedTable, let st = tables[id], !st.filter.isEmpty, let t = model?.tables[id] {
                tables[id]?.filter = ""
                tables[id]?.recompute(t)
                keepSelectionsVisible()
            } else if pendingFilter != nil {
                pendingFilter = nil
                message = "Segment filter cancelled"
            }
        case .sortPicker:
            guard let id = focusedTable, let t = model?.tables[id] else { return [] }
            let cols = TableState.sortableColumns(t)
            guard !cols.isEmpty else { message = "This list cannot be sorted"; return [] }
            let current = tables[id]?.sortColumn.flatMap { cols.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
            overlay = .sort(selected: current)
        case .sortReverse:
            guard let id = focusedTable, let t = model?.tables[id] else { return [] }
            tables[id]?.sortReverse(t)
            keepSelectionsVisible()
        case .definitions:
            overlay = .definitions(scroll: 0)
        case .togglePanel:
            guard tab == .feedback else { return [] }
            feedbackPanel = feedbackPanel == .when ? .asking : .when
        case .nextList, .previousList:
            guard tab == .data else { return [] }
            let lists: [TableID] = [.files, .malformed, .unknownEvents]
            let i = lists.firstIndex(of: dataFocus) ?? 1
            dataFocus = lists[(i + (cmd == .nextList ? 1 : lists.count - 1)) % lists.count]
        case .find:
            guard let id = focusedTable else { return [] }
            input = tables[id]?.filter ?? ""
            inputBefore = input ?? ""
        case .cycleCategory:
            guard let m = model, !m.categories.isEmpty else {
                message = "No consent categories in this store"
                return []
            }
            categoryIndex = (categoryIndex + 1) % m.categories.count
            categoryChosen = true
            let t = m.segmentsTable(categoryIndex: categoryIndex)
            model?.tables[.segments] = t
            tables[.segments]?.recompute(t)
        case .export:
            guard case .ready = phase else { return [] }
            return [.export]
        case .restartTour:
            restartTour()
        case .apply, .cancel, .deleteBackward, .clearInput, .nextItem, .previousItem, .segmentFromPath, .saveSnippet:
            break
        }
        return []
    }

    /// Shows the next tour step when it is due: its keys go through the same path as the keyboard's.
    mutating func advanceTour(now: Int64) -> [Effect] {
        guard var t = tour, case .ready = phase, overlay == nil, input == nil, !t.steps.isEmpty else { return [] }
        if let due = t.nextAtMs, now < due { return [] }
        t.index = (t.index + 1) % t.steps.count
        t.nextAtMs = now + t.stepMs
        var effects: [Effect] = []
        for key in t.steps[t.index].keys { effects += handleKey(&self, key) }
        if let h = t.steps[t.index].highlight { select(h) }
        tour = t
        message = nil
        return effects.filter { $0 != .quit }
    }

    /// Selects the first visible row of a table whose first cell reads `label` (the row a tour caption names).
    mutating func select(_ h: TourHighlight) {
        guard let model = model?.tables[h.table], var st = tables[h.table] else { return }
        func firstText(_ row: TableRow) -> String? {
            switch row.cells.first {
            case .text(let t, _)?, .tail(let t, _)?: return t.trimmingSpaces()
            default: return nil
            }
        }
        let want = h.label.trimmingSpaces()
        guard let pos = st.order.firstIndex(where: { firstText(model.rows[$0]) == want }) else { return }
        st.selected = pos
        st.scrollToSelection(visibleRows: Layout.tableRows(self, h.table))
        tables[h.table] = st
    }

    /// Starts the demo tour again from its first step (`t`), with the steps of the report shown now.
    mutating func restartTour() {
        guard case .ready = phase, let m = model else { return }
        let steps = Tour.steps(m, segmentOrder: tables[.segments]?.order ?? [], format: format, answers: answerSurveys)
        tour = TourState(steps: steps, stepMs: max(500, options.tourStepMs))
        tourStarted = true
        feedbackPanel = .when   // the fatigue step switches the Feedback view's panels with `v`
        overlay = nil
        message = nil
    }

    /// Filters the focused table by the search line as it is typed (k9s, lazygit): the first row is selected.
    mutating func applyInputFilter() {
        setFilter(input ?? "")
    }

    mutating func setFilter(_ text: String) {
        guard let id = focusedTable, let t = model?.tables[id] else { return }
        tables[id]?.filter = text
        tables[id]?.selected = 0
        tables[id]?.recompute(t)
        tables[id]?.selected = 0
        keepSelectionsVisible()
    }

    mutating func inputCommand(_ cmd: Command) -> [Effect] {
        switch cmd {
        case .apply:
            applyInputFilter()
            input = nil
        case .cancel:
            setFilter(inputBefore)
            input = nil
        case .deleteBackward:
            if input?.isEmpty == false { input?.removeLast() }
            applyInputFilter()
        case .clearInput:
            input = ""
            applyInputFilter()
        default:
            break
        }
        return []
    }

    mutating func sortPickerCommand(_ cmd: Command) -> [Effect] {
        guard case .sort(let sel) = overlay, let id = focusedTable, let t = model?.tables[id] else { overlay = nil; return [] }
        let cols = TableState.sortableColumns(t)
        let count = cols.count + 1
        switch cmd {
        case .up: overlay = .sort(selected: max(0, sel - 1))
        case .down: overlay = .sort(selected: min(count - 1, sel + 1))
        case .home, .pageUp: overlay = .sort(selected: 0)
        case .end, .pageDown: overlay = .sort(selected: count - 1)
        case .cancel: overlay = nil
        case .apply, .sortReverse:
            overlay = nil
            let column = sel == 0 ? nil : cols[min(sel - 1, cols.count - 1)]
            tables[id]?.sort(by: column, reversed: cmd == .sortReverse, t)
            keepSelectionsVisible()
        default: break
        }
        return []
    }

    mutating func definitionsCommand(_ cmd: Command) -> [Effect] {
        guard case .definitions(let scroll) = overlay else { return [] }
        let page = max(1, height - 6)
        let maxScroll = max(0, Layout.definitionLines(self).count - page)
        switch cmd {
        case .up: overlay = .definitions(scroll: max(0, scroll - 1))
        case .down: overlay = .definitions(scroll: min(maxScroll, scroll + 1))
        case .pageUp: overlay = .definitions(scroll: max(0, scroll - page))
        case .pageDown: overlay = .definitions(scroll: min(maxScroll, scroll + page))
        case .cancel: overlay = nil
        default: break
        }
        return []
    }

    mutating func helpCommand(_ cmd: Command) -> [Effect] {
        guard case .help(let scroll) = overlay else { return [] }
        let page = max(1, height - 6)
        let maxScroll = max(0, Layout.helpLines(self).count - page)
        switch cmd {
        case .up: overlay = .help(scroll: max(0, scroll - 1))
        case .down: overlay = .help(scroll: min(maxScroll, scroll + 1))
        case .pageUp: overlay = .help(scroll: max(0, scroll - page))
        case .pageDown: overlay = .help(scroll: min(maxScroll, scroll + page))
        case .cancel: overlay = nil
        default: break
        }
        return []
    }

    /// Number of entries in the segment picker ("All persons" and each segment).
    var pickerCount: Int { 1 + (data?.report.segments.count ?? 0) }

    mutating func clampPicker() {
        guard case .picker(var sel, var off) = overlay else { return }
        let rows = max(1, Layout.pickerRows(self))
        sel = min(max(0, sel), pickerCount - 1)
        if sel < off { off = sel }
        if sel >= off + rows { off = sel - rows + 1 }
        off = max(0, min(off, max(0, pickerCount - rows)))
        overlay = .picker(selected: sel, offset: off)
    }

    mutating func pickerCommand(_ cmd: Command) -> [Effect] {
        guard case .picker(let sel, let off) = overlay else { return [] }
        let page = max(1, Layout.pickerRows(self) - 1)
        switch cmd {
        case .up: overlay = .picker(selected: sel - 1, offset: off)
        case .down: overlay = .picker(selected: sel + 1, offset: off)
        case .pageUp: overlay = .picker(selected: sel - page, offset: off)
        case .pageDown: overlay = .picker(selected: sel + page, offset: off)
        case .home: overlay = .picker(selected: 0, offset: 0)
        case .end: overlay = .picker(selected: pickerCount - 1, offset: off)
        case .cancel: overlay = nil; return []
        case .apply:
            overlay = nil
            guard let d = data else { return [] }
            if sel == 0 {
                let had = segmentFilter != nil || pendingFilter != nil
                segmentFilter = nil; pendingFilter = nil; filteredReport = nil; filterSeconds = nil
                rebuildModel(report: d.report, data: d)
                return had ? [.computeFilter(segment: nil)] : []
            }
            guard d.report.segments.indices.contains(sel - 1) else { return [] }
            let name = d.report.segments[sel - 1].name
            if name == segmentFilter && pendingFilter == nil { return [] }
            pendingFilter = name
            return [.computeFilter(segment: name)]
        default: break
        }
        clampPicker()
        return []
    }
}

extension String {
    /// Without leading and trailing spaces.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
