import XCTest
@testable import Analytics

/// Every rule example in docs/SEGMENTS.md parses (code blocks marked `text` are grammar, not examples).
final class SegmentDocsTests: XCTestCase {
    func testDocumentationExamplesParse() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/SEGMENTS.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let blocks = text.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        var checked = 0
        for fenced in blocks {
            // the info string after the opening fence: `text` marks grammar, not examples
            let info = fenced.prefix { $0 != "\n" }
            if info == "text" { continue }
            let block = String(fenced.drop { $0 != "\n" })
            let lines = block.split(separator: "\n").map(String.init)
            guard let first = lines.first(where: { !$0.hasPrefix("#") }),
                  !first.hasPrefix("earshot"), !first.hasPrefix("rules.segments:") else { continue }
            let source: String
            if block.contains("segment \"") || first.hasPrefix("score ") || block.contains("loop \"") || block.contains("journey \"") {
                source = block
            } else {
                // one rule per line
                source = lines.enumerated().filter { !$0.element.hasPrefix("#") }
                    .map { "segment \"S\($0.offset)\": \($0.element)" }.joined(separator: "\n")
                    + "\nsegment \"Gift buyer\": did any\nscore likely_parent = 1\n"
            }
            do { _ = try SegmentProgram.parse(source: source, fileName: "SEGMENTS.md") } catch {
                XCTFail("docs example does not parse:\n\(source)\n\(error)")
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 6)
    }
}
