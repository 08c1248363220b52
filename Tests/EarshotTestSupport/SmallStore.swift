import Foundation

/// A small store written by one test: `store/events.jsonl` holding `lines`, a rules file `shop.segments` beside the
/// store (not inside it), and with `cache: true` a private (0700) `cache/` folder — all in a temporary directory
/// removed when the value goes away. The application-layer tests (a session, follow mode) share this layout.
public final class SmallStore {
    /// The segment most of these tests filter by: persons who viewed a product on the baby shelf.
    public static let babyRule = #"segment "Baby": did "Product Viewed" where shelf = "baby""# + "\n"

    public let dir: TempDir

    public init(_ prefix: String = "earshot-store", lines: [String], rules: String = SmallStore.babyRule,
                cache: Bool = false) {
        dir = TempDir(prefix)
        dir.write("store/events.jsonl", lines.joined(separator: "\n") + "\n")
        dir.write("shop.segments", rules)
        if cache {
            dir.mkdir("cache")
            try! FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir.path("cache"))
        }
    }

    /// The temporary directory holding the store, the rules and the cache.
    public var root: URL { URL(fileURLWithPath: dir.path) }
    /// The store's folder (what a test passes as the store path).
    public var storeDirectory: String { dir.path("store") }
    /// The store's one file.
    public var storeFile: URL { URL(fileURLWithPath: dir.path("store/events.jsonl")) }
    /// The rules file.
    public var rulesFile: URL { URL(fileURLWithPath: dir.path("shop.segments")) }
    /// The private cache folder (exists with `cache: true`).
    public var cacheDirectory: String { dir.path("cache") }

    /// Appends `lines` to the store's file (a store growing under a reader).
    public func append(_ lines: [String]) { appendToFile(storeFile.path, lines.joined(separator: "\n") + "\n") }
}
