import CursesShim
import Foundation

/// Why the interactive dashboard cannot run here.
public enum TerminalUnavailable: Error, Equatable, Sendable, CustomStringConvertible {
    /// `TERM` is not set.
    case termUnset
    /// `TERM=dumb` (or another terminal that cannot address the cursor).
    case dumbTerminal(String)
    /// Standard output is not a terminal (a pipe or a file).
    case outputNotTerminal
    /// Standard input is not a terminal, so keys cannot be read.
    case inputNotTerminal
    /// No terminfo entry for `TERM`.
    case unknownTerminal(String)

    /// The short reason, as shown in parentheses after "earshot's dashboard needs a terminal".
    public var reason: String {
        switch self {
        case .termUnset: return "TERM is not set"
        case .dumbTerminal(let term): return "TERM=\(quoted(term))"
        case .outputNotTerminal: return "standard output is not a terminal"
        case .inputNotTerminal: return "standard input is not a terminal"
        case .unknownTerminal(let term): return "no terminfo entry for TERM=\(quoted(term))"
        }
    }

    /// The whole message for people, with the way out.
    public var description: String {
        "earshot's dashboard needs a terminal (\(reason)); use `earshot report` instead"
    }
}

/// What the terminal can do, found before the screen starts.
public struct TerminalCapabilities: Equatable, Sendable {
    /// The `TERM` value.
    public var term: String
    /// Whether the locale's character set is UTF-8 (after `setlocale(LC_ALL, "")`).
    public var utf8: Bool
    /// The color count from the terminfo entry (0 when it declares none).
    public var terminfoColors: Int

    public init(term: String, utf8: Bool, terminfoColors: Int) {
        self.term = term; self.utf8 = utf8; self.terminfoColors = terminfoColors
    }

    /// Checks the real process: `TERM`, whether stdin/stdout are terminals, the terminfo entry and
    /// the locale. Sets the process locale from the environment (`setlocale(LC_ALL, "")`).
    public static func check(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<TerminalCapabilities, TerminalUnavailable> {
        let stdoutIsTTY = earshot_isatty(1) == 1
        let stdinIsTTY = earshot_isatty(0) == 1
        if let problem = precheck(term: environment["TERM"], stdoutIsTerminal: stdoutIsTTY,
                                  stdinIsTerminal: stdinIsTTY) {
            return .failure(problem)
        }
        let term = environment["TERM"] ?? ""
        let colors = Int(earshot_terminfo_colors(term))
        if colors == -2 { return .failure(.unknownTerminal(term)) }
        let codeset = String(cString: earshot_locale_codeset())
        return .success(TerminalCapabilities(term: term, utf8: isUTF8(codeset: codeset),
                                             terminfoColors: max(0, colors)))
    }

    /// The checks that need no terminfo: a pure function of `TERM` and whether stdin/stdout are terminals.
    public static func precheck(term: String?, stdoutIsTerminal: Bool, stdinIsTerminal: Bool) -> TerminalUnavailable? {
        guard let term, !term.isEmpty else { return .termUnset }
        if term == "dumb" || term == "unknown" { return .dumbTerminal(term) }
        if !stdoutIsTerminal { return .outputNotTerminal }
        if !stdinIsTerminal { return .inputNotTerminal }
        return nil
    }

    /// Whether a `nl_langinfo(CODESET)` value names UTF-8 (`UTF-8`, `utf8`, …).
    public static func isUTF8(codeset: String) -> Bool {
        let normalized = codeset.lowercased().filter { $0 != "-" && $0 != "_" }
        return normalized == "utf8"
    }
}
