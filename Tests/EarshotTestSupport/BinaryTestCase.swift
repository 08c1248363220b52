import Foundation
import XCTest

/// A test case that runs the built `earshot`: a fresh directory `dir` and a cache home of its own per test, the
/// binary found once (a test fails, not skips, without it), and ``run(_:in:)`` through the shared runner.
open class BinaryTestCase: XCTestCase {
    /// This test's directory (removed afterwards).
    public var dir: TempDir!
    /// This test's `XDG_CACHE_HOME`.
    public var cache: TempDir!
    /// The `earshot` executable.
    public var earshot: String!

    open override func setUpWithError() throws {
        try super.setUpWithError()
        earshot = try Binary.requireEarshot()
        dir = TempDir()
        cache = TempDir("earshot-test-cache")
    }

    open override func tearDown() {
        dir = nil
        cache = nil
        super.tearDown()
    }

    /// This process's environment with the test's cache home.
    public var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = cache.path
        return env
    }

    /// `earshot args` (in `directory` when given), killed after 60 s.
    public func run(_ args: [String], in directory: String? = nil) throws -> Binary.Result {
        try Binary.run(earshot, args, environment: environment, in: directory, timeout: 60)
    }
}
