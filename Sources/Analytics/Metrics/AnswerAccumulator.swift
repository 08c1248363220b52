import EventStore

/// Accumulates ``QuestionStats`` and the question funnels while responses stream in (persons contiguous: every
/// row of one person comes before the next person's). Definitions: docs/DEFINITIONS.md, "Answers".
struct AnswerAccumulator {
    /// Options kept before the rest is folded into `other`.
    static let topOptions = 12
    /// Words and phrases kept per question (each).
    static let themeLimit = 10
    /// Example answers kept per theme.
    static let exampleLimit = 5

    struct Week {
        var answers = 0
        var persons = 0
        var lastPerson: Int32 = -1
        var lastRow: Int32 = -1
        /// Per value index answered in the week: its persons and the last of them.
        var values: [Int32: ValueWeek] = [:]

        struct ValueWeek {
            var persons = 0
            var lastPerson = Int32.min

            mutating func note(_ person: Int32) {
                if lastPerson != person { lastPerson = person; persons += 1 }
            }
        }

        /// Counts value `v` answered by `person` in response row `row`; changes the week in place.
        mutating func add(_ v: Int32, row: Int32, person: Int32) {
            if lastRow != row { answers += 1; lastRow = row }
            if lastPerson != person { persons += 1; lastPerson = person }
            values[v, default: ValueWeek()].note(person)
        }
    }

    struct Entry {
        var answers = 0
        var persons = 0
        var lastPerson: Int32 = -1
        var lastRow: Int32 = -1
        var sum = 0.0
        var numeric = 0
        var allNumeric = true
        /// Values by index: text, answers, persons.
        var valueIndex: [String: Int32] = [:]
        var valueText: [String] = []
        var valueCount: [Int] = []
        var valuePersons: [Int] = []
        var valueLastPerson: [Int32] = []
        /// Each (person, value) once, in person order.
        var pairs: [(person: Int32, value: Int32)] = []
        /// Text answers (interned string ids) with their person, in person order.
        var texts: [(person: Int32, id: Int32)] = []
        /// The weeks answered, in the order first seen; `weekSlot` finds a week's index (``CivilTime/weekIndex(ofMs:)``).
        var weeks: [Week] = []
        var weekSlot: [Int64: Int32] = [:]
        /// The week of the previous answer and its slot (answers come in person order, mostly within one week).
        var lastWeek = Int64.min
        var lastWeekSlot = -1
        /// The question's 0-based position in its catalog survey, nil when the catalog does not declare it.
        let position: Int?
        /// Case-folded catalog option → the catalog's spelling, for a declared choice question.
        let optionNames: [String: String]?
        /// What an interned string answer resolved to the first time (its value index after the catalog's option
        /// spelling, and its number when the text is one), so that a repeated answer materialises, trims, parses and
        /// folds its text once per question, not once per answer (docs/PERFORMANCE.md, "session 7, analysis").
        var byString: [Int32: (value: Int32, number: Double?)] = [:]
        /// The same for numeric answers, by the number's bit pattern.
        var byNumber: [UInt64: Int32] = [:]

        init(position: Int?, optionNames: [String: String]?) {
            self.position = position
            self.optionNames = optionNames
        }

        mutating func value(_ text: String) -> Int32 {
            if let v = valueIndex[text] { return v }
            let v = Int32(valueText.count)
            valueIndex[text] = v
            valueText.append(text); valueCount.append(0); valuePersons.append(0); valueLastPerson.append(-1)
            return v
        }

        /// `text` as the catalog spells the option it names (case and spaces folded), else `text` itself.
        func declaredSpelling(_ text: String) -> String {
            if let names = optionNames, let declared = names[AnswerAccumulator.fold(text)] { return declared }
            return text
        }

        /// Counts one answer (`value` of `person` in response row `row` at `time`), changing the entry in place (called
        /// on the accumulator's array element: no copy of its buffers). False when the value is neither a number, a
        /// text nor a boolean: the answer and its person are counted, no value.
        mutating func add(_ value: PropValue, row: Int32, time: Int64, person: Int32, strings: Interner) -> Bool {
            if lastRow != row { answers += 1; lastRow = row }
            if lastPerson != person { persons += 1; lastPerson = person }
            let v: Int32
            if let d = value.number {
                sum += d
                numeric += 1
                if let known = byNumber[value.bits] { v = known } else {
                    let text = d.rounded(.towardZero) == d && abs(d) < 9.0e15 ? String(Int64(d)) : "\(d)"
                    v = self.value(declaredSpelling(text))
                    byNumber[value.bits] = v
                }
            } else if let id = value.stringID {
                let resolved: (value: Int32, number: Double?)
                if let known = byString[id] { resolved = known } else {
                    let text = strings[id]
                    let number = Double(text.trimmingSpaces).flatMap { $0.isFinite ? $0 : nil }
                    resolved = (self.value(declaredSpelling(text)), number)
                    byString[id] = resolved
                }
                if let d = resolved.number { sum += d; numeric += 1 } else { allNumeric = false }
                texts.append((person, id))
                v = resolved.value
            } else if let b = value.bool {
                v = self.value(declaredSpelling(b ? "true" : "false"))
                allNumeric = false
            } else {
                return false
            }
            valueCount[Int(v)] += 1
            if valueLastPerson[Int(v)] != person {
                valueLastPerson[Int(v)] = person
                valuePersons[Int(v)] += 1
                pairs.append((person, v))
            }
            let week = CivilTime.weekIndex(ofMs: time)
            if week != lastWeek {
                if let known = weekSlot[week] { lastWeekSlot = Int(known) } else {
                    lastWeekSlot = weeks.count
                    weekSlot[week] = Int32(weeks.count)
                    weeks.append(Week())
                }
                lastWeek = week
            }
            weeks[lastWeekSlot].add(v, row: row, person: person)
            return true
        }
    }

    /// Per survey in the catalog with two or more questions: the funnel counts.
    struct Funnel {
        var asked: [Int]
        var answered: [Int]
        var person: Int32 = -1
        var prompted = false
        /// The positions the current person answered, each once (`marked`), in the order first answered.
        var positions: [Int] = []
        var marked: [Bool]

        init(questions: Int) {
            asked = Array(repeating: 0, count: questions); answered = asked
            marked = Array(repeating: false, count: questions)
        }

        /// Notes that the current person answered the question at `position`.
        mutating func answered(position: Int) {
            if !marked[position] { marked[position] = true; positions.append(position) }
        }

        /// Adds the current person's facts and starts `next`.
        mutating func flush(next: Int32) {
            if person >= 0 {
                let reached = positions.max().map { min($0 + 1, asked.count - 1) } ?? (prompted ? 0 : -1)
                if reached >= 0 { for i in 0 ... reached { asked[i] += 1 } }
                for i in positions { answered[i] += 1 }
            }
            for i in positions { marked[i] = false }
            person = next; prompted = false; positions.removeAll(keepingCapacity: true)
        }
    }

    /// What one survey (a key of the feedback pass's survey table) needs per prompt and answer, looked up by its name
    /// once: its funnel, its catalog entry and option spellings, its answers by question.
    struct SurveyState {
        let name: String
        /// Index into ``funnels`` (a catalog survey of two or more questions), else nil.
        let funnel: Int?
        let declared: CatalogSurvey?
        let optionNames: [String: [String: String]]?
        /// Its questions' entries: indices into ``entries``.
        var questions: [String: Int] = [:]
    }

    let catalog: SurveyCatalog
    let strings: Interner
    /// By survey key (``SurveyFields/surveys``); nil until the survey's first prompt or answer.
    private var surveys: [SurveyState?] = []
    /// Every (survey, question)'s entry, changed in place (``Entry/add(_:row:time:person:strings:)``).
    private var entries: [Entry] = []
    /// The funnels of the catalog's surveys of two or more questions, in the order of `funnelIDs` (sorted).
    private(set) var funnels: [Funnel] = []
    private var funnelIDs: [String] = []
    /// Case-folded catalog option → the catalog's spelling, per survey and question.
    private var optionNames: [String: [String: [String: String]]] = [:]

    init(catalog: SurveyCatalog, strings: Interner) {
        self.catalog = catalog
        self.strings = strings
        funnelIDs = catalog.surveys.filter { $0.value.questions.count >= 2 }.keys.sorted()
        funnels = funnelIDs.map { Funnel(questions: catalog.surveys[$0]!.questions.count) }
        for (id, survey) in catalog.surveys {
            for q in survey.questions {
                switch q.type {
                case .singleChoice(let options), .multipleChoice(let options):
                    var names: [String: String] = [:]
                    for o in options { names[Self.fold(o)] = names[Self.fold(o)] ?? o }
                    optionNames[id, default: [:]][q.id] = names
                default: break
                }
            }
        }
    }

    static func fold(_ s: String) -> String { s.trimmingSpaces.lowercased() }

    /// The state of survey `key` named `name`, resolved by name at its first use only (no `String` hashed per prompt).
    private mutating func state(_ key: Int32, _ name: String) -> Int {
        let k = Int(key)
        if k >= surveys.count { surveys.append(contentsOf: repeatElement(nil, count: k + 1 - surveys.count)) }
        if surveys[k] == nil {
            let funnel = funnelIDs.firstIndex(of: name)
            surveys[k] = SurveyState(name: name, funnel: funnel, declared: catalog.surveys[name], optionNames: optionNames[name])
        }
        return k
    }

    /// A prompt of survey `key` (named `name`) to `person`: counted when it is a funnel survey.
    mutating func prompted(survey key: Int32, name: String, person: Int32) {
        guard let i = surveys[state(key, name)]!.funnel else { return }
        if funnels[i].person != person { funnels[i].flush(next: person) }
        funnels[i].prompted = true
    }

    mutating func add(survey key: Int32, name: String, question: String, value: PropValue, row: Int32, time: Int64,
                      person: Int32) {
        let k = state(key, name)
        let q: Int
        if let known = surveys[k]!.questions[question] { q = known } else {
            q = entries.count
            let position = surveys[k]!.declared?.questions.firstIndex(where: { $0.id == question })
            entries.append(Entry(position: position, optionNames: surveys[k]!.optionNames?[question]))
            surveys[k]!.questions[question] = q
        }
        guard entries[q].add(value, row: row, time: time, person: person, strings: strings) else { return }
        if let i = surveys[k]!.funnel, let position = entries[q].position {
            if funnels[i].person != person { funnels[i].flush(next: person) }
            funnels[i].answered(position: position)
        }
    }

    /// The question funnels, sorted by survey id.
    func funnelStats() -> [QuestionFunnel] {
        zip(funnelIDs, funnels).map { id, funnel in
            var f = funnel
            f.flush(next: -1)
            let survey = catalog.surveys[id]!
            let steps = survey.questions.enumerated().map { i, q in
                FunnelStep(position: i + 1, question: q.id, text: q.text, asked: f.asked[i], answered: f.answered[i])
            }
            return QuestionFunnel(surveyID: id, name: survey.name, steps: steps)
        }
    }

    func stats() -> [QuestionStats] {
        var out: [QuestionStats] = []
        for case let s? in surveys {
            let survey = s.name, questions = s.questions
            let declared = catalog.surveys[survey]?.questions ?? []
            for (question, q) in questions where entries[q].answers > 0 {
                let e = entries[q]
                let position = declared.firstIndex { $0.id == question }
                out.append(stats(survey: survey, question: question, e, declared: position.map { declared[$0] },
                                 position: position.map { $0 + 1 }))
            }
        }
        return out.sorted { ($0.surveyID, $0.question) < ($1.surveyID, $1.question) }
    }

    private func stats(survey: String, question: String, _ e: Entry, declared d: CatalogQuestion?, position: Int?) -> QuestionStats {
        var q = QuestionStats(surveyID: survey, question: question)
        q.surveyName = catalog.surveys[survey]?.name
        q.text = d?.text
        q.type = d?.type.name
        q.position = position
        q.answers = e.answers
        q.persons = e.persons
        q.mean = e.numeric > 0 ? e.sum / Double(e.numeric) : nil
        let indices = e.valueText.indices
        let listed: Bool
        var wantsOptions = false, wantsThemes = false
        switch d?.type {
        case .nps?:
            listed = true
            q.histogram = histogram(e, 0 ... 10)
            var counter = NPSCounter()
            for i in indices { if let s = parseScore(text: e.valueText[i]) { for _ in 0 ..< e.valueCount[i] { counter.add(s) } } }
            q.nps = counter.stats
        case .rating(let scale)?:
            listed = true
            q.histogram = histogram(e, 1 ... scale)
        case .singleChoice?, .multipleChoice?:
            listed = true
            wantsOptions = true
        case .open?:
            listed = false
            wantsThemes = true
        case nil:
            listed = e.allNumeric
            if e.allNumeric {
                let ints = indices.compactMap { Int(e.valueText[$0]) }
                if let lo = ints.min(), let hi = ints.max(), hi - lo <= 100 {
                    q.histogram = histogram(e, lo ... hi).filter { $0.count > 0 }
                }
            } else {
                wantsOptions = true
                wantsThemes = true
            }
        }
        if listed {
            q.values = indices.map { ValueCount(value: e.valueText[$0], count: e.valueCount[$0]) }.sorted { a, b in
                if let x = Double(a.value), let y = Double(b.value), x != y { return x < y }
                return a.value < b.value
            }
        }
        // The top option: most persons, then most answers, then the first in text order.
        var top: Int?
        for i in indices {
            guard let t = top else { top = i; continue }
            if (e.valuePersons[i], e.valueCount[i], e.valueText[t]) > (e.valuePersons[t], e.valueCount[t], e.valueText[i]) { top = i }
        }
        if wantsOptions { q.options = options(e, declared: d, persons: e.persons) }
        if wantsThemes {
            let (median, themes) = openText(e)
            q.medianLength = median
            q.themes = themes
        }
        if d?.type != .open, let top { q.topOption = e.valueText[top] }
        let topIndex = d?.type == .open ? nil : top.map { Int32($0) }
        q.weekly = e.weekSlot.sorted { $0.key < $1.key }.map { k, slot in
            let w = e.weeks[Int(slot)]
            let share = topIndex.flatMap { ratio(w.values[$0]?.persons ?? 0, w.persons) }
            return QuestionWeek(week: CivilTime.isoWeekLabel(k), answers: w.answers, persons: w.persons, topShare: share)
        }
        return q
    }

    private func histogram(_ e: Entry, _ range: ClosedRange<Int>) -> [HistogramBin] {
        var counts = [Int](repeating: 0, count: range.count)
        for i in e.valueText.indices {
            let t = e.valueText[i].trimmingSpaces
            if let n = Int(t) ?? Double(t).flatMap({ $0.rounded(.towardZero) == $0 && abs($0) < 1e9 ? Int($0) : nil }),
               range.contains(n) { counts[n - range.lowerBound] += e.valueCount[i] }
        }
        return range.map { HistogramBin(value: $0, count: counts[$0 - range.lowerBound]) }
    }

    private func options(_ e: Entry, declared d: CatalogQuestion?, persons: Int) -> [OptionShare] {
        var catalogOrder: [String: Int] = [:]
        var rows: [(text: String, count: Int, persons: Int, index: Int32?)] = e.valueText.indices.map {
            (e.valueText[$0], e.valueCount[$0], e.valuePersons[$0], Int32($0))
        }
        switch d?.type {
        case .singleChoice(let options)?, .multipleChoice(let options)?:
            for (i, o) in options.enumerated() where catalogOrder[o] == nil {
                catalogOrder[o] = i
                if e.valueIndex[o] == nil { rows.append((o, 0, 0, nil)) }
            }
        default: break
        }
        rows.sort { a, b in
            if a.persons != b.persons { return a.persons > b.persons }
            if a.count != b.count { return a.count > b.count }
            let x = catalogOrder[a.text] ?? Int.max, y = catalogOrder[b.text] ?? Int.max
            if x != y { return x < y }
            return a.text < b.text
        }
        var out = rows.prefix(Self.topOptions).map {
            OptionShare(option: $0.text, declared: catalogOrder[$0.text] != nil, count: $0.count, persons: $0.persons,
                        share: ratio($0.persons, persons))
        }
        if rows.count > Self.topOptions {
            let folded = Set(rows.dropFirst(Self.topOptions).compactMap(\.index))
            var count = 0, otherPersons = 0, last: Int32 = -1
            for r in rows.dropFirst(Self.topOptions) { count += r.count }
            for pair in e.pairs where folded.contains(pair.value) && pair.person != last {
                otherPersons += 1; last = pair.person
            }
            out.append(OptionShare(option: "other", other: true, count: count, persons: otherPersons,
                                   share: ratio(otherPersons, persons)))
        }
        return out
    }

    /// The median length and the themes of the text answers.
    private func openText(_ e: Entry) -> (Double?, [AnswerTheme]) {
        guard !e.texts.isEmpty else { return (nil, []) }
        var lengths: [Int64] = []
        var analysed: [Int32: (length: Int, terms: [String: Bool])] = [:]   // term → is a phrase
        var textFrequency: [Int32: Int] = [:]
        struct Term { var answers = 0; var persons = 0; var lastPerson: Int32 = -1; var phrase = false; var texts: Set<Int32> = [] }
        var terms: [String: Term] = [:]
        for (person, id) in e.texts {
            let a: (length: Int, terms: [String: Bool])
            if let known = analysed[id] { a = known } else {
                let raw = strings[id]
                let split = AnswerThemes.terms(PIIMasker.maskText(raw))
                var t: [String: Bool] = [:]
                for w in split.words { t[w] = false }
                for p in split.phrases { t[p] = true }
                a = (raw.count, t)
                analysed[id] = a
            }
            if strings[id].allSatisfy(\.isWhitespace) { continue }
            lengths.append(Int64(a.length))
            textFrequency[id, default: 0] += 1
            for (term, phrase) in a.terms {
                var x = terms[term, default: Term()]
                x.answers += 1
                x.phrase = phrase
                if x.lastPerson != person { x.persons += 1; x.lastPerson = person }
                x.texts.insert(id)
                terms[term] = x
            }
        }
        func ranked(_ phrase: Bool) -> [(String, Term)] {
            terms.filter { $0.value.phrase == phrase && $0.value.answers >= 2 }
                .sorted { ($0.value.persons, $0.value.answers, $1.key) > ($1.value.persons, $1.value.answers, $0.key) }
                .prefix(Self.themeLimit).map { ($0.key, $0.value) }
        }
        let chosen = (ranked(false) + ranked(true)).sorted {
            ($0.1.persons, $0.1.answers, $0.1.phrase ? 0 : 1, $1.0) > ($1.1.persons, $1.1.answers, $1.1.phrase ? 0 : 1, $0.0)
        }
        let themes = chosen.map { term, t in
            let examples = t.texts.map { (id: $0, n: textFrequency[$0] ?? 0, text: strings[$0]) }
                .sorted { ($1.n, $0.text.count, $0.text) < ($0.n, $1.text.count, $1.text) }
                .prefix(Self.exampleLimit).map(\.text)
            return AnswerTheme(theme: term, kind: t.phrase ? "phrase" : "word", persons: t.persons, answers: t.answers,
                               examples: Array(examples))
        }
        return (median(lengths), themes)
    }
}

/// Reads the answers of a response that carries no captured answer keys (Segment style: `score` and
/// `survey_response`) as answers of its catalog survey's questions (docs/DEFINITIONS.md, "Answers").
struct PlainAnswerFields {
    let scoreColumns: [PropertyColumn]
    let textColumns: [PropertyColumn]
    let strings: Interner

    init(table: EventTable, schema: FeedbackSchema) {
        scoreColumns = schema.scoreFields.filter { !schema.fieldSelection.captures.contains($0) }.compactMap { table.column($0) }
        textColumns = schema.answerFields.filter { FeedbackSchema.defaultAnswerFields.contains($0) }.compactMap { table.column($0) }
        strings = table.strings
    }

    /// The (question, value) answers of row `r` of a survey declared as `survey`.
    func answers(row r: Int, survey: CatalogSurvey) -> [(question: String, value: PropValue)] {
        var out: [(question: String, value: PropValue)] = []
        var taken: Set<String> = []
        // The score: the first score field present and not null, when it is a number or a text that is one.
        for col in scoreColumns {
            let v = col[r]
            switch v.kind {
            case .missing, .null: continue
            default: break
            }
            let isNumber = v.number != nil || v.stringID.map { Double(strings[$0].trimmingSpaces) != nil } == true
            if isNumber, let q = survey.questions.first(where: { $0.type == .nps })
                ?? survey.questions.first(where: { if case .rating = $0.type { return true } else { return false } })
                ?? (survey.questions.count == 1 ? survey.questions.first : nil) {
                out.append((q.id, v)); taken.insert(q.id)
            }
            break
        }
        // The text: the first built-in answer field holding a text that is not a number.
        for col in textColumns {
            guard let id = col[r].stringID else { continue }
            let s = strings[id]
            if s.allSatisfy(\.isWhitespace) || Double(s.trimmingSpaces) != nil { continue }
            let open = survey.questions.first { $0.type == .open && !taken.contains($0.id) }
            let single = survey.questions.count == 1 && taken.isEmpty ? survey.questions.first : nil
            if let q = open ?? single { out.append((q.id, col[r])) }
            break
        }
        return out
    }
}
