import EventStore

// The syntax tree of a rules file. Every node that can be the subject of an error keeps
// its location. Names are still names here; ``SegmentEvaluator`` resolves them against a table.

/// A duration as written (`30d`), in milliseconds.
public struct RuleDuration: Sendable, Hashable {
    public var milliseconds: Int64
    /// The duration as written, e.g. `30d`.
    public var text: String
    public init(milliseconds: Int64, text: String) { self.milliseconds = milliseconds; self.text = text }
}

/// A constant in a condition.
public enum RuleLiteral: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    public var description: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// A comparison operator of a condition.
public enum ComparisonOperator: String, Sendable, Hashable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains = "contains"
    case `in` = "in"

    /// Whether the operator orders values (`<`, `<=`, `>`, `>=`).
    public var isOrdering: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
}

/// An operator and its value(s): one value, or the list of `in [..]`.
public struct Comparison: Sendable, Hashable {
    public var op: ComparisonOperator
    public var values: [RuleLiteral]
    public init(op: ComparisonOperator, values: [RuleLiteral]) { self.op = op; self.values = values }
}

/// What a condition looks at.
public enum ConditionSubject: Sendable, Hashable {
    /// A property by full dotted path: `properties.category` (written `category`), `context.campaign.medium`.
    case property(String)
    /// The page section (pages and screens; compared case-insensitively).
    case section
}

/// `SUBJECT OP VALUE` on one event.
///
/// A subject path with `[]` (`properties.products[].category`) looks at the elements of a list:
/// the condition holds for **some** element, and the conditions of one `where` on the same list must
/// hold for the **same** element; with ``every`` set (`every products[].category = "baby"`) it must
/// hold for every element of a non-empty list.
public struct EventCondition: Sendable, Hashable {
    public var subject: ConditionSubject
    public var comparison: Comparison
    public var location: SourceLocation
    /// `every PATH OP VALUE`: all elements of the list (and at least one) must match.
    public var every: Bool
    public init(subject: ConditionSubject, comparison: Comparison, location: SourceLocation, every: Bool = false) {
        self.subject = subject; self.comparison = comparison; self.location = location; self.every = every
    }

    /// The list this condition looks into (`properties.products` for `products[].category`), or nil.
    public var array: String? {
        guard case .property(let path) = subject else { return nil }
        return elementArray(path)
    }
}

/// The list part of an element path (`properties.products` for `properties.products[].variant.size`), or nil.
public func elementArray(_ path: String) -> String? {
    FieldSelection.elementPath(path).map { String($0.array) }
}

/// A number computed per event, or per list element when it reads element paths:
/// `products[].price * products[].quantity`.
public indirect enum ValueFormula: Sendable, Hashable {
    /// A property by full dotted path (may hold `[]`).
    case path(String)
    case number(Double)
    /// `FIRST OP OPERAND …`, applied left to right, with `*`/`/` chains as operands of a `+`/`-` chain, as in
    /// ``ScoreExpression/arithmetic(_:_:)``: one node per chain, so that no pass over the formula recurses once
    /// per operator. Division by zero gives 0.
    case arithmetic(ValueFormula, [ValueStep])
    case negate(ValueFormula)

    /// Every path the formula reads.
    public var paths: [String] {
        switch self {
        case .path(let p): return [p]
        case .number: return []
        case .arithmetic(let first, let steps): return steps.reduce(first.paths) { $0 + $1.operand.paths }
        case .negate(let a): return a.paths
        }
    }
}

/// One `OP OPERAND` step of a value formula's chain (`* products[].quantity`).
public struct ValueStep: Sendable, Hashable {
    public var op: ArithmeticOperator
    public var operand: ValueFormula
    public init(_ op: ArithmeticOperator, _ operand: ValueFormula) { self.op = op; self.operand = operand }
}

/// How `sum`, `max` and `min` combine their values.
public enum Aggregate: String, Sendable, Hashable {
    case sum, max, min
}

/// Which events a pattern starts from.
public enum EventReference: Sendable, Hashable {
    /// Events with this name: a track call's `event`, or a page/screen call's `name`.
    case named(String)
    /// Any page or screen call.
    case page
    /// Any event.
    case any
}

/// Events of one kind, filtered by conditions, optionally within the last D before now.
public struct EventPattern: Sendable, Hashable {
    public var event: EventReference
    /// All must hold (`where A and B`).
    public var conditions: [EventCondition]
    /// `in last D`.
    public var window: RuleDuration?
    public var location: SourceLocation
    public init(event: EventReference, conditions: [EventCondition] = [], window: RuleDuration? = nil, location: SourceLocation) {
        self.event = event; self.conditions = conditions; self.window = window; self.location = location
    }
}

/// How many matching events `did` needs.
public enum Quantifier: Sendable, Hashable {
    case atLeast(Int)
    case atMost(Int)
    case exactly(Int)

    /// Whether `count` events satisfy it.
    @inlinable public func accepts(_ count: Int) -> Bool {
        switch self {
        case .atLeast(let n): return count >= n
        case .atMost(let n): return count <= n
        case .exactly(let n): return count == n
        }
    }
}

/// The rule of a segment: a condition on a person.
public indirect enum RuleExpression: Sendable, Hashable {
    /// `did PATTERN [at least|at most|exactly N times]`.
    case did(EventPattern, Quantifier)
    /// `did A then did B … within D`: each step strictly later than the previous, the last
    /// no later than D after the first.
    case sequence([EventPattern], within: RuleDuration, location: SourceLocation)
    /// `trait NAME OP VALUE` on the person's latest trait value.
    case trait(String, Comparison, location: SourceLocation)
    /// `in "Segment"`.
    case member(String, location: SourceLocation)
    /// `score OP number`.
    case score(String, ComparisonOperator, Double, location: SourceLocation)
    /// `A and B and …`: all hold (two or more operands, in source order; a chain is one node so
    /// that no pass over the tree recurses once per `and`).
    case and([RuleExpression])
    /// `A or B or …`: at least one holds (two or more operands, in source order).
    case or([RuleExpression])
    case not(RuleExpression)
}

/// An arithmetic operator of a score formula.
public enum ArithmeticOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
}

/// One `OP OPERAND` step of an arithmetic chain (`+ count("X")`).
public struct ArithmeticStep: Sendable, Hashable {
    public var op: ArithmeticOperator
    public var operand: ScoreExpression
    public init(_ op: ArithmeticOperator, _ operand: ScoreExpression) { self.op = op; self.operand = operand }
}

/// The formula of a score: a number per person.
public indirect enum ScoreExpression: Sendable, Hashable {
    case number(Double)
    /// `count(PATTERN)`: matching events.
    case count(EventPattern)
    /// `sum(PROP of PATTERN)`: the sum of a numeric property over matching events (others add 0).
    case sum(property: String, EventPattern)
    /// `count(products[] of PATTERN)`: the list elements of matching events (with the pattern's conditions
    /// on that list holding for the element itself).
    case countElements(array: String, EventPattern, location: SourceLocation)
    /// `sum(FORMULA of PATTERN)`, `max(…)`, `min(…)` over matching events, or over their list elements
    /// when the formula reads element paths. `max`/`min` of nothing are 0.
    case aggregate(Aggregate, ValueFormula, EventPattern, location: SourceLocation)
    /// `minutes_in(section "X" [in last D])`: dwell minutes on pages of that section.
    case minutesIn(section: String, window: RuleDuration?, location: SourceLocation)
    /// Another score.
    case score(String, location: SourceLocation)
    /// `FIRST OP OPERAND OP OPERAND …`, applied left to right: `a - b + c` is `(a - b) + c`.
    /// A chain of `+`/`-` has `*`/`/` chains as operands (precedence is in the structure); one
    /// node per chain, so that no pass over the tree recurses once per operator.
    /// Division by zero gives 0.
    case arithmetic(ScoreExpression, [ArithmeticStep])
    case negate(ScoreExpression)
}

/// `segment "Name": RULE`.
public struct SegmentDefinition: Sendable, Hashable {
    public var name: String
    /// The rule's source text exactly as written (from its first to its last token).
    public var rule: String
    /// Where the definition starts (its `segment` keyword).
    public var location: SourceLocation
    /// Where its name is written.
    public var nameLocation: SourceLocation
    public var expression: RuleExpression
}

/// `score name = FORMULA`.
public struct ScoreDefinition: Sendable, Hashable {
    public var name: String
    /// The formula's source text exactly as written.
    public var formula: String
    public var location: SourceLocation
    public var nameLocation: SourceLocation
    public var expression: ScoreExpression
}
