/// One piece of output of a ``LineSplitter``.
public enum SplitLine {
    /// A line without its `\n` (and without a `\r` before it). Valid only during the callback.
    case line(UnsafeRawBufferPointer)
    /// A line longer than the limit: its bytes were dropped; `byteCount` is its full length.
    case tooLong(byteCount: Int)
}

/// Splits a byte stream fed in chunks into lines on `\n`.
///
/// Complete lines inside a chunk are handed out in place (no copy); only a line that spans
/// chunks is gathered in a carry buffer. The incomplete tail waits for more bytes until
/// ``finish(_:)`` (end of file: the tail is a last line of its own). A follow mode simply keeps
/// feeding and never calls `finish`. Lines longer than ``maxLineBytes`` are not kept in memory:
/// they are reported as ``SplitLine/tooLong(byteCount:)``.
public struct LineSplitter {
    /// The longest line kept (default 64 MiB).
    public let maxLineBytes: Int
    private var carry: [UInt8] = []
    /// Bytes of the current line dropped because it grew past the limit (0: not dropping).
    private var dropped = 0

    public init(maxLineBytes: Int = 64 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Bytes waiting for their line's end.
    public var pendingBytes: Int { dropped > 0 ? dropped : carry.count }

    /// Splits `chunk`, calling `body` for every line it completes.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (SplitLine) throws -> Void) rethrows {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var start = 0
        let n = chunk.count
        while start < n {
            guard let nl = memchr(base + start, 0x0A, n - start) else {
                append(UnsafeRawBufferPointer(rebasing: chunk[start ..< n]))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(nl))
            if carry.isEmpty && dropped == 0 {
                if end - start > maxLineBytes {
                    try body(.tooLong(byteCount: Self.trimmedCount(chunk, start, end)))
                } else {
                    try body(.line(Self.trimmed(UnsafeRawBufferPointer(rebasing: chunk[start ..< end]))))
                }
            } else {
                append(UnsafeRawBufferPointer(rebasing: chunk[start ..< end]))
                try emitCarry(body)
            }
            start = end + 1
        }
    }

    /// End of input: hands out the unterminated last line, if any.
    public mutating func finish(_ body: (SplitLine) throws -> Void) rethrows {
        if !carry.isEmpty || dropped > 0 { try emitCarry(body) }
    }

    /// Forgets the pending tail (e.g. after a read error in the middle of a line).
    public mutating func discardPending() {
        carry.removeAll(keepingCapacity: true)
        dropped = 0
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if dropped > 0 { dropped += bytes.count; return }
        if carry.count + bytes.count > maxLineBytes {
            dropped = carry.count + bytes.count
            carry.removeAll(keepingCapacity: false)
            return
        }
        carry.append(contentsOf: bytes)
    }

    private mutating func emitCarry(_ body: (SplitLine) throws -> Void) rethrows {
        defer { carry.removeAll(keepingCapacity: carry.capacity <= 1 << 20); dropped = 0 }
        if dropped > 0 {
            try body(.tooLong(byteCount: dropped))
        } else {
            try carry.withUnsafeBytes { try body(.line(Self.trimmed($0))) }
        }
    }

    @inline(__always) static func trimmed(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if let last = line.last, last == 0x0D { return UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        return line
    }

    static func trimmedCount(_ chunk: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        end > start && chunk[end - 1] == 0x0D ? end - start - 1 : end - start
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
