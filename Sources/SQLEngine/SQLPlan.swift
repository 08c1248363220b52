/// What earshot hands to a SQL engine: the statements to run, in order, and which of them return rows.
///
/// The engine's driver registers the lines of the store as the view `earshot_lines` (columns `file` INT — earshot's
/// index of the file —, `block` BIGINT — the byte offset of the file split —, `rid` BIGINT — increasing within a
/// split —, `value` STRING — the line without its `\n`), then runs every statement and returns the rows of those
/// marked ``SQLStatement/result``. The statements return integer counts and sums only: rates, privacy guards and
/// rendering stay in earshot (``EngineReport``).
public struct SQLPlan: Codable, Sendable, Equatable {
    /// The dialect the statements are written in.
    public var dialect: SQLDialect
    /// The statements, in the order they must run.
    public var statements: [SQLStatement]
    /// Figures of `report --format json` (dotted paths such as `feedback.channels`) that this plan does not compute:
    /// a report built from its results leaves them out and names them.
    public var notComputed: [String]
    /// Segments whose rule uses a construct the compiler does not translate (name → the construct).
    public var unsupportedSegments: [String: String]

    public init(dialect: SQLDialect, statements: [SQLStatement], notComputed: [String], unsupportedSegments: [String: String] = [:]) {
        self.dialect = dialect; self.statements = statements; self.notComputed = notComputed
        self.unsupportedSegments = unsupportedSegments
    }

    /// The statements as one SQL script (each ends with `;`, result statements are preceded by a `-- result: NAME`
    /// comment), as `earshot sql` prints it.
    public var script: String {
        var out = "-- earshot \(dialect.rawValue) SQL: the driver registers the store's lines as the view earshot_lines\n"
        out += "-- (file INT, block BIGINT, rid BIGINT, value STRING); statements run in this order.\n"
        if !notComputed.isEmpty {
            out += "-- not computed by this engine: \(notComputed.joined(separator: ", "))\n"
        }
        for (name, why) in unsupportedSegments.sorted(by: { $0.key < $1.key }) {
            out += "-- segment \"\(name)\" is not compiled: \(why)\n"
        }
        for s in statements {
            out += "\n-- \(s.result ? "result" : "view"): \(s.name)\n\(s.sql);\n"
        }
        return out
    }
}

/// One statement of a ``SQLPlan``.
public struct SQLStatement: Codable, Sendable, Equatable {
    /// A name: the view it creates, or the key of its rows in the result.
    public var name: String
    public var sql: String
    /// Whether the engine returns its rows.
    public var result: Bool
    public init(name: String, sql: String, result: Bool) { self.name = name; self.sql = sql; self.result = result }
}

/// SQL dialects earshot writes.
public enum SQLDialect: String, Codable, Sendable, CaseIterable {
    /// Apache Spark SQL 4 (ANSI mode on: `try_` functions, `L` literals, VARIANT).
    case spark
}
