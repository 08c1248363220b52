import XCTest
import Foundation
@testable import SQLEngine

/// Remote URIs pass to Spark untouched; plain paths and `file://` are listed by earshot. Progress lines and results.
final class EngineInputsTests: XCTestCase {
    func testRemoteSchemesPassThrough() {
        for uri in ["s3a://bucket/archive/", "gs://b/x.jsonl.gz", "abfss://c@acct.dfs.core.windows.net/p", "hdfs://nn:8020/segment"] {
            XCTAssertTrue(RemotePath.isRemote(uri), uri)
        }
        for path in ["ExampleData", "/data/events.jsonl", "./a://b", "file:///data/x.jsonl", "FILE:///x", "dir/with://colon", "://x", "1s3://x"] {
            XCTAssertFalse(RemotePath.isRemote(path), path)
        }
    }

    func testProgressBarBecomesOneLine() {
        XCTAssertEqual(ProgressWatcher.progress("[Stage 3:=====>            (12 + 2) / 40]")?.description, "stage 3: 12/40 tasks")
        XCTAssertEqual(ProgressWatcher.progress("[Stage 126:>  (0 + 0) / 4]")?.description, "stage 126: 0/4 tasks")
        XCTAssertNil(ProgressWatcher.progress("26/11/30 WARN something"))
    }

    func testResultDocumentIsRead() throws {
        let json = #"{"engine":"spark","spark_version":"4.3.0","master":"local[2]","seconds":1.5,"remote_files":["s3a://b/x"],"results":{"store_reads":[{"lines":7,"malformed":1,"envelopes":0,"envelope_items":0}]}}"#
        let r = try EngineResult(json: Data(json.utf8))
        XCTAssertEqual(r.int("store_reads", "lines"), 7)
        XCTAssertEqual(r.int("store_reads", "absent"), 0)
        XCTAssertEqual(r.remoteFiles, ["s3a://b/x"])
        XCTAssertThrowsError(try EngineResult(json: Data("[]".utf8)))
    }
}
