import XCTest
import Foundation

/// Runs the built `earshot` binary (and other programs) as subprocesses, with bounded waits.
enum Binary {
    /// The `earshot` executable next to the test bundle (SwiftPM builds it with the tests).
    static var earshot: String? {
        var candidates: [URL] = []
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(me.deletingLastPathComponent().appendingPathComponent("earshot"))
        candidates.append(me.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("earshot"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/earshot"))
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Package root (for ExampleData and docs).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    /// Runs `path args` with `stdin` closed, waiting at most `timeout` seconds (then kills it).
    static func run(_ path: String, _ args: [String], environment: [String: String]? = nil,
                    timeout: TimeInterval = 60) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        if let environment { p.environment = environment }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        let outData = DataBox(), errData = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                box.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while p.isRunning {
            if Date() > deadline { timedOut = true; p.terminate(); break }
            usleep(20_000)
        }
        p.waitUntilExit()
        _ = group.wait(timeout: .now() + 10)
        return Result(status: p.terminationStatus, stdout: String(decoding: outData.get(), as: UTF8.self),
                      stderr: String(decoding: errData.get(), as: UTF8.self), timedOut: timedOut)
    }
}

/// A Data value shared with a reading thread.
final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// A temporary directory removed afterwards.
final class TempDir {
    let path: String
    init(_ prefix: String = "earshot-test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: p, atomically: false, encoding: .utf8)
        return p
    }

    func append(_ name: String, _ text: String) {
        let h = FileHandle(forWritingAtPath: path + "/" + name)!
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }
}

/// Event lines for the CLI tests: a tiny consistent store.
enum SampleEvents {
    /// One track event with consent for Analytics and Personalization.
    static func track(_ user: String, _ time: String, _ event: String = "Product Viewed", id: String? = nil,
                      analytics: Bool = true, personalization: Bool = true) -> String {
        let mid = id.map { #","messageId":"\#($0)""# } ?? ""
        return #"{"type":"track","userId":"\#(user)","event":"\#(event)","timestamp":"\#(time)"\#(mid),"context":{"consent":{"categoryPreferences":{"Analytics":\#(analytics),"Personalization":\#(personalization)}}}}"#
    }
}
