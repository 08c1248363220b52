import XCTest
@testable import Dashboard

/// Key presses through `update`, for every dashboard test.
extension XCTestCase {
    /// Presses `keys` one after another; the effects they asked for.
    @discardableResult
    func press(_ s: inout AppState, _ keys: Key...) -> [Effect] { self.keys(&s, keys) }

    /// Presses `keys` one after another; the effects they asked for.
    @discardableResult
    func keys(_ s: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += update(&s, .key(k)) }
        return effects
    }

    /// Types `text`, one character key each.
    func type(_ s: inout AppState, _ text: String) { keys(&s, text.map { .char($0) }) }
}
