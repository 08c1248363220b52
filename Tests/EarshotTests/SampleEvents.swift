import XCTest
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Event lines for the CLI tests: a tiny consistent store.
enum SampleEvents {
    /// One track event with consent for Analytics and Personalization.
    static func track(_ user: String, _ time: String, _ event: String = "Product Viewed", id: String? = nil,
                      analytics: Bool = true, personalization: Bool = true) -> String {
        let mid = id.map { #","messageId":"\#($0)""# } ?? ""
        return #"{"type":"track","userId":"\#(user)","event":"\#(event)","timestamp":"\#(time)"\#(mid),"context":{"consent":{"categoryPreferences":{"Analytics":\#(analytics),"Personalization":\#(personalization)}}}}"#
    }
}
