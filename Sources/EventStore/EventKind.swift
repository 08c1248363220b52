/// The Segment Spec call types.
public enum EventKind: UInt8, Sendable, CaseIterable, Codable {
    case track, identify, page, screen, group, alias
    /// A `type` string that is not one of the Segment Spec call types; kept and counted.
    case other
    /// Segment's user deletion (`{"type":"delete","userId":…}`, as Segment forwards a deletion request):
    /// the person's earlier events and traits are removed from the table (``EventTable/redactingDeletions()``).
    case delete

    /// Maps the `type` field (case-sensitive, as Segment writes it) to a kind.
    public init(typeField: String) {
        switch typeField {
        case "track": self = .track
        case "identify": self = .identify
        case "page": self = .page
        case "screen": self = .screen
        case "group": self = .group
        case "alias": self = .alias
        case "delete": self = .delete
        default: self = .other
        }
    }

    /// Page and screen events: what `did page` and sections refer to.
    public var isPageLike: Bool { self == .page || self == .screen }
}
