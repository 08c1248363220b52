import EventStore

/// Aggregates free-text answers: text `survey_response` / `$survey_response` values (a number is a score,
/// not text) and the customer's chat messages: `message_body` of Segment's `Live Chat Message Sent` and
/// `Live Chat Conversation Started` (`Live Chat Message Received` is the shop talking and left out; so is
/// a message whose `sender` is `bot`, `agent`, `operator`, `system`, `assistant` or `staff`, for tools
/// that send `message` and `sender` instead).
///
/// Only the aggregate leaves this type: answer and writer counts, lengths, and a word list counted by
/// persons. Words are taken from the text after ``PIIMasker/maskText(_:)`` (unless PII is revealed), so an
/// e-mail address or a name never becomes a word; the minimum-cohort cut happens in ``Privacy/publish(_:policy:)``.
public enum FreeTextMetrics {
    /// The property columns this needs (add them to the store's field selection).
    public static let fieldSelection = FieldSelection(paths: [
        "properties.survey_response", "properties.$survey_response", "properties.message_body", "properties.message",
        "properties.sender",
    ])
    /// The chat events whose message is the customer's own text.
    public static let customerChatEvents = ["Live Chat Message Sent", "Live Chat Conversation Started"]
    /// Senders that are not the customer.
    public static let shopSenders: Set<String> = ["bot", "agent", "operator", "system", "assistant", "staff"]
    /// How many words the raw summary keeps (the published report keeps fewer).
    public static let rawWordLimit = 200

    /// The free-text summary of the persons in scope, for events at or before the reference time.
    public static func compute(table: EventTable, options: AnalysisOptions, persons: PersonSet? = nil,
                               maskPII: Bool = true) -> FreeTextSummary {
        let scope = AnalysisScope(table: table, options: options, persons: persons)
        let answerColumns = ["properties.survey_response", "properties.$survey_response"].compactMap { table.column($0) }
        let messages = ["properties.message_body", "properties.message"].compactMap { table.column($0) }
        let sender = table.column("properties.sender")
        let chatNames = Set(customerChatEvents.compactMap { table.strings.lookup($0) })
        var lengths: [Int] = []
        var writers = 0
        var wordPersons: [String: Int] = [:]
        var wordCount: [String: Int] = [:]

        scope.forEachPerson { _, rows in
            var wrote = false
            var personWords = Set<String>()
            for r in rows {
                var text: String?
                for col in answerColumns {
                    if let id = col[r].stringID {
                        let s = table.strings[id]
                        if Int(s.trimmingCharacters(in: " ")) == nil { text = s }
                        break
                    }
                }
                if text == nil, !chatNames.isEmpty, chatNames.contains(table.name[r]),
                   let id = messages.lazy.compactMap({ $0[r].stringID }).first {
                    let who = sender.flatMap { $0[r].stringID }.map { table.strings[$0].lowercased() }
                    if who == nil || !shopSenders.contains(who!) { text = table.strings[id] }
                }
                guard let raw = text, !raw.allSatisfy(\.isWhitespace) else { continue }
                wrote = true
                lengths.append(raw.count)
                let clean = maskPII ? PIIMasker.maskText(raw) : raw
                for w in words(clean) {
                    wordCount[w, default: 0] += 1
                    personWords.insert(w)
                }
            }
            if wrote { writers += 1 }
            for w in personWords { wordPersons[w, default: 0] += 1 }
        }

        var out = FreeTextSummary()
        out.answers = lengths.count
        out.persons = writers
        if !lengths.isEmpty {
            out.meanLength = Double(lengths.reduce(0, +)) / Double(lengths.count)
            let sorted = lengths.sorted()
            let m = sorted.count / 2
            out.medianLength = sorted.count % 2 == 1 ? Double(sorted[m]) : Double(sorted[m - 1] + sorted[m]) / 2
        }
        out.words = wordPersons.map { WordCount(word: $0.key, persons: $0.value, count: wordCount[$0.key] ?? 0) }
            .sorted { ($0.persons, $0.count, $1.word) > ($1.persons, $1.count, $0.word) }
        if out.words.count > rawWordLimit { out.words.removeLast(out.words.count - rawWordLimit) }
        return out
    }

    /// Lower-cased words of three or more letters, stop words and anything with a digit or a mask left out.
    public static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var spoiled = false
        func flush() {
            if !spoiled, current.count >= 3, !stopWords.contains(current) { out.append(current) }
            current = ""; spoiled = false
        }
        for ch in text {
            if ch.isLetter {
                current += ch.lowercased()
            } else if (ch == "'" || ch == "’" || ch == "-") && !current.isEmpty {
                current.append(ch == "’" ? "'" : ch)
            } else if ch.isNumber || ch == PIIMasker.dot || ch == "@" {
                spoiled = true
            } else {
                flush()
            }
        }
        flush()
        return out.map { w in
            var w = Substring(w)
            while let l = w.last, l == "'" || l == "-" { w = w.dropLast() }
            return String(w)
        }.filter { $0.count >= 3 && !stopWords.contains($0) }
    }

    /// Common English and German words that say nothing about an answer.
    public static let stopWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our",
        "out", "has", "him", "his", "how", "its", "may", "new", "now", "old", "see", "two", "who", "did", "get",
        "let", "say", "she", "too", "use", "that", "with", "have", "this", "will", "your", "from", "they", "been",
        "were", "what", "when", "which", "there", "their", "would", "about", "them", "then", "than", "some", "into",
        "just", "also", "very", "more", "much", "only", "over", "such", "here", "after", "could", "should", "these",
        "those", "because", "really", "i'm", "it's", "don't", "didn't", "can't", "we're", "you're",
        "der", "die", "das", "und", "ist", "ich", "nicht", "ein", "eine", "einen", "mit", "auf", "für", "den",
        "dem", "des", "sie", "war", "wir", "aber", "auch", "noch", "nur", "sehr", "wie", "sich", "bei", "von",
    ]
}
