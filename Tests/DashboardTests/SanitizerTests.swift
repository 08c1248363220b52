import XCTest
import Analytics
@testable import Dashboard
import EarshotTestSupport

final class SanitizerTests: XCTestCase {
    let san = Sanitizer()
    let ph = "\u{FFFD}"

    func testOSC52ClipboardWriteIsOnePlaceholder() {
        XCTAssertEqual(san.clean("a\u{1b}]52;c;aGVsbG8=\u{07}b"), "a\(ph)b")
        XCTAssertEqual(san.clean("a\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\b"), "a\(ph)link\(ph)b", "OSC 8 ended by ST")
        XCTAssertEqual(san.clean("x\u{1b}]0;title never ends"), "x\(ph)", "an unterminated OSC swallows the rest")
    }

    func testCSISequences() {
        XCTAssertEqual(san.clean("\u{1b}[2J"), ph)
        XCTAssertEqual(san.clean("\u{1b}[1;31mred\u{1b}[0m"), "\(ph)red\(ph)")
        XCTAssertEqual(san.clean("\u{9b}31mred"), "\(ph)red", "8-bit CSI")
        XCTAssertEqual(san.clean("\u{1b}[?1049h"), ph, "private parameters")
    }

    func testDCSAPCAndTwoCharacterEscapes() {
        XCTAssertEqual(san.clean("a\u{1b}P1$r\u{1b}\\b"), "a\(ph)b")
        XCTAssertEqual(san.clean("a\u{1b}_apc\u{9c}b"), "a\(ph)b")
        XCTAssertEqual(san.clean("a\u{9d}0;t\u{07}b"), "a\(ph)b", "8-bit OSC")
        XCTAssertEqual(san.clean("a\u{1b}cb"), "a\(ph)b", "ESC c (reset)")
        XCTAssertEqual(san.clean("a\u{1b}(Bb"), "a\(ph)b", "ESC ( B (charset)")
        XCTAssertEqual(san.clean("a\u{1b}"), "a\(ph)", "lone ESC at the end")
    }

    func testBidiZeroWidthAndControls() {
        XCTAssertEqual(san.clean("abc\u{202e}fed"), "abc\(ph)fed")
        XCTAssertEqual(san.clean("\u{2066}x\u{2069}\u{200e}\u{200f}\u{061c}"), "\(ph)x\(ph)\(ph)\(ph)\(ph)")
        XCTAssertEqual(san.clean("a\u{200b}b\u{200c}c\u{200d}d\u{2060}e\u{feff}f"), "a\(ph)b\(ph)c\(ph)d\(ph)e\(ph)f")
        XCTAssertEqual(san.clean("a\u{7f}b\u{0}c\u{85}d\u{8}e"), "a\(ph)b\(ph)c\(ph)d\(ph)e")
        XCTAssertEqual(san.clean("a\tb\nc\r\nd\re"), "a b c d e", "tab, LF, CR LF and CR become one space each")
        XCTAssertEqual(Sanitizer(placeholder: "?").clean("a\u{202e}b"), "a?b")
    }

    func testPrintableTextIsUntouched() {
        XCTAssertEqual(san.clean("Order Completed"), "Order Completed")
        XCTAssertEqual(san.clean("東京の顧客 café 👍"), "東京の顧客 café 👍")
    }

    func testEmojiJoinersAndOrphanCombiningMarks() {
        XCTAssertEqual(san.clean("👨\u{200d}👩\u{200d}👧"), "👨👩👧", "the joiner inside an emoji sequence is dropped")
        XCTAssertEqual(san.clean("\u{301}abc"), "\u{25CC}\u{301}abc", "a mark without a base gets ◌")
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("東京"), 4)
        XCTAssertEqual(DisplayWidth.of("ｱ"), 1, "halfwidth katakana")
        XCTAssertEqual(DisplayWidth.of("Ａ"), 2, "fullwidth Latin")
        XCTAssertEqual(DisplayWidth.of("👍"), 2)
        XCTAssertEqual(DisplayWidth.of("❤️"), 2, "text-default emoji with VS16")
        XCTAssertEqual(DisplayWidth.of("🇩🇪"), 2, "a flag is one grapheme of width 2")
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "combining acute")
        XCTAssertEqual(DisplayWidth.of("\u{1100}\u{1161}"), 2, "Hangul jamo syllable")
        XCTAssertEqual(DisplayWidth.of("한국어"), 6)
    }

    func testTruncationByWidthNeverSplitsAWideCharacter() {
        XCTAssertEqual(san.fit("東京の顧客", width: 10), "東京の顧客")
        XCTAssertEqual(san.fit("東京の顧客", width: 9), "東京の顧…")
        XCTAssertEqual(san.fit("東京の顧客", width: 6), "東京…", "5 columns: a third wide character would not fit")
        XCTAssertEqual(DisplayWidth.of(san.fit("東京の顧客", width: 6)), 5)
        XCTAssertEqual(san.fit("👍👍👍", width: 4), "👍…")
        XCTAssertEqual(san.fit("cafe\u{301} au lait", width: 5), "cafe\u{301}…", "the combining mark stays with its e")
        XCTAssertEqual(san.fit("abc", width: 0), "")
        XCTAssertEqual(san.fit("abcdef", width: 1), "…")
        XCTAssertEqual(Sanitizer.truncate("abcdef", width: 3, ellipsis: "~"), "ab~")
        XCTAssertEqual(Sanitizer.truncateHead("events/2026-01.jsonl.gz:1204", width: 12, ellipsis: "…"), "…onl.gz:1204")

    }

    func testBufferKeepsWideCharactersWhole() {
        var buf = ScreenBuffer(width: 5, height: 1)
        buf.put("a東京", x: 0, y: 0, clip: buf.area, role: .normal)
        XCTAssertEqual(buf.textLines(), ["a東京"])
        XCTAssertEqual(buf[2, 0].width, 0)
        buf.put("x", x: 2, y: 0, clip: buf.area, role: .normal)
        XCTAssertEqual(buf.textLines(), ["a x京"], "overwriting the right half blanks the left half")
        var narrow = ScreenBuffer(width: 4, height: 1)
        narrow.put("ab東", x: 1, y: 0, clip: narrow.area, role: .normal)
        XCTAssertEqual(narrow.textLines(), [" ab "], "a wide character that does not fit becomes a space")
    }

    /// A report whose every untrusted string carries escapes, bidi and zero-width characters.
    static var hostileReport: Report {
        // The shared corpus (Tests/Shared/EscapeCorpus.swift), as every output's tests use it.
        let evil = "\u{1b}]52;c;aGVsbG8=\u{07}\u{1b}[2J\u{9b}31m\u{202e}\u{200b}\u{7f}\t\n\u{feff}\u{2066}" + EscapeCorpus.all
        var r = Fixture.report
        r.segments = r.segments.map { s in
            var s = s
            s.name = evil + s.name + "\u{1b}[0m"
            s.rule = s.rule + evil
            s.reachable = Dictionary(uniqueKeysWithValues: s.reachable.map { (evil + $0.key, $0.value) })
            s.feedback = s.feedback.map { var l = $0; l.channel = evil + l.channel; return l }
            return s
        }
        r.overlap = r.overlap.map { SegmentOverlap(a: evil + $0.a + "\u{1b}[0m", b: evil + $0.b + "\u{1b}[0m", size: $0.size) }
        r.eventNames = EventNameList(r.eventNames.map { EventNameCount(name: evil + $0.name, count: $0.count, known: $0.known) })
        r.consent.categories = r.consent.categories.map { var c = $0; c.name = evil + c.name; return c }
        r.consent.analyticsCategory = evil + "Analytics"
        r.feedback.channels = r.feedback.channels.map { var l = $0; l.channel = evil + l.channel; return l }
        r.feedback.surveys = r.feedback.surveys.map { var l = $0; l.surveyID = evil + (l.surveyID ?? ""); return l }
        r.store.fileList = r.store.fileList.map { var f = $0; f.path = evil + f.path; return f }
        r.store.malformedLines = r.store.malformedLines.map { MalformedLineReport(file: evil + $0.file, line: $0.line, reason: evil + $0.reason) }
        r.store.warnings = [evil + "more than 64 consent categories"]
        r.store.firstEvent = evil
        r.weekly = r.weekly.map { var w = $0; w.week = evil + w.week; return w }
        return r
    }

    static func isForbiddenInCell(_ v: UInt32) -> Bool { EscapeCorpus.isForbidden(v) }

    func testEveryCorpusSampleIsCleaned() {
        for (name, text) in EscapeCorpus.samples {
            let cleaned = san.clean("a" + text + "b")
            XCTAssertNil(EscapeCorpus.firstForbidden(in: cleaned, newlines: false), name)
            XCTAssertTrue(cleaned.hasPrefix("a") && cleaned.hasSuffix("b"), "\(name): \(cleaned)")
        }
    }

    func assertClean(_ buf: ScreenBuffer, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for y in 0..<buf.height {
            for x in 0..<buf.width {
                for s in buf[x, y].text.unicodeScalars where Self.isForbiddenInCell(s.value) {
                    XCTFail("\(what): cell (\(x),\(y)) holds U+\(String(s.value, radix: 16, uppercase: true))", file: file, line: line)
                    return
                }
            }
        }
    }

    func testNoViewPutsUnsafeCharactersInACell() {
        let data = DashboardData(report: Self.hostileReport, sourceDescription: "\u{1b}[31mevents/\u{202e}", loadSeconds: 1)
        for (w, h) in [(80, 24), (120, 40), (45, 12)] {
            var s = AppState(options: DashboardOptions())
            _ = update(&s, .resize(width: w, height: h))
            _ = update(&s, .tick(nowMs: Fixture.nowMs))
            _ = update(&s, .loaded(data))
            XCTAssertEqual(s.model?.segments.count, 7)
            for tab in Tab.allCases {
                _ = update(&s, .key(.char(Character(String(tab.rawValue)))))
                assertClean(Golden.render(s, width: w, height: h), "\(tab) at \(w)x\(h)")
            }
            _ = update(&s, .key(.char("2")))
            _ = update(&s, .key(.enter))
            assertClean(Golden.render(s, width: w, height: h), "segment detail at \(w)x\(h)")
            _ = update(&s, .key(.escape))
            _ = update(&s, .key(.char("f")))
            assertClean(Golden.render(s, width: w, height: h), "picker at \(w)x\(h)")
            _ = update(&s, .key(.down))
            _ = update(&s, .key(.enter))
            assertClean(Golden.render(s, width: w, height: h), "filtering header at \(w)x\(h)")
            // The search line echoes typed (pasted) text.
            _ = update(&s, .key(.char("/")))
            for ch in "\u{1b}[2J\u{202e}x" { _ = update(&s, .key(.char(ch))) }
            assertClean(Golden.render(s, width: w, height: h), "search line at \(w)x\(h)")
            _ = update(&s, .key(.enter))
            assertClean(Golden.render(s, width: w, height: h), "filtered table title at \(w)x\(h)")
        }
        var s = AppState(options: DashboardOptions())
        _ = update(&s, .loadProgress(LoadProgress(bytesRead: 1, totalBytes: 2, events: 3, elapsedSeconds: 1, file: "\u{1b}]0;x\u{07}a\u{202e}")))
        assertClean(Golden.render(s, width: 80, height: 24), "loading")
        _ = update(&s, .loadFailed("bad \u{1b}[2J path\u{0}"))
        assertClean(Golden.render(s, width: 80, height: 24), "load error")
    }
}
