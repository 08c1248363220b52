import EventStore

/// Per-question answers of a survey (`feedback.questions` of the report).
public struct QuestionStats: Codable, Sendable, Equatable {
    public var surveyID: String
    /// The catalog's name of the survey, if declared.
    public var surveyName: String?
    /// The question's id (PostHog's question id, the catalog's id, or the captured key), or `#N` for the N-th
    /// question of a survey whose answers carry only PostHog's index keys and that the catalog does not declare.
    public var question: String
    /// The question text from the catalog, if declared.
    public var text: String?
    /// The catalog's type (`nps`, `rating`, `single_choice`, `multiple_choice`, `open`), or nil when undeclared.
    public var type: String?
    /// 1-based position of the question in the catalog's survey; nil when undeclared.
    public var position: Int?
    /// Responses answering the question (a multiple-choice response counts once).
    public var answers: Int = 0
    /// Distinct persons who answered it.
    @Suppressible public var persons: Int = 0
    /// Mean of the numeric answers (ratings, NPS scores); nil when none is numeric.
    public var mean: Double?
    /// How often each value was given, by value text, sorted by value; only for questions whose values are not free
    /// text: declared `nps`, `rating`, `single_choice`, `multiple_choice`, or undeclared ones whose every value is a
    /// number. A multiple-choice response adds one to each chosen value.
    public var values: [ValueCount] = []
    /// Choice questions (and undeclared questions with a non-number answer): per option, answers, persons and the
    /// share of answering persons; sorted by persons, the options after the top 12 folded into one `other` row.
    public var options: [OptionShare] = []
    /// Rating questions: answers per value 1…scale; NPS questions: per score 0…10; undeclared all-number questions:
    /// per integral value given.
    public var histogram: [HistogramBin] = []
    /// NPS questions: promoters, passives, detractors and the score over this question's answers.
    public var nps: NPSStats?
    /// Open questions (and undeclared questions with a non-number answer): median answer length in characters.
    @Suppressible public var medianLength: Double?
    /// Open questions: the most frequent words and two-word phrases, by persons.
    public var themes: [AnswerTheme] = []
    /// Themes left out of a published report because fewer than k persons used them (0 in a raw report).
    public var themesDropped: Int = 0
    /// The option (or value) chosen by the most persons; the weekly `top_share` follows it. Nil for open questions.
    public var topOption: String?
    /// One point per ISO week with an answer.
    public var weekly: [QuestionWeek] = []

    public init(surveyID: String, question: String) { self.surveyID = surveyID; self.question = question }

    /// `survey/question`, the key of `check` paths (`question["next_birthday/q1"]`).
    public var key: String { surveyID + "/" + question }

    enum CodingKeys: String, CodingKey {
        case question, text, type, position, answers, persons, mean, values, options, histogram, nps, themes, weekly
        case surveyID = "survey_id"
        case surveyName = "survey_name"
        case medianLength = "median_length"
        case themesDropped = "themes_dropped"
        case topOption = "top_option"
    }
}

/// One answer value and how many times it was given.
public struct ValueCount: Codable, Sendable, Equatable {
    public var value: String
    public var count: Int
    public init(value: String, count: Int) { self.value = value; self.count = count }
}

extension QuestionType {
    /// The type's name in the configuration file and the report.
    public var name: String {
        switch self {
        case .nps: return "nps"
        case .rating: return "rating"
        case .singleChoice: return "single_choice"
        case .multipleChoice: return "multiple_choice"
        case .open: return "open"
        }
    }
}

/// Reads the captured answers of response rows (docs/DEFINITIONS.md, "Answers").
///
/// posthog-js writes every answer under `$survey_response_<question id>` and again under the old keys
/// `$survey_response` (first question) and `$survey_response_<index>`; when a response carries any id key, its
/// index keys are ignored (they repeat the same answers). Other captured keys (configured answer fields) are
/// questions of their own, named by the key.
struct AnswerReader {
    let table: EventTable
    let catalog: SurveyCatalog
    private var keyKinds: [Int32: KeyKind] = [:]

    enum KeyKind {
        case id(String)
        case index(Int)
        case other(String)
        case ignored
    }

    init(table: EventTable, catalog: SurveyCatalog) {
        self.table = table
        self.catalog = catalog
    }

    mutating func kind(_ key: Int32) -> KeyKind {
        if let k = keyKinds[key] { return k }
        let text = table.strings[key]
        let k: KeyKind
        if text == "$survey_response" {
            k = .index(0)
        } else if text.hasPrefix("$survey_response_") {
            let rest = String(text.dropFirst("$survey_response_".count))
            if rest.isEmpty { k = .ignored }
            else if rest.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) && rest.utf8.count <= 4 { k = .index(Int(rest)!) }
            else { k = .id(rest) }
        } else if text.hasPrefix("$survey_response") {
            k = .ignored   // `$survey_responses` and the like: not an answer key
        } else {
            k = .other(text)
        }
        keyKinds[key] = k
        return k
    }

    /// The answers of row `r` as (question, value) pairs, questions named as in ``QuestionStats/question``.
    mutating func answers(row r: Int, survey: String) -> [(question: String, value: PropValue)] {
        let range = table.answerIndices(ofRows: r ..< r + 1)
        guard !range.isEmpty else { return [] }
        var hasID = false
        for i in range { if case .id = kind(table.answerKey[i]) { hasID = true; break } }
        let questions = catalog.surveys[survey]?.questions
        var out: [(question: String, value: PropValue)] = []
        for i in range {
            let name: String
            switch kind(table.answerKey[i]) {
            case .id(let id): name = id
            case .index(let n):
                if hasID { continue }
                if let questions, n < questions.count { name = questions[n].id } else { name = "#\(n + 1)" }
            case .other(let key): name = key
            case .ignored: continue
            }
            out.append((name, table.answerValue[i]))
        }
        return out
    }
}

extension QuestionStats: FigureList {
    public static let figures: [FigureDescriptor<QuestionStats>] = [
        .count("answers", \.answers, privacy: .audit, help: "Responses answering the question.", metric: .init("answers")),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Distinct persons who answered the question (responses at or before the reference time; of a PostHog submission only the latest).",
               metric: .init("persons")),
        .init("mean", unit: .count, \.mean, privacy: .derived, absent: "no numeric answers",
              help: "Mean of the question's numeric answers.", metric: .init("mean"), derivedFrom: ["persons"]),
        .init("median_length", unit: .count, \.medianLength, \.$medianLength, privacy: .derived, absent: "no text answers",
              help: "Median length in characters of the question's text answers.", derivedFrom: ["persons"]),
        .count("themes_dropped", \.themesDropped, privacy: .audit,
               help: "Themes left out because fewer than k persons used them."),
    ]
    public static let attributes: [ReportAttribute<QuestionStats>] = [
        .init("survey_id", \.surveyID), .init("survey_name", \.surveyName), .init("question", \.question),
        .init("text", \.text), .init("type", \.type), .init("position", \.position), .init("values", \.values),
        .init("options", \.options), .init("histogram", \.histogram), .init("nps", \.nps), .init("themes", \.themes),
        .init("top_option", \.topOption), .init("weekly", \.weekly),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}
