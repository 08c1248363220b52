import EventStore

/// Dense keys for text values of one kind (survey ids, channels), resolving property values
/// once per distinct interned string or number, never once per row.
struct KeyTable {
    private(set) var names: [String] = []
    private var index: [String: Int32] = [:]
    private var byString: [Int32: Int32] = [:]
    private var byNumber: [UInt64: Int32] = [:]
    /// A direct-mapped memo in front of `byString` (slot `id & 63`: the id and its key), filled only from it: a
    /// survey's or channel's few strings are found by one comparison instead of a hashed lookup per row.
    private var recentIDs = [Int32](repeating: -1, count: KeyTable.recentSlots)
    private var recentKeys = [Int32](repeating: -1, count: KeyTable.recentSlots)
    static let recentSlots = 64

    /// The key of a name, adding it when new.
    mutating func key(_ name: String) -> Int32 {
        if let k = index[name] { return k }
        let k = Int32(names.count)
        names.append(name)
        index[name] = k
        return k
    }

    /// The key of a non-empty string value, else -1.
    @inline(never) mutating func key(stringID id: Int32, in strings: Interner) -> Int32 {
        let slot = Int(id) & (KeyTable.recentSlots - 1)
        if id >= 0 && recentIDs[slot] == id { return recentKeys[slot] }
        let k: Int32
        if let known = byString[id] { k = known } else {
            let s = strings[id]
            k = s.isEmpty ? -1 : key(s)
            byString[id] = k
        }
        recentIDs[slot] = id
        recentKeys[slot] = k
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

/// Reads the survey fields of feedback events from the table's property columns, by the paths of a
/// ``FeedbackSchema`` (the built-in ones unless a configuration file names others).
struct SurveyFields {
    let strings: Interner
    let surveyIDColumns: [PropertyColumn]
    let channelColumns: [PropertyColumn]
    let scoreColumns: [PropertyColumn]
    let typeColumns: [PropertyColumn]
    let submissionColumn: PropertyColumn?
    let channelNames: [String: String]
    var surveys = KeyTable()
    var channels = KeyTable()
    /// The key of the survey `unknown` (events without a survey id).
    let unknownSurvey: Int32
    /// The key of the channel `unknown`.
    let unknownChannel: Int32
    private var textScores: [Int32: Int8] = [:]
    private var textTypes: [Int32: Int8] = [:]

    init(table: EventTable, schema: FeedbackSchema = .standard) {
        strings = table.strings
        surveyIDColumns = schema.surveyIDFields.compactMap { table.column($0) }
        channelColumns = schema.channelFields.compactMap { table.column($0) }
        scoreColumns = schema.scoreFields.compactMap { table.column($0) }
        typeColumns = schema.surveyTypeFields.compactMap { table.column($0) }
        submissionColumn = table.column("properties.$survey_submission_id")
        channelNames = schema.channelNames
        unknownSurvey = surveys.key("unknown")
        unknownChannel = channels.key("unknown")
    }

    /// The survey key of row `r`: the first survey-id field holding a non-empty string or a number
    /// (as text), else the survey `unknown`.
    mutating func survey(_ r: Int) -> Int32 {
        for col in surveyIDColumns {
            if let k = surveyKey(col, r) { return k }
        }
        return unknownSurvey
    }

    private mutating func surveyKey(_ col: PropertyColumn, _ r: Int) -> Int32? {
        let v = col[r]
        if let id = v.stringID {
            let k = surveys.key(stringID: id, in: strings)
            return k >= 0 ? k : nil
        }
        if let d = v.number { return surveys.key(number: d, bits: v.bits) }
        return nil
    }

    /// The channel key of row `r` (the first channel field holding a non-empty string, renamed by the
    /// schema's channel names), or -1 when it has none.
    mutating func channel(_ r: Int) -> Int32 {
        for col in channelColumns {
            guard let id = col[r].stringID else { continue }
            if channelNames.isEmpty { return channels.key(stringID: id, in: strings) }
            let name = strings[id]
            if name.isEmpty { continue }
            return channels.key(channelNames[name] ?? name)
        }
        return -1
    }

    /// The submission id of row `r` (PostHog's `$survey_submission_id`, a non-empty string), or -1.
    func submission(_ r: Int) -> Int32 {
        guard let col = submissionColumn, let id = col[r].stringID, !strings[id].isEmpty else { return -1 }
        return id
    }

    /// The survey type declared on row `r`: 1 when the first survey-type field holding a non-empty string
    /// says `nps` (any case), 0 for any other type, -1 when the row declares none.
    mutating func declaredNPS(_ r: Int) -> Int8 {
        for col in typeColumns {
            guard let id = col[r].stringID else { continue }
            if let cached = textTypes[id] { if cached >= 0 { return cached } else { continue } }
            let text = String(strings[id].lowercased().filter { $0 != " " })
            let v: Int8 = text.isEmpty ? -1 : (text == "nps" ? 1 : 0)
            textTypes[id] = v
            if v >= 0 { return v }
        }
        return -1
    }

    /// The score of row `r`: the first score field that is present and not null, when it is an integer 0…10.
    mutating func score(_ r: Int) -> Int? {
        for col in scoreColumns {
            let v = col[r]
            switch v.kind {
            case .missing, .null: continue
            default: return score(value: v)
            }
        }
        return nil
    }

    /// A value as a 0–10 score: an integral number 0…10, or a text that is one (parsed once per distinct string).
    mutating func score(value v: PropValue) -> Int? {
        switch v.kind {
        case .number: return parseScore(number: v.number!)
        case .string:
            let id = v.stringID!
            if let cached = textScores[id] { return cached < 0 ? nil : Int(cached) }
            let s = parseScore(text: strings[id])
            textScores[id] = Int8(s ?? -1)
            return s
        case .missing, .null, .bool, .composite: return nil
        }
    }
}
