import EventStore

/// Per-question answers of a survey (`feedback.questions` of the report).
public struct QuestionStats: Codable, Sendable, Equatable {
    public var surveyID: String
    /// The question's id (PostHog's question id, the catalog's id, or the captured key), or `#N` for the N-th
    /// question of a survey whose answers carry only PostHog's index keys and that the catalog does not declare.
    public var question: String
    /// The question text from the catalog, if declared.
    public var text: String?
    /// The catalog's type (`nps`, `rating`, `single_choice`, `multiple_choice`, `open`), or nil when undeclared.
    public var type: String?
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

    public init(surveyID: String, question: String) { self.surveyID = surveyID; self.question = question }

    enum CodingKeys: String, CodingKey {
        case question, text, type, answers, persons, mean, values
        case surveyID = "survey_id"
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

/// Accumulates ``QuestionStats`` while responses stream in (persons contiguous).
struct AnswerAccumulator {
    struct Entry {
        var answers = 0
        var persons = 0
        var lastPerson: Int32 = -1
        var lastRow: Int32 = -1
        var sum = 0.0
        var numeric = 0
        var allNumeric = true
        var values: [String: Int] = [:]
    }
    var entries: [String: [String: Entry]] = [:]

    mutating func add(survey: String, question: String, value: PropValue, row: Int32, person: Int32, strings: Interner) {
        var e = entries[survey, default: [:]][question, default: Entry()]
        if e.lastRow != row { e.answers += 1; e.lastRow = row }
        if e.lastPerson != person { e.persons += 1; e.lastPerson = person }
        let text: String
        if let d = value.number {
            e.sum += d
            e.numeric += 1
            text = d.rounded(.towardZero) == d && abs(d) < 9.0e15 ? String(Int64(d)) : "\(d)"
        } else if let id = value.stringID {
            let s = strings[id]
            text = s
            if let d = Double(s.trimmingSpaces), d.isFinite { e.sum += d; e.numeric += 1 } else { e.allNumeric = false }
        } else if let b = value.bool {
            text = b ? "true" : "false"
            e.allNumeric = false
        } else {
            return
        }
        e.values[text, default: 0] += 1
        entries[survey, default: [:]][question] = e
    }

    func stats(catalog: SurveyCatalog) -> [QuestionStats] {
        var out: [QuestionStats] = []
        for (survey, questions) in entries {
            let declared = catalog.surveys[survey]?.questions ?? []
            for (question, e) in questions {
                var q = QuestionStats(surveyID: survey, question: question)
                let d = declared.first { $0.id == question }
                q.text = d?.text
                q.type = d?.type.name
                q.answers = e.answers
                q.persons = e.persons
                q.mean = e.numeric > 0 ? e.sum / Double(e.numeric) : nil
                let listed: Bool
                switch d?.type {
                case .nps?, .rating?, .singleChoice?, .multipleChoice?: listed = true
                case .open?: listed = false
                case nil: listed = e.allNumeric
                }
                if listed {
                    q.values = e.values.map { ValueCount(value: $0.key, count: $0.value) }.sorted { a, b in
                        if let x = Double(a.value), let y = Double(b.value), x != y { return x < y }
                        return a.value < b.value
                    }
                }
                out.append(q)
            }
        }
        return out.sorted { ($0.surveyID, $0.question) < ($1.surveyID, $1.question) }
    }
}

extension QuestionStats: FigureList {
    public static let figures: [FigureDescriptor<QuestionStats>] = [
        .count("answers", \.answers, privacy: .audit, help: "Responses answering the question."),
        .count("persons", \.persons, \.$persons, privacy: .persons, help: "Distinct persons who answered it."),
        .init("mean", unit: .count, \.mean, privacy: .derived, absent: "no numeric answers",
              help: "Mean of the numeric answers (ratings, NPS scores).", derivedFrom: ["persons"]),
    ]
    public static let attributes: [ReportAttribute<QuestionStats>] = [
        .init("survey_id", \.surveyID), .init("question", \.question), .init("text", \.text), .init("type", \.type),
        .init("values", \.values),
    ]
    public func encode(to encoder: Encoder) throws { try encodeReport(to: encoder) }
}
