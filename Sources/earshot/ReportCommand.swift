import ArgumentParser
import Analytics
import EarshotApp

/// `earshot report`: the whole analysis, printed as text, JSON or CSV.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print every figure (store, consent, feedback, NPS, weekly series, segments) as text, JSON, CSV or Prometheus metrics.",
        discussion: "The JSON schema is documented in docs/REPORT.md; every figure's definition in docs/DEFINITIONS.md."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv, prometheus
    }

    @OptionGroup var store: StoreOptions

    @OptionGroup var engine: EngineOptions

    @Option(name: .long, help: "Output format: text, json, csv or prometheus (text exposition format 0.0.4).")
    var format: Format = .text

    func run() throws {
        try reportingErrors {
            try engine.validate()
            if engine.engine == .spark {
                guard format == .json || format == .text else {
                    throw CLIError.usage("--engine spark prints --format json or text")
                }
                return try EngineReportRun.run(store: store, engine: engine, json: format == .json)
            }
            let bar = ProgressBar()
            let loaded = try store.load(progress: bar.update)
            bar.finish()
            let report = loaded.report()
            switch format {
            case .text: print(ReportRenderer.text(report), terminator: "")
            // JSON and CSV are written in pieces: a report of a million event names is never one text (#11.15).
            case .json:
                ReportRenderer.writeJSON(report) { print($0, terminator: "") }
                print()
            case .csv: ReportRenderer.writeCSV(report) { print($0, terminator: "") }
            case .prometheus: print(PrometheusRenderer.render(report), terminator: "")
            }
        }
    }
}
