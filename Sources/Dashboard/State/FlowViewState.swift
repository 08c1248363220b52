import Analytics

/// The Journeys and Loops views' own state: which journey, which tree nodes are open, the selection.
struct FlowViewState: Sendable, Equatable {
    /// Index into the report's journeys.
    var journey = 0
    /// Expanded nodes: the journey's name followed by the node's path of steps.
    var expanded: Set<[String]> = []
    /// Index into the visible tree rows.
    var selected = 0
    /// The first visible tree row.
    var offset = 0
}

/// One visible line of a journey tree.
struct JourneyRow: Sendable, Equatable {
    var node: JourneyNode
    var depth: Int
    /// The steps from the root to this node (inclusive).
    var path: [String]
    var expanded: Bool
    var hasChildren: Bool { !node.children.isEmpty }
}

extension JourneyReport {
    /// The tree's visible rows: every first step, and the children of each expanded node, depth first.
    func visibleRows(expanded: Set<[String]>) -> [JourneyRow] {
        var out: [JourneyRow] = []
        // An explicit stack (children pushed in reverse) so that no recursion depends on the tree.
        var stack: [(JourneyNode, Int, [String])] = tree.children.reversed().map { ($0, 0, [$0.step]) }
        while let (node, depth, path) = stack.popLast() {
            let open = !node.children.isEmpty && expanded.contains([name] + path)
            out.append(JourneyRow(node: node, depth: depth, path: path, expanded: open))
            if open { stack += node.children.reversed().map { ($0, depth + 1, path + [$0.step]) } }
        }
        return out
    }
}

extension AppState {
    /// The journey the Journeys view shows, if any.
    var currentJourney: JourneyReport? {
        guard let js = report?.journeys, !js.isEmpty else { return nil }
        return js[min(max(0, flows.journey), js.count - 1)]
    }

    /// The visible rows of the current journey's tree.
    var journeyRows: [JourneyRow] { currentJourney?.visibleRows(expanded: flows.expanded) ?? [] }

    /// Rebuilds the Journeys view's tree table after the tree changed (a report, another journey, a node expanded
    /// or collapsed): its cells and column widths are measured here, once, not on every frame.
    mutating func refreshJourneyTable() {
        journeyTable = JourneysTable.model(journeyRows, cells: cells)
    }

    /// The selected row of the journey tree.
    var selectedJourneyRow: JourneyRow? {
        let rows = journeyRows
        return rows.isEmpty ? nil : rows[min(max(0, flows.selected), rows.count - 1)]
    }

    /// Handles a command of the Journeys view (the Loops view is a table); nil when the command is not theirs.
    mutating func flowCommand(_ cmd: Command) -> [Effect]? {
        switch cmd {
        case .up, .down, .pageUp, .pageDown, .home, .end:
            let rows = journeyRows.count
            let page = max(1, JourneysView.treeRows(self) - 1)
            switch cmd {
            case .up: flows.selected -= 1
            case .down: flows.selected += 1
            case .pageUp: flows.selected -= page
            case .pageDown: flows.selected += page
            case .home: flows.selected = 0
            default: flows.selected = rows - 1
            }
            clampJourneySelection()
        case .open:
            guard let j = currentJourney, let row = selectedJourneyRow, row.hasChildren else { return [] }
            let key = [j.name] + row.path
            if flows.expanded.contains(key) { flows.expanded.remove(key) } else { flows.expanded.insert(key) }
            clampJourneySelection()
        case .back:
            guard let j = currentJourney, let row = selectedJourneyRow else { return [] }
            if row.expanded {
                flows.expanded.remove([j.name] + row.path)
            } else if row.depth > 0 {
                // To the parent (it is expanded, so it is visible above).
                let parent = Array(row.path.dropLast())
                if let i = journeyRows.firstIndex(where: { $0.path == parent }) { flows.selected = i }
            }
            clampJourneySelection()
        case .nextItem, .previousItem:
            let count = report?.journeys.count ?? 0
            guard count > 1 else {
                message = count == 0 ? "No journeys: declare one in the rules file (docs/SEGMENTS.md)" : "This is the only journey"
                return []
            }
            flows.journey = (flows.journey + (cmd == .nextItem ? 1 : count - 1)) % count
            flows.selected = 0
            flows.offset = 0
        case .segmentFromPath:
            guard let text = selectedSegmentRule else {
                message = "No journey node selected"
                return []
            }
            let rule = text.split(separator: "\n").dropFirst().first.map { String($0).trimmingSpaces() } ?? text
            message = sanitizer.clean("w saves · " + rule)
        case .saveSnippet:
            guard let text = selectedSegmentRule else {
                message = "No journey node selected"
                return []
            }
            return [.appendSnippet(text)]
        default:
            return nil
        }
        return []
    }

    /// The segment definition for the selected node's path (`s`, `w`).
    var selectedSegmentRule: String? {
        guard let j = currentJourney, let row = selectedJourneyRow else { return nil }
        return j.segmentRule(forPath: row.path)
    }

    /// Keeps the tree selection on a visible row and in the scroll window.
    mutating func clampJourneySelection() {
        let rows = journeyRows.count
        flows.selected = min(max(0, flows.selected), max(0, rows - 1))
        let visible = max(1, JourneysView.treeRows(self))
        if flows.selected < flows.offset { flows.offset = flows.selected }
        if flows.selected >= flows.offset + visible { flows.offset = flows.selected - visible + 1 }
        flows.offset = max(0, min(flows.offset, max(0, rows - visible)))
    }
}
