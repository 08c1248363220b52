import ArgumentParser
import Analytics
import EventStore

// Values of flags, parsed by the argument parser itself: a bad value is a usage error from the
// library's usage machinery (with the flag's help and the usage line), exit 2 (64 for nothing).

/// A positive duration such as `7d`, `36h`, `90m`, `1d12h` (`--window`).
struct DurationArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// The duration in milliseconds (> 0).
    var milliseconds: Int64
    /// The text as given.
    var text: String

    init?(argument: String) {
        guard let ms = parseDuration(argument), ms > 0 else { return nil }
        milliseconds = ms; text = argument
    }

    var description: String { text }
    var defaultValueDescription: String { text }
}

/// An ISO-8601 time with a zone (`--now 2026-11-20T00:00:00Z`).
struct TimeArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// Milliseconds since the epoch (UTC).
    var milliseconds: Int64
    /// The text as given.
    var text: String

    init?(argument: String) {
        guard let ms = try? ISO8601Time.milliseconds(argument) else { return nil }
        milliseconds = ms; text = argument
    }

    var description: String { text }
}

/// A count of persons that is 0 or more (`--min-cohort`).
struct CohortArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    var value: Int

    init(_ value: Int) { self.value = value }

    init?(argument: String) {
        guard let v = Int(argument), v >= 0 else { return nil }
        value = v
    }

    var description: String { String(value) }
    var defaultValueDescription: String { String(value) }
}

/// A screen size `COLSxROWS`, 40x10 to 400x200 (`snapshot --size`).
struct ScreenSizeArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    static let columns = 40...400
    static let rows = 10...200

    var width: Int
    var height: Int

    init(width: Int, height: Int) { self.width = width; self.height = height }

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]),
              Self.columns.contains(w), Self.rows.contains(h) else { return nil }
        width = w; height = h
    }

    var description: String { "\(width)x\(height)" }
    var defaultValueDescription: String { description }
}

/// Seconds from 1 to 3600 (`demo --step`).
struct StepSecondsArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    var seconds: Double

    init(_ seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        guard let s = Double(argument), s.isFinite, s >= 1, s <= 3600 else { return nil }
        seconds = s
    }

    var description: String { CheckFormat.plain(seconds) }
    var defaultValueDescription: String { description }
}
