// libFuzzer harness: the output sanitizer. `SafeText.clean` and `UnsafeText.escaped` must never
// crash and must never leave a character ``UnsafeText`` lists (escape sequences, controls, bidi,
// zero-width) in their output; a finding is a trap. Built by fuzz/run.sh.
import Analytics
import EventStore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let clean = SafeText.clean(text)
    if UnsafeText.containsUnsafe(clean) { fatalError("SafeText.clean left an unsafe character") }
    if clean.unicodeScalars.contains(where: { $0.value == 0x1B || ($0.value >= 0x80 && $0.value < 0xA0) }) {
        fatalError("SafeText.clean left an escape byte")
    }
    let escaped = UnsafeText.escaped(text)
    if UnsafeText.containsUnsafe(escaped) { fatalError("UnsafeText.escaped left an unsafe character") }
    let kept = UnsafeText.escaped(text, keepingNewlines: true)
    if kept.unicodeScalars.contains(where: { $0.value != 0x0A && UnsafeText.isUnsafe($0) }) {
        fatalError("UnsafeText.escaped(keepingNewlines:) left an unsafe character")
    }
    return 0
}
