/// The compiled rules and score formulas flattened into arrays of instructions (docs/PERFORMANCE.md, "perf, session 6
/// (analysis)"), so that evaluating them for a person walks a buffer instead of a tree of indirect enums: walking the
/// tree retained and released every node it visited, for every person and every evaluation (~10 % of the samples of
/// a cold report at 1 GB were `swift_retain`/`swift_release`, most of them here).
///
/// A rule is a sequence of ``RuleInstruction``s that leave one truth value in a register: leaves set it, `and`/`or`
/// jump to their end as soon as an operand decides (the operand's value is the result, as in the tree), `not` flips
/// it. A score formula is postfix code on a small stack, applied left to right exactly as the tree's arithmetic
/// chain (`x = first; x = x OP operand …`), so every number is bit for bit the tree's.
struct SegmentCode: Sendable {
    /// Every segment's rule, one after the other; segment `s` starts at `ruleEntry[s]` and ends with `.end`.
    let rules: [RuleInstruction]
    let ruleEntry: [Int]
    /// Every score's formula, one after the other; score `s` is `scores[scoreEntry[s] ..< scoreEntry[s + 1]]`.
    let scores: [ScoreInstruction]
    let scoreEntry: [Int]
    /// The deepest the score stack gets (at least 1).
    let stackDepth: Int
    /// The trait tests, by ``RuleInstruction/b``.
    let tests: [ValueTest]
    /// The element key sets of list traits, by ``RuleInstruction/c``.
    let elementSets: [IDSet]

    init(segments: [BoolNode], scores: [NumberNode]) {
        var b = Builder()
        var ruleEntry: [Int] = []
        for node in segments {
            ruleEntry.append(b.rules.count)
            b.emit(node)
            b.rules.append(RuleInstruction(.end))
        }
        var scoreEntry: [Int] = []
        for node in scores {
            scoreEntry.append(b.scores.count)
            b.depth = 0
            b.emit(node)
        }
        scoreEntry.append(b.scores.count)
        rules = b.rules
        self.ruleEntry = ruleEntry
        self.scores = b.scores
        self.scoreEntry = scoreEntry
        stackDepth = max(1, b.maxDepth)
        tests = b.tests
        elementSets = b.elementSets
    }

    private struct Builder {
        var rules: [RuleInstruction] = []
        var scores: [ScoreInstruction] = []
        var tests: [ValueTest] = []
        var elementSets: [IDSet] = []
        var depth = 0
        var maxDepth = 0

        mutating func emit(_ n: BoolNode) {
            switch n {
            case .never: rules.append(RuleInstruction(.never))
            case .count(let a, let q):
                switch q {
                case .atLeast(let k): rules.append(RuleInstruction(.atLeast, a: a, n: k))
                case .atMost(let k): rules.append(RuleInstruction(.atMost, a: a, n: k))
                case .exactly(let k): rules.append(RuleInstruction(.exactly, a: a, n: k))
                }
            case .chain(let c): rules.append(RuleInstruction(.chain, a: c))
            case .trait(let key, let test):
                tests.append(test)
                rules.append(RuleInstruction(.trait, a: Int(key), b: tests.count - 1))
            case .traitList(let key, let elements, let test):
                tests.append(test)
                elementSets.append(elements)
                rules.append(RuleInstruction(.traitList, a: Int(key), b: tests.count - 1, c: elementSets.count - 1))
            case .member(let s): rules.append(RuleInstruction(.member, a: s))
            case .score(let s, let op, let x):
                let code: RuleOp
                switch op {
                case .equal: code = .scoreEqual
                case .notEqual: code = .scoreNotEqual
                case .less: code = .scoreLess
                case .lessOrEqual: code = .scoreLessOrEqual
                case .greater: code = .scoreGreater
                case .greaterOrEqual: code = .scoreGreaterOrEqual
                case .contains, .in: code = .never  // never true of a number (as `compare` in the tree)
                }
                rules.append(RuleInstruction(code, a: s, x: x))
            case .and(let operands): junction(operands, exitWhen: .jumpIfFalse, empty: .always)
            case .or(let operands): junction(operands, exitWhen: .jumpIfTrue, empty: .never)
            case .not(let a):
                emit(a)
                rules.append(RuleInstruction(.not))
            }
        }

        /// `and` / `or`: each operand but the last jumps to the end when it decides the result (its value is the
        /// result); the last operand's value is the result otherwise. No operands: `empty`.
        private mutating func junction(_ operands: [BoolNode], exitWhen jump: RuleOp, empty: RuleOp) {
            guard let last = operands.last else { rules.append(RuleInstruction(empty)); return }
            var exits: [Int] = []
            for o in operands.dropLast() {
                emit(o)
                exits.append(rules.count)
                rules.append(RuleInstruction(jump))
            }
            emit(last)
            for e in exits { rules[e].a = Int32(rules.count) }
        }

        mutating func emit(_ n: NumberNode) {
            switch n {
            case .constant(let x): push(ScoreInstruction(.constant, x: x))
            case .accumulator(let a): push(ScoreInstruction(.accumulator, a: a))
            case .microSum(let a): push(ScoreInstruction(.microSum, a: a))
            case .minutes(let a): push(ScoreInstruction(.minutes, a: a))
            case .extreme(let a): push(ScoreInstruction(.extreme, a: a))
            case .score(let s): push(ScoreInstruction(.score, a: s))
            case .arithmetic(let first, let steps):
                emit(first)
                for s in steps {
                    emit(s.operand)
                    let op: ScoreOp
                    switch s.op {
                    case .add: op = .add
                    case .subtract: op = .subtract
                    case .multiply: op = .multiply
                    case .divide: op = .divide
                    }
                    scores.append(ScoreInstruction(op))
                    depth -= 1
                }
            case .negate(let a):
                emit(a)
                scores.append(ScoreInstruction(.negate))
            }
        }

        private mutating func push(_ i: ScoreInstruction) {
            scores.append(i)
            depth += 1
            maxDepth = max(maxDepth, depth)
        }
    }
}

/// What a ``RuleInstruction`` does with the truth register.
enum RuleOp: UInt8, Sendable {
    case never, always
    /// The count of accumulator `a` is at least / at most / exactly `n`.
    case atLeast, atMost, exactly
    /// Chain `a` completed.
    case chain
    /// Trait key `a`'s latest value passes test `b`.
    case trait
    /// Some element (keys in element set `c`) of list trait `a`'s latest value passes test `b`.
    case traitList
    /// The person is in segment `a` (evaluated before, in dependency order).
    case member
    /// Score `a` compared with `x`.
    case scoreEqual, scoreNotEqual, scoreLess, scoreLessOrEqual, scoreGreater, scoreGreaterOrEqual
    /// Go to instruction `a` when the register is false / true (the junction is decided).
    case jumpIfFalse, jumpIfTrue
    case not
    /// The rule's value is the register.
    case end
}

/// One step of a flattened rule (32 bytes).
struct RuleInstruction: Sendable {
    var op: RuleOp
    var a: Int32
    var b: Int32
    var c: Int32
    var n: Int
    var x: Double

    init(_ op: RuleOp, a: Int = 0, b: Int = 0, c: Int = 0, n: Int = 0, x: Double = 0) {
        self.op = op
        self.a = Int32(truncatingIfNeeded: a)
        self.b = Int32(truncatingIfNeeded: b)
        self.c = Int32(truncatingIfNeeded: c)
        self.n = n
        self.x = x
    }
}

/// What a ``ScoreInstruction`` pushes or combines.
enum ScoreOp: UInt8, Sendable {
    /// Push `x`; accumulator `a`; accumulator `a` (ms) as minutes; exact sum `a` (millionths) as a number;
    /// `max`/`min` accumulator `a` (0 when nothing came); score `a`.
    case constant, accumulator, minutes, microSum, extreme, score
    /// Negate the top; combine the two top values (left OP right).
    case negate, add, subtract, multiply, divide
}

/// One step of a flattened score formula (16 bytes).
struct ScoreInstruction: Sendable {
    var op: ScoreOp
    var a: Int32
    var x: Double

    init(_ op: ScoreOp, a: Int = 0, x: Double = 0) {
        self.op = op
        self.a = Int32(truncatingIfNeeded: a)
        self.x = x
    }
}

/// What each segment's rule and each score's formula reads, as bits of one word (session 9): accumulator `a` is bit
/// `a` (its `Double` and its exact sum in millionths), chain `c` is bit `accumulators + c`, the person's traits as of
/// the end are bit `accumulators + chains`; a score or segment that reads another score or segment reads what that
/// one reads. A series evaluation (``SegmentEvaluator/members(asOf:)``) decides again only the segments and scores
/// whose inputs the pass touched (a row applied to or taken away from a use, a re-run, a deferred dwell, a trait entry
/// reached) since the person's previous decision: each is a pure function of its inputs, so the others keep their values.
struct DecisionInputs: Sendable {
    /// Per segment / per score: the input bits it reads.
    let segment: [UInt64]
    let score: [UInt64]
    /// The bit of the traits.
    let traitBit: UInt64

    /// Nil when the inputs do not fit in one word (the series then decides every segment when anything moved).
    init?(code: SegmentCode, accumulators: Int, chains: Int, segmentOrder: [Int], scoreOrder: [Int]) {
        guard accumulators + chains + 1 <= 64 else { return nil }
        traitBit = 1 << UInt64(accumulators + chains)
        var score = [UInt64](repeating: 0, count: code.scoreEntry.count - 1)
        for s in scoreOrder {
            var m: UInt64 = 0
            for pc in code.scoreEntry[s] ..< code.scoreEntry[s + 1] {
                let i = code.scores[pc]
                switch i.op {
                case .accumulator, .minutes, .microSum, .extreme: m |= 1 << UInt64(i.a)
                case .score: m |= score[Int(i.a)]
                case .constant, .negate, .add, .subtract, .multiply, .divide: break
                }
            }
            score[s] = m
        }
        var segment = [UInt64](repeating: 0, count: code.ruleEntry.count)
        for s in segmentOrder {
            var m: UInt64 = 0
            var pc = code.ruleEntry[s]
            loop: while true {
                let i = code.rules[pc]
                switch i.op {
                case .atLeast, .atMost, .exactly: m |= 1 << UInt64(i.a)
                case .chain: m |= 1 << UInt64(accumulators + Int(i.a))
                case .trait, .traitList: m |= 1 << UInt64(accumulators + chains)
                case .member: m |= segment[Int(i.a)]
                case .scoreEqual, .scoreNotEqual, .scoreLess, .scoreLessOrEqual, .scoreGreater, .scoreGreaterOrEqual:
                    m |= score[Int(i.a)]
                case .never, .always, .jumpIfFalse, .jumpIfTrue, .not: break
                case .end: break loop
                }
                pc += 1
            }
            segment[s] = m
        }
        self.segment = segment
        self.score = score
    }
}
