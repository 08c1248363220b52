import EventStore

/// Dense keys for text values of one kind (survey ids, channels), resolving property values
/// once per distinct interned string or number, never once per row.
struct KeyTable {
    private(set) var names: [String] = []
    private var index: [String: Int32] = [:]
    private var byString: [Int32: Int32] = [:]
    private var byNumber: [UInt64: Int32] = [:]

    /// The key of a name, adding it when new.
    mutating func key(_ name: String) -> Int32 {
        if let k = index[name] { return k }
        let k = Int32(names.count)
        names.append(name)
        index[name] = k
        return k
    }

    /// The key of a non-empty string value, else -1.
    mutating func key(stringID id: Int32, in strings: Interner) -> Int32 {
        if let k = byString[id] { return k }
        let s = strings[id]
        let k = s.isEmpty ? -1 : key(s)
        byString[id] = k
        return k
    }

    /// The key of a number rendered as text: integral numbers as their integer text (`42`),
    /// others in Swift's shortest form (`2.5`).
    mutating func key(number: Double, bits: UInt64) -> Int32 {
        if let k = byNumber[bits] { return k }
        let text = number.rounded(.towardZero) == number && abs(number) < 9.0e15 ? String(Int64(number)) : "\(number)"
        let k = key(text)
        byNumber[bits] = k
        return k
    }
}

/// Reads the survey fields of feedback events from the table's property columns.
struct SurveyFields {
    let strings: Interner
    let surveyID: [PropValue]?
    let posthogSurveyID: [PropValue]?
    let channel: [PropValue]?
    let scoreColumns: [[PropValue]]
    var surveys = KeyTable()
    var channels = KeyTable()
    /// The key of the survey `unknown` (events without a survey id).
    let unknownSurvey: Int32
    /// The key of the channel `unknown`.
    let unknownChannel: Int32
    private var textScores: [Int32: Int8] = [:]

    init(table: EventTable) {
        strings = table.strings
        surveyID = table.column("properties.survey_id")
        posthogSurveyID = table.column("properties.$survey_id")
        channel = table.column("properties.channel")
        scoreColumns = ["properties.score", "properties.survey_response", "properties.$survey_response"]
            .compactMap { table.column($0) }
        unknownSurvey = surveys.key("unknown")
        unknownChannel = channels.key("unknown")
    }

    /// The survey key of row `r`: `properties.survey_id`, else `properties.$survey_id` (a non-empty
    /// string, or a number as text), else the survey `unknown`.
    mutating func survey(_ r: Int) -> Int32 {
        if let k = surveyKey(surveyID, r) { return k }
        if let k = surveyKey(posthogSurveyID, r) { return k }
        return unknownSurvey
    }

    private mutating func surveyKey(_ col: [PropValue]?, _ r: Int) -> Int32? {
        guard let col else { return nil }
        let v = col[r]
        if let id = v.stringID {
            let k = surveys.key(stringID: id, in: strings)
            return k >= 0 ? k : nil
        }
        if let d = v.number { return surveys.key(number: d, bits: v.bits) }
        return nil
    }

    /// The channel key of row `r` (`properties.channel`, a non-empty string), or -1 when it has none.
    mutating func channel(_ r: Int) -> Int32 {
        guard let col = channel, let id = col[r].stringID else { return -1 }
        return channels.key(stringID: id, in: strings)
    }

    /// The score of row `r`: the first of `properties.score`, `properties.survey_response`,
    /// `properties.$survey_response` that is present and not null, when it is an integer 0…10.
    mutating func score(_ r: Int) -> Int? {
        for col in scoreColumns {
            let v = col[r]
            switch v.kind {
            case .missing, .null: continue
            case .number: return parseScore(number: v.number!)
            case .string:
                let id = v.stringID!
                if let cached = textScores[id] { return cached < 0 ? nil : Int(cached) }
                let s = parseScore(text: strings[id])
                textScores[id] = Int8(s ?? -1)
                return s
            case .bool, .composite: return nil
            }
        }
        return nil
    }
}
