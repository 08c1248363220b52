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

    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

// A prompt group's figures: JSON, CSV (`prompts`, `answered`, `response_rate`, `persons`, after a prefix), the
// Prometheus families `<prefix>_prompts` … (HELP with `{what}` = the section), `check` leaves and the guarded counts.
extension PromptGroup: FigureList {
    public static let figures: [FigureDescriptor<PromptGroup>] = [
        .count("prompts", \.prompts, \.$prompts, privacy: .events, help: "Survey prompts (Survey Shown events) {what}.", metric: .init("prompts")),
        .count("answered", \.answered, \.$answered, privacy: .events, help: "Prompts answered within the response window, {what}.",
               metric: .init("answered")),
        .fraction("response_rate", \.responseRate, \.$responseRate, absent: "no prompts", from: ["prompts", "answered"],
                  help: "Answered prompts divided by prompts (0 to 1), {what}.", metric: .init("response_rate")),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Persons with a prompt, {what}.", metric: .init("persons")),
    ]
    public static let attributes: [ReportAttribute<PromptGroup>] = []
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
