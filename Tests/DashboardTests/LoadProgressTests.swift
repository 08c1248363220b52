@testable import Dashboard
import XCTest

/// #14: the loading bar tells the speed in bytes per second and the time left.
final class LoadProgressTests: XCTestCase {
    func testSpeedAndTimeLeftFollowFromBytesAndElapsedTime() {
        let p = LoadProgress(bytesRead: 250_000_000, totalBytes: 1_000_000_000, events: 500_000, elapsedSeconds: 2, file: "a")
        XCTAssertEqual(p.bytesPerSecond, 125_000_000)
        XCTAssertEqual(p.remainingSeconds, 6)
        XCTAssertEqual(p.remainingText, "6s left")
        XCTAssertEqual(LoadProgress(bytesRead: 1, totalBytes: 1000, events: 0, elapsedSeconds: 0.5, file: "").remainingText,
                       "8m 20s left")  // 999 bytes at 2 B/s: 499.5 s, rounded up
        XCTAssertEqual(LoadProgress(bytesRead: 1, totalBytes: 10_000, events: 0, elapsedSeconds: 1, file: "").remainingText,
                       "2h 46m left")
        // Unknown: no time yet, no total, nothing read yet; finished: 0s.
        XCTAssertNil(LoadProgress(bytesRead: 5, totalBytes: 10, events: 0, elapsedSeconds: 0, file: "").remainingText)
        XCTAssertNil(LoadProgress(bytesRead: 5, totalBytes: 0, events: 0, elapsedSeconds: 1, file: "").remainingText)
        XCTAssertNil(LoadProgress(bytesRead: 0, totalBytes: 10, events: 0, elapsedSeconds: 1, file: "").remainingText)
        XCTAssertEqual(LoadProgress(bytesRead: 10, totalBytes: 10, events: 0, elapsedSeconds: 1, file: "").remainingText, "0s left")
    }
}
