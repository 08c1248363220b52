// swift-tools-version:6.1
import PackageDescription

// Layers, dependencies pointing down only:
//   EventStore → Analytics → Dashboard → Terminal → earshot (CLI)
//   EarshotApp (store sessions, caches, dashboard source) sits between the layers and the CLI
// CNcursesw/CursesShim are imported by Terminal alone; CZlib and CJSONScan by EventStore alone.
let package = Package(
    name: "earshot",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "earshot", targets: ["earshot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries from Debian (zlib1g-dev, libncursesw5-dev).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        // Tiny C shim: wraps ncurses macros and C globals (stdscr, COLS, COLOR_PAIR…)
        // so that Swift 6 strict concurrency stays on everywhere else.
        .target(name: "CursesShim", dependencies: ["CNcursesw"], path: "Sources/CursesShim"),

        // The JSON scanner's 16-byte byte-class tests (SSE2, header-only static inline C; a portable fallback).
        .target(name: "CJSONScan", path: "Sources/CJSONScan"),
        // 1. Files → events → compact columnar table.
        .target(name: "EventStore", dependencies: ["CZlib", "CJSONScan"]),
        // 2. Pure analytics: segment language, metrics, the Report value.
        .target(name: "Analytics", dependencies: ["EventStore"]),
        // 3. Pure dashboard: state, actions, update, views → in-memory screen buffer.
        .target(name: "Dashboard", dependencies: ["Analytics", "EventStore"]),
        // 4. The only code that touches ncurses.
        .target(name: "Terminal", dependencies: ["Dashboard", "CursesShim"]),
        // The configuration file (earshot.yaml, docs/CONFIG.md): YAML through Yams → plain values for the layers.
        .target(name: "EarshotConfig", dependencies: ["EventStore", "Analytics",
                                                      .product(name: "Yams", package: "Yams")]),
        // The same figures computed by a SQL engine (Spark SQL): the compiler, the spark-submit runner, the Report
        // assembled from the engine's integer results (docs/SCALE.md).
        .target(name: "SQLEngine", dependencies: ["Analytics", "EventStore"]),
        // Deterministic example store generator (used by `earshot example-data` and tests).
        .target(name: "ExampleGenerator", dependencies: ["CZlib"]),
        // The application layer: reading a store for a command (caches, rules, field selection), the dashboard's
        // data source (filtered reloads, follow mode), check's reference time. No flags, no terminal.
        // `--engine spark` runs (listing, spark-submit, the report from its results) live here too.
        .target(name: "EarshotApp", dependencies: ["EventStore", "Analytics", "Dashboard", "SQLEngine"]),
        // 5. The executable: flag parsing only.
        .executableTarget(name: "earshot", dependencies: [
            "EventStore", "Analytics", "Dashboard", "Terminal", "ExampleGenerator", "EarshotConfig", "EarshotApp", "SQLEngine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmark helper (bench/run.sh): segment evaluation and the dashboard key loop; not part of the tests.
        .executableTarget(name: "EarshotBench", dependencies: ["EventStore", "Analytics", "Dashboard", "EarshotApp"],
                          path: "bench/Sources/EarshotBench"),

        // What every test target shares: seeded random numbers, temporary directories, the subprocess runner and
        // binary finder, the golden-file check, the escape corpus (no product code: XCTest and Foundation only).
        .target(name: "EarshotTestSupport", path: "Tests/EarshotTestSupport"),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "EarshotTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "AnalyticsTests", dependencies: ["Analytics", "EventStore", "EarshotTestSupport"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Analytics", "EventStore", "EarshotTestSupport"],
                    exclude: ["__Snapshots__"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Dashboard", "EarshotTestSupport"]),
        .testTarget(name: "EarshotAppTests", dependencies: ["EarshotApp", "Dashboard", "Analytics", "EventStore", "SQLEngine",
                                                           "EarshotTestSupport"]),
        .testTarget(name: "EarshotConfigTests", dependencies: ["EarshotConfig", "Analytics", "EventStore", "EarshotTestSupport"]),
        .testTarget(name: "SQLEngineTests", dependencies: ["SQLEngine", "Analytics", "EventStore", "EarshotTestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "EarshotTests", dependencies: ["EventStore", "Analytics", "ExampleGenerator", "EarshotTestSupport"],
                    exclude: ["Golden"]),
    ]
)
