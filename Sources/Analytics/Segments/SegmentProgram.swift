import EventStore

/// A parsed and checked rules file: its segments, scores, loops and journeys in file order.
///
/// ```swift
/// let program = try SegmentProgram.parse(source: text, fileName: "rules.segments")
/// let evaluator = SegmentEvaluator(program: program, table: table)
/// let members = evaluator.evaluate(now: table.lastEventTime ?? 0)
/// ```
/// Parsing needs no store: it is what `earshot segments check FILE` runs.
public struct SegmentProgram: Sendable {
    /// The file name used in error messages.
    public let fileName: String
    /// Segments in file order.
    public let segments: [SegmentDefinition]
    /// Scores in file order.
    public let scores: [ScoreDefinition]
    /// Loops (follow-ups within a promise) in file order.
    public var loops: [LoopDefinition] = []
    /// Journeys in file order.
    public var journeys: [JourneyDefinition] = []
    /// Segment indices ordered so that every segment comes after the segments it references.
    public let segmentEvaluationOrder: [Int]
    /// Score indices ordered so that every score comes after the scores it references.
    public let scoreEvaluationOrder: [Int]

    /// Parses and checks a rules file.
    /// - Throws: every error found (lexical, syntax, names, cycles), in source order.
    public static func parse(source: String, fileName: String) throws(SegmentErrors) -> SegmentProgram {
        let text = SourceText(source, file: fileName)
        let (tokens, lexErrors) = Lexer.tokenize(text)
        var parser = Parser(text: text, tokens: tokens)
        parser.parseFile()
        var resolver = Resolver(text: text, segments: parser.segments, scores: parser.scores,
                                brokenSegments: parser.brokenSegments, brokenScores: parser.brokenScores)
        resolver.run()
        let flowErrors = duplicateNames(parser.loops.map { ($0.name, $0.nameLocation) }, kind: "loop", text: text)
            + duplicateNames(parser.journeys.map { ($0.name, $0.nameLocation) }, kind: "journey", text: text)
        let errors = (lexErrors + parser.errors + resolver.errors + flowErrors).sorted { $0.location < $1.location }
        if !errors.isEmpty { throw SegmentErrors(errors) }
        var program = SegmentProgram(fileName: fileName, segments: parser.segments, scores: parser.scores,
                                     segmentEvaluationOrder: resolver.segmentOrder, scoreEvaluationOrder: resolver.scoreOrder)
        program.loops = parser.loops
        program.journeys = parser.journeys
        return program
    }

    /// The segment with this name.
    public func segment(named name: String) -> SegmentDefinition? { segments.first { $0.name == name } }

    /// Every property path the rules read (`properties.X` for a bare `X`, dotted paths as
    /// written, element paths such as `properties.products[].category`), so the loader keeps only
    /// those columns (and list elements only when a rule reads them). Sections, names and traits are always loaded.
    public var fieldSelection: FieldSelection {
        var paths = Set<String>()
        func add(_ p: EventPattern) {
            for c in p.conditions { if case .property(let path) = c.subject { paths.insert(path) } }
        }
        func walk(_ e: RuleExpression) {
            switch e {
            case .did(let p, _): add(p)
            case .sequence(let steps, _, _): steps.forEach(add)
            case .trait(let name, _, _): if elementArray(name) != nil { paths.insert(FieldSelection.traitListsPath) }
            case .member, .score: break
            case .and(let operands), .or(let operands): operands.forEach(walk)
            case .not(let a): walk(a)
            }
        }
        func walk(_ e: ScoreExpression) {
            switch e {
            case .number, .minutesIn, .score: break
            case .count(let p): add(p)
            case .sum(let prop, let p): paths.insert(prop); add(p)
            case .countElements(let array, let p, _): paths.insert(array + "[]"); add(p)
            case .aggregate(_, let f, let p, _): paths.formUnion(f.paths); add(p)
            case .arithmetic(let first, let steps): walk(first); for s in steps { walk(s.operand) }
            case .negate(let a): walk(a)
            }
        }
        segments.forEach { walk($0.expression) }
        scores.forEach { walk($0.expression) }
        for loop in loops {
            for e in loop.triggers + loop.expected { if case .pattern(let p) = e { add(p) } }
        }
        journeys.forEach { add($0.entry) }
        return FieldSelection(paths: paths)
    }
}

extension SegmentProgram {
    /// Warnings about list paths against a store: a `[]` on a property that the store carries but never
    /// as a list (so the rule can never look into it), at the rule's `file:line:column`, listing the events
    /// where it was seen instead and as what. Needs the table read with this program's ``fieldSelection``.
    public func listWarnings(table: EventTable, source: String) -> [SegmentError] {
        var uses: [(array: String, location: SourceLocation)] = []
        func add(_ p: EventPattern) {
            for c in p.conditions { if let a = c.array { uses.append((a, c.location)) } }
        }
        func walk(_ e: RuleExpression) {
            switch e {
            case .did(let p, _): add(p)
            case .sequence(let steps, _, _): steps.forEach(add)
            case .trait, .member, .score: break
            case .and(let operands), .or(let operands): operands.forEach(walk)
            case .not(let a): walk(a)
            }
        }
        func walk(_ e: ScoreExpression) {
            switch e {
            case .number, .minutesIn, .score, .sum: break
            case .count(let p): add(p)
            case .countElements(let array, let p, let loc): uses.append((array, loc)); add(p)
            case .aggregate(_, let f, let p, let loc):
                for a in Set(f.paths.compactMap(elementArray)) { uses.append((a, loc)) }
                add(p)
            case .arithmetic(let first, let steps): walk(first); for s in steps { walk(s.operand) }
            case .negate(let a): walk(a)
            }
        }
        segments.forEach { walk($0.expression) }
        scores.forEach { walk($0.expression) }
        for loop in loops {
            for e in loop.triggers + loop.expected { if case .pattern(let p) = e { add(p) } }
        }
        journeys.forEach { add($0.entry) }
        let text = SourceText(source, file: fileName)
        var out: [SegmentError] = []
        var seen = Set<SourceLocation>()
        for (array, location) in uses where seen.insert(location).inserted {
            guard let column = table.arrays[array], !column.shape.contains(ArrayShape.array.rawValue) else { continue }
            var byEvent: [String: (count: Int, shapes: Set<String>)] = [:]
            for r in 0 ..< table.count {
                let shape = column.shape(ofRow: r)
                let what: String
                switch shape {
                case .missing, .array, .null: continue
                case .scalar: what = "a single value"
                case .object: what = "an object"
                }
                let name = table.name[r] >= 0 ? "\"" + table.strings[table.name[r]] + "\"" : "\(table.kind[r]) calls"
                byEvent[name, default: (0, [])].count += 1
                byEvent[name]!.shapes.insert(what)
            }
            guard !byEvent.isEmpty else { continue }
            let total = byEvent.values.reduce(0) { $0 + $1.count }
            let listed = byEvent.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
            var parts = listed.prefix(5).map { "\($0.key) \($0.value.count)× as \($0.value.shapes.sorted().joined(separator: " or "))" }
            if listed.count > 5 { parts.append("\(listed.count - 5) more events") }
            let written = array.hasPrefix("properties.") ? String(array.dropFirst("properties.".count)) : array
            out.append(text.error("warning: '\(written)[]' looks into a list, but '\(written)' is never a list in the store: "
                                  + "seen on \(total) event\(total == 1 ? "" : "s"), " + parts.joined(separator: ", "), at: location))
        }
        return out.sorted { $0.location < $1.location }
    }
}

/// `duplicate loop "X": first defined at line N` for every later definition of a name.
private func duplicateNames(_ names: [(String, SourceLocation)], kind: String, text: SourceText) -> [SegmentError] {
    var first: [String: SourceLocation] = [:]
    var errors: [SegmentError] = []
    for (name, loc) in names {
        if let f = first[name] {
            errors.append(text.error("duplicate \(kind) \"\(name)\": first defined at line \(f.line)", at: loc))
        } else {
            first[name] = loc
        }
    }
    return errors
}
