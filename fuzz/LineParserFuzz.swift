// libFuzzer harness: one store line through the event line parser (every vendor shape, batch
// envelopes, trait paths, answer capture) and the ISO 8601 time parser. Built by fuzz/run.sh.
import EventStore

private let metricsParser = EventLineParser()
private let wideParser = EventLineParser(selection: FieldSelection(
    paths: FieldSelection.metrics.paths.union(["properties.plan", "context.campaign.medium", "traits.plan"]),
    captures: FieldSelection.metrics.captures.union(["properties.answers", "properties.q*"])))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    _ = metricsParser.parseRecords(bytes)
    _ = wideParser.parseRecords(bytes)
    if size <= 64 {
        _ = ISO8601Time.parse(UnsafeBufferPointer(start: data, count: size))
    }
    return 0
}
