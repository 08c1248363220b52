import Analytics
import EarshotConfig
import Foundation
import XCTest

/// `preferred_channel` in earshot.yaml (docs/CONFIG.md).
final class PreferredChannelConfigTests: XCTestCase {
    func parse(_ text: String) throws -> EarshotConfiguration {
        try EarshotConfiguration.parse(text, fileName: "earshot.yaml")
    }

    func testDefaultsAndKeys() throws {
        XCTAssertEqual(try parse("").feedback.preferredChannelTrait, "preferred_channel")
        let c = try parse("preferred_channel:\n  trait: contact_via\n  values: {Text: sms, MAIL: email}\n")
        XCTAssertEqual(c.feedback.preferredChannelTrait, "contact_via")
        XCTAssertEqual(c.feedback.preferredChannelValues, ["text": "sms", "mail": "email"])
    }

    func testErrors() {
        func message(_ text: String) -> String {
            do { _ = try parse(text); return "" } catch { return "\(error)" }
        }
        XCTAssertEqual(message("preferred_channel:\n  trat: x\n"),
                       #"earshot.yaml:2:3: unknown key "trat" in preferred_channel; did you mean "trait"?"#)
        XCTAssertTrue(message("preferred_channel:\n  values: {text: sms, TEXT: email}\n").contains("listed twice"))
        XCTAssertTrue(message("preferred_channel:\n  trait: \"\"\n").contains("must not be empty"))
    }
}
