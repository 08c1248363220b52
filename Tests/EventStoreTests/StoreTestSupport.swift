import XCTest
import EarshotTestSupport
import Foundation
import CZlib
@testable import EventStore

/// A temporary store directory for one test, removed afterwards (the shared ``TempDir``).
typealias TempStore = TempDir

extension TempDir {
    /// The directory (the store's root).
    var root: String { path }
}

/// A gzip member holding `text`, written with zlib's own gzip writer.
func gzipMember(_ text: String) -> [UInt8] {
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-gz-\(UUID().uuidString).gz").path
    defer { try? FileManager.default.removeItem(atPath: tmp) }
    let gz = gzopen(tmp, "wb9")!
    var bytes = Array(text.utf8)
    if !bytes.isEmpty {
        let written = bytes.withUnsafeMutableBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
        precondition(written == bytes.count)
    }
    gzclose(gz)
    bytes = Array(FileManager.default.contents(atPath: tmp)!)
    return bytes
}

/// A valid event line.
func eventLine(_ kind: String = "track", id: String, user: String? = nil, anon: String? = nil,
               time: String = "2024-01-01T00:00:00Z", event: String = "e", extra: String = "") -> String {
    var fields = [#""type":"\#(kind)""#, #""messageId":"\#(id)""#, #""timestamp":"\#(time)""#, #""event":"\#(event)""#]
    if let user { fields.append(#""userId":"\#(user)""#) }
    if let anon { fields.append(#""anonymousId":"\#(anon)""#) }
    if !extra.isEmpty { fields.append(extra) }
    return "{" + fields.joined(separator: ",") + "}"
}
