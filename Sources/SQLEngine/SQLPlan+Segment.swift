import Foundation

extension SQLPlan {
    /// The plan whose figures are restricted to the members of one segment (the dashboard's segment filter with
    /// `--engine spark`): the store's lines are read once; the segment's members are computed over all events
    /// (`es_members`, as in the full plan), then every statement from `es_events` on runs again under a new name
    /// (`esf_…`) over the members' events only, and its results replace the full ones. Compile the plan with the
    /// full run's `now` (``SparkSQLCompiler`` options), so that the restricted figures measure from the same time.
    ///
    /// Returns nil when the plan has no `es_events` or `es_members` statement (no segments compiled).
    /// - Parameter segmentIndex: the segment's index in the rules file (as in `segment_sizes`).
    public func restricted(toSegment segmentIndex: Int) -> SQLPlan? {
        guard let first = statements.firstIndex(where: { $0.name == "es_events" }),
              let members = statements.firstIndex(where: { $0.name == "es_members" }), members > first else { return nil }
        // Everything up to the members, without result rows (they are the full store's).
        var out = statements[...members].filter { !$0.result }
        let tail = Array(statements[first...])
        let renamed = Set(tail.filter { !$0.result }.map(\.name))
        for s in tail {
            var query = Self.rename(s.query, names: renamed)
            if s.name == "es_events" {
                query = "SELECT * FROM (\n\(query)\n) WHERE person IN (SELECT person FROM es_members WHERE array_contains(segs, \(segmentIndex)))"
            }
            out.append(SQLStatement(name: s.result ? s.name : "esf_" + s.name.dropFirst(3), kind: s.kind, query: query))
        }
        return SQLPlan(dialect: dialect, statements: out, notComputed: notComputed, unsupportedSegments: unsupportedSegments)
    }

    /// `sql` with every `es_NAME` of `names` (as a whole word) written `esf_NAME`, outside string literals (`'…'`, with
    /// `\'` and `\\` inside as ``SparkSQLCompiler/literal(_:)`` writes them): an event named `es_scope` stays one.
    static func rename(_ sql: String, names: Set<String>) -> String {
        guard !names.isEmpty else { return sql }
        let alternatives = names.sorted { $0.count > $1.count }.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        guard let re = try? NSRegularExpression(pattern: "'(?:[^'\\\\]|\\\\.)*'|\\b(?:" + alternatives + ")\\b",
                                                options: [.dotMatchesLineSeparators]) else { return sql }
        let ns = sql as NSString
        var result = "", last = 0
        for m in re.matches(in: sql, range: NSRange(location: 0, length: ns.length)) where ns.character(at: m.range.location) != 0x27 {
            result += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            result += "esf_" + ns.substring(with: m.range).dropFirst(3)
            last = m.range.location + m.range.length
        }
        return result + ns.substring(from: last)
    }
}
