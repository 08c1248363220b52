import ArgumentParser
import Analytics
import EventStore
import Foundation

/// `earshot cache`: where the cache lives and how big it is; `earshot cache clear` empties it.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show or clear earshot's cache of read tables and finished reports.",
        discussion: """
        The cache lives in $XDG_CACHE_HOME/earshot (default ~/.cache/earshot), never inside a store. Entries not \
        used for \(CacheJanitor.unusedDays) days are removed whenever a command that uses the cache starts.
        """,
        subcommands: [Info.self, Clear.self],
        defaultSubcommand: Info.self
    )

    /// The cache directory, or an error when neither XDG_CACHE_HOME nor HOME is set, or when the directory is not
    /// one earshot trusts (another owner, writable by others, a link): then earshot neither reads nor removes anything.
    static func directory() throws -> String {
        guard let dir = StoreCache.defaultDirectory() else {
            throw CLIError.failed("no cache directory: neither XDG_CACHE_HOME nor HOME is set")
        }
        if let refusal = StoreCache(directory: dir).prepare(), !refusal.isUnavailable {
            throw CLIError.failed(refusal.description + "; nothing was changed")
        }
        return dir
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Print the cache directory, its entries and their size.")

        func run() throws {
            try reportingErrors {
                let dir = try CacheCommand.directory()
                // A sweep far in the past removes nothing and counts everything.
                let n = CacheJanitor.sweep(directory: dir, nowSeconds: Int64.min / 2)
                print("\(DisplayText.sanitize(dir)): \(n.keptFiles) entries, \(ProgressBar.bytes(n.keptBytes)) "
                      + "(entries unused for \(CacheJanitor.unusedDays) days are removed automatically)")
            }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Remove every cache entry.")

        func run() throws {
            try reportingErrors {
                let dir = try CacheCommand.directory()
                let n = CacheJanitor.sweep(directory: dir, nowSeconds: Int64(Date().timeIntervalSince1970), all: true)
                print("removed \(n.removedFiles) entries (\(ProgressBar.bytes(n.removedBytes))) from \(DisplayText.sanitize(dir))")
            }
        }
    }
}
