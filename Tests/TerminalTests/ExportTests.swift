import XCTest
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import EventStore
import Analytics
import Dashboard
@testable import Terminal
import EarshotTestSupport

/// Exports (`e`, `earshot snapshot`): golden files of every view at 120×40, well-formed HTML and SVG, and no
/// personal data from a store full of it.
final class ExportTests: XCTestCase {
    /// Where the golden exports live (outside the test target's folder, so SwiftPM does not treat them as sources).
    static let goldenDirectory = repositoryRoot.appendingPathComponent("Tests/Goldens/exports")

    /// Personal data planted in every text of the report that the dashboard shows.
    static let planted = [
        "anna.schmidt@example.com", "+49 170 1234512", "192.168.17.42", "2001:db8::ff00:42", "Becker",
        "liam@example.org", "0170 9876543", "Hauptstraße 5", "jonas@example.net", "Mia Sommer",
    ]

    /// A report full of personal data and small counts, as a careless store and rules file would give.
    static func piiReport() -> Report {
        var r = Report(now: "2026-03-01T14:02:11.000Z")
        r.store.files = 2; r.store.lines = 5_030; r.store.events = 5_000; r.store.malformed = 2; r.store.persons = 640
        r.store.malformedShare = 2.0 / 5_030
        r.store.firstEvent = "2026-01-05T08:00:00.000Z"; r.store.lastEvent = "2026-03-01T14:02:11.000Z"
        r.store.lastEventAgeSeconds = 0
        r.store.fileList = [FileStats(path: "exports/anna.schmidt@example.com/events.jsonl", bytes: 812_000, lines: 5_000,
                                      events: 4_980, duplicates: 0, malformed: 2),
                            FileStats(path: "exports/192.168.17.42/chat.jsonl", bytes: 3_100, lines: 30, events: 20,
                                      duplicates: 0, malformed: 0)]
        r.store.malformedLines = [
            MalformedLineReport(file: "exports/anna.schmidt@example.com/events.jsonl", line: 12,
                                reason: "\"timestamp\" is not a valid time: call +49 170 1234512: no zone"),
            MalformedLineReport(file: "exports/192.168.17.42/chat.jsonl", line: 3, reason: "invalid JSON near liam@example.org"),
        ]
        r.store.warnings = ["prompts from 2001:db8::ff00:42 name an unknown time zone"]
        r.consent.persons = 640; r.consent.events = 5_000; r.consent.eventsWithoutConsent = 3; r.consent.eventsConsentUnknown = 40
        r.consent.categories = [
            CategoryCoverage(name: "Analytics", granted: 600, denied: 37, unknown: 3, coverage: 600.0 / 640),
            CategoryCoverage(name: "Marketing", granted: 2, denied: 300, unknown: 338, coverage: 2.0 / 640),
        ]
        func loop(_ channel: String, _ survey: String?, _ prompts: Int, _ answered: Int, _ persons: Int, _ pa: Int) -> LoopStats {
            var l = LoopStats(channel: channel, surveyID: survey)
            l.prompts = prompts; l.answered = answered; l.responseRate = Double(answered) / Double(prompts)
            l.personsPrompted = persons; l.personsAnswered = pa; l.personResponseRate = Double(pa) / Double(persons)
            l.dismissed = prompts / 10; l.dismissalRate = Double(prompts / 10) / Double(prompts); l.medianSecondsToAnswer = 300
            return l
        }
        r.feedback.channels = [loop("chat", nil, 400, 180, 300, 150), loop("sms to 0170 9876543", nil, 4, 1, 3, 1)]
        r.feedback.surveys = [loop("chat", "nps for jonas@example.net", 400, 180, 300, 150),
                              loop("sms to 0170 9876543", "delivery", 4, 1, 3, 1)]
        r.feedback.total = loop("all", nil, 404, 181, 303, 151)
        r.feedback.nps = NPSStats.from(promoters: 90, passives: 50, detractors: 3)
        r.feedback.npsBySurvey = ["nps for jonas@example.net": NPSStats.from(promoters: 90, passives: 50, detractors: 3)]
        r.feedback.hourWeekday = (1...5).flatMap { d in
            (9...18).map { h in HourWeekdayCell(weekday: d, hour: h, prompts: h == 12 ? 3 : 8, answered: h == 12 ? 1 : 4,
                                                responseRate: h == 12 ? 1.0 / 3 : 0.5) }
        }
        r.weekly = (1...8).map { i in
            WeekPoint(week: "2026-W0\(i + 1)", personsSeen: 300 + 20 * i, prompts: 50, answered: 22, responseRate: 0.44,
                      consentCoverage: ["Analytics": 0.9, "Marketing": 0.004])
        }
        r.eventNames = [EventNameCount(name: "Order Completed", count: 900, known: true),
                        EventNameCount(name: "Refund for liam@example.org", count: 1, known: false),
                        EventNameCount(name: "Callback +49 170 1234512", count: 2, known: false)]
        func seg(_ name: String, _ rule: String, _ size: Int, _ reach: [String: Int]) -> SegmentReport {
            SegmentReport(name: name, rule: rule, size: size, share: Double(size) / 640, reachable: reach,
                          weekly: (1...8).map { SegmentWeek(week: "2026-W0\($0 + 1)", size: size * $0 / 8) },
                          feedback: [], nps: NPSStats())
        }
        r.segments = [
            seg("Buyers", "event \"Order Completed\" in last 30d", 410, ["Analytics": 390, "Marketing": 2]),
            seg("Anna's friends anna.schmidt@example.com", "trait email = \"anna.schmidt@example.com\"", 3,
                ["Analytics": 3, "Marketing": 0]),
            seg("Family", "trait lastName = \"Becker\" or trait address.street = \"Hauptstraße 5\"", 12,
                ["Analytics": 12, "Marketing": 1]),
            seg("Office", "trait ip = \"192.168.17.42\" or trait name = \"Mia Sommer\"", 48, ["Analytics": 40, "Marketing": 0]),
        ]
        r.overlap = [SegmentOverlap(a: "Buyers", b: "Family", size: 4), SegmentOverlap(a: "Buyers", b: "Office", size: 30)]
        return r
    }

    static func data() -> DashboardData {
        DashboardData(report: Privacy.publish(piiReport(), policy: .standard), sourceDescription: "exports/", loadSeconds: 0.5)
    }

    static func presentation() throws -> ExportPalette {
        ExportPalette(theme: try Theme.load(nameOrPath: "presentation", themesDirectory: themesDirectory))
    }

    func golden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        GoldenFile.check(text, at: Self.goldenDirectory.appendingPathComponent(name), filter: "ExportTests", file: file, line: line)
    }

    func testEveryViewMatchesItsGoldenFiles() throws {
        let palette = try Self.presentation()
        for tab in Tab.allCases {
            let buffer = Snapshot.screen(data: Self.data(), tab: tab, width: 120, height: 40, glyphs: GlyphSelection.heavy)
            for format in ScreenExporter.Format.allCases {
                let text = ScreenExporter.export(buffer, format: format, palette: palette, title: "earshot — " + tab.title)
                try golden(text, "\(tab.title.lowercased())_120x40.\(format.fileExtension)")
            }
        }
    }

    func testHTMLAndSVGAreWellFormedXML() throws {
        let palette = try Self.presentation()
        for tab in Tab.allCases {
            let buffer = Snapshot.screen(data: Self.data(), tab: tab, width: 120, height: 40)
            for format in [ScreenExporter.Format.html, .svg] {
                let text = ScreenExporter.export(buffer, format: format, palette: palette, title: "earshot <\(tab.title)> & co")
                let collector = XMLCollector()
                let parser = XMLParser(data: Data(text.utf8))
                parser.delegate = collector
                XCTAssertTrue(parser.parse(), "\(tab.title).\(format): \(parser.parserError.map { "\($0)" } ?? "")")
                XCTAssertEqual(collector.root, format == .svg ? "svg" : "html")
                // The text layer survives the markup: every row of the screen is in the page's character data.
                guard format == .html else { continue }
                let rows = buffer.textLines().map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
                for row in rows where !row.isEmpty {
                    XCTAssertTrue(collector.text.contains(row.trimmingCharacters(in: .whitespaces)),
                                  "\(tab.title).\(format) lacks the row \(row)")
                }
            }
        }
    }

    func testExportsHoldNoPersonalData() throws {
        let palette = try Self.presentation()
        var buffers: [ScreenBuffer] = Tab.allCases.map {
            Snapshot.screen(data: Self.data(), tab: $0, width: 160, height: 50)
        }
        // The segment details too, for every segment.
        var state = AppState(options: DashboardOptions())
        _ = update(&state, .resize(width: 160, height: 50))
        _ = update(&state, .loaded(Self.data()))
        _ = update(&state, .key(.char("2")))
        _ = update(&state, .key(.enter))
        for _ in 0..<4 {
            var b = ScreenBuffer(width: 160, height: 50)
            render(state, into: &b)
            buffers.append(b)
            _ = update(&state, .key(.down))
        }
        for buffer in buffers {
            for format in ScreenExporter.Format.allCases {
                let text = ScreenExporter.export(buffer, format: format, palette: palette, title: "earshot")
                for pii in Self.planted {
                    XCTAssertFalse(text.contains(pii), "\(format) export shows \(pii)")
                    XCTAssertFalse(text.contains(ScreenExporter.escape(pii)), "\(format) export shows \(pii)")
                }
            }
        }
        // …while the masked forms are there: the guard masks rather than drops.
        let all = buffers.map { ScreenExporter.text($0) }.joined()
        for masked in ["a•••@example.com", "B•••", "192.•••.•••.•••", "+49 •••• ••12", "<5"] {
            XCTAssertTrue(all.contains(masked), "no \(masked) in the exports")
        }
    }

    func testRevealShowsPersonalDataAndSaysSo() throws {
        let revealed = DashboardData(report: Privacy.publish(Self.piiReport(), policy: PrivacyPolicy(minCohort: 5, revealPII: true)),
                                     sourceDescription: "exports/", loadSeconds: 0.5)
        let buffer = Snapshot.screen(data: revealed, tab: .data, width: 160, height: 50)
        let text = ScreenExporter.text(buffer)
        XCTAssertTrue(text.contains("anna.schmidt@example.com"))
        XCTAssertTrue(text.hasPrefix(" earshot ") && text.split(separator: "\n")[0].contains("PERSONAL DATA SHOWN"))
    }

    func testPaletteUsesTheThemeColors() throws {
        let palette = try Self.presentation()
        XCTAssertEqual(palette.page, RGB(0xff, 0xff, 0xff))
        XCTAssertEqual(palette.style(.normal).foreground, RGB(0, 0, 0))
        XCTAssertEqual(palette.style(.tabActive).background, RGB(0x00, 0x00, 0xaf))
        XCTAssertTrue(palette.style(.title).bold)
        // Default colors stand for a dark terminal; ANSI names use xterm's values; reverse swaps.
        let dflt = ExportPalette(theme: .builtinDefault)
        XCTAssertEqual(dflt.page, ExportPalette.darkDefaults.background)
        XCTAssertEqual(dflt.style(.header).foreground, ColorMatching.ansiRGB[7])
        let mono = ExportPalette(theme: .builtinMono)
        XCTAssertEqual(mono.style(.status).background, ExportPalette.darkDefaults.foreground)
        let html = ScreenExporter.html(ScreenBuffer(width: 4, height: 1), palette: palette, title: "t")
        XCTAssertTrue(html.contains(".tab_active { color: #ffffff; background: #0000af; font-weight: bold; }"))
    }

    func testEscapingAndFileNames() {
        XCTAssertEqual(ScreenExporter.escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&#39;?")
        XCTAssertEqual(SlideFiles.baseName(view: "Overview", nowMs: 1_772_373_731_000), "earshot-overview-20260301-140211")
        XCTAssertEqual(SlideFiles.baseName(view: "Data", nowMs: 0), "earshot-data-19700101-000000")
    }

    func testSlideFilesWritesThreeFormats() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let buffer = Snapshot.screen(data: Self.data(), tab: .consent, width: 80, height: 24)
        let paths = try SlideFiles.write(buffer, palette: try Self.presentation(), title: "t", directory: dir.path,
                                         baseName: "earshot-consent-x")
        XCTAssertEqual(paths.map { ($0 as NSString).lastPathComponent },
                       ["earshot-consent-x.txt", "earshot-consent-x.html", "earshot-consent-x.svg"])
        XCTAssertEqual(try String(contentsOfFile: paths[0], encoding: .utf8), ScreenExporter.text(buffer))
        // A missing export directory is created; an existing export is never overwritten; a directory that cannot
        // be created (below a regular file) is an error for the status line.
        let fresh = try SlideFiles.write(buffer, palette: try Self.presentation(), title: "t",
                                         directory: dir.appendingPathComponent("new/exports").path, baseName: "x")
        XCTAssertEqual(fresh.first, dir.appendingPathComponent("new/exports/x.txt").path)
        XCTAssertThrowsError(try SlideFiles.write(buffer, palette: try Self.presentation(), title: "t",
                                                  directory: dir.appendingPathComponent("new/exports").path, baseName: "x")) {
            XCTAssertTrue("\($0)".contains("exists already"), "\($0)")
        }
        XCTAssertThrowsError(try SlideFiles.write(buffer, palette: try Self.presentation(), title: "t",
                                                  directory: paths[0] + "/sub", baseName: "x"))
    }
}

/// Collects the root element and all character data of a parsed document.
final class XMLCollector: NSObject, XMLParserDelegate {
    var root: String?
    var text = ""
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
