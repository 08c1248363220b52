import Analytics
import Foundation
import Yams

/// The shop's own names for earshot's roles, read from `earshot.yaml` (docs/CONFIG.md).
///
/// Every key is optional; what is left out keeps earshot's built-in behaviour. The command line
/// wins over the file (`--analytics-category`).
public struct EarshotConfiguration: Sendable, Equatable {
    /// The file it was read from (nil: built in / from text).
    public var path: String?
    /// The file's text: part of the table and report cache keys.
    public var source: String
    /// `analytics_category`: the consent category whose denial makes an event "collected without consent".
    public var analyticsCategory: String?
    /// `assume_utc`: read times without a zone as UTC (the reader's option of the same name).
    public var assumeUTC: Bool?
    /// `pii_fields`: further trait and property keys whose values are personal data.
    public var piiFields: [String]
    /// `feedback`, `channels` and `surveys`: the feedback events, fields, channel names and survey catalog.
    public var feedback: FeedbackSchema

    public init(path: String? = nil, source: String = "", analyticsCategory: String? = nil, assumeUTC: Bool? = nil,
                piiFields: [String] = [], feedback: FeedbackSchema = .standard) {
        self.path = path; self.source = source; self.analyticsCategory = analyticsCategory
        self.assumeUTC = assumeUTC; self.piiFields = piiFields; self.feedback = feedback
    }

    /// The name of the configuration file earshot looks for at the top of a directory store.
    public static let fileName = "earshot.yaml"

    /// Reads and checks a configuration file.
    /// - Throws: ``ConfigError`` (`file:line:col: message`) for unreadable files, bad YAML and bad keys or values.
    public static func load(path: String) throws(ConfigError) -> EarshotConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            throw ConfigError(file: path, line: 1, column: 1,
                              message: !exists ? "no such configuration file" : isDir.boolValue
                                ? "is a directory, not a configuration file" : "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: 1, column: 1, message: "is not UTF-8 text")
        }
        return try parse(text, fileName: path)
    }

    /// Parses configuration text; `fileName` is used in error positions.
    public static func parse(_ text: String, fileName: String) throws(ConfigError) -> EarshotConfiguration {
        let reader = ConfigReader(file: fileName)
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw reader.yamlError(error, text: text)
        }
        var config = EarshotConfiguration(path: fileName, source: text)
        guard let root else { return config }  // an empty file: all defaults
        try reader.read(root, into: &config)
        return config
    }

    /// The configuration file of a store: `earshot.yaml` at the top of a directory store, if there is one.
    /// - Throws: ``ConfigError`` when several store directories each have one (name one with `--config`).
    public static func find(storePaths: [String]) throws(ConfigError) -> String? {
        var found: [String] = []
        for p in storePaths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue else { continue }
            let candidate = (p as NSString).appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: candidate) && !found.contains(candidate) { found.append(candidate) }
        }
        if found.count > 1 {
            throw ConfigError(file: found[1], line: 1, column: 1,
                              message: "several stores have a configuration file (\(found.joined(separator: ", "))); choose one with --config FILE")
        }
        return found.first
    }
}

/// Walks the YAML tree, checking every key and value.
struct ConfigReader {
    let file: String

    static let topKeys = ["analytics_category", "assume_utc", "pii_fields", "channels", "feedback", "surveys",
                          "preferred_channel"]
    static let preferredChannelKeys = ["trait", "values"]
    static let feedbackKeys = ["prompt_events", "answer_events", "dismissal_events", "survey_id_fields", "channel_fields",
                               "score_fields", "answer_fields", "survey_type_fields"]
    static let surveyKeys = ["name", "questions"]
    static let questionKeys = ["id", "text", "type", "scale", "options"]
    static let questionTypes = ["nps", "rating", "single_choice", "multiple_choice", "open"]

    func error(_ node: Node?, _ message: String) -> ConfigError {
        let mark = node?.mark
        return ConfigError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
    }

    func yamlError(_ e: Error, text: String) -> ConfigError {
        func at(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> ConfigError {
            var message = problem
            if let context { message = context.text + ": " + problem }
            return ConfigError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: " + message)
        }
        switch e as? YamlError {
        case let .scanner(context, problem, mark, _)?: return at(mark, problem, context)
        case let .parser(context, problem, mark, _)?: return at(mark, problem, context)
        case let .composer(context, problem, mark, _)?: return at(mark, problem, context)
        case let .duplicatedKeysInMapping(duplicates, context)?:
            return ConfigError(file: file, line: context.mark.line, column: context.mark.column,
                               message: "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", "))")
        case let .reader(problem, offset, _, _)?:
            var line = 1, column = 1
            if let offset {
                for (i, ch) in text.unicodeScalars.enumerated() {
                    if i >= offset { break }
                    if ch == "\n" { line += 1; column = 1 } else { column += 1 }
                }
            }
            return ConfigError(file: file, line: line, column: column, message: "invalid YAML: " + problem)
        default:
            return ConfigError(file: file, line: 1, column: 1, message: "invalid YAML: \(e)")
        }
    }

    /// The key/value pairs of a mapping, with unknown keys rejected (with a did-you-mean).
    func mapping(_ node: Node, what: String, keys: [String]?) throws(ConfigError) -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let m) = node else { throw error(node, "\(what) must be a mapping of keys to values") }
        var out: [(key: String, keyNode: Node, value: Node)] = []
        for (k, v) in m {
            guard case .scalar(let s) = k else { throw error(k, "\(what): keys must be plain text") }
            if let keys, !keys.contains(s.string) {
                var message = "unknown key \"\(s.string)\" in \(what)"
                if let guess = didYouMean(s.string, among: keys) { message += "; did you mean \"\(guess)\"?" }
                else { message += " (known keys: \(keys.joined(separator: ", ")))" }
                throw error(k, message)
            }
            out.append((s.string, k, v))
        }
        return out
    }

    func string(_ node: Node, _ what: String) throws(ConfigError) -> String {
        guard case .scalar(let s) = node, node.null == nil else {
            throw error(node, "\(what) must be text")
        }
        guard !s.string.isEmpty else { throw error(node, "\(what) must not be empty") }
        return s.string
    }

    /// A string or a list of strings.
    func strings(_ node: Node, _ what: String) throws(ConfigError) -> [String] {
        switch node {
        case .scalar: return [try string(node, what)]
        case .sequence(let seq):
            var out: [String] = []
            for item in seq { out.append(try string(item, "each of \(what)")) }
            guard !out.isEmpty else { throw error(node, "\(what) must name at least one value") }
            return out
        default: throw error(node, "\(what) must be text or a list of texts")
        }
    }

    /// Event names: a string or a list of strings; an empty list `[]` means none (a source without that event).
    func names(_ node: Node, _ what: String) throws(ConfigError) -> [String] {
        if case .sequence(let seq) = node, seq.isEmpty { return [] }
        return try strings(node, what)
    }

    /// Property paths: dotted, from the event root; a path not starting with `properties.`, `context.` or
    /// `traits.` is under `properties`.
    func paths(_ node: Node, _ what: String) throws(ConfigError) -> [String] {
        var out: [String] = []
        for p in try strings(node, what) {
            if p.hasPrefix(".") || p.hasSuffix(".") || p.contains("..") {
                throw error(node, "\(what): \"\(p)\" is not a dotted path (e.g. score or properties.survey.score)")
            }
            let full = ["properties.", "context.", "traits."].contains(where: { p.hasPrefix($0) }) ? p : "properties." + p
            if !out.contains(full) { out.append(full) }
        }
        return out
    }

    func bool(_ node: Node, _ what: String) throws(ConfigError) -> Bool {
        guard case .scalar = node, let b = node.bool else { throw error(node, "\(what) must be true or false") }
        return b
    }

    func read(_ root: Node, into config: inout EarshotConfiguration) throws(ConfigError) {
        var schema = FeedbackSchema.standard
        for (key, _, value) in try mapping(root, what: "the configuration", keys: Self.topKeys) {
            switch key {
            case "analytics_category": config.analyticsCategory = try string(value, "analytics_category")
            case "assume_utc": config.assumeUTC = try bool(value, "assume_utc")
            case "pii_fields": config.piiFields = try strings(value, "pii_fields")
            case "channels":
                for (from, _, to) in try mapping(value, what: "channels", keys: nil) {
                    schema.channelNames[from] = try string(to, "channels.\(from)")
                }
            case "feedback": try readFeedback(value, into: &schema)
            case "surveys": schema.catalog = try readCatalog(value)
            case "preferred_channel": try readPreferredChannel(value, into: &schema)
            default: break
            }
        }
        config.feedback = schema
    }

    /// `preferred_channel: {trait: <trait key>, values: {<trait value>: <channel>}}`; values are matched
    /// case-insensitively, so two keys that differ only in case are an error.
    func readPreferredChannel(_ node: Node, into schema: inout FeedbackSchema) throws(ConfigError) {
        for (key, _, value) in try mapping(node, what: "preferred_channel", keys: Self.preferredChannelKeys) {
            switch key {
            case "trait": schema.preferredChannelTrait = try string(value, "preferred_channel.trait")
            case "values":
                for (from, keyNode, to) in try mapping(value, what: "preferred_channel.values", keys: nil) {
                    let lower = from.lowercased()
                    if schema.preferredChannelValues[lower] != nil {
                        throw error(keyNode, "preferred_channel.values: \"\(from)\" is listed twice (values are matched ignoring case)")
                    }
                    schema.preferredChannelValues[lower] = try string(to, "preferred_channel.values.\(from)")
                }
            default: break
            }
        }
    }

    func readFeedback(_ node: Node, into schema: inout FeedbackSchema) throws(ConfigError) {
        for (key, _, value) in try mapping(node, what: "feedback", keys: Self.feedbackKeys) {
            let what = "feedback.\(key)"
            switch key {
            case "prompt_events": schema.promptEvents = try names(value, what)
            case "answer_events": schema.answerEvents = try names(value, what)
            case "dismissal_events": schema.dismissalEvents = try names(value, what)
            case "survey_id_fields": schema.surveyIDFields = try paths(value, what)
            case "channel_fields": schema.channelFields = try paths(value, what)
            case "score_fields": schema.scoreFields = try paths(value, what)
            case "answer_fields": schema.answerFields = try paths(value, what)
            case "survey_type_fields": schema.surveyTypeFields = try paths(value, what)
            default: break
            }
        }
        let roles = [("prompt_events", schema.promptEvents), ("answer_events", schema.answerEvents),
                     ("dismissal_events", schema.dismissalEvents)]
        for i in roles.indices {
            for j in roles.indices where j > i {
                if let both = roles[i].1.first(where: { roles[j].1.contains($0) }) {
                    throw error(node, "feedback: \"\(both)\" is in both \(roles[i].0) and \(roles[j].0)")
                }
            }
        }
    }

    func readCatalog(_ node: Node) throws(ConfigError) -> SurveyCatalog {
        var catalog = SurveyCatalog()
        for (id, _, value) in try mapping(node, what: "surveys", keys: nil) {
            var survey = CatalogSurvey()
            var sawQuestions = false
            for (key, _, v) in try mapping(value, what: "survey \"\(id)\"", keys: Self.surveyKeys) {
                switch key {
                case "name": survey.name = try string(v, "surveys.\(id).name")
                case "questions":
                    sawQuestions = true
                    guard case .sequence(let seq) = v else {
                        throw error(v, "surveys.\(id).questions must be a list of questions")
                    }
                    for q in seq {
                        let question = try readQuestion(q, survey: id)
                        if survey.questions.contains(where: { $0.id == question.id }) {
                            throw error(q, "surveys.\(id): question id \"\(question.id)\" is used twice")
                        }
                        survey.questions.append(question)
                    }
                default: break
                }
            }
            if !sawQuestions { throw error(value, "survey \"\(id)\" needs questions (a list with id and type)") }
            catalog.surveys[id] = survey
        }
        return catalog
    }

    func readQuestion(_ node: Node, survey: String) throws(ConfigError) -> CatalogQuestion {
        let what = "a question of survey \"\(survey)\""
        var id: String?, text: String?, typeName: String?, typeNode: Node?
        var scale: Int?, scaleNode: Node?, options: [String]?, optionsNode: Node?
        for (key, _, v) in try mapping(node, what: what, keys: Self.questionKeys) {
            switch key {
            case "id": id = try string(v, "question id")
            case "text": text = try string(v, "question text")
            case "type":
                typeName = try string(v, "question type")
                typeNode = v
            case "scale":
                guard case .scalar = v, let n = v.int else { throw error(v, "scale must be a whole number (e.g. 5 for 1–5)") }
                scale = n
                scaleNode = v
            case "options":
                options = try strings(v, "options")
                optionsNode = v
            default: break
            }
        }
        guard let id else { throw error(node, "\(what) needs an id") }
        guard let typeName else { throw error(node, "question \"\(id)\" needs a type (\(Self.questionTypes.joined(separator: ", ")))") }
        let type: QuestionType
        switch typeName {
        case "nps": type = .nps
        case "rating":
            guard let scale else { throw error(node, "rating question \"\(id)\" needs a scale (e.g. scale: 5 for 1–5)") }
            guard (2...100).contains(scale) else { throw error(scaleNode, "scale must be between 2 and 100") }
            type = .rating(scale: scale)
        case "single_choice", "multiple_choice":
            guard let options else { throw error(node, "\(typeName) question \"\(id)\" needs options (a list)") }
            type = typeName == "single_choice" ? .singleChoice(options: options) : .multipleChoice(options: options)
        case "open": type = .open
        default:
            var message = "unknown question type \"\(typeName)\""
            if let guess = didYouMean(typeName, among: Self.questionTypes) { message += "; did you mean \"\(guess)\"?" }
            else { message += " (use \(Self.questionTypes.joined(separator: ", ")))" }
            throw error(typeNode, message)
        }
        if scale != nil, typeName != "rating" { throw error(scaleNode, "scale is only for rating questions") }
        if options != nil, typeName != "single_choice" && typeName != "multiple_choice" {
            throw error(optionsNode, "options are only for single_choice and multiple_choice questions")
        }
        return CatalogQuestion(id: id, text: text, type: type)
    }
}
