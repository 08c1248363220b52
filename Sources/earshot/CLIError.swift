import ArgumentParser
import EarshotApp
import EventStore
import Foundation

/// An error the CLI reports as one readable message (never a stack trace) with a non-zero exit.
enum CLIError: Error, CustomStringConvertible {
    /// Bad flags or arguments (exit 2).
    case usage(String)
    /// The store, a rules file or a theme cannot be used (exit 1).
    case failed(String)

    var description: String {
        switch self {
        case .usage(let m), .failed(let m): return m
        }
    }

    var exitCode: Int32 {
        switch self {
        case .usage: return 2
        case .failed: return 1
        }
    }
}

/// Runs `body`, turning the application layer's ``AppError`` into ``CLIError/failed(_:)``.
func cliErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as AppError { throw CLIError.failed(e.message) }
}

/// Runs `body`, printing a CLIError as `earshot: error: …` on stderr and exiting with its code.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try cliErrors(body)
    } catch let e as CLIError {
        Stderr.write("earshot: error: \(e.description)\n")
        throw ExitCode(e.exitCode)
    }
}

/// Unbuffered writes to standard error.
enum Stderr {
    /// Writes a message: every character on ``UnsafeText``'s list but the line feed is written as a
    /// `\u{…}` escape, so that store-borne text in messages (file names, categories, theme names)
    /// can never drive the terminal.
    static func write(_ s: String) {
        writeRaw(UnsafeText.escaped(s, keepingNewlines: true))
    }

    /// Writes `s` as is: only for earshot's own control sequences (the progress bar).
    static func writeRaw(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
    static var isTerminal: Bool { isatty(2) == 1 }
}
