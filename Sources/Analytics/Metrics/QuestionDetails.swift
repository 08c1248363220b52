/// One option of a choice question (`feedback.questions[].options`).
public struct OptionShare: Codable, Sendable, Equatable {
    /// The option's text (the catalog's spelling when it matches one case-insensitively), or `other` for the
    /// options folded after the top 12.
    public var option: String
    /// True for the folded row of the options after the top 12.
    public var other: Bool
    /// True when the catalog lists the option (a published report drops undeclared options of fewer than k persons:
    /// their text is the customer's own).
    public var declared: Bool
    /// Answers that chose it (a person answering twice counts twice).
    @Suppressible public var count: Int
    /// Distinct persons who chose it.
    @Suppressible public var persons: Int
    /// persons / the question's persons (null without persons).
    @Suppressible public var share: Double?

    public init(option: String, other: Bool = false, declared: Bool = false, count: Int, persons: Int, share: Double?) {
        self.option = option; self.other = other; self.declared = declared; self.count = count; self.persons = persons
        self.share = share
    }

    enum CodingKeys: String, CodingKey { case option, other, declared, count, persons, share }

}

/// One bar of a rating or NPS question's histogram.
public struct HistogramBin: Codable, Sendable, Equatable {
    /// The rating (1…scale) or score (0…10).
    public var value: Int
    /// Answers with that value.
    @Suppressible public var count: Int

    public init(value: Int, count: Int) { self.value = value; self.count = count }

    enum CodingKeys: String, CodingKey { case value, count }

}

/// A theme of an open question: a frequent word or two-word phrase.
public struct AnswerTheme: Codable, Sendable, Equatable {
    /// The word, or the two words separated by one space (two CJK characters: no space).
    public var theme: String
    /// `word` or `phrase`.
    public var kind: String
    /// Distinct persons whose answers contain it.
    @Suppressible public var persons: Int
    /// Answers containing it.
    public var answers: Int
    /// Up to 5 answers containing it (most frequent text first); in a published report masked, and only for themes
    /// of at least k persons.
    public var examples: [String]

    public init(theme: String, kind: String, persons: Int, answers: Int, examples: [String]) {
        self.theme = theme; self.kind = kind; self.persons = persons; self.answers = answers; self.examples = examples
    }

    enum CodingKeys: String, CodingKey { case theme, kind, persons, answers, examples }

}

/// One ISO week of a question's answers.
public struct QuestionWeek: Codable, Sendable, Equatable {
    /// ISO week, `2026-W09`.
    public var week: String
    /// Answers in the week.
    @Suppressible public var answers: Int
    /// Distinct persons answering in the week.
    @Suppressible public var persons: Int
    /// Of those persons, the share who chose the question's top option (``QuestionStats/topOption``); null without
    /// a top option or without persons.
    @Suppressible public var topShare: Double?

    public init(week: String, answers: Int, persons: Int, topShare: Double?) {
        self.week = week; self.answers = answers; self.persons = persons; self.topShare = topShare
    }

    enum CodingKeys: String, CodingKey {
        case week, answers, persons
        case topShare = "top_share"
    }

}

/// The question funnel of a catalog survey with two or more questions (`feedback.question_funnels`).
public struct QuestionFunnel: Codable, Sendable, Equatable {
    public var surveyID: String
    /// The catalog's survey name.
    public var name: String?
    public var steps: [FunnelStep]

    public init(surveyID: String, name: String?, steps: [FunnelStep]) {
        self.surveyID = surveyID; self.name = name; self.steps = steps
    }

    enum CodingKeys: String, CodingKey {
        case name, steps
        case surveyID = "survey_id"
    }

}

/// Question N of a funnel: persons asked, persons who answered.
public struct FunnelStep: Codable, Sendable, Equatable {
    /// 1-based position in the catalog.
    public var position: Int
    public var question: String
    public var text: String?
    /// Persons asked the question (docs/DEFINITIONS.md, "Question funnel").
    @Suppressible public var asked: Int
    /// Persons who answered it.
    @Suppressible public var answered: Int
    /// answered / asked.
    @Suppressible public var answerRate: Double?

    public init(position: Int, question: String, text: String?, asked: Int, answered: Int) {
        self.position = position; self.question = question; self.text = text
        self.asked = asked; self.answered = answered; self.answerRate = ratio(answered, asked)
    }

    enum CodingKeys: String, CodingKey {
        case position, question, text, asked, answered
        case answerRate = "answer_rate"
    }

}

extension OptionShare: FigureList {
    public static let figures: [FigureDescriptor<OptionShare>] = [
        .count("count", \.count, \.$count, privacy: .events, help: "Answers that chose the option."),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Persons who chose the option.",
               metric: .init("option_persons")),
        .fraction("share", \.share, \.$share, absent: "no persons answered", from: ["persons"],
                  help: "Persons who chose the option divided by persons who answered the question (0 to 1; multiple choice: shares can add up to more than 1).", metric: .init("option_share")),
    ]
    public static let attributes: [ReportAttribute<OptionShare>] = [
        .init("option", \.option), .init("other", \.other), .init("declared", \.declared),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension HistogramBin: FigureList {
    public static let figures: [FigureDescriptor<HistogramBin>] = [
        .count("count", \.count, \.$count, privacy: .events, help: "Answers with the value (ratings 1 to scale, NPS 0 to 10).",
               metric: .init("histogram")),
    ]
    public static let attributes: [ReportAttribute<HistogramBin>] = [.init("value", \.value)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension AnswerTheme: FigureList {
    public static let figures: [FigureDescriptor<AnswerTheme>] = [
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Distinct persons whose answers contain the theme."),
        .count("answers", \.answers, privacy: .audit, help: "Answers containing the theme."),
    ]
    public static let attributes: [ReportAttribute<AnswerTheme>] = [
        .init("theme", \.theme), .init("kind", \.kind), .init("examples", \.examples),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension QuestionWeek: FigureList {
    public static let figures: [FigureDescriptor<QuestionWeek>] = [
        .count("answers", \.answers, \.$answers, privacy: .events, help: "Answers to the question in the ISO week (UTC) of the response."),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Distinct persons answering in the week."),
        .fraction("top_share", \.topShare, \.$topShare, absent: "no top option or no persons", from: ["persons"],
                  help: "Of the persons answering in the week, the share who chose the question's top option."),
    ]
    public static let attributes: [ReportAttribute<QuestionWeek>] = [.init("week", \.week)]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension QuestionFunnel: FigureList {
    public static let figures: [FigureDescriptor<QuestionFunnel>] = []
    public static let attributes: [ReportAttribute<QuestionFunnel>] = [
        .init("survey_id", \.surveyID), .init("name", \.name), .init("steps", \.steps),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}

extension FunnelStep: FigureList {
    public static let figures: [FigureDescriptor<FunnelStep>] = [
        .count("asked", \.asked, \.$asked, privacy: .persons, help: "Persons asked the question: for question 1, persons prompted with the survey or answering any of its questions; for question n, persons who answered question n-1 or a later one (the script went on to n).",
               metric: .init("asked")),
        .count("answered", \.answered, \.$answered, privacy: .persons,
               help: "Persons who answered the question of the survey's question funnel.", metric: .init("answered")),
        .fraction("answer_rate", \.answerRate, \.$answerRate, absent: "nobody asked", from: ["asked", "answered"],
                  help: "answered / asked: how many of those asked kept telling."),
    ]
    public static let attributes: [ReportAttribute<FunnelStep>] = [
        .init("position", \.position), .init("question", \.question), .init("text", \.text),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}
