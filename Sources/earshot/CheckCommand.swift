import ArgumentParser
import Analytics
import EventStore
import Foundation

/// `earshot check`: threshold rules with Nagios/Icinga plugin output and exit codes.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check figures against thresholds; Nagios/Icinga plugin output and exit codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).",
        discussion: """
        A rule is FIGURE OP VALUE, e.g. 'consent.Personalization.coverage >= 0.55', 'store.last_event_age <= 15m',
        'segment["Likely parent"].reachable.Personalization >= 1000'. Operators: < <= > >= == !=. Values: numbers,
        percentages (55%) and durations (15m, 2h, 1d12h; compared in seconds). Figures are the numbers of
        `earshot report --format json` (docs/REPORT.md); paths and names are described in docs/ONCALL.md.
        --rule and --crit rules are critical when they fail, --warn rules warn. A rules file has one rule per line,
        optionally prefixed warn: or crit:, with # comments.
        Without --now the reference time is the wall clock (or the newest event, if that is later), so
        store.last_event_age measures how stale the store is.
        An unreadable store, a bad rule, an unknown figure or a figure without a value is UNKNOWN (exit 3).
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("A rule that is CRITICAL when it fails (repeatable).", valueName: "rule"))
    var rule: [String] = []

    @Option(name: .long, help: ArgumentHelp("Same as --rule: CRITICAL when it fails (repeatable).", valueName: "rule"))
    var crit: [String] = []

    @Option(name: .long, help: ArgumentHelp("A rule that is WARNING when it fails (repeatable).", valueName: "rule"))
    var warn: [String] = []

    @Option(name: .customLong("rules"),
            help: ArgumentHelp("A file of rules, one per line, `warn:`/`crit:` prefixes, # comments (repeatable).", valueName: "file"))
    var rulesFiles: [String] = []

    func run() throws {
        let (output, status) = CheckRun(command: self, wallClockMs: Int64(Date().timeIntervalSince1970 * 1000)).execute()
        FileHandle.standardOutput.write(Data(output.utf8))
        if status != .ok { throw ExitCode(status.exitCode) }
    }
}

/// One run of `earshot check`: rules → store → report → verdict. Every failure becomes UNKNOWN output.
struct CheckRun {
    let command: CheckCommand
    let wallClockMs: Int64

    func execute() -> (String, CheckStatus) {
        let rules: [CheckRule]
        do {
            rules = try parseRules()
        } catch let e as RuleError {
            return (NagiosOutput.unknown("bad rule: \(e.summary)", details: e.caretLines), .unknown)
        } catch {
            return (NagiosOutput.unknown("\(error)"), .unknown)
        }
        guard !rules.isEmpty else {
            return (NagiosOutput.unknown("no rules to check: give --rule, --warn, --crit or --rules FILE"), .unknown)
        }
        var loaded: LoadedStore
        do {
            loaded = try StoreSession.load(command.store, needsTable: command.store.now == nil)
        } catch let e as CLIError {
            return (NagiosOutput.unknown("cannot read the store: \(e.description)"), .unknown)
        } catch {
            return (NagiosOutput.unknown("cannot read the store: \(error)"), .unknown)
        }
        if command.store.now == nil, let table = loaded.table {
            // Staleness is measured against the wall clock; a newer event (a writer's clock ahead) wins.
            // A cached report was computed for another reference time, so it is neither used nor saved.
            loaded.options.now = max(wallClockMs, table.lastEventTime ?? wallClockMs)
            loaded.cachedReport = nil
            loaded.reportSlot = nil
        }
        let outcome = CheckEvaluator.evaluate(rules, report: loaded.report())
        return (NagiosOutput.render(outcome), outcome.status)
    }

    /// All rules: --rule, --crit, --warn (each numbered in its flag's order), then the rules files.
    func parseRules() throws -> [CheckRule] {
        var rules: [CheckRule] = []
        for (flag, texts, level) in [("--rule", command.rule, RuleLevel.critical), ("--crit", command.crit, .critical),
                                     ("--warn", command.warn, .warning)] {
            for (i, text) in texts.enumerated() {
                rules.append(try RuleParser.parse(text, level: level, origin: "\(flag) \(i + 1)"))
            }
        }
        for file in command.rulesFiles {
            rules += try RuleParser.parseFile(readRulesFile(file), fileName: file)
        }
        return rules
    }
}
