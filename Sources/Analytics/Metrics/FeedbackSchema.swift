import EventStore

/// How a shop's own events map to earshot's feedback roles, and what its surveys ask.
///
/// The defaults are earshot's built-in names (Segment-style `Survey Shown` / `Survey Sent` /
/// `Survey Dismissed` and PostHog's `survey shown` / `survey sent` / `survey dismissed`), so a store
/// without a configuration file reads exactly as before. `earshot.yaml` (docs/CONFIG.md) replaces
/// any of them. Field paths are full dotted paths from the event root (`properties.score`).
public struct FeedbackSchema: Sendable, Equatable {
    /// Track event names of a prompt (the survey was shown or sent to the person).
    public var promptEvents: [String]
    /// Track event names of an answer.
    public var answerEvents: [String]
    /// Track event names of a dismissal.
    public var dismissalEvents: [String]
    /// Paths of the survey id, first present non-empty one wins.
    public var surveyIDFields: [String]
    /// Paths of the channel, first non-empty string wins.
    public var channelFields: [String]
    /// Paths of the 0–10 score, first present non-null one decides (docs/DEFINITIONS.md, "NPS").
    public var scoreFields: [String]
    /// Paths of a free-text answer (a string that is not a number), first string wins.
    public var answerFields: [String]
    /// Paths of the survey type declared on the event (`nps`, `rating`, `open`, …).
    public var surveyTypeFields: [String]
    /// Channel names as the store writes them → the name earshot shows (`text` → `sms`).
    public var channelNames: [String: String]
    /// The surveys the shop runs, with their questions (empty: none declared).
    public var catalog: SurveyCatalog
    /// The trait that states a person's preferred channel (`preferred_channel` unless configured).
    public var preferredChannelTrait: String = FeedbackSchema.defaultPreferredChannelTrait
    /// Preferred-channel trait values → channel names (`text` → `sms`), keys lowercased: compared case-insensitively.
    public var preferredChannelValues: [String: String] = [:]

    public static let defaultPromptEvents = ["Survey Shown", "survey shown"]
    public static let defaultAnswerEvents = ["Survey Sent", "survey sent"]
    public static let defaultDismissalEvents = ["Survey Dismissed", "survey dismissed"]
    public static let defaultSurveyIDFields = ["properties.survey_id", "properties.$survey_id"]
    public static let defaultChannelFields = ["properties.channel"]
    public static let defaultScoreFields = ["properties.score", "properties.survey_response", "properties.$survey_response"]
    public static let defaultSurveyTypeFields = ["properties.survey_type"]
    public static let defaultAnswerFields = ["properties.survey_response", "properties.$survey_response"]
    public static let defaultPreferredChannelTrait = "preferred_channel"

    public init(promptEvents: [String] = FeedbackSchema.defaultPromptEvents,
                answerEvents: [String] = FeedbackSchema.defaultAnswerEvents,
                dismissalEvents: [String] = FeedbackSchema.defaultDismissalEvents,
                surveyIDFields: [String] = FeedbackSchema.defaultSurveyIDFields,
                channelFields: [String] = FeedbackSchema.defaultChannelFields,
                scoreFields: [String] = FeedbackSchema.defaultScoreFields,
                answerFields: [String] = FeedbackSchema.defaultAnswerFields,
                surveyTypeFields: [String] = FeedbackSchema.defaultSurveyTypeFields,
                channelNames: [String: String] = [:], catalog: SurveyCatalog = SurveyCatalog()) {
        self.promptEvents = promptEvents; self.answerEvents = answerEvents; self.dismissalEvents = dismissalEvents
        self.surveyIDFields = surveyIDFields; self.channelFields = channelFields; self.scoreFields = scoreFields
        self.answerFields = answerFields
        self.surveyTypeFields = surveyTypeFields; self.channelNames = channelNames; self.catalog = catalog
    }

    /// earshot's built-in names.
    public static let standard = FeedbackSchema()

    /// The property paths the feedback metrics read with this schema (besides ``FieldSelection/metrics``). Answer
    /// fields other than the built-in ones are also captured as answers (a list is a multiple-choice answer), so
    /// they become questions of their own (`feedback.questions`, named by their key).
    public var fieldSelection: FieldSelection {
        FieldSelection(paths: Set(surveyIDFields + channelFields + scoreFields + answerFields + surveyTypeFields
                                  + ["properties.$survey_submission_id"]),
                       captures: Set(answerFields.filter { !Self.defaultAnswerFields.contains($0) }))
    }
}

/// The shop's surveys, by survey id.
public struct SurveyCatalog: Sendable, Equatable {
    /// Surveys by id (the value of the survey-id field).
    public var surveys: [String: CatalogSurvey]
    public init(surveys: [String: CatalogSurvey] = [:]) { self.surveys = surveys }
}

/// One survey of the catalog.
public struct CatalogSurvey: Sendable, Equatable {
    /// A display name (PostHog's survey name, …); nil shows the id.
    public var name: String?
    /// The questions, in order.
    public var questions: [CatalogQuestion]
    public init(name: String? = nil, questions: [CatalogQuestion] = []) { self.name = name; self.questions = questions }

    /// Whether the survey's score is an NPS score: it has an NPS question.
    public var isNPS: Bool { questions.contains { $0.type == .nps } }
}

/// One question of a catalog survey.
public struct CatalogQuestion: Sendable, Equatable {
    public var id: String
    public var text: String?
    public var type: QuestionType
    public init(id: String, text: String? = nil, type: QuestionType) { self.id = id; self.text = text; self.type = type }
}

/// What kind of answer a question takes.
public enum QuestionType: Sendable, Equatable {
    /// 0–10 "How likely are you to recommend…": promoters 9–10, detractors 0–6.
    case nps
    /// A rating on a scale `1…scale` (stars, emoji, thumbs: scale 2): never NPS.
    case rating(scale: Int)
    /// One option of the list.
    case singleChoice(options: [String])
    /// Any options of the list.
    case multipleChoice(options: [String])
    /// Free text.
    case open
}

extension FeedbackSchema: CustomDebugStringConvertible {
    /// A deterministic description (dictionaries sorted by key): part of the report cache's key, which must be the
    /// same in every process for the same schema (Swift's dictionary order is not).
    public var debugDescription: String {
        func list(_ a: [String]) -> String { "[" + a.map { String(reflecting: $0) }.joined(separator: ", ") + "]" }
        let channels = channelNames.sorted { $0.key < $1.key }
            .map { String(reflecting: $0.key) + ": " + String(reflecting: $0.value) }.joined(separator: ", ")
        let surveys = catalog.surveys.sorted { $0.key < $1.key }.map { id, s in
            String(reflecting: id) + ": (name: " + String(reflecting: s.name) + ", questions: [" + s.questions.map { q in
                "(" + String(reflecting: q.id) + ", " + String(reflecting: q.text) + ", " + String(reflecting: q.type) + ")"
            }.joined(separator: ", ") + "])"
        }.joined(separator: ", ")
        return "FeedbackSchema(prompt: \(list(promptEvents)), answer: \(list(answerEvents)), dismissal: \(list(dismissalEvents)), "
            + "surveyID: \(list(surveyIDFields)), channel: \(list(channelFields)), score: \(list(scoreFields)), "
            + "answerFields: \(list(answerFields)), surveyType: \(list(surveyTypeFields)), channelNames: [\(channels)], "
            + "catalog: [\(surveys)])"
    }
}
