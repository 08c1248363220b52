/// Why one line of the store is not an event earshot can use. Its ``reason`` is what the
/// malformed-lines view and `earshot check` show.
public enum LineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line is not valid JSON.
    case invalidJSON(JSONSyntaxError)
    /// Valid JSON, but not an object; `found` names what it is ("an array").
    case notAnObject(found: String)
    /// No `type` field holding a string.
    case missingType
    /// Neither `userId` nor `anonymousId` is a non-empty string.
    case missingIdentity
    /// None of `timestamp`, `originalTimestamp`, `receivedAt` is present.
    case missingTime
    /// The first present time field is not a valid ISO-8601 time with a zone.
    case invalidTime(field: String, value: String, problem: String)
    /// The line is longer than the reader's line limit.
    case tooLong(bytes: Int, limit: Int)
    /// The first present time field is a valid time without a zone, and ``ReaderOptions/assumeUTC`` is off.
    case zonelessTime(field: String, value: String)
    /// A trait's dotted path is longer than ``EventLineParser/maxTraitPathBytes``, nested deeper than
    /// ``EventLineParser/maxTraitDepth``, or the line's trait paths together exceed their budget.
    case traitPathTooLong(limit: String)
    /// A batch envelope whose `batch` member is not an array.
    case batchNotAnArray
    /// Item `index` (1-based, like line numbers) of a batch envelope is not an event (`problem` says why).
    indirect case batchItem(index: Int, problem: LineError)
    /// A PostHog-shaped event (`event` without `type`) without a usable `distinct_id`.
    case postHogNoDistinctId
    /// The items of a batch envelope, with the envelope's `context` merged into each, would exceed
    /// `limit` bytes in all (so a large context cannot be multiplied by many items).
    case batchTooLarge(limit: Int)

    /// One line, for a person.
    public var reason: String {
        switch self {
        case .invalidJSON(let e): return "invalid JSON: \(e)"
        case .notAnObject(let found): return "not a JSON object (the line is \(found))"
        case .missingType: return "no \"type\" string (track, identify, page, screen, group or alias), and not a batch envelope or PostHog event"
        case .missingIdentity: return "neither \"userId\" nor \"anonymousId\" is a non-empty string"
        case .missingTime: return "no event time (none of \"timestamp\", \"originalTimestamp\", \"receivedAt\")"
        case let .invalidTime(field, value, problem):
            return value.isEmpty ? "\"\(field)\" is not a valid time: \(problem)"
                                 : "\"\(field)\" is not a valid time: \(value): \(problem)"
        case let .tooLong(bytes, limit): return "line too long (\(bytes) bytes; the limit is \(limit))"
        case let .zonelessTime(field, value):
            return "\"\(field)\" is a time without a zone: \(value) (use --assume-utc to read such times as UTC)"
        case .traitPathTooLong(let limit): return "traits nested too deeply or too long (\(limit))"
        case .batchNotAnArray: return "\"batch\" is not an array (a batch envelope holds its events in an array)"
        case let .batchItem(index, problem): return "batch item \(index): \(problem.reason)"
        case .batchTooLarge(let limit):
            return "the batch's items with the envelope's context merged in exceed \(limit) bytes in all; this and later items were skipped"
        case .postHogNoDistinctId:
            return "PostHog event without \"distinct_id\" (neither at the top level nor in \"properties\" a non-empty string or number)"
        }
    }

    public var description: String { reason }

    /// The reason's kind without line-specific details, for counts by kind ("time without a zone",
    /// "batch item: no type"); the Data view and the report group malformed records by it.
    public var kind: String {
        switch self {
        case .invalidJSON: return "invalid JSON"
        case .notAnObject: return "not a JSON object"
        case .missingType: return "no type"
        case .missingIdentity: return "no userId or anonymousId"
        case .missingTime: return "no event time"
        case .invalidTime: return "invalid time"
        case .tooLong: return "line too long"
        case .zonelessTime: return "time without a zone"
        case .traitPathTooLong: return "traits too deep or too long"
        case .batchNotAnArray: return "batch is not an array"
        case .batchItem(_, let problem): return "batch item: " + problem.kind
        case .postHogNoDistinctId: return "PostHog event without distinct_id"
        case .batchTooLarge: return "batch too large to merge"
        }
    }
}
