/// Prompts of one group (a fatigue bucket, the prompts on a person's preferred channel, …) and how many were
/// answered, with the persons behind them. Definitions: docs/DEFINITIONS.md, "Prompt fatigue" and
/// "Preferred channel".
public struct PromptGroup: Codable, Sendable, Equatable {
    /// Prompts in the group.
    @Suppressible public var prompts: Int = 0
    /// Those of them answered (as in the feedback loops: same matching, same window).
    @Suppressible public var answered: Int = 0
    /// `answered / prompts`; nil without prompts.
    @Suppressible public var responseRate: Double?
    /// Distinct persons who received a prompt of the group.
    @Suppressible public var persons: Int = 0

    public init(prompts: Int = 0, answered: Int = 0, persons: Int = 0) {
        self.prompts = prompts; self.answered = answered; self.persons = persons
        responseRate = ratio(answered, prompts)
    }

    enum CodingKeys: String, CodingKey {
        case prompts, answered, persons
        case responseRate = "response_rate"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(_prompts, forKey: .prompts)
        try c.encode(_answered, forKey: .answered)
        try c.encode(_responseRate, forKey: .responseRate)
        try c.encode(_persons, forKey: .persons)
    }
}

/// Counts a ``PromptGroup`` while prompts stream in, persons contiguous (a person's prompts come together).
struct PromptGroupCounter {
    var prompts = 0
    var answered = 0
    var persons = 0
    var lastPerson: Int32 = -1

    @inline(__always) mutating func add(person: Int32, answered isAnswered: Bool) {
        prompts += 1
        if isAnswered { answered += 1 }
        if person != lastPerson { persons += 1; lastPerson = person }
    }

    var group: PromptGroup { PromptGroup(prompts: prompts, answered: answered, persons: persons) }
}
