/// Checks names across a parsed file: duplicate definitions, unknown segments and scores,
/// and cycles; and orders definitions so that each comes after what it references.
struct Resolver {
    let text: SourceText
    let segments: [SegmentDefinition]
    let scores: [ScoreDefinition]
    /// Names whose definitions failed to parse: referencing them is not reported again.
    let brokenSegments: Set<String>
    let brokenScores: Set<String>

    private(set) var errors: [SegmentError] = []
    /// Segment indices, referenced segments first.
    private(set) var segmentOrder: [Int] = []
    /// Score indices, referenced scores first.
    private(set) var scoreOrder: [Int] = []

    /// A reference from one definition to another, with where it is written.
    private struct Edge { var target: Int; var location: SourceLocation }

    /// "Did you mean" suggestions are looked for among all names for this many unknown names only:
    /// enough for any hand-written file, and a generated file with thousands of unknown names is
    /// not searched thousands of times over (that took minutes).
    static let maxSuggestions = 20
    private(set) var suggestionsLeft = Resolver.maxSuggestions

    /// The closest of `names` to an unknown `name`, while suggestions are left.
    private mutating func suggestion(for name: String, among names: [String]) -> String? {
        guard suggestionsLeft > 0 else { return nil }
        suggestionsLeft -= 1
        return closest(to: name, among: names)
    }

    mutating func run() {
        let segmentNames = segments.map(\.name), scoreNames = scores.map(\.name)
        let segmentIndex = index(segments.map { ($0.name, $0.nameLocation) }, kind: "segment", quote: "\"")
        let scoreIndex = index(scores.map { ($0.name, $0.nameLocation) }, kind: "score", quote: "'")

        var segmentEdges = [[Edge]](repeating: [], count: segments.count)
        for (i, s) in segments.enumerated() {
            var members: [(String, SourceLocation)] = []
            var scoreRefs: [(String, SourceLocation)] = []
            collect(s.expression, members: &members, scores: &scoreRefs)
            for (name, loc) in members {
                if let j = segmentIndex[name] { segmentEdges[i].append(Edge(target: j, location: loc)) }
                else if !brokenSegments.contains(name) {
                    let hint = suggestion(for: name, among: segmentNames).map { " — did you mean \"\($0)\"?" } ?? ""
                    errors.append(text.error("unknown segment \"\(name)\"\(hint)", at: loc))
                }
            }
            for (name, loc) in scoreRefs { _ = lookUpScore(name, at: loc, in: scoreIndex, names: scoreNames) }
        }
        var scoreEdges = [[Edge]](repeating: [], count: scores.count)
        for (i, s) in scores.enumerated() {
            var refs: [(String, SourceLocation)] = []
            collect(s.expression, into: &refs)
            for (name, loc) in refs {
                if let j = lookUpScore(name, at: loc, in: scoreIndex, names: scoreNames) { scoreEdges[i].append(Edge(target: j, location: loc)) }
            }
        }
        segmentOrder = order(segmentEdges, names: segments.map { "\"\($0.name)\"" })
        scoreOrder = order(scoreEdges, names: scores.map { "'\($0.name)'" })
    }

    /// Name → first definition; later definitions with the same name are errors.
    private mutating func index(_ names: [(String, SourceLocation)], kind: String, quote: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for (i, (name, loc)) in names.enumerated() {
            if let first = result[name] {
                errors.append(text.error("duplicate \(kind) \(quote)\(name)\(quote): first defined at line \(names[first].1.line)", at: loc))
            } else {
                result[name] = i
            }
        }
        return result
    }

    private mutating func lookUpScore(_ name: String, at loc: SourceLocation, in index: [String: Int],
                                      names: [String]) -> Int? {
        if let j = index[name] { return j }
        if !brokenScores.contains(name) {
            let hint = suggestion(for: name, among: names).map { " — did you mean '\($0)'?" } ?? ""
            errors.append(text.error("unknown score '\(name)'\(hint)", at: loc))
        }
        return nil
    }

    private func collect(_ e: RuleExpression, members: inout [(String, SourceLocation)], scores: inout [(String, SourceLocation)]) {
        switch e {
        case .did, .sequence, .trait: break
        case .member(let n, let loc): members.append((n, loc))
        case .score(let n, _, _, let loc): scores.append((n, loc))
        case .and(let operands), .or(let operands):
            for o in operands { collect(o, members: &members, scores: &scores) }
        case .not(let a): collect(a, members: &members, scores: &scores)
        }
    }

    private func collect(_ e: ScoreExpression, into refs: inout [(String, SourceLocation)]) {
        switch e {
        case .number, .count, .sum, .minutesIn, .countElements, .aggregate: break
        case .score(let n, let loc): refs.append((n, loc))
        case .arithmetic(let first, let steps):
            collect(first, into: &refs)
            for s in steps { collect(s.operand, into: &refs) }
        case .negate(let a): collect(a, into: &refs)
        }
    }

    /// Depth-first post-order (dependencies first); every cycle met is reported once, at the
    /// reference that leaves the cycle's first definition, as `cycle: "A" → "B" → "A"`.
    private mutating func order(_ edges: [[Edge]], names: [String]) -> [Int] {
        enum Mark { case new, active, done }
        var mark = [Mark](repeating: .new, count: edges.count)
        var out: [Int] = []
        var stack: [(node: Int, next: Int)] = []
        for root in edges.indices where mark[root] == .new {
            stack.append((root, 0))
            mark[root] = .active
            while let top = stack.last {
                if top.next < edges[top.node].count {
                    stack[stack.count - 1].next += 1
                    let edge = edges[top.node][top.next]
                    switch mark[edge.target] {
                    case .new:
                        mark[edge.target] = .active
                        stack.append((edge.target, 0))
                    case .active:
                        let from = stack.firstIndex { $0.node == edge.target }!
                        let path = stack[from...].map { names[$0.node] } + [names[edge.target]]
                        // the reference leaving the first node of the cycle
                        let firstNode = stack[from]
                        let leaving = edges[firstNode.node][firstNode.next - 1]
                        errors.append(text.error("cycle: \(path.joined(separator: " → "))", at: leaving.location))
                    case .done:
                        break
                    }
                } else {
                    mark[top.node] = .done
                    out.append(top.node)
                    stack.removeLast()
                }
            }
        }
        return out
    }
}
