import EventStore

/// One condition on list elements, resolved against a table: the element values of its path
/// (nil: no element ever had the path) and its test.
struct ElementTest {
    var values: [PropValue]?
    var test: ValueTest

    @inline(__always) func matches(_ e: Int) -> Bool {
        guard let values else { return false }
        return test.matches(values[e])
    }
}

/// The conditions of one filter on one list (`products[]`), resolved against a table.
///
/// - The non-`every` conditions must all hold for the **same** element (some element).
/// - Each `every` condition must hold for every element of a non-empty list.
struct ListTests {
    /// The list's column (nil: no event ever carried the list).
    let column: ArrayColumn?
    let some: [ElementTest]
    let every: [ElementTest]

    init(array: String, conditions: [(comparison: Comparison, path: String, every: Bool)], table: EventTable) {
        let column = table.arrays[array]
        self.column = column
        func test(_ c: (comparison: Comparison, path: String, every: Bool)) -> ElementTest {
            ElementTest(values: column?.values[c.path], test: ValueTest(c.comparison, strings: table.strings, caseInsensitive: false))
        }
        some = conditions.filter { !$0.every }.map(test)
        every = conditions.filter(\.every).map(test)
    }

    /// Whether element `e` satisfies all the non-`every` conditions.
    @inline(__always) func elementMatches(_ e: Int) -> Bool {
        for t in some where !t.matches(e) { return false }
        return true
    }

    /// Whether row `r` satisfies the conditions.
    func rowMatches(_ r: Int) -> Bool {
        guard let column else { return false }
        let range = column.elements(ofRow: r)
        if !some.isEmpty && !range.contains(where: elementMatches) { return false }
        for t in every {
            if range.isEmpty { return false }
            for e in range where !t.matches(e) { return false }
        }
        return true
    }
}

/// A ``ValueFormula`` resolved against a table: computes a number per row, or per element of one list.
///
/// A path's value is its number; any other value (missing, null, text…) makes the whole formula absent,
/// except that a path whose last key is `quantity` counts as 1 when it is not a number (Segment's e-commerce
/// spec: a product without `quantity` is one item).
struct ResolvedFormula {
    indirect enum Node {
        case rowColumn(PropertyColumn?, quantity: Bool)
        case elementColumn([PropValue]?, quantity: Bool)
        case number(Double)
        case arithmetic(Node, [(ArithmeticOperator, Node)])
        case negate(Node)
    }
    let root: Node

    init(_ f: ValueFormula, table: EventTable, array: String?) {
        let column = array.flatMap { table.arrays[$0] }
        func resolve(_ f: ValueFormula) -> Node {
            switch f {
            case .path(let p):
                let quantity = p == "quantity" || p.hasSuffix(".quantity")
                if elementArray(p) != nil { return .elementColumn(column?.values[p], quantity: quantity) }
                return .rowColumn(table.column(p), quantity: quantity)
            case .number(let x): return .number(x)
            case .arithmetic(let first, let steps): return .arithmetic(resolve(first), steps.map { ($0.op, resolve($0.operand)) })
            case .negate(let a): return .negate(resolve(a))
            }
        }
        root = resolve(f)
    }

    /// The value at row `r` (and element `e` for element paths), or nil when absent or not finite (``ScoreSum``).
    func value(row r: Int, element e: Int) -> Double? {
        guard let x = rawValue(row: r, element: e), x.isFinite else { return nil }
        return x
    }

    private func rawValue(row r: Int, element e: Int) -> Double? {
        func eval(_ n: Node) -> Double? {
            switch n {
            case .rowColumn(let c, let q):
                if let x = c?[r].number { return x }
                return q ? 1 : nil
            case .elementColumn(let c, let q):
                if let x = c?[e].number { return x }
                return q ? 1 : nil
            case .number(let x): return x
            case .arithmetic(let first, let steps):
                guard var x = eval(first) else { return nil }
                for (op, operand) in steps {
                    guard let y = eval(operand) else { return nil }
                    switch op {
                    case .add: x += y
                    case .subtract: x -= y
                    case .multiply: x *= y
                    case .divide: x = y == 0 ? 0 : x / y
                    }
                }
                return x
            case .negate(let a): return eval(a).map { -$0 }
            }
        }
        return eval(root)
    }
}

extension EventPattern {
    /// The pattern's conditions on list `array`, in the form ``ListTests`` takes.
    func listConditions(_ array: String) -> [(comparison: Comparison, path: String, every: Bool)] {
        conditions.compactMap { c in
            guard c.array == array, case .property(let path) = c.subject else { return nil }
            return (c.comparison, path, c.every)
        }
    }
}

/// Per-row numbers of an element score (`count(products[] of …)`, `sum(products[].price … of …)`), as a column:
/// rows without a value are `.missing` (a sum adds nothing, `max`/`min` skip them).
func elementScoreColumn(count array: String, _ p: EventPattern, table: EventTable) -> [PropValue] {
    let tests = ListTests(array: array, conditions: p.listConditions(array).filter { !$0.every }, table: table)
    guard let column = tests.column else { return [PropValue](repeating: .missing, count: table.count) }
    return (0 ..< table.count).map { r in
        var n = 0
        for e in column.elements(ofRow: r) where tests.elementMatches(e) { n += 1 }
        return .number(Double(n))
    }
}

/// Per-row sums of `sum`'s formula in millionths (``ScoreSum``): per event, or added over the matching elements of
/// its list (each element's value rounded on its own). Rows without a value hold 0.
func aggregateSumColumn(_ f: ValueFormula, _ p: EventPattern, table: EventTable) -> [Int128] {
    let array = f.paths.lazy.compactMap(elementArray).first
    let formula = ResolvedFormula(f, table: table, array: array)
    guard let array else {
        return (0 ..< table.count).map { r in formula.value(row: r, element: 0).flatMap(ScoreSum.micro).map { Int128($0) } ?? 0 }
    }
    let tests = ListTests(array: array, conditions: p.listConditions(array).filter { !$0.every }, table: table)
    var out = [Int128](repeating: 0, count: table.count)
    guard let column = tests.column else { return out }
    // Only the rows that carry the list have elements to add (at 1 GB: the orders, a few percent of the rows).
    out.withUnsafeMutableBufferPointer { o in
        column.start.withUnsafeBufferPointer { start in
            for r in 0 ..< min(o.count, start.count - 1) where start[r] != start[r + 1] {
                var acc: Int128 = 0
                for e in Int(start[r]) ..< Int(start[r + 1]) where tests.elementMatches(e) {
                    if let x = formula.value(row: r, element: e), let m = ScoreSum.micro(x) { acc += Int128(m) }
                }
                o[r] = acc
            }
        }
    }
    return out
}

/// Per-row values of `max`/`min`'s formula: per event, or combined over the matching elements of its list.
func aggregateColumn(_ kind: Aggregate, _ f: ValueFormula, _ p: EventPattern, table: EventTable) -> [PropValue] {
    let array = f.paths.lazy.compactMap(elementArray).first
    let formula = ResolvedFormula(f, table: table, array: array)
    guard let array else {
        return (0 ..< table.count).map { r in formula.value(row: r, element: 0).map(PropValue.number) ?? .missing }
    }
    let tests = ListTests(array: array, conditions: p.listConditions(array).filter { !$0.every }, table: table)
    guard let column = tests.column else { return [PropValue](repeating: .missing, count: table.count) }
    return (0 ..< table.count).map { r in
        var acc: Double?
        for e in column.elements(ofRow: r) where tests.elementMatches(e) {
            guard let x = formula.value(row: r, element: e) else { continue }
            switch kind {
            case .sum: acc = (acc ?? 0) + x  // sums use aggregateSumColumn
            case .max: acc = Swift.max(acc ?? x, x)
            case .min: acc = Swift.min(acc ?? x, x)
            }
        }
        return acc.map(PropValue.number) ?? .missing
    }
}
