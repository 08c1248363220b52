import Foundation
import XCTest
import EarshotTestSupport

/// The corpus itself: at least 150 vendor payloads, every file cited in its vendor's README.md.
final class VendorCorpusTests: XCTestCase {
    /// Files whose payloads are invalid JSON as their vendor published them (see the vendor README).
    static let invalidAsPublished: Set<String> = ["segment/refiner-source-examples.jsonl"]

    /// Store files of the corpus (everything but README.md), relative to the fixture root, sorted.
    func storeFiles() throws -> [String] {
        let root = URL(fileURLWithPath: VendorFixtures.root)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw XCTSkip("no fixture folder at \(root.path)")
        }
        var files: [String] = []
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            if url.lastPathComponent != "README.md" { files.append(VendorFixtures.relative(url.path)) }
        }
        return files.sorted()
    }

    /// The lines of a corpus file (gzip files are decompressed with the system's gzip).
    func lines(_ relative: String) throws -> [String] {
        let path = VendorFixtures.root + "/" + relative
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        if data.starts(with: [0x1f, 0x8b]) {
            let r = try Binary.run("/usr/bin/env", ["gzip", "-dc", path], timeout: 60)
            XCTAssertEqual(r.status, 0, "gzip -dc \(relative): \(r.stderr)")
            data = Data(r.stdout.utf8)
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { !$0.allSatisfy(\.isWhitespace) }
    }

    func testAtLeast150PayloadsEachLineJSON() throws {
        var payloads = 0
        for file in try storeFiles() {
            for (i, line) in try lines(file).enumerated() {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    // Published examples that are not valid JSON are payloads too (malformed on purpose).
                    XCTAssertTrue(Self.invalidAsPublished.contains(file), "\(file):\(i + 1) is not a JSON object")
                    payloads += 1
                    continue
                }
                // A batch envelope holds one payload per item.
                payloads += (object["batch"] as? [Any])?.count ?? 1
            }
        }
        // Segment 56, RudderStack 165, PostHog 24 (see Tests/Fixtures/vendors/README.md).
        XCTAssertEqual(payloads, 245, "payload count in Tests/Fixtures/vendors/README.md must match the corpus")
        XCTAssertGreaterThanOrEqual(payloads, 150, "issue #10: at least 150 real vendor payloads")
    }

    func testEveryFileIsCitedInItsVendorREADME() throws {
        let files = try storeFiles()
        XCTAssertEqual(Set(files.map { String($0.split(separator: "/")[0]) }), ["segment", "rudderstack", "posthog"])
        for file in files {
            let vendor = String(file.split(separator: "/")[0])
            let readme = try String(contentsOfFile: VendorFixtures.root + "/\(vendor)/README.md", encoding: .utf8)
            let name = String(file.dropFirst(vendor.count + 1))
            XCTAssertTrue(readme.contains("`\(name)`"), "\(file) must be listed (source, commit, license, edits) in \(vendor)/README.md")
        }
    }
}
