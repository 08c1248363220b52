import XCTest
import Foundation
import CZlib
@testable import EventStore

/// A temporary directory for one test, removed afterwards.
final class TempStore {
    let root: String

    init() {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-store-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.path
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { root + "/" + relative }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String { write(relative, Array(text.utf8)) }

    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) -> String {
        let p = path(relative)
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        precondition(FileManager.default.createFile(atPath: p, contents: Data(bytes)))
        return p
    }

    func mkdir(_ relative: String) {
        try! FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }
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
