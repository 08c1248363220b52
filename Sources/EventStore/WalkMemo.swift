/// What the walk remembers from earlier lines of one chunk to skip repeated work on the values (docs/PERFORMANCE.md,
/// "session 8, values"): the last consent-preferences objects by their exact bytes (with what walking them kept) and
/// the date of the last canonical time.
///
/// Every entry is checked against the bytes at hand before it is used (byte comparison, never a hash alone), so a hit
/// gives exactly what the full work would have given. A memo lives as long as its ``EventWalk`` (one chunk:
/// ``EventLineParser/withWalk(buffers:_:)``). Memory is fixed (a few KiB), allocated once per walk.
final class WalkMemo {
    /// Consent-preferences objects remembered (replaced round-robin).
    static let consentSlots = 4
    /// The longest object (its bytes from `{` to `}`) remembered, and the most members.
    static let consentBytes = 256
    static let consentMembers = 16

    /// Per consent slot: ``ConsentSlot``.
    let consent: UnsafeMutablePointer<ConsentSlot>
    /// Per consent slot, `consentBytes` bytes: the object as written.
    let consentText: UnsafeMutablePointer<UInt8>
    /// Per consent slot, `consentBytes` bytes: what walking the object appended to the arena (its keys).
    let consentKept: UnsafeMutablePointer<UInt8>
    /// Per consent slot, `consentMembers` entries: the preferences the object gave (after dropping repeated
    /// categories), their categories as offsets into its kept bytes.
    let consentPreferences: UnsafeMutablePointer<(category: TextRef, granted: Bool)>
    /// Per consent slot, `consentMembers` entries: the `setProperty` calls the object made, in order; one more slot
    /// (index `consentSlots`) collects the calls of the object being walked.
    let consentProperties: UnsafeMutablePointer<(selection: Int32, granted: Bool)>
    /// [0]: the next consent slot to replace; [1]: the slot of the last hit (checked first).
    let consentNext: UnsafeMutablePointer<Int>
    /// The date of the last canonical time: its bytes 0–7 and 8–10 (`YYYY-MM-` and `DDT`) as little-endian words and
    /// the milliseconds of its midnight (`Int64.min`: none yet).
    let time: UnsafeMutablePointer<(w0: UInt64, w1: UInt64, day: Int64)>

    init() {
        consent = .allocate(capacity: Self.consentSlots)
        consent.initialize(repeating: ConsentSlot(), count: Self.consentSlots)
        consentText = .allocate(capacity: Self.consentSlots * Self.consentBytes)
        consentText.initialize(repeating: 0, count: Self.consentSlots * Self.consentBytes)
        consentKept = .allocate(capacity: Self.consentSlots * Self.consentBytes)
        consentKept.initialize(repeating: 0, count: Self.consentSlots * Self.consentBytes)
        consentPreferences = .allocate(capacity: Self.consentSlots * Self.consentMembers)
        consentPreferences.initialize(repeating: (.absent, false), count: Self.consentSlots * Self.consentMembers)
        consentProperties = .allocate(capacity: (Self.consentSlots + 1) * Self.consentMembers)
        consentProperties.initialize(repeating: (-1, false), count: (Self.consentSlots + 1) * Self.consentMembers)
        consentNext = .allocate(capacity: 2)
        consentNext.initialize(repeating: 0, count: 2)
        time = .allocate(capacity: 1)
        time.initialize(to: (0, 0, .min))
    }

    deinit {
        consent.deallocate()
        consentText.deallocate()
        consentKept.deallocate()
        consentPreferences.deallocate()
        consentProperties.deallocate()
        consentNext.deallocate()
        time.deallocate()
    }

    /// A remembered consent-preferences object: where it was (trie node and nesting level), its length in bytes
    /// (0: empty slot), how many bytes walking it kept in the arena, and how many preferences and property calls it gave.
    struct ConsentSlot {
        var node: Int32 = -1
        var depth: Int32 = 0
        var length: Int32 = 0
        var kept: Int32 = 0
        var preferences: Int32 = 0
        var properties: Int32 = 0
    }
}
