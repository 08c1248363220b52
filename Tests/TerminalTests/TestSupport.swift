import Foundation

/// The repository root, found from this file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The shipped Themes directory.
let themesDirectory: String = repositoryRoot.appendingPathComponent("Themes").path
