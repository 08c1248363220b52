#if canImport(Glibc)
import Glibc
#endif

/// How the C allocator hands memory back to the system (#11.15).
///
/// glibc's `malloc` serves a request of at least its *mmap threshold* (128 KiB at start) with a mapping of its own,
/// returned to the kernel by `free`; smaller requests come from its heaps, whose free space is kept (only a free run at
/// the very top of a heap is returned, and only once it exceeds the *trim threshold*). By default both thresholds are
/// dynamic: freeing a mapped block of up to 32 MiB raises the mmap threshold to that block's size (and the trim
/// threshold to twice it). A read builds and frees many such blocks (the builder's columns as they grow, the dedupe
/// set, the parser's chunks, the permuted copies of `finish()`), so after the first one every array below ~32 MiB —
/// the table's columns, the report's event-name arrays, the index's sets — comes from the heaps, and every one freed
/// later stays resident: on the 1 M-distinct-name store the peak RSS was 1.96–2.2× the store while the live heap was
/// far lower, the cold run that writes the caches paying most (its table cache write and report save move the frees
/// around). Pinning both thresholds at glibc's own starting value keeps large arrays in mappings of their own for the
/// whole run, so the resident memory follows the live arrays.
///
/// `mallopt` is looked up at run time: where it does not exist (musl, Darwin) this does nothing.
public enum AllocatorPolicy {
    /// The mmap and trim threshold pinned by ``apply()``: glibc's default starting value.
    public static let thresholdBytes: Int32 = 128 << 10

    /// Pins the allocator's thresholds (see the type's documentation); true when they are pinned (false where `mallopt`
    /// does not exist or refused). Idempotent: the work runs once per process. Called by
    /// ``StoreSession/load(_:needsTable:progress:)`` before anything large is allocated.
    @discardableResult
    public static func apply() -> Bool { applied }

    private static let applied: Bool = {
        #if canImport(Glibc)
        typealias MalloptFunction = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MalloptFunction.self)
        // <malloc.h>: M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3 (setting either turns the dynamic adjustment off).
        let trim = mallopt(-1, thresholdBytes), mmap = mallopt(-3, thresholdBytes)
        return trim == 1 && mmap == 1
        #else
        return false
        #endif
    }()
}
