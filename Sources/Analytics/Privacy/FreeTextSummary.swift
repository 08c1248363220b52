/// Free-text answers (survey text, customers' chat messages), in aggregate only: earshot never lists
/// the answers themselves.
public struct FreeTextSummary: Codable, Sendable, Equatable {
    /// Text answers counted (events at or before the reference time).
    public var answers: Int = 0
    /// Distinct persons who wrote them.
    @Suppressible public var persons: Int = 0
    /// Mean and median length in characters.
    @Suppressible public var meanLength: Double? = nil
    @Suppressible public var medianLength: Double? = nil
    /// The most frequent words by persons who used them (stop words and words that look like personal
    /// data left out); in a published report, words of fewer than k persons are dropped.
    public var words: [WordCount] = []
    /// Words dropped because fewer than k persons used them (0 in a raw report).
    public var wordsDropped: Int = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case answers, persons, words
        case meanLength = "mean_length"
        case medianLength = "median_length"
        case wordsDropped = "words_dropped"
    }
}

/// A word of the free-text answers: how many persons used it, how often it occurred.
public struct WordCount: Codable, Sendable, Equatable {
    public var word: String
    public var persons: Int
    public var count: Int
    public init(word: String, persons: Int, count: Int) { self.word = word; self.persons = persons; self.count = count }
}

extension FreeTextSummary: FigureList {
    public static let figures: [FigureDescriptor<FreeTextSummary>] = [
        .count("answers", \.answers, privacy: .audit, help: "Text answers counted (events at or before the reference time)."),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Distinct persons who wrote them."),
        .init("mean_length", unit: .count, \.meanLength, \.$meanLength, privacy: .derived, absent: "no text answers",
              help: "Mean length of the answers in characters.", derivedFrom: ["persons"]),
        .init("median_length", unit: .count, \.medianLength, \.$medianLength, privacy: .derived, absent: "no text answers",
              help: "Median length of the answers in characters.", derivedFrom: ["persons"]),
        .count("words_dropped", \.wordsDropped, privacy: .audit, help: "Words dropped because fewer than k persons used them."),
    ]
    public static let attributes: [ReportAttribute<FreeTextSummary>] = [.init("words", \.words)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}
