/// A report value whose named children in the `check` figure tree — its lists of entries and nested sections — are
/// declared once, in ``children`` (docs/ARCHITECTURE.md, "Add a report figure"). `FigureNode.group(_:_:)` builds
/// the tree from ``FigureList/figures`` and ``children``; `FigureTreeTests` walks every declaration.
public protocol FigureParent {
    /// The struct's children in the figure tree, in report order (after its figures unless ``FigureChild/first``).
    static var children: [FigureChild<Self>] { get }
}

extension FigureParent {
    /// No children.
    public static var children: [FigureChild<Self>] { [] }
}

/// One named child of a report struct in the `check` figure tree: a list of entries (`weekly`, `options`), a nested
/// section (`nps`) or a single figure that is not one of the struct's declared figures (`store.warnings`).
///
/// Descriptions are templates: `{what}` stands for the description of the struct holding the child.
public struct FigureChild<Root>: @unchecked Sendable {
    // @unchecked: the stored closures capture literals and other closures of the same kind only.

    /// How a child is placed in its parent's node.
    public enum Placement: Sendable {
        /// A field named ``FigureChild/key``.
        case field
        /// A field whose entries are also the parent's own (`consent.Marketing` and `consent.categories["Marketing"]`).
        case fieldAndEntries
        /// Only the parent's own entries, no field (a journey step's next steps: `tree["a"]["b"]`).
        case entriesOnly
    }

    /// The field name in the figure tree; also the JSON key unless ``jsonKey`` says otherwise.
    public let key: String
    /// The JSON member that holds the child (nil: written elsewhere, as the root's `questions` under `feedback`).
    public let jsonKey: String?
    /// Other names of the field in its parent (`week` → `weekly`).
    public let aliases: [String]
    /// Whether this child is a list of entries (brackets apply).
    public let isList: Bool
    /// Where the child goes in its parent.
    public let placement: Placement
    /// Whether the child comes before the struct's figures (`feedback.total`).
    public let first: Bool
    let make: (Root, _ parentWhat: String) -> FigureNode?

    static func what(_ template: String, _ parent: String) -> String {
        template.replacingOccurrences(of: "{what}", with: parent)
    }

    /// A list of entries: `what` describes the list, `noun` names one entry in messages, `bare` lets entries be named
    /// like fields (`feedback.email.channels`), `keyedIndex` makes `[n]` the entry keyed `n` (or `n+`) instead of
    /// the n-th entry; `entryKey` and `entryWhat` make an entry's key and description (its parent's description
    /// given), `entry` its node.
    public static func list<S: Sequence>(_ key: String, _ entries: @escaping (Root) -> S, what: String, noun: String,
                               bare: Bool = false, keyedIndex: Bool = false, aliases: [String] = [],
                               jsonKey: String? = "", placement: Placement = .field,
                               entryKey: @escaping (S.Element) -> String,
                               entryWhat: @escaping (S.Element, String) -> String,
                               entry: @escaping (S.Element, String) -> FigureNode) -> FigureChild {
        FigureChild(key: key, jsonKey: jsonKey == "" ? key : jsonKey, aliases: aliases, isList: true, placement: placement,
                    first: false) { root, parent in
            var n = FigureNode(what: Self.what(what, parent))
            n.entryNoun = noun
            n.bareEntries = bare
            n.keyedIndex = keyedIndex
            n.entries = entries(root).map { e in (entryKey(e), entry(e, entryWhat(e, parent))) }
            return n
        }
    }

    /// A list whose entries are report structs with declared figures and children.
    public static func list<S: Sequence>(_ key: String, _ entries: @escaping (Root) -> S, what: String, noun: String,
                                           bare: Bool = false, keyedIndex: Bool = false, aliases: [String] = [],
                                           jsonKey: String? = "", placement: Placement = .field,
                                           entryKey: @escaping (S.Element) -> String,
                                           entryWhat: @escaping (S.Element, String) -> String) -> FigureChild
    where S.Element: FigureList {
        list(key, entries, what: what, noun: noun, bare: bare, keyedIndex: keyedIndex, aliases: aliases,
             jsonKey: jsonKey, placement: placement, entryKey: entryKey, entryWhat: entryWhat,
             entry: { e, w in FigureNode.group(w, e) })
    }

    /// A nested struct with declared figures and children, left out when `value` is nil. Its own children see
    /// `subject` as `{what}` (by default its description).
    public static func group<C: FigureList>(_ key: String, _ value: @escaping (Root) -> C?, what: String,
                                            subject: String? = nil, aliases: [String] = [], jsonKey: String? = "",
                                            first: Bool = false) -> FigureChild {
        FigureChild(key: key, jsonKey: jsonKey == "" ? key : jsonKey, aliases: aliases, isList: false, placement: .field,
                    first: first) { root, parent in
            value(root).map { FigureNode.group(Self.what(what, parent), $0, subject: subject.map { Self.what($0, parent) }) }
        }
    }

    /// A nested value with children only (no declared figures of its own); its children see `subject` as `{what}`.
    public static func node<C: FigureParent>(_ key: String, _ value: @escaping (Root) -> C, what: String,
                                             subject: String? = nil, aliases: [String] = []) -> FigureChild {
        FigureChild(key: key, jsonKey: key, aliases: aliases, isList: false, placement: .field, first: false) { root, parent in
            FigureNode.node(Self.what(what, parent), value(root), subject: subject.map { Self.what($0, parent) })
        }
    }

    /// A nested section built by `make` from the struct and its description (`best_cell`, which adds its weekday
    /// and hour to the cell's figures); left out when `make` returns nil.
    public static func custom(_ key: String, jsonKey: String? = "",
                              _ make: @escaping (Root, _ parentWhat: String) -> FigureNode?) -> FigureChild {
        FigureChild(key: key, jsonKey: jsonKey == "" ? key : jsonKey, aliases: [], isList: false, placement: .field,
                    first: false, make: make)
    }

    /// Another name for one of the struct's figures (`last_event_age` → `last_event_age_seconds`); adds no field.
    public static func alias(_ name: String, for figure: String) -> FigureChild {
        FigureChild(key: figure, jsonKey: nil, aliases: [name], isList: false, placement: .field, first: false) { _, _ in nil }
    }

    /// A single figure that is not one of the struct's declared figures (a count of a list, a key of a row).
    public static func leaf(_ key: String, jsonKey: String? = "", first: Bool = false,
                            _ value: @escaping (Root) -> Figure) -> FigureChild {
        FigureChild(key: key, jsonKey: jsonKey == "" ? key : jsonKey, aliases: [], isList: false, placement: .field,
                    first: first) { root, _ in FigureNode.leaf(value(root)) }
    }
}
