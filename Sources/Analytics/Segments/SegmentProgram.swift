import EventStore

/// A parsed and checked rules file: its segments and scores in file order.
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
        let errors = (lexErrors + parser.errors + resolver.errors).sorted { $0.location < $1.location }
        if !errors.isEmpty { throw SegmentErrors(errors) }
        return SegmentProgram(fileName: fileName, segments: parser.segments, scores: parser.scores,
                              segmentEvaluationOrder: resolver.segmentOrder, scoreEvaluationOrder: resolver.scoreOrder)
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
            case .trait, .member, .score: break
            case .and(let a, let b), .or(let a, let b): walk(a); walk(b)
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
            case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b): walk(a); walk(b)
            case .negate(let a): walk(a)
            }
        }
        segments.forEach { walk($0.expression) }
        scores.forEach { walk($0.expression) }
        return FieldSelection(paths: paths)
    }
}
