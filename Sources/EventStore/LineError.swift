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

    /// One line, for a person.
    public var reason: String {
        switch self {
        case .invalidJSON(let e): return "invalid JSON: \(e)"
        case .notAnObject(let found): return "not a JSON object (the line is \(found))"
        case .missingType: return "no \"type\" string (track, identify, page, screen, group or alias)"
        case .missingIdentity: return "neither \"userId\" nor \"anonymousId\" is a non-empty string"
        case .missingTime: return "no event time (none of \"timestamp\", \"originalTimestamp\", \"receivedAt\")"
        case let .invalidTime(field, value, problem):
            return value.isEmpty ? "\"\(field)\" is not a valid time: \(problem)"
                                 : "\"\(field)\" is not a valid time: \(value): \(problem)"
        case let .tooLong(bytes, limit): return "line too long (\(bytes) bytes; the limit is \(limit))"
        }
    }

    public var description: String { reason }
}
