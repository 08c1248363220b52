import ArgumentParser
import Analytics
import EarshotApp
import EventStore
import Foundation
import SQLEngine

/// `earshot check`: threshold rules with Nagios/Icinga plugin output and exit codes.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check figures against thresholds; Nagios/Icinga plugin output and exit codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).",
        discussion: """
        A rule is FIGURE OP VALUE, e.g. 'consent.Personalization.coverage >= 0.55', 'store.last_event_age <= 15m', \
        'segment["Likely parent"].reachable.Personalization >= 1000'. Operators: < <= > >= == !=. Values: numbers, \
        percentages (55%) and durations (15m, 2h, 1d12h; compared in seconds). Figures are the numbers of \
        `earshot report --format json` (docs/REPORT.md); paths and names are described in docs/ONCALL.md. \
        --rule and --crit rules are critical when they fail, --warn rules warn. A rules file has one rule per line, \
        optionally prefixed warn: or crit:, with # comments.

        The store must be named: without a path the check is UNKNOWN (it never checks the example data).

        Reference time: without --now, check measures from the wall clock (or from the newest event, if that is \
        later), so store.last_event_age measures how stale the store is and `in last` segment windows move with real \
        time. `earshot report` and the dashboard measure from the newest event, so their figures can differ. The first \
        output line names the store and the reference time ("STORE as of TIME: …"), the last line how it was chosen; \
        pass the same --now to compare a check with a report.

        An unreadable store, a bad rule, an unknown figure, a figure without a value, a withheld figure or a bad flag \
        is UNKNOWN (exit 3); everything goes to standard output.

        With --engine spark the figures come from Spark (docs/SCALE.md): a rule on a figure Spark does not compute, \
        and any Spark error, is UNKNOWN.
        """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var engine: EngineOptions

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
        let (output, status) = CheckRun(command: self, wallClockMs: Int64(Date().timeIntervalSince1970) * 1000).execute()
        FileHandle.standardOutput.write(Data(output.utf8))
        if status != .ok { throw ExitCode(status.exitCode) }
    }
}

/// One run of `earshot check`: rules → store → report → verdict. Every failure becomes UNKNOWN output,
/// whose first line names the store and the reference time (`… - STORE as of TIME: …`).
struct CheckRun {
    let command: CheckCommand
    let wallClockMs: Int64

    func execute() -> (String, CheckStatus) {
        guard !command.store.paths.isEmpty else {
            return (NagiosOutput.unknown("no store given: name the store to check (earshot check PATH --rule RULE); "
                                         + "a check never falls back to the example data"), .unknown)
        }
        let storeName = command.store.paths.joined(separator: " ")
        // Until the store is read, the reference time is --now or the wall clock.
        var reference = ReferenceTime.check(now: command.store.now?.milliseconds, wallClockMs: wallClockMs)
        func unknown(_ message: String, details: [String] = []) -> (String, CheckStatus) {
            (NagiosOutput.unknown(message, details: details, subject: subject(storeName, reference)), .unknown)
        }
        let rules: [CheckRule]
        do {
            rules = try parseRules()
        } catch let e as RuleError {
            return unknown("bad rule: \(e.summary)", details: e.caretLines)
        } catch {
            return unknown("\(error)")
        }
        guard !rules.isEmpty else {
            return unknown("no rules to check: give --rule, --warn, --crit or --rules FILE")
        }
        if command.engine.engine == .spark { return executeWithSpark(rules, storeName: storeName) }
        do { try command.engine.validate() } catch { return unknown("\(error)") }
        var loaded: LoadedStore
        do {
            loaded = try command.store.load(needsTable: command.store.now == nil)
        } catch let e as CLIError {
            return unknown("cannot read the store: \(e.description)")
        } catch {
            return unknown("cannot read the store: \(error)")
        }
        if command.store.now == nil { reference = ReferenceTime.check(store: &loaded, wallClockMs: wallClockMs) }
        let outcome = CheckEvaluator.evaluate(rules, report: loaded.report())
        return (NagiosOutput.render(outcome, subject: subject(storeName, reference), details: [reference.line]),
                outcome.status)
    }

    /// `check --engine spark`: the figures from Spark; a rule on a figure Spark does not compute is UNKNOWN (never
    /// evaluated on an empty figure), as is every usage or engine error.
    func executeWithSpark(_ rules: [CheckRule], storeName: String) -> (String, CheckStatus) {
        var reference = ReferenceTime.check(now: command.store.now?.milliseconds, wallClockMs: wallClockMs)
        let outcome: SparkOutcome, checked: CheckOutcome
        do {
            let request = try command.engine.sparkRequest(store: command.store)
            (checked, outcome, reference) = try SparkEngine.check(rules, request: request, now: command.store.now?.milliseconds,
                                                                  wallClockMs: wallClockMs)
        } catch let e as AppError {
            return (NagiosOutput.unknown("spark: \(e.message)", subject: subject(storeName, reference)), .unknown)
        } catch {
            return (NagiosOutput.unknown("\(error)", subject: subject(storeName, reference)), .unknown)
        }
        return (NagiosOutput.render(checked, subject: subject(storeName, reference),
                                    details: [reference.line, outcome.headerNote + " (" + outcome.origin.master + ")"]),
                checked.status)
    }

    /// `STORE as of TIME`, the start of the status line.
    func subject(_ store: String, _ reference: ReferenceTime) -> String {
        "\(store) as of \(ReferenceTime.iso(reference.ms))"
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
            rules += try RuleParser.parseFile(cliErrors { try StoreSession.readRulesFile(file) }, fileName: file)
        }
        return rules
    }
}
