/// The outcome of a check, as monitoring systems (Nagios, Icinga, Sensu, …) understand it.
public enum CheckStatus: Int, Sendable, Comparable, CaseIterable {
    case ok = 0
    case warning = 1
    case critical = 2
    case unknown = 3

    /// The word of the status line: `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
    public var label: String {
        switch self {
        case .ok: "OK"
        case .warning: "WARNING"
        case .critical: "CRITICAL"
        case .unknown: "UNKNOWN"
        }
    }

    /// The process exit status of the plugin convention: 0, 1, 2, 3.
    public var exitCode: Int32 { Int32(rawValue) }

    /// How bad it is, for combining results: OK < WARNING < UNKNOWN < CRITICAL.
    ///
    /// A rule whose figure cannot be evaluated hides what it watches, so it outranks a warning;
    /// a failed critical rule is a known problem and outranks everything (as Icinga orders states).
    public var severity: Int {
        switch self {
        case .ok: 0
        case .warning: 1
        case .unknown: 2
        case .critical: 3
        }
    }

    public static func < (a: CheckStatus, b: CheckStatus) -> Bool { a.severity < b.severity }
}

/// How serious a rule is: what its failure turns into.
public enum RuleLevel: String, Sendable, Equatable, CaseIterable {
    /// `--warn RULE` or `warn:` in a rules file: a failure is WARNING.
    case warning
    /// `--crit RULE`, `--rule RULE` or `crit:` (the default): a failure is CRITICAL.
    case critical

    /// The status of a failed rule of this level.
    public var failureStatus: CheckStatus { self == .warning ? .warning : .critical }
}
