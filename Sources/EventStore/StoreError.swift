/// Why a store cannot be read at all. Each message is one line, written for the person who
/// typed the path. (Problems inside a file — malformed lines, corrupt gzip — are never errors:
/// they are counted in ``StoreStats``.)
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No path was given.
    case noPaths
    /// The path does not exist (or a component of it is not a directory).
    case notFound(path: String)
    /// The path exists but cannot be read (permission, …).
    case notReadable(path: String, reason: String)
    /// A directory holds no event files.
    case noEventFiles(directory: String)
    /// Reading a file failed half-way (an I/O error from the system).
    case readFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .noPaths:
            return "no store path given (name a file or a directory of event files)"
        case .notFound(let path):
            return "no such file or directory: \(printablePath(path))"
        case let .notReadable(path, reason):
            return "cannot read \(printablePath(path)): \(reason)"
        case .noEventFiles(let directory):
            return "no event files in directory \(printablePath(directory)) (searched recursively for "
                + StoreLocator.patterns.joined(separator: ", ") + " and for files whose content is gzip or starts with \"{\"; hidden files and folders are skipped)"
        case let .readFailed(path, reason):
            return "error while reading \(printablePath(path)): \(reason)"
        }
    }
}

/// A path safe to print on one terminal line: every character on ``UnsafeText``'s list shown as a `\u{…}` escape.
func printablePath(_ path: String) -> String {
    UnsafeText.escaped(path)
}
