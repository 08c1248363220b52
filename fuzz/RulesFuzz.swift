// libFuzzer harness: the segment rules language (lexer, parser, resolver; what a store's own
// `*.segments` file reaches) and the `check` rule parser, on inputs up to 64 KB. Built by fuzz/run.sh.
import Analytics

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size <= 65_536 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? SegmentProgram.parse(source: text, fileName: "fuzz.segments")
    _ = try? RuleParser.parseFile(text, fileName: "fuzz.rules")
    _ = try? RuleParser.parse(text, level: .critical, origin: "--critical")
    return 0
}
