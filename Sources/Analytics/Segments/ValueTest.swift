import EventStore

/// A comparison compiled against one table's interner: tests a ``PropValue`` without
/// touching strings. Missing, null and composite values, and values of another type than
/// the literal, never match (so `!=` is false for them too).
enum ValueTest: Sendable, Hashable {
    /// Never true (a value absent from the table, a column nobody sent…).
    case never
    /// Exactly one of these values (bit patterns): `=` and `in [..]`.
    case oneOf([UInt64])
    /// A value of this kind other than `bits` (any value of the kind when `bits` is nil): `!=`.
    case differs(PropValue.Kind, UInt64?)
    /// A number compared with this one.
    case number(ComparisonOperator, Double)
    /// A string whose interned id is in the set: `contains`, and `<`… on strings.
    case strings(IDSet)

    @inline(__always) func matches(_ v: PropValue) -> Bool {
        switch self {
        case .never: return false
        case .oneOf(let list):
            for b in list where b == v.bits { return true }
            return false
        case .differs(let kind, let bits):
            return v.kind == kind && v.bits != bits
        case .number(let op, let x):
            guard let d = v.number else { return false }
            switch op {
            case .less: return d < x
            case .lessOrEqual: return d <= x
            case .greater: return d > x
            case .greaterOrEqual: return d >= x
            case .equal: return d == x
            case .notEqual: return d != x
            case .contains, .in: return false
            }
        case .strings(let set):
            guard let id = v.stringID else { return false }
            return set.contains(id)
        }
    }

    /// Compiles a comparison against `strings`. With `caseInsensitive` (sections), string
    /// literals are lowercased; the compared values are already lowercase.
    init(_ c: Comparison, strings: Interner, caseInsensitive: Bool) {
        func text(_ s: String) -> String { caseInsensitive ? s.lowercased() : s }
        func bits(_ lit: RuleLiteral) -> UInt64? {
            switch lit {
            case .string(let s): return strings.lookup(text(s)).map { PropValue.string($0).bits }
            case .number(let d): return PropValue.number(d).bits
            case .bool(let b): return PropValue.bool(b).bits
            }
        }
        switch c.op {
        case .equal, .in:
            let list = c.values.compactMap(bits)
            self = list.isEmpty ? .never : .oneOf(list)
        case .notEqual:
            guard let lit = c.values.first else { self = .never; return }
            switch lit {
            case .string: self = .differs(.string, bits(lit))
            case .number(let d): self = .number(.notEqual, d)
            case .bool: self = .differs(.bool, bits(lit))
            }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            switch c.values.first {
            case .number(let d)?: self = .number(c.op, d)
            case .string(let s)?:
                let lit = text(s)
                let op = c.op
                self = .strings(IDSet(strings) { str in
                    switch op {
                    case .less: return str < lit
                    case .lessOrEqual: return str <= lit
                    case .greater: return str > lit
                    default: return str >= lit
                    }
                })
            default: self = .never
            }
        case .contains:
            guard case .string(let s)? = c.values.first else { self = .never; return }
            let lit = text(s)
            self = .strings(IDSet(strings) { str in lit.isEmpty || str.contains(lit) })
        }
    }
}

/// A set of interned string ids, as a bitset over the whole interner.
struct IDSet: Sendable, Hashable {
    private var words: [UInt64]

    init(_ strings: Interner, where predicate: (String) -> Bool) {
        words = Array(repeating: 0, count: (strings.count + 63) / 64)
        for i in 0 ..< strings.count where predicate(strings[Int32(i)]) { words[i >> 6] |= 1 << UInt64(i & 63) }
    }

    @inline(__always) func contains(_ id: Int32) -> Bool {
        let i = Int(id)
        return i >= 0 && i >> 6 < words.count && words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }
}
