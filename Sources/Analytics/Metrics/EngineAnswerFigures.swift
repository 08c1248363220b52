import EventStore

/// One answer as an engine (`--engine spark`) returns it: the answers of the responses that count (the latest of a
/// submission, at or before the reference time), named as docs/DEFINITIONS.md "Answers" names them.
public struct EngineAnswer: Sendable {
    public var person: String
    public var survey: String
    public var question: String
    /// A text, a number or a boolean (never null: a `null` answer is no answer).
    public var value: ScalarValue
    public var time: Int64
    /// The response's place among the person's responses (any order that keeps one response's answers together).
    public var response: Int
    public init(person: String, survey: String, question: String, value: ScalarValue, time: Int64, response: Int) {
        self.person = person; self.survey = survey; self.question = question; self.value = value; self.time = time
        self.response = response
    }
}

/// One free text as an engine returns it: a person's text (an answer field's text that is not an integer, or a
/// customer chat message) and how many of their events in scope carry it.
public struct EngineFreeText: Sendable {
    public var person: String
    public var text: String
    public var count: Int
    public init(person: String, text: String, count: Int) { self.person = person; self.text = text; self.count = count }
}

/// The answers figures of an engine's rows, computed with the embedded engine's own accumulators (so the definitions,
/// the themes, the options' folding and the free-text words are the same code): `feedback.questions`,
/// `feedback.question_funnels` and `feedback.free_text`.
public enum EngineAnswerFigures {
    /// The questions and the question funnels of `answers` (in any order) and of the funnel surveys' prompted
    /// persons `prompted` (person, survey).
    public static func questions(answers: [EngineAnswer], prompted: [(person: String, survey: String)],
                                 catalog: SurveyCatalog) -> (questions: [QuestionStats], funnels: [QuestionFunnel]) {
        var strings = Interner()
        // Persons and surveys numbered 0, 1, … in order of first appearance.
        var persons = Interner(), surveys = Interner()
        // Every text is interned before the accumulator copies the interner.
        struct Row { var person: Int32; var survey: Int32; var response: Int; var time: Int64; var value: PropValue; var index: Int }
        var rows: [Row] = []
        rows.reserveCapacity(answers.count)
        for (i, a) in answers.enumerated() {
            let value: PropValue
            switch a.value {
            case .string(let s): value = .string(strings.intern(s))
            case .number(let d): value = .number(d)
            case .bool(let b): value = .bool(b)
            case .null, .composite: continue
            }
            rows.append(Row(person: persons.intern(a.person), survey: surveys.intern(a.survey), response: a.response, time: a.time,
                            value: value, index: i))
        }
        let asked = prompted.map { (persons.intern($0.person), surveys.intern($0.survey)) }
        let names = surveys.strings
        var acc = AnswerAccumulator(catalog: catalog, strings: strings)
        // Persons contiguous (the accumulator's funnels and per-person counts need it), a response's answers together.
        rows.sort { ($0.person, $0.response, $0.index) < ($1.person, $1.response, $1.index) }
        let askedByPerson = Dictionary(grouping: asked, by: \.0)
        var responseRow: Int32 = -1
        var last: (person: Int32, response: Int) = (-1, -1)
        var done: Set<Int32> = []
        for r in rows {
            if r.person != last.person {
                for (p, s) in askedByPerson[r.person] ?? [] { acc.prompted(survey: s, name: names[Int(s)], person: p) }
                done.insert(r.person)
            }
            if r.person != last.person || r.response != last.response { responseRow += 1; last = (r.person, r.response) }
            let a = answers[r.index]
            acc.add(survey: r.survey, name: names[Int(r.survey)], question: a.question, value: r.value, row: responseRow,
                    time: r.time, person: r.person)
        }
        // Persons prompted who answered nothing still count as asked in the funnels.
        for (p, list) in askedByPerson.sorted(by: { $0.key < $1.key }) where !done.contains(p) {
            for (_, s) in list { acc.prompted(survey: s, name: names[Int(s)], person: p) }
        }
        return (acc.stats(), acc.funnelStats())
    }

    /// The free-text summary (FreeTextMetrics) of `texts`: blank texts dropped, lengths in characters, words of the
    /// masked text (unless `maskPII` is false) counted by persons.
    public static func freeText(_ texts: [EngineFreeText], maskPII: Bool) -> FreeTextSummary {
        var strings = Interner()
        var cache = FreeTextMetrics.TextCache(maskPII: maskPII)
        var tally = FreeTextMetrics.Tally()
        let byPerson = Dictionary(grouping: texts, by: \.person)
        for (p, (_, list)) in byPerson.sorted(by: { $0.key < $1.key }).enumerated() {
            var wrote = false
            for t in list where t.count > 0 {
                let id = strings.intern(t.text)
                guard let entry = cache.entry(id, strings) else { continue }
                wrote = true
                tally.add(entry, times: t.count, person: p)
            }
            if wrote { tally.writers += 1 }
        }
        return tally.summary(wordNames: cache.wordNames)
    }
}
