import EventStore
/// The address of one figure of the report: `consent.Personalization.coverage`,
/// `segment["Likely parent"].reachable.Personalization`, `weekly[-1].response_rate`.
///
/// The grammar and every name are documented in docs/ONCALL.md.
public struct FigurePath: Sendable, Equatable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Sendable, Equatable {
        /// `.name`: a field of the report, an alias, or a list entry by its name.
        case name(String)
        /// `["text"]`: a list entry (or map key) by its name, for names with spaces or dots.
        case key(String)
        /// `[n]`: a list entry by position, 0-based; negative counts from the end (`[-1]` is the last).
        case index(Int)
    }

    public var components: [Component]
    /// 1-based column of each component in the rule text (for error carets).
    public var columns: [Int]

    public init(components: [Component], columns: [Int] = []) {
        self.components = components
        self.columns = columns.count == components.count ? columns : Array(repeating: 1, count: components.count)
    }

    /// The path written back in canonical form (`segment["Likely parent"].size`).
    public var description: String { Self.text(components[...]) }

    /// The text of a prefix of the path (for messages such as "`consent` has no `X`").
    public func prefix(_ count: Int) -> String { Self.text(components.prefix(count)) }

    static func text(_ parts: ArraySlice<Component>) -> String {
        var out = ""
        for c in parts {
            switch c {
            case .name(let n): out += out.isEmpty ? n : "." + n
            case .key(let k): out += "[" + quote(k) + "]"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    /// A double-quoted string with `\` and `"` escaped (and control characters written as `\n`, `\t`, `\u{…}`).
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if UnsafeText.isUnsafe(u) { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

/// The right side of a rule.
public struct Threshold: Sendable, Equatable {
    /// How the threshold was written.
    public enum Kind: Sendable, Equatable {
        /// A plain number: `0.55`, `1000`, `-20`, `1e-3`.
        case number
        /// A percentage, stored divided by 100: `55%` is 0.55.
        case percent
        /// A duration, stored in seconds: `15m` is 900.
        case duration
    }

    /// The value compared with (seconds for a duration, a fraction for a percentage).
    public var value: Double
    public var kind: Kind
    /// The text as written (`15m`, `55%`).
    public var text: String

    public init(value: Double, kind: Kind, text: String) {
        self.value = value; self.kind = kind; self.text = text
    }
}

/// One threshold rule: `PATH OP VALUE` at a level.
public struct CheckRule: Sendable, Equatable {
    public var level: RuleLevel
    public var path: FigurePath
    public var op: RuleOperator
    public var threshold: Threshold
    /// The rule as written (without a `warn:`/`crit:` prefix or a comment), for messages.
    public var source: String
    /// Where it was written: `--rule 2`, `rules.txt:4`.
    public var origin: String

    public init(level: RuleLevel, path: FigurePath, op: RuleOperator, threshold: Threshold,
                source: String, origin: String) {
        self.level = level; self.path = path; self.op = op; self.threshold = threshold
        self.source = source; self.origin = origin
    }
}
