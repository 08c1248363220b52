/// One accepted line of the store, as the line parser extracts it: only the fields earshot uses.
///
/// The line parser fills this from a JSON object; tests may build it by hand.
/// ``EventTableBuilder`` interns it into columns.
public struct ParsedEvent: Sendable, Equatable {
    /// The `type` field mapped to a kind.
    public var kind: EventKind
    /// `messageId`, the dedupe key (absent → never a duplicate).
    public var messageId: String?
    /// Event time in milliseconds since the Unix epoch (UTC):
    /// `timestamp`, else `originalTimestamp`, else `receivedAt`.
    public var time: Int64
    public var userId: String?
    public var anonymousId: String?
    /// `event` of a track call.
    public var event: String?
    /// `name` of a page or screen call.
    public var name: String?
    /// Page `category` (top-level, else `properties.category`), page/screen only.
    public var category: String?
    /// `previousId` of an alias call.
    public var previousId: String?
    /// `context.timezone` (an IANA name such as `Europe/Berlin`).
    public var timezone: String?
    /// `properties.path`, else `context.page.path` (used for a page's section).
    public var pagePath: String?
    /// Consent carried by the event, in document order:
    /// `context.consent.categoryPreferences` entries with a boolean value, then RudderStack's
    /// `context.consentManagement.allowedConsentIds` (granted) and `deniedConsentIds` (denied).
    public var consent: [ConsentEntry]
    /// `context.consent.categoryPreferences` is an empty object: Segment then sets every consent category
    /// to `false` (docs/DEFINITIONS.md, "Consent").
    public var consentCleared: Bool
    /// Selected property paths (see ``FieldSelection``) with their scalar values,
    /// e.g. `("properties.category", .string("baby"))`.
    public var properties: [PathValue]
    /// The person traits the event sets, flattened to dotted keys (`address.city`): top-level
    /// `traits` of an identify call, `context.traits` of any call, PostHog's `properties.$set`
    /// (a key in several of them: that order decides).
    public var traits: [PathValue]
    /// PostHog's `properties.$set_once`: traits that apply only when the person has no earlier value
    /// for the key (keys also in ``traits`` are left out).
    public var onceTraits: [PathValue]
    /// Survey answers captured by key (``FieldSelection/captures``), in document order: the key as written
    /// (`$survey_response_<question id>`) and each scalar value (an array gives one entry per element).
    public var answers: [PathValue]
    /// Selected arrays (see ``FieldSelection/elementPath(_:)``): each array path the event carries,
    /// with the selected values of its elements.
    public var arrays: [ArrayField] = []

    public init(kind: EventKind, messageId: String? = nil, time: Int64, userId: String? = nil,
                anonymousId: String? = nil, event: String? = nil, name: String? = nil,
                category: String? = nil, previousId: String? = nil, timezone: String? = nil,
                pagePath: String? = nil, consent: [ConsentEntry] = [], consentCleared: Bool = false,
                properties: [PathValue] = [],
                traits: [PathValue] = [], onceTraits: [PathValue] = [], answers: [PathValue] = [],
                arrays: [ArrayField] = []) {
        self.kind = kind; self.messageId = messageId; self.time = time; self.userId = userId
        self.anonymousId = anonymousId; self.event = event; self.name = name; self.category = category
        self.previousId = previousId; self.timezone = timezone; self.pagePath = pagePath
        self.answers = answers
        self.consent = consent; self.consentCleared = consentCleared; self.properties = properties; self.traits = traits
        self.onceTraits = onceTraits
        self.arrays = arrays
    }
}

/// One consent category carried by an event.
public struct ConsentEntry: Sendable, Equatable {
    public var category: String
    public var granted: Bool
    /// The category's label when the event gives one (RudderStack's `{"C0001": "Functional Cookies"}`).
    public var label: String?
    public init(_ category: String, _ granted: Bool, label: String? = nil) {
        self.category = category; self.granted = granted; self.label = label
    }
}

/// How the reader reads lines (a part of the table cache's key).
public struct ReaderOptions: Sendable, Hashable {
    /// Read a time without a zone (`2020-01-15 14:57:24.898`, as AppsFlyer sends through RudderStack)
    /// as UTC; off by default, when such a line is malformed with a reason naming `--assume-utc`.
    /// The CLI flag `--assume-utc` and the config key `assume_utc` set it.
    public var assumeUTC: Bool

    public init(assumeUTC: Bool = false) { self.assumeUTC = assumeUTC }
}

/// The records of one line: one outcome for an event line, one per item for a batch envelope.
public struct LineRecords<Event> {
    /// Whether the line was a batch envelope (`{"batch": [...]}`): each item is a record.
    public var envelope: Bool
    /// Each record's event, or why it is not one (for an envelope's item: ``LineError/batchItem(index:problem:)``).
    public var outcomes: [Result<Event, LineError>]

    public init(envelope: Bool, outcomes: [Result<Event, LineError>]) {
        self.envelope = envelope
        self.outcomes = outcomes
    }
}

/// What the value at an array path was in one event.
public enum ArrayShape: UInt8, Sendable, Hashable {
    /// The path is absent.
    case missing
    /// An array (its elements are counted).
    case array
    /// JSON `null`.
    case null
    /// A string, number or boolean.
    case scalar
    /// An object.
    case object
}

/// The selected element values of one array of an event: `properties.products` with each
/// product's `category`, `price`… (only paths a rule reads, see ``FieldSelection``).
public struct ArrayField: Sendable, Equatable {
    /// The array's full dotted path, e.g. `properties.products`.
    public var path: String
    /// What the value at the path was; only an ``ArrayShape/array`` has elements.
    public var shape: ArrayShape
    /// Number of elements.
    public var count: Int
    /// Selected element values in document order: element index, full element path
    /// (`properties.products[].category`, or `properties.tags[]` for the element itself) and value.
    /// An element without the path has no entry (it reads as missing).
    public var values: [ElementValue]

    public init(path: String, shape: ArrayShape, count: Int = 0, values: [ElementValue] = []) {
        self.path = path; self.shape = shape; self.count = count; self.values = values
    }
}

/// One selected value inside an array element.
public struct ElementValue: Sendable, Equatable {
    /// The element's index in its array.
    public var element: Int
    /// The full element path, e.g. `properties.products[].variant.size`.
    public var path: String
    public var value: ScalarValue
    public init(_ element: Int, _ path: String, _ value: ScalarValue) {
        self.element = element; self.path = path; self.value = value
    }
}

/// A dotted path and a scalar value.
public struct PathValue: Sendable, Equatable {
    public var path: String
    public var value: ScalarValue
    public init(_ path: String, _ value: ScalarValue) { self.path = path; self.value = value }
}

/// Which property paths the loader keeps as columns (projection push-down).
///
/// Paths are full dotted paths from the event root: `properties.category`,
/// `context.campaign.medium`. Only scalar values are kept; arrays and objects
/// become ``PropValue/composite``. An element path with one `[]` (`properties.products[].category`,
/// `properties.tags[]`) selects a list's elements instead: see ``ParsedEvent/arrays`` and
/// ``EventTable/arrays``; lists are read only when such a path is selected.
public struct FieldSelection: Sendable, Equatable {
    public var paths: Set<String>
    /// Keys whose values are captured as survey answers (``ParsedEvent/answers``, the table's answer rows):
    /// a dotted path (`properties.answers`) captures that key; a path ending in `*`
    /// (`properties.$survey_response*`) every key of the parent object that starts with the text before `*`.
    /// Arrays give one answer per scalar element (a multiple-choice answer); objects are not captured.
    public var captures: Set<String>

    public init(paths: Set<String> = [], captures: Set<String> = []) { self.paths = paths; self.captures = captures }

    /// The paths the built-in metrics need (surveys, channels, scores, categories).
    public static let metrics: FieldSelection = FieldSelection(paths: [
        "properties.survey_id", "properties.$survey_id",
        "properties.channel",
        "properties.score", "properties.survey_response", "properties.$survey_response",
        "properties.category",
        "properties.survey_type", "properties.$survey_submission_id",
    ], captures: ["properties.$survey_response*"])

    /// The array and element parts of an element path (`properties.products[].variant.size` →
    /// `properties.products`, `variant.size`; `properties.tags[]` → `properties.tags`, ``), or nil for
    /// a plain path or one with more than one `[]` (not supported).
    public static func elementPath(_ path: String) -> (array: Substring, element: Substring)? {
        let u = path.utf8
        var marks: [String.Index] = []
        var i = u.startIndex
        while i < u.endIndex {
            let j = u.index(after: i)
            if u[i] == UInt8(ascii: "["), j < u.endIndex, u[j] == UInt8(ascii: "]") { marks.append(i) }
            i = j
        }
        guard marks.count == 1 else { return nil }
        let array = path[..<marks[0]]
        var element = path[u.index(marks[0], offsetBy: 2)...]
        guard !array.isEmpty else { return nil }
        if element.hasPrefix(".") { element = element.dropFirst() } else if !element.isEmpty { return nil }
        return (array, element)
    }

    /// The entry of ``paths`` that asks for lists inside traits (a rule `trait children[].age < 3`): such a list is
    /// then kept as its elements' traits, `children[0].age`, `children[1].age`… next to `children` itself
    /// (otherwise a list in traits is only a composite value). Not a property path.
    public static let traitListsPath = "\u{1}traits[]"

    /// Whether lists inside traits are kept (see ``traitListsPath``).
    public var traitLists: Bool { paths.contains(Self.traitListsPath) }

    /// Whether `path` has a `[]` anywhere.
    static func hasElementMark(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for c in path.utf8 {
            if previous == UInt8(ascii: "[") && c == UInt8(ascii: "]") { return true }
            previous = c
        }
        return false
    }

    /// This selection plus `other`'s paths.
    public func union(_ other: FieldSelection) -> FieldSelection {
        FieldSelection(paths: paths.union(other.paths), captures: captures.union(other.captures))
    }
}
