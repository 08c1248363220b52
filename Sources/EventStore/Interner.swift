/// Stores each distinct string once and hands out dense `Int32` ids.
///
/// Every string of the event table (ids, event names, sections, property values,
/// trait values, category names) lives here once; columns hold the ids.
public struct Interner: Sendable {
    public private(set) var strings: [String] = []
    private var ids: [String: Int32] = [:]

    public init() {}

    /// The id of `s`, adding it when new.
    @inlinable public mutating func intern(_ s: String) -> Int32 {
        if let id = lookup(s) { return id }
        return add(s)
    }

    @usableFromInline mutating func add(_ s: String) -> Int32 {
        let id = Int32(strings.count)
        strings.append(s)
        ids[s] = id
        return id
    }

    /// The id of `s` when it was interned, else `nil` (never adds).
    @inlinable public func lookup(_ s: String) -> Int32? { idsLookup(s) }
    @usableFromInline func idsLookup(_ s: String) -> Int32? { ids[s] }

    /// The string with this id.
    @inlinable public subscript(id: Int32) -> String { strings[Int(id)] }

    public var count: Int { strings.count }
}
