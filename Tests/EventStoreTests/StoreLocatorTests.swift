import XCTest
import EarshotTestSupport
import Foundation
@testable import EventStore

final class StoreLocatorTests: XCTestCase {
    func testWalkOrderExtensionsAndHiddenEntries() throws {
        let s = TempStore()
        s.write("root/b.jsonl", "")
        s.write("root/a.ndjson", "")
        s.write("root/A.JSONL", "")
        s.write("root/sub/c.json", "")
        s.write("root/sub/z.jsonl.gz", "")
        s.write("root/sub-x.jsonl", "")       // '-' sorts before '/': read before sub/…
        s.write("root/notes.txt", "")
        s.write("root/data.json.bak", "")
        s.write("root/.hidden.jsonl", "")
        s.write("root/.git/objects.jsonl", "")
        s.write("root/.jsonl", "")
        try FileManager.default.createSymbolicLink(atPath: s.path("root/sub/loop"), withDestinationPath: s.path("root"))
        let located = try StoreLocator.locate([s.path("root/")])
        XCTAssertEqual(located.files.map { String($0.path.dropFirst(s.root.count + 1)) }, [
            "root/A.JSONL", "root/a.ndjson", "root/b.jsonl", "root/sub-x.jsonl", "root/sub/c.json", "root/sub/z.jsonl.gz",
        ])
        // Other files are sniffed by content; an empty *.bak is not events (one warning per kind), notes.txt is a companion file.
        XCTAssertEqual(located.warnings, ["skipped 1 file (*.bak) that are neither JSON lines nor gzip (first: \(s.path("root/data.json.bak")))"])
    }

    func testSeveralPathsAreMergedInPathOrderAndReadOnce() throws {
        let s = TempStore()
        s.write("d/2.jsonl", "abc")
        s.write("d/1.jsonl", "a")
        let explicit = s.write("c/other.txt", "hello")     // any extension when named explicitly
        let located = try StoreLocator.locate([s.path("d"), explicit, s.path("d/2.jsonl")])
        XCTAssertEqual(located.files, [
            LocatedFile(path: s.path("c/other.txt"), bytes: 5),
            LocatedFile(path: s.path("d/1.jsonl"), bytes: 1),
            LocatedFile(path: s.path("d/2.jsonl"), bytes: 3),
        ])
    }

    func testErrors() throws {
        let s = TempStore()
        s.mkdir("empty/.hidden")
        s.write("empty/.hidden/x.jsonl", "")
        s.write("empty/readme.md", "")
        XCTAssertThrowsError(try StoreLocator.locate([s.path("missing.jsonl")])) { error in
            XCTAssertEqual("\(error)", "no such file or directory: \(s.path("missing.jsonl"))")
        }
        XCTAssertThrowsError(try StoreLocator.locate([s.path("empty")])) { error in
            XCTAssertEqual("\(error)", "no event files in directory \(s.path("empty")) (searched recursively for "
                + "*.jsonl, *.ndjson, *.json, *.jsonl.gz, *.ndjson.gz, *.json.gz and for files whose content is gzip or starts with \"{\"; hidden files and folders are skipped)")
        }
        XCTAssertThrowsError(try StoreLocator.locate([])) { error in
            XCTAssertEqual(error as? StoreError, .noPaths)
        }
        XCTAssertEqual(StoreError.notFound(path: "a\u{1B}[2Jb").description, "no such file or directory: a\\u{1b}[2Jb")
        XCTAssertEqual(StoreError.notReadable(path: "/x", reason: "permission denied").description,
                       "cannot read /x: permission denied")
    }

    func testPermissionDenied() throws {
        guard getuid() != 0 else { throw XCTSkip("running as root: permissions are not enforced") }
        let s = TempStore()
        let p = s.write("locked.jsonl", "x")
        chmod(p, 0)
        XCTAssertThrowsError(try StoreLocator.locate([p])) { error in
            XCTAssertEqual("\(error)", "cannot read \(p): permission denied")
        }
    }

    func testEventFileNames() {
        XCTAssertTrue(StoreLocator.isEventFileName("a.jsonl"))
        XCTAssertTrue(StoreLocator.isEventFileName("a.NDJSON.GZ"))
        XCTAssertTrue(StoreLocator.isEventFileName("x.y.json.gz"))
        XCTAssertFalse(StoreLocator.isEventFileName("a.jsonl.bz2"))
        XCTAssertFalse(StoreLocator.isEventFileName("jsonl"))
        XCTAssertFalse(StoreLocator.isEventFileName("a.gz"))
        XCTAssertFalse(StoreLocator.isEventFileName("ajsonl"))
    }

    /// #11.14: a store's links into /proc or /sys, FIFOs and devices are skipped with a warning each,
    /// never read (a link to /proc/self/environ would turn the environment into malformed-line excerpts;
    /// a FIFO would block; a link to a /proc directory would be walked).
    func testNonRegularAndProcfsEntriesAreSkippedWithAWarning() throws {
        let s = TempStore()
        s.write("store/good.jsonl", "{}\n")
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: s.path("store/environ.jsonl"), withDestinationPath: "/proc/self/environ")
        try fm.createSymbolicLink(atPath: s.path("store/status.jsonl"), withDestinationPath: "/proc/self/status")
        try fm.createSymbolicLink(atPath: s.path("store/kernel"), withDestinationPath: "/proc/sys/fs")
        try fm.createSymbolicLink(atPath: s.path("store/null.jsonl"), withDestinationPath: "/dev/null")
        XCTAssertEqual(mkfifo(s.path("store/fifo.jsonl"), 0o600), 0)
        let located = try StoreLocator.locate([s.path("store")])
        XCTAssertEqual(located.files.map(\.path), [s.path("store/good.jsonl")])
        let w = located.warnings
        XCTAssertTrue(w.contains("skipped \(s.path("store/environ.jsonl")): on the kernel's proc file system, not event data"), "\(w)")
        XCTAssertTrue(w.contains("skipped \(s.path("store/status.jsonl")): on the kernel's proc file system, not event data"), "\(w)")
        XCTAssertTrue(w.contains("skipped \(s.path("store/kernel")): on the kernel's proc file system, not event data"), "\(w)")
        XCTAssertTrue(w.contains("skipped \(s.path("store/null.jsonl")): not a regular file (a character device)"), "\(w)")
        XCTAssertTrue(w.contains("skipped \(s.path("store/fifo.jsonl")): not a regular file (a FIFO)"), "\(w)")
        XCTAssertEqual(w.count, 5, "\(w)")
        // Named explicitly, a pipe is still read (`earshot report /dev/stdin`).
        XCTAssertEqual(try StoreLocator.locate([s.path("store/fifo.jsonl")]).files.map(\.path), [s.path("store/fifo.jsonl")])
    }
}
