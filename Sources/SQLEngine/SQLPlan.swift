/// What earshot hands to a SQL engine: the statements to run, in order, and which of them return rows.
///
/// The engine's driver registers the lines of the store as the view `earshot_lines` (columns `file` INT — earshot's
/// index of the file —, `block` BIGINT — the byte offset of the file split —, `rid` BIGINT — increasing within a
/// split —, `value` STRING — the line without its `\n`), then runs every statement in order: a view is registered
/// (and inlined where it is read), a table is computed once and materialised (the statements after it read its rows,
/// and their plans stay small), a result's rows are returned (``SQLStatement/Kind``). The statements return integer counts and sums only: rates, privacy guards and
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
        out += "-- (file INT, block BIGINT, rid BIGINT, value STRING); statements run in this order. A table is computed once\n"
        out += "-- (earshot's driver checkpoints it; here CACHE TABLE); later statements read its rows.\n"
        if !notComputed.isEmpty {
            out += "-- not computed by this engine: \(notComputed.joined(separator: ", "))\n"
        }
        for (name, why) in unsupportedSegments.sorted(by: { $0.key < $1.key }) {
            out += "-- segment \"\(name)\" is not compiled: \(why)\n"
        }
        for s in statements {
            out += "\n-- \(s.kind.rawValue): \(s.name)\n\(s.sql);\n"
        }
        return out
    }
}

/// One statement of a ``SQLPlan``: a view (inlined by the engine wherever it is read), a table (computed once and
/// materialised: later statements read the stored rows, not the query) or a result (its rows are returned).
///
/// Adding a figure: write a `SELECT` over the base tables (`es_valid`, `es_dedup`, `es_person`, `es_events`,
/// `es_consent_event`, … — see ``SparkSQLCompiler``) and append `SQLStatement.result("name", query)` to the plan;
/// ``EngineReport`` reads its rows by that name. A helper relation read by several results should be a
/// ``table(_:_:)``, not a ``view(_:_:)``: a view is planned and run again inside every statement that reads it.
public struct SQLStatement: Codable, Sendable, Equatable {
    /// What a statement does.
    public enum Kind: String, Codable, Sendable {
        /// `CREATE OR REPLACE TEMP VIEW name AS query`: a name for the query, inlined where it is read.
        case view
        /// A relation computed once and materialised (the driver checkpoints it; a SQL script says `CACHE TABLE`):
        /// later statements read its rows and the engine plans them without its query.
        case table
        /// A query whose rows the engine returns under ``name``.
        case result
    }

    /// A name: the view or table it creates, or the key of its rows in the result.
    public var name: String
    /// What the statement does with ``query``.
    public var kind: Kind
    /// The `SELECT` (or `WITH … SELECT`) the statement is made of.
    public var query: String

    public init(name: String, kind: Kind, query: String) { self.name = name; self.kind = kind; self.query = query }

    /// A view: `CREATE OR REPLACE TEMP VIEW name AS query`.
    public static func view(_ name: String, _ query: String) -> SQLStatement { SQLStatement(name: name, kind: .view, query: query) }
    /// A materialised table, computed once before the statements after it run.
    public static func table(_ name: String, _ query: String) -> SQLStatement { SQLStatement(name: name, kind: .table, query: query) }
    /// A result: the engine returns the query's rows under `name`.
    public static func result(_ name: String, _ query: String) -> SQLStatement { SQLStatement(name: name, kind: .result, query: query) }

    /// Whether the engine returns its rows.
    public var result: Bool { kind == .result }

    /// The statement as Spark SQL text, as a script for `spark-sql -f` runs it (a table is a `CACHE TABLE … AS`,
    /// which Spark computes eagerly and keeps in memory, then disk).
    public var sql: String {
        switch kind {
        case .view: return "CREATE OR REPLACE TEMP VIEW \(name) AS\n" + query
        case .table: return "CACHE TABLE \(name) OPTIONS ('storageLevel' 'MEMORY_AND_DISK') AS\n" + query
        case .result: return query
        }
    }
}

/// SQL dialects earshot writes.
public enum SQLDialect: String, Codable, Sendable, CaseIterable {
    /// Apache Spark SQL 4 (ANSI mode on: `try_` functions, `L` literals, VARIANT).
    case spark
}
