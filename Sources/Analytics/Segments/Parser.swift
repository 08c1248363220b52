import EventStore

/// Raised inside the parser once an error is recorded; the parser then skips to the next definition.
struct ParseFailure: Error {}

/// Recursive-descent parser of a rules file.
///
/// ```
/// file        := { "segment" STRING ":" rule | "score" NAME "=" formula | loop | journey }
/// loop        := "loop" STRING ":" "when" loop-event { "or" loop-event }
///                "expect" loop-event { "or" loop-event } "within" DURATION
/// loop-event  := did-clause (no quantifier, no 'in last') | "answered" "nps" op NUMBER
/// journey     := "journey" STRING ":" ("from" | "before") did-clause (no quantifier, no 'in last')
///                { "by" ("section" | "event") | "steps" INT | "within" DURATION }
/// rule        := and { "or" and }
/// and         := not { "and" not }
/// not         := "not" not | primary
/// primary     := "(" rule ")" | did-chain | "trait" NAME op VALUE | "in" STRING | SCORE op NUMBER
/// did-chain   := did-clause { "then" did-clause } [ "within" DURATION ]   (within required after then)
/// did-clause  := "did" EVENT { "where" cond { "and" cond } | quantifier | "in" "last" DURATION }
/// quantifier  := ("at" ("least" | "most") | "exactly") INT ["times"]
/// cond        := ["every"] (PATH | STRING | "section") op VALUE   (a quoted name is a property name)
/// formula     := term { ("+" | "-") term };  term := unary { ("*" | "/") unary };  unary := "-" unary | atom
/// atom        := NUMBER | "(" formula ")" | SCORE | "count" "(" pattern ")" | "count" "(" LIST "of" pattern ")"
///              | ("sum" | "max" | "min") "(" value "of" pattern ")"
///              | "minutes_in" "(" "section" STRING ["in" "last" DURATION] ")"
/// value       := like formula, over PATHs and NUMBERs
/// ```
/// A PATH may hold one `[]` (`products[].category`, `tags[]`): the elements of a list.
/// After `where`, `and` continues the event's conditions when it is followed by a property
/// comparison (`and channel = "chat"`); before `did`, `trait`, `in`, `not`, `(` or a score
/// name it joins rules.
///
/// Chains (`and`, `or`, `+`, `-`, `*`, `/`) are parsed in loops into one node each; only `(`,
/// `not` and unary `-` nest, at most ``maxNesting`` deep, so the parser's recursion (and that of
/// every later pass over the tree) is bounded whatever the input.
struct Parser {
    let text: SourceText
    let tokens: [Token]
    private var pos = 0
    private(set) var errors: [SegmentError] = []
    private(set) var segments: [SegmentDefinition] = []
    private(set) var scores: [ScoreDefinition] = []
    private(set) var loops: [LoopDefinition] = []
    private(set) var journeys: [JourneyDefinition] = []
    /// Names of definitions whose body failed to parse (so references to them are not "unknown").
    private(set) var brokenSegments: Set<String> = []
    private(set) var brokenScores: Set<String> = []
    /// Every `score NAME` of the file, collected up front (scores may be defined after use).
    private let scoreNames: Set<String>

    init(text: SourceText, tokens: [Token]) {
        self.text = text
        self.tokens = tokens
        var names = Set<String>()
        for i in tokens.indices.dropLast() where tokens[i].isKeyword(.score) {
            if case .identifier(let n) = tokens[i + 1].kind { names.insert(n) }
        }
        scoreNames = names
    }

    // MARK: Token access

    private var cur: Token { tokens[pos] }
    private func token(at k: Int) -> Token { tokens[min(k, tokens.count - 1)] }
    private var previous: Token { tokens[max(pos - 1, 0)] }
    private mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }
    private func at(_ k: Keyword) -> Bool { cur.isKeyword(k) }
    private func at(_ s: Symbol) -> Bool { cur.isSymbol(s) }

    // MARK: Errors

    /// Records an error at `location` (unless the current token is one the lexer already reported).
    private mutating func fail(_ message: String, at location: SourceLocation) -> ParseFailure {
        if cur.kind != .invalid { errors.append(text.error(message, at: location)) }
        return ParseFailure()
    }
    /// An error pointing at the current token.
    /// At the end of the file it points just after the last token instead.
    private mutating func failHere(_ message: String) -> ParseFailure {
        fail(message, at: cur.kind == .endOfFile ? previous.end : cur.location)
    }
    /// An error pointing just after the previous token ("expected ':' after segment name").
    private mutating func failAfterPrevious(_ message: String) -> ParseFailure { fail(message, at: previous.end) }

    /// "unknown keyword 'dod' — did you mean 'did'?" for a word where a keyword was expected.
    private mutating func unknownWord(_ word: String, expected: [Keyword], hint: String) -> ParseFailure {
        let local = closest(to: word, among: expected.map(\.rawValue))
        let any = local ?? closest(to: word, among: Keyword.allCases.map(\.rawValue))
        if let s = any { return failHere("unknown keyword '\(word)' — did you mean '\(s)'?") }
        return failHere("unknown keyword '\(word)': \(hint)")
    }

    // MARK: File

    mutating func parseFile() {
        while true {
            let start = pos
            depth = 0
            switch cur.kind {
            case .endOfFile:
                return
            case .keyword(.segment):
                do throws(ParseFailure) { try parseSegment() } catch { recover(from: start) }
            case .keyword(.score):
                do throws(ParseFailure) { try parseScore() } catch { recover(from: start) }
            case .keyword(.loop):
                do throws(ParseFailure) { try parseLoop() } catch { recover(from: start) }
            case .keyword(.journey):
                do throws(ParseFailure) { try parseJourney() } catch { recover(from: start) }
            case .identifier(let w):
                _ = unknownWord(w, expected: [.segment, .score, .loop, .journey],
                                hint: "a definition starts with 'segment', 'score', 'loop' or 'journey'")
                recover(from: start)
            default:
                _ = failHere("expected 'segment', 'score', 'loop' or 'journey' to start a definition, found \(cur.quoted)")
                recover(from: start)
            }
        }
    }

    /// Skips to the next definition (at least one token when nothing was consumed).
    private mutating func recover(from start: Int) {
        if pos == start { advance() }
        while !atDefinitionStart { advance() }
    }

    /// Whether the current token starts a definition (`segment`, `score`, `loop`, `journey`) or is the end.
    private var atDefinitionStart: Bool {
        at(.segment) || at(.score) || at(.loop) || at(.journey) || cur.kind == .endOfFile
    }

    private mutating func parseSegment() throws(ParseFailure) {
        let keyword = cur
        advance()
        guard case .string(let name) = cur.kind else {
            if case .identifier = cur.kind {
                throw failHere("the segment name goes in double quotes: segment \"\(cur.text)\":")
            }
            throw failAfterPrevious("expected the segment name in double quotes after 'segment'")
        }
        let nameToken = cur
        if name.trimmingSpaces.isEmpty { throw failHere("the segment name is empty") }
        advance()
        guard at(.colon) else {
            brokenSegments.insert(name)
            throw failAfterPrevious("expected ':' after segment name")
        }
        advance()
        let first = cur
        let expr: RuleExpression
        do throws(ParseFailure) {
            if atDefinitionStart {
                throw failAfterPrevious("expected a rule after 'segment \(nameToken.text):'")
            }
            expr = try parseOr()
            try expectEndOfDefinition(afterRule: true)
        } catch {
            brokenSegments.insert(name)
            throw error
        }
        segments.append(SegmentDefinition(
            name: name, rule: text.slice(first.location.offset, previous.end.offset).trimmingSpaces,
            location: keyword.location, nameLocation: nameToken.location, expression: expr))
    }

    private mutating func parseScore() throws(ParseFailure) {
        let keyword = cur
        advance()
        let nameToken = cur
        let name: String
        switch cur.kind {
        case .identifier(let n):
            if n.contains(".") { throw failHere("a score name is letters, digits and _ (no '.'): '\(n)'") }
            name = n
        case .keyword(let k):
            throw failHere("'\(k.rawValue)' is a keyword and cannot name a score")
        default:
            throw failAfterPrevious("expected a score name after 'score' (letters, digits and _)")
        }
        advance()
        guard at(.equal) else {
            brokenScores.insert(name)
            throw failAfterPrevious("expected '=' after the score name")
        }
        advance()
        let first = cur
        let expr: ScoreExpression
        do throws(ParseFailure) {
            expr = try parseSum()
            try expectEndOfDefinition(afterRule: false)
        } catch {
            brokenScores.insert(name)
            throw error
        }
        scores.append(ScoreDefinition(
            name: name, formula: text.slice(first.location.offset, previous.end.offset).trimmingSpaces,
            location: keyword.location, nameLocation: nameToken.location, expression: expr))
    }

    /// After a whole rule or formula only the next definition (or the end) may follow.
    private mutating func expectEndOfDefinition(afterRule: Bool) throws(ParseFailure) {
        switch cur.kind {
        case .endOfFile, .keyword(.segment), .keyword(.score), .keyword(.loop), .keyword(.journey):
            return
        case .identifier(let w):
            throw unknownWord(w, expected: afterRule ? [.and, .or, .where, .then, .within, .at, .exactly, .in] : [],
                              hint: afterRule ? "expected 'and', 'or' or the next 'segment'"
                                              : "expected an operator (+, -, *, /) or the next 'segment' or 'score'")
        case .keyword(.within) where afterRule:
            throw failHere("'within' ends a 'then' chain: did \"A\" then did \"B\" within 7d")
        case .keyword(.then) where afterRule:
            throw failHere("'then' joins two 'did' clauses: did \"A\" then did \"B\" within 7d")
        case .keyword(.where) where afterRule:
            throw failHere("'where' must follow the event of a 'did': did \"A\" where category = \"baby\"")
        case .symbol(.rightParen):
            throw failHere("unbalanced ')': no '(' is open here")
        default:
            if afterRule { throw failHere("expected 'and', 'or' or the next 'segment', found \(cur.quoted)") }
            throw failHere("expected an operator (+, -, *, /) or the next 'segment' or 'score', found \(cur.quoted)")
        }
    }

    // MARK: Rules

    /// `rule := and { "or" and }`: one node for the whole chain, built in a loop.
    private mutating func parseOr() throws(ParseFailure) -> RuleExpression {
        let first = try parseAnd()
        guard at(.or) else { return first }
        var operands = [first]
        while at(.or) {
            advance()
            operands.append(try parseAnd())
        }
        return .or(operands)
    }

    /// `and := not { "and" not }`: one node for the whole chain, built in a loop.
    private mutating func parseAnd() throws(ParseFailure) -> RuleExpression {
        let first = try parseNot()
        guard at(.and) else { return first }
        var operands = [first]
        while at(.and) {
            advance()
            operands.append(try parseNot())
        }
        return .and(operands)
    }

    /// `not := "not" not | primary`: the `not`s are counted in a loop (each one is a level of nesting).
    private mutating func parseNot() throws(ParseFailure) -> RuleExpression {
        var nots = 0
        while at(.not) {
            try enterNesting()
            nots += 1
            advance()
        }
        var e = try parsePrimary()
        for _ in 0 ..< nots { e = .not(e); depth -= 1 }
        return e
    }

    // MARK: Nesting

    /// The deepest nesting of `(`, `not` and unary `-` a rule or formula may have. Deeper input
    /// (only ever machine-made) is an error rather than a stack overflow in the parser or in any
    /// later pass over the tree; chains of `and`, `or`, `+`, `-`, `*`, `/` are not nesting and have no limit.
    static let maxNesting = 100

    /// Open `(`, `not` and unary `-` around the current token.
    private var depth = 0

    /// One more level of nesting at the current token, or the error `nested too deeply (limit N)`.
    private mutating func enterNesting() throws(ParseFailure) {
        depth += 1
        if depth > Self.maxNesting {
            throw failHere("nested too deeply (limit \(Self.maxNesting))")
        }
    }

    private static let ruleStarts = "a rule is 'did', 'trait', 'in', 'not', '(' or a score comparison"

    private mutating func parsePrimary() throws(ParseFailure) -> RuleExpression {
        switch cur.kind {
        case .symbol(.leftParen):
            let open = cur
            try enterNesting()
            advance()
            let e = try parseOr()
            guard at(.rightParen) else {
                if case .identifier(let w) = cur.kind {
                    throw unknownWord(w, expected: [.and, .or, .where, .then, .within, .at, .exactly, .in],
                                      hint: "expected 'and', 'or' or ')'")
                }
                throw failHere("expected ')' to close the '(' at \(open.location.line):\(open.location.column), found \(cur.quoted)")
            }
            advance()
            depth -= 1
            return e
        case .keyword(.did):
            return try parseDidChain()
        case .keyword(.trait):
            return try parseTraitRule()
        case .keyword(.in):
            advance()
            guard case .string(let name) = cur.kind else {
                if at(.last) { throw failHere("'in last' belongs to a 'did': did \"A\" in last 30d") }
                throw failAfterPrevious("expected a segment name in double quotes after 'in'")
            }
            let loc = cur.location
            advance()
            return .member(name, location: loc)
        case .identifier:
            return try parseWordRule()
        case .endOfFile, .keyword(.segment), .keyword(.score), .keyword(.loop), .keyword(.journey):
            throw failAfterPrevious("expected a rule: \(Self.ruleStarts)")
        default:
            throw failHere("expected a rule, found \(cur.quoted): \(Self.ruleStarts)")
        }
    }

    // The rarer rules live in their own functions so that `parsePrimary`, which recurses through
    // `(`, keeps a small stack frame (see ``maxNesting``).

    /// `trait NAME OP VALUE` (at `trait`); a NAME with `[]` looks into a trait list.
    @inline(never)
    private mutating func parseTraitRule() throws(ParseFailure) -> RuleExpression {
        let start = cur.location
        advance()
        let name: String
        switch cur.kind {
        case .identifier(let n), .string(let n): name = n
        case .keyword(let k) where isComparisonAhead(pos + 1): name = k.rawValue
        default: throw failAfterPrevious("expected a trait name after 'trait'")
        }
        let nameText = cur.text
        try checkPath(name, at: cur.location)
        advance()
        let c = try parseComparison(subject: nameText, isSection: false)
        return .trait(name, c, location: start)
    }

    /// A score comparison (`NAME OP NUMBER`), or the error for another word where a rule starts.
    @inline(never)
    private mutating func parseWordRule() throws(ParseFailure) -> RuleExpression {
        if case .identifier("every") = cur.kind, token(at: pos + 1).isPathLike {
            throw failHere("'every' belongs inside a 'where': did \"Order Completed\" where every products[].category = \"baby\"")
        }
        guard case .identifier(let w) = cur.kind else { throw failHere("expected a rule, found \(cur.quoted): \(Self.ruleStarts)") }
        if case .symbol(let s) = token(at: pos + 1).kind, let op = Self.numericOperators[s] {
            let loc = cur.location
            advance(); advance()
            let value = try parseSignedNumber(context: "a score is a number: compare '\(w)' with a number")
            return .score(w, op, value, location: loc)
        }
        if scoreNames.contains(w) {
            throw failHere("compare the score with a number, e.g. \(w) >= 10")
        }
        throw unknownWord(w, expected: [.did, .trait, .in, .not], hint: Self.ruleStarts)
    }

    private static let numericOperators: [Symbol: ComparisonOperator] = [
        .equal: .equal, .notEqual: .notEqual, .less: .less, .lessOrEqual: .lessOrEqual,
        .greater: .greater, .greaterOrEqual: .greaterOrEqual,
    ]

    private mutating func parseDidChain() throws(ParseFailure) -> RuleExpression {
        let start = cur.location
        let (first, quantifier, quantifierLocation) = try parseDidClause()
        guard at(.then) else { return .did(first, quantifier ?? .atLeast(1)) }
        if let q = quantifierLocation {
            throw fail("a step of a 'then' chain takes no 'at least', 'at most' or 'exactly'", at: q)
        }
        var steps = [first]
        while at(.then) {
            advance()
            guard at(.did) else { throw failAfterPrevious("expected 'did' after 'then'") }
            let (step, _, q) = try parseDidClause()
            if let q { throw fail("a step of a 'then' chain takes no 'at least', 'at most' or 'exactly'", at: q) }
            steps.append(step)
        }
        guard at(.within) else {
            throw failAfterPrevious("expected 'within' and a duration to end the 'then' chain, e.g. within 7d")
        }
        advance()
        let d = try parseDuration(after: "within")
        return .sequence(steps, within: d, location: start)
    }

    /// `did EVENT` and its suffixes; returns the quantifier and where it was written.
    private mutating func parseDidClause() throws(ParseFailure) -> (EventPattern, Quantifier?, SourceLocation?) {
        let start = cur.location
        advance()  // did
        let event = try parseEventReference(after: "did")
        var pattern = EventPattern(event: event, location: start)
        var quantifier: Quantifier?
        var quantifierLocation: SourceLocation?
        var sawWhere = false
        while true {
            if at(.where) {
                if sawWhere { throw failHere("the conditions are already given: join them with 'and'") }
                sawWhere = true
                advance()
                pattern.conditions = try parseConditions(insideFunction: false)
            } else if at(.at) || at(.exactly) {
                if quantifier != nil { throw failHere("the number of times is already given") }
                quantifierLocation = cur.location
                quantifier = try parseQuantifier()
            } else if at(.in), token(at: pos + 1).isKeyword(.last) {
                if pattern.window != nil { throw failHere("the window ('in last …') is already given") }
                pattern.window = try parseWindow()
            } else {
                break
            }
        }
        return (pattern, quantifier, quantifierLocation)
    }

    private mutating func parseEventReference(after word: String) throws(ParseFailure) -> EventReference {
        switch cur.kind {
        case .string(let name): advance(); return .named(name)
        case .keyword(.page): advance(); return .page
        case .keyword(.any): advance(); return .any
        case .identifier(let w):
            throw failHere("event names go in double quotes: \(word) \"\(w)\" (or use 'page' or 'any')")
        default:
            throw failAfterPrevious("expected an event name in double quotes, 'page' or 'any' after '\(word)'")
        }
    }

    private mutating func parseQuantifier() throws(ParseFailure) -> Quantifier {
        let make: (Int) -> Quantifier
        let phrase: String
        if at(.exactly) {
            make = Quantifier.exactly; phrase = "exactly"
            advance()
        } else {
            advance()  // at
            if at(.least) { make = Quantifier.atLeast; phrase = "at least" }
            else if at(.most) { make = Quantifier.atMost; phrase = "at most" }
            else if case .identifier(let w) = cur.kind { throw unknownWord(w, expected: [.least, .most], hint: "write 'at least' or 'at most'") }
            else { throw failAfterPrevious("expected 'least' or 'most' after 'at'") }
            advance()
        }
        guard case .number(let n) = cur.kind, n == n.rounded(), n >= 0, n <= 1_000_000_000 else {
            if cur.kind == .endOfFile || !(cur.kind.isNumberLike) {
                throw failAfterPrevious("expected a whole number of times after '\(phrase)'")
            }
            throw failHere("expected a whole number of times after '\(phrase)', found \(cur.quoted)")
        }
        advance()
        if at(.times) || cur.kind == .identifier("time") { advance() }
        return make(Int(n))
    }

    private mutating func parseWindow() throws(ParseFailure) -> RuleDuration {
        advance()  // in
        advance()  // last
        return try parseDuration(after: "in last")
    }

    private mutating func parseDuration(after word: String) throws(ParseFailure) -> RuleDuration {
        switch cur.kind {
        case .duration(let ms):
            let d = RuleDuration(milliseconds: ms, text: cur.text)
            advance()
            return d
        case .number:
            throw failHere("bad duration '\(cur.text)': use a number followed by m, h, d or w")
        default:
            throw failAfterPrevious("expected a duration after '\(word)': a number followed by m, h, d or w, e.g. 30d")
        }
    }

    // MARK: Conditions

    /// Whether the tokens at `k` are a comparison operator (`=`, …, `contains`, `in [`).
    private func isComparisonAhead(_ k: Int) -> Bool {
        switch token(at: k).kind {
        case .symbol(let s): return Self.numericOperators[s] != nil
        case .keyword(.contains): return true
        case .keyword(.in): return token(at: k + 1).isSymbol(.leftBracket)
        default: return false
        }
    }

    /// Whether the token at `k` starts an event condition (rather than a new rule after `and`).
    private func isConditionStart(_ k: Int) -> Bool {
        switch token(at: k).kind {
        case .keyword(.section): return true
        case .identifier("every") where token(at: k + 1).isPathLike: return isConditionStart(k + 1)
        case .identifier(let w): return !scoreNames.contains(w) && isComparisonAhead(k + 1)
        case .keyword, .string: return isComparisonAhead(k + 1)
        default: return false
        }
    }

    private mutating func parseConditions(insideFunction: Bool) throws(ParseFailure) -> [EventCondition] {
        var conditions = [try parseCondition()]
        while at(.and), insideFunction || isConditionStart(pos + 1) {
            advance()
            conditions.append(try parseCondition())
        }
        return conditions
    }

    private mutating func parseCondition() throws(ParseFailure) -> EventCondition {
        var every = false
        if case .identifier("every") = cur.kind, token(at: pos + 1).isPathLike || token(at: pos + 1).isKeyword(.section) {
            every = true
            advance()
        }
        let start = cur
        let subject: ConditionSubject
        switch cur.kind {
        case .keyword(.section): subject = .section
        case .identifier(let w): subject = .property(Self.propertyPath(w))
        case .keyword(let k) where isComparisonAhead(pos + 1): subject = .property(Self.propertyPath(k.rawValue))
        case .string(let s) where !s.isEmpty: subject = .property(Self.propertyPath(s))  // "utm-source"
        default:
            throw failAfterPrevious("expected a property name or 'section' after '\(previous.text)'")
        }
        if case .property(let path) = subject { try checkPath(path, at: start.location) }
        if every, elementArray(subject.path ?? "") == nil {
            throw fail("'every' looks at every element of a list: write the list with [], e.g. every products[].category = \"baby\"",
                       at: start.location)
        }
        advance()
        let isSection = subject == .section
        let c = try parseComparison(subject: start.text, isSection: isSection)
        return EventCondition(subject: subject, comparison: c, location: start.location, every: every)
    }

    /// A bare name is a property of the event (`category` → `properties.category`, `products[].category` →
    /// `properties.products[].category`); a dotted path starts at the event root (`context.campaign.medium`).
    /// What comes before a `[]` decides.
    static func propertyPath(_ name: String) -> String {
        var head = Substring(name)
        if let i = name.firstIndex(of: "[") { head = name[..<i] }
        return head.contains(".") ? name : "properties." + name
    }

    /// A path as a rule writes it: without the `properties.` of a bare name.
    static func written(_ path: String) -> String {
        path.hasPrefix("properties.") ? String(path.dropFirst("properties.".count)) : path
    }

    /// A path holds at most one `[]`, followed by nothing or by `.` and a key.
    private mutating func checkPath(_ path: String, at location: SourceLocation) throws(ParseFailure) {
        let marks = path.split(separator: "[]", omittingEmptySubsequences: false).count - 1
        guard marks > 0 else { return }
        if marks > 1 {
            throw fail("a path looks into one list only: '\(Self.written(path))' has \(marks) '[]' (lists inside list elements are not supported)", at: location)
        }
        if elementArray(path) == nil {
            throw fail("after '[]' comes '.' and a key, or nothing: products[].category, tags[]", at: location)
        }
    }
    private mutating func parseComparison(subject: String, isSection: Bool) throws(ParseFailure) -> Comparison {
        let opToken = cur
        let op: ComparisonOperator
        switch cur.kind {
        case .symbol(let s) where Self.numericOperators[s] != nil: op = Self.numericOperators[s]!
        case .keyword(.contains): op = .contains
        case .keyword(.in): op = .in
        case .identifier(let w):
            throw unknownWord(w, expected: [.contains, .in], hint: "expected a comparison (=, !=, <, <=, >, >=, contains, in [...]) after '\(subject)'")
        default:
            throw failAfterPrevious("expected a comparison (=, !=, <, <=, >, >=, contains, in [...]) after '\(subject)'")
        }
        if op == .contains, subject.hasSuffix("[]") {
            throw fail("'contains' looks for text inside one string, and '\(subject)' is a list: test its elements instead, "
                       + "e.g. tags[] = \"gift\" (some element is \"gift\") or products[].name contains \"gift\"",
                       at: opToken.location)
        }
        advance()
        var values: [RuleLiteral] = []
        if op == .in {
            guard at(.leftBracket) else { throw failAfterPrevious("expected a list after 'in', e.g. [\"email\", \"sms\"]") }
            advance()
            while !at(.rightBracket) {
                values.append(try parseLiteral(after: values.isEmpty ? "[" : ","))
                if at(.comma) { advance(); continue }
                guard at(.rightBracket) else { throw failAfterPrevious("expected ',' or ']' in the list") }
            }
            if values.isEmpty { throw failHere("empty list: put at least one value between [ and ]") }
            advance()
        } else {
            let valueLocation = cur.location
            let v = try parseLiteral(after: opToken.text)
            if op == .contains, case .string = v {} else if op == .contains {
                throw fail("'contains' looks for text: give it a string in double quotes", at: valueLocation)
            }
            if op.isOrdering, case .bool = v {
                throw fail("'\(op.rawValue)' compares numbers or strings, not true or false", at: valueLocation)
            }
            values = [v]
        }
        if isSection {
            for v in values {
                guard case .string = v else {
                    throw fail("section is text: compare it with a string in double quotes", at: opToken.location)
                }
            }
        }
        return Comparison(op: op, values: values)
    }

    private mutating func parseLiteral(after word: String) throws(ParseFailure) -> RuleLiteral {
        switch cur.kind {
        case .string(let s): advance(); return .string(s)
        case .number(let d): advance(); return .number(d)
        case .keyword(.true): advance(); return .bool(true)
        case .keyword(.false): advance(); return .bool(false)
        case .symbol(.minus):
            advance()
            guard case .number(let d) = cur.kind else { throw failHere("expected a number after '-'") }
            advance()
            return .number(-d)
        case .identifier, .keyword:
            throw failHere("text values go in double quotes: \"\(cur.text)\"")
        case .duration:
            throw failHere("expected a value after '\(word)', found the duration \(cur.quoted)")
        default:
            throw failAfterPrevious("expected a value after '\(word)': a string in double quotes, a number, true or false")
        }
    }

    private mutating func parseSignedNumber(context: String) throws(ParseFailure) -> Double {
        var sign = 1.0
        if at(.minus) { sign = -1; advance() }
        guard case .number(let d) = cur.kind else {
            if cur.kind == .endOfFile { throw failAfterPrevious(context) }
            throw failHere(context)
        }
        advance()
        return sign * d
    }

    // MARK: Formulas

    /// `formula := term { ("+" | "-") term }`: one node for the whole chain, built in a loop.
    private mutating func parseSum() throws(ParseFailure) -> ScoreExpression {
        let first = try parseTerm()
        var steps: [ArithmeticStep] = []
        while at(.plus) || at(.minus) {
            let op: ArithmeticOperator = at(.plus) ? .add : .subtract
            advance()
            steps.append(ArithmeticStep(op, try parseTerm()))
        }
        return steps.isEmpty ? first : .arithmetic(first, steps)
    }

    /// `term := unary { ("*" | "/") unary }`: one node for the whole chain, built in a loop.
    private mutating func parseTerm() throws(ParseFailure) -> ScoreExpression {
        let first = try parseUnary()
        var steps: [ArithmeticStep] = []
        while at(.star) || at(.slash) {
            let op: ArithmeticOperator = at(.star) ? .multiply : .divide
            advance()
            steps.append(ArithmeticStep(op, try parseUnary()))
        }
        return steps.isEmpty ? first : .arithmetic(first, steps)
    }

    /// `unary := "-" unary | atom`: the `-`s are counted in a loop (each one is a level of nesting).
    private mutating func parseUnary() throws(ParseFailure) -> ScoreExpression {
        var negations = 0
        while at(.minus) {
            try enterNesting()
            negations += 1
            advance()
        }
        var e = try parseAtom()
        for _ in 0 ..< negations { e = .negate(e); depth -= 1 }
        return e
    }

    private static let formulaAtoms = "a number, a score name, count(…), sum(…), max(…), min(…), minutes_in(…) or '('"

    private mutating func parseAtom() throws(ParseFailure) -> ScoreExpression {
        switch cur.kind {
        case .number(let d):
            advance()
            return .number(d)
        case .symbol(.leftParen):
            let open = cur
            try enterNesting()
            advance()
            let e = try parseSum()
            guard at(.rightParen) else {
                throw failHere("expected ')' to close the '(' at \(open.location.line):\(open.location.column), found \(cur.quoted)")
            }
            advance()
            depth -= 1
            return e
        case .keyword(.count):
            return try parseCountCall()
        case .keyword(.sum):
            return try parseAggregate(.sum)
        case .keyword(.minutesIn):
            return try parseMinutesIn()
        default:
            return try parseOtherAtom()
        }
    }

    // The rarer atoms live in their own functions so that `parseAtom`, which recurses through
    // `(`, keeps a small stack frame (nesting up to ``maxNesting`` must fit a 1 MiB thread stack
    // even in a debug build).

    /// `count(PATTERN)`, or `count(LIST[] of PATTERN)`: the elements of a list (at `count`).
    @inline(never)
    private mutating func parseCountCall() throws(ParseFailure) -> ScoreExpression {
        advance()
        try expectOpenParen(after: "count")
        if cur.isPathLike, token(at: pos + 1).isKeyword(.of), case .identifier(let w) = cur.kind, w.contains("[]") {
            let loc = cur.location
            let path = Self.propertyPath(w)
            try checkPath(path, at: loc)
            guard let split = FieldSelection.elementPath(path), split.element.isEmpty else {
                throw fail("count(…) counts the elements of a list: count(products[] of \"Order Completed\")", at: loc)
            }
            advance(); advance()
            let array = String(split.array)
            let p = try parseFunctionPattern(function: "count")
            try expectCloseParen(function: "count")
            try checkOneList(array, p)
            return .countElements(array: array, p, location: loc)
        }
        let p = try parseFunctionPattern(function: "count")
        try expectCloseParen(function: "count")
        return .count(p)
    }

    @inline(never)
    private mutating func parseMinutesIn() throws(ParseFailure) -> ScoreExpression {
        let loc = cur.location
        advance()
        try expectOpenParen(after: "minutes_in")
        guard at(.section) else { throw failAfterPrevious("expected 'section' after 'minutes_in(': minutes_in(section \"baby\")") }
        advance()
        guard case .string(let name) = cur.kind else {
            throw failAfterPrevious("expected the section name in double quotes after 'section'")
        }
        advance()
        var window: RuleDuration?
        if at(.in), token(at: pos + 1).isKeyword(.last) { window = try parseWindow() }
        try expectCloseParen(function: "minutes_in")
        return .minutesIn(section: name, window: window, location: loc)
    }

    /// A score name, or the error for what cannot start a formula atom.
    @inline(never)
    private mutating func parseOtherAtom() throws(ParseFailure) -> ScoreExpression {
        switch cur.kind {
        case .identifier(let w):
            if token(at: pos + 1).isSymbol(.leftParen) {
                if w == "max" || w == "min" { return try parseAggregate(w == "max" ? .max : .min) }
                if let s = closest(to: w, among: ["count", "sum", "max", "min", "minutes_in"]) {
                    throw failHere("unknown function '\(w)' — did you mean '\(s)'?")
                }
                throw failHere("unknown function '\(w)': use count(…), sum(…), max(…), min(…) or minutes_in(…)")
            }
            let loc = cur.location
            advance()
            return .score(w, location: loc)
        case .duration:
            throw failHere("expected \(Self.formulaAtoms), found the duration \(cur.quoted)")
        case .endOfFile, .keyword(.segment), .keyword(.score), .keyword(.loop), .keyword(.journey):
            throw failAfterPrevious("expected \(Self.formulaAtoms)")
        default:
            throw failHere("expected \(Self.formulaAtoms), found \(cur.quoted)")
        }
    }

    /// `sum(VALUE of PATTERN)`, `max(…)`, `min(…)` (at the function's name).
    @inline(never)
    private mutating func parseAggregate(_ kind: Aggregate) throws(ParseFailure) -> ScoreExpression {
        let name = kind.rawValue
        advance()
        try expectOpenParen(after: name)
        let loc = cur.location
        let example = "\(name)(revenue of \"Order Completed\")"
        guard !at(.of), !at(.rightParen), cur.kind != .endOfFile else {
            throw failAfterPrevious("expected a property name after '\(name)(', e.g. \(example)")
        }
        let formula = try parseValueSum(function: name)
        guard at(.of) else { throw failAfterPrevious("expected 'of' after the value: \(example)") }
        advance()
        let p = try parseFunctionPattern(function: "sum")
        try expectCloseParen(function: name)
        let arrays = Set(formula.paths.compactMap(elementArray))
        if arrays.count > 1 {
            let names = arrays.sorted().map { "'\(Self.written($0))[]'" }.joined(separator: " and ")
            throw fail("one value mixes two lists (\(names)): an element formula reads one list's elements", at: loc)
        }
        if let array = arrays.first { try checkOneList(array, p) }
        if kind == .sum, case .path(let path) = formula, elementArray(path) == nil { return .sum(property: path, p) }
        return .aggregate(kind, formula, p, location: loc)
    }

    /// In `count(products[] of …)` and element formulas, conditions on another list would mix two lists in one
    /// element condition: an error at that condition.
    private mutating func checkOneList(_ array: String, _ p: EventPattern) throws(ParseFailure) {
        for c in p.conditions {
            if let other = c.array, other != array {
                throw fail("this condition looks into '\(Self.written(other))[]' while the elements counted are those of "
                           + "'\(Self.written(array))[]': one element condition reads one list", at: c.location)
            }
        }
    }

    /// `value := vterm { ("+" | "-") vterm }`: one node for the whole chain, built in a loop.
    private mutating func parseValueSum(function: String) throws(ParseFailure) -> ValueFormula {
        let first = try parseValueTerm(function: function)
        var steps: [ValueStep] = []
        while at(.plus) || at(.minus) {
            let op: ArithmeticOperator = at(.plus) ? .add : .subtract
            advance()
            steps.append(ValueStep(op, try parseValueTerm(function: function)))
        }
        return steps.isEmpty ? first : .arithmetic(first, steps)
    }

    /// `vterm := vunary { ("*" | "/") vunary }`: one node for the whole chain, built in a loop.
    private mutating func parseValueTerm(function: String) throws(ParseFailure) -> ValueFormula {
        let first = try parseValueUnary(function: function)
        var steps: [ValueStep] = []
        while at(.star) || at(.slash) {
            let op: ArithmeticOperator = at(.star) ? .multiply : .divide
            advance()
            steps.append(ValueStep(op, try parseValueUnary(function: function)))
        }
        return steps.isEmpty ? first : .arithmetic(first, steps)
    }

    /// `vunary := "-" vunary | vatom`: the `-`s are counted in a loop (each one is a level of nesting).
    private mutating func parseValueUnary(function: String) throws(ParseFailure) -> ValueFormula {
        var negations = 0
        while at(.minus) {
            try enterNesting()
            negations += 1
            advance()
        }
        var e = try parseValueAtom(function: function)
        for _ in 0 ..< negations { e = .negate(e); depth -= 1 }
        return e
    }

    /// A number, a path or `( value )`; `(` counts as a level of nesting (``maxNesting``).
    private mutating func parseValueAtom(function: String) throws(ParseFailure) -> ValueFormula {
        switch cur.kind {
        case .number(let d):
            advance()
            return .number(d)
        case .symbol(.leftParen):
            let open = cur
            try enterNesting()
            advance()
            let e = try parseValueSum(function: function)
            guard at(.rightParen) else {
                throw failHere("expected ')' to close the '(' at \(open.location.line):\(open.location.column), found \(cur.quoted)")
            }
            advance()
            depth -= 1
            return e
        default:
            return try parseValuePath(function: function)
        }
    }

    /// A property path in a value formula, or the error for what cannot start one.
    @inline(never)
    private mutating func parseValuePath(function: String) throws(ParseFailure) -> ValueFormula {
        switch cur.kind {
        case .identifier(let w), .string(let w):
            let path = Self.propertyPath(w)
            try checkPath(path, at: cur.location)
            advance()
            return .path(path)
        case .keyword(let k) where k != .section && k != .of:
            advance()
            return .path(Self.propertyPath(k.rawValue))
        default:
            throw failAfterPrevious("expected a property name or a number in '\(function)(…)', e.g. \(function)(products[].price * products[].quantity of \"Order Completed\")")
        }
    }

    private mutating func expectOpenParen(after word: String) throws(ParseFailure) {
        guard at(.leftParen) else { throw failAfterPrevious("expected '(' after '\(word)'") }
        advance()
    }

    private mutating func expectCloseParen(function: String) throws(ParseFailure) {
        guard at(.rightParen) else {
            if at(.at) || at(.exactly) {
                throw failHere("\(function)(…) takes no 'at least', 'at most' or 'exactly': compare the score instead")
            }
            if case .identifier(let w) = cur.kind {
                throw unknownWord(w, expected: [.where, .and, .in], hint: "expected ')' to close '\(function)('")
            }
            throw failAfterPrevious("expected ')' to close '\(function)('")
        }
        advance()
    }

    /// The event pattern inside `count(…)` or `sum(… of …)`.
    private mutating func parseFunctionPattern(function: String) throws(ParseFailure) -> EventPattern {
        let start = cur.location
        let event = try parseEventReference(after: function == "sum" ? "of" : "\(function)(")
        var pattern = EventPattern(event: event, location: start)
        var sawWhere = false
        while true {
            if at(.where) {
                if sawWhere { throw failHere("the conditions are already given: join them with 'and'") }
                sawWhere = true
                advance()
                pattern.conditions = try parseConditions(insideFunction: true)
            } else if at(.in), token(at: pos + 1).isKeyword(.last) {
                if pattern.window != nil { throw failHere("the window ('in last …') is already given") }
                pattern.window = try parseWindow()
            } else {
                return pattern
            }
        }
    }
}

extension Token {
    /// A property name: a name or a quoted name.
    var isPathLike: Bool {
        switch kind {
        case .identifier, .string: return true
        default: return false
        }
    }
}

extension ConditionSubject {
    /// The property path, or nil for `section`.
    var path: String? {
        if case .property(let p) = self { return p }
        return nil
    }
}

extension TokenKind {
    var isNumberLike: Bool {
        switch self {
        case .number, .duration: return true
        default: return false
        }
    }
}

extension String {
    /// Without leading and trailing whitespace and line breaks.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

// MARK: - Loops and journeys

extension Parser {
    /// Whether the current token is the word `w` (the words of loops and journeys — `when`, `expect`,
    /// `answered`, `nps`, `from`, `before`, `by`, `event`, `steps` — are not reserved elsewhere).
    private func atWord(_ w: String) -> Bool { cur.kind == .identifier(w) }

    /// `"Name" :` after `loop` or `journey`; returns the name and its token.
    private mutating func parseFlowName(_ kind: String, example: String) throws(ParseFailure) -> (String, Token) {
        advance()
        guard case .string(let name) = cur.kind else {
            if case .identifier = cur.kind {
                throw failHere("the \(kind) name goes in double quotes: \(kind) \"\(cur.text)\":")
            }
            throw failAfterPrevious("expected the \(kind) name in double quotes after '\(kind)', e.g. \(example)")
        }
        let nameToken = cur
        if name.trimmingSpaces.isEmpty { throw failHere("the \(kind) name is empty") }
        advance()
        guard at(.colon) else { throw failAfterPrevious("expected ':' after \(kind) name") }
        advance()
        return (name, nameToken)
    }

    /// After a loop or journey only the next definition (or the end) may follow.
    private mutating func expectEndOfFlow(_ what: String) throws(ParseFailure) {
        guard atDefinitionStart else {
            if at(.rightParen) { throw failHere("unbalanced ')': no '(' is open here") }
            throw failHere("expected \(what) or the next definition, found \(cur.quoted)")
        }
    }

    static let loopExample = "loop \"Late delivery apology\": when did \"Order Delivered\" where late = true expect did \"Apology Sent\" within 1d"

    mutating func parseLoop() throws(ParseFailure) {
        let keyword = cur
        let (name, nameToken) = try parseFlowName("loop", example: Self.loopExample)
        let first = cur
        guard atWord("when") else {
            if atDefinitionStart { throw failAfterPrevious("expected 'when' and the trigger after 'loop \(nameToken.text):', e.g. \(Self.loopExample)") }
            throw failHere("expected 'when' and the trigger, found \(cur.quoted): \(Self.loopExample)")
        }
        advance()
        let triggers = try parseLoopEvents(after: "when")
        guard atWord("expect") else {
            if at(.within) { throw failHere("expected 'expect' and the follow-up event before 'within': when did \"A\" expect did \"B\" within 1d") }
            throw failAfterPrevious("expected 'expect' and the follow-up event after the trigger, e.g. expect did \"Apology Sent\" within 1d")
        }
        advance()
        let expected = try parseLoopEvents(after: "expect")
        guard at(.within) else {
            throw failAfterPrevious("expected 'within' and the promised time after the follow-up event, e.g. within 1d")
        }
        advance()
        let durationToken = cur
        let within = try parseDuration(after: "within")
        if within.milliseconds <= 0 { throw fail("the promised time must be longer than 0", at: durationToken.location) }
        try expectEndOfFlow("'or'")
        loops.append(LoopDefinition(
            name: name, rule: text.slice(first.location.offset, previous.end.offset).trimmingSpaces,
            location: keyword.location, nameLocation: nameToken.location,
            triggers: triggers, expected: expected, within: within))
    }

    /// `EVENT { "or" EVENT }` after `when` or `expect`.
    private mutating func parseLoopEvents(after word: String) throws(ParseFailure) -> [LoopEvent] {
        var events = [try parseLoopEvent(after: word)]
        while at(.or) {
            advance()
            events.append(try parseLoopEvent(after: "or"))
        }
        return events
    }

    private mutating func parseLoopEvent(after word: String) throws(ParseFailure) -> LoopEvent {
        if at(.did) {
            return .pattern(try parseFlowPattern(role: "a loop's event"))
        }
        if atWord("answered") {
            let loc = cur.location
            advance()
            guard atWord("nps") else {
                throw failAfterPrevious("expected 'nps' and a comparison after 'answered', e.g. answered nps <= 6")
            }
            advance()
            guard case .symbol(let s) = cur.kind, let op = Self.numericOperators[s] else {
                throw failAfterPrevious("expected a comparison (=, !=, <, <=, >, >=) after 'answered nps', e.g. answered nps <= 6")
            }
            advance()
            let value = try parseSignedNumber(context: "expected a score 0…10 after 'answered nps \(op.rawValue)'")
            return .answered(op, value, location: loc)
        }
        if case .identifier(let w) = cur.kind, let s = closest(to: w, among: ["did", "answered"]) {
            throw failHere("unknown keyword '\(w)' — did you mean '\(s)'?")
        }
        if cur.kind == .endOfFile || atDefinitionStart {
            throw failAfterPrevious("expected 'did \"Event\"' or 'answered nps …' after '\(word)'")
        }
        throw failHere("expected 'did \"Event\"' or 'answered nps …' after '\(word)', found \(cur.quoted)")
    }

    /// A `did` clause without a number of times or a window (loops and journeys bound time themselves).
    private mutating func parseFlowPattern(role: String) throws(ParseFailure) -> EventPattern {
        let (pattern, _, quantifierLocation) = try parseDidClause()
        if let q = quantifierLocation {
            throw fail("\(role) takes no 'at least', 'at most' or 'exactly': each matching event counts", at: q)
        }
        if pattern.window != nil {
            throw fail("\(role) takes no 'in last': 'within' bounds its time", at: pattern.location)
        }
        return pattern
    }

    static let journeyExample = "journey \"After a baby email\": from did \"Email Link Clicked\" where category = \"baby\" steps 3 within 30m"

    mutating func parseJourney() throws(ParseFailure) {
        let keyword = cur
        let (name, nameToken) = try parseFlowName("journey", example: Self.journeyExample)
        let first = cur
        let direction: JourneyDirection
        if atWord("from") { direction = .after } else if atWord("before") { direction = .before } else {
            if atDefinitionStart { throw failAfterPrevious("expected 'from' or 'before' and the entry event, e.g. \(Self.journeyExample)") }
            if case .identifier(let w) = cur.kind, let s = closest(to: w, among: ["from", "before"]) {
                throw failHere("unknown keyword '\(w)' — did you mean '\(s)'?")
            }
            throw failHere("expected 'from' or 'before' and the entry event, found \(cur.quoted): \(Self.journeyExample)")
        }
        advance()
        guard at(.did) else {
            throw failAfterPrevious("expected 'did' and the entry event after '\(direction.rawValue)', e.g. from did \"Email Link Clicked\"")
        }
        let entryStart = cur
        let entry = try parseFlowPattern(role: "a journey's entry")
        let entryRule = text.slice(entryStart.location.offset, previous.end.offset).trimmingSpaces
        var stepKind: JourneyStepKind?
        var steps: Int?
        var window: RuleDuration?
        while true {
            if atWord("by") {
                if stepKind != nil { throw failHere("the kind of step ('by …') is already given") }
                advance()
                if at(.section) { stepKind = .section } else if atWord("event") { stepKind = .event } else {
                    if atDefinitionStart { throw failAfterPrevious("expected 'section' or 'event' after 'by'") }
                    throw failHere("expected 'section' or 'event' after 'by', found \(cur.quoted)")
                }
                advance()
            } else if atWord("steps") {
                if steps != nil { throw failHere("the number of steps is already given") }
                advance()
                guard case .number(let n) = cur.kind else {
                    throw failAfterPrevious("expected a whole number of steps (1 to \(JourneyDefinition.maxSteps)) after 'steps'")
                }
                guard n == n.rounded(), n >= 1, n <= Double(JourneyDefinition.maxSteps) else {
                    throw failHere("the number of steps is a whole number from 1 to \(JourneyDefinition.maxSteps), not \(cur.text)")
                }
                steps = Int(n)
                advance()
            } else if at(.within) {
                if window != nil { throw failHere("the window ('within …') is already given") }
                advance()
                let durationToken = cur
                let d = try parseDuration(after: "within")
                if d.milliseconds <= 0 { throw fail("the window must be longer than 0", at: durationToken.location) }
                window = d
            } else {
                break
            }
        }
        try expectEndOfFlow("'by', 'steps', 'within'")
        journeys.append(JourneyDefinition(
            name: name, rule: text.slice(first.location.offset, previous.end.offset).trimmingSpaces,
            location: keyword.location, nameLocation: nameToken.location, direction: direction, entry: entry,
            entryRule: entryRule, stepKind: stepKind ?? .section, steps: steps ?? JourneyDefinition.defaultSteps, window: window))
    }
}
