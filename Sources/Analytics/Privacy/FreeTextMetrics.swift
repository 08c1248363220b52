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
        let answerColumns = options.feedback.answerFields.compactMap { table.column($0) }
        let messages = ["properties.message_body", "properties.message"].compactMap { table.column($0) }
        let sender = table.column("properties.sender")
        // Two names at most: compared directly, no hash per row (docs/PERFORMANCE.md, "session 7, analysis").
        let chatNames = Array(Set(customerChatEvents.compactMap { table.strings.lookup($0) }))
        var tally = Tally()
        // Every distinct interned string is analysed once (masking and word splitting are the costly part):
        // the caches below are keyed by string id, and words are interned to small integers.
        var texts = TextCache(maskPII: maskPII)
        var answerIsNumber: [Int32: Bool] = [:]
        var senderIsShop: [Int32: Bool] = [:]

        // Over the whole table, only the rows that can hold a text are visited: those with a string in an answer
        // column or of a chat name, marked from the columns' present values and the name codes (every other row
        // gives no text); a filter's pass keeps to its persons' rows.
        var marks: [UInt8] = []
        if scope.filter == nil {
            marks = table.name.rowMarks { chatNames.contains($0) ? 1 : 0 }
            for col in answerColumns { col.forEachPresent { r, v in if v.stringID != nil { marks[r] = 1 } } }
        }
        let marked = !marks.isEmpty
        table.name.withUnsafeBufferPointer { names in
        marks.withUnsafeBufferPointer { marks in
        scope.forEachPerson { person, rows in
            var wrote = false
            for r in rows where !marked || marks[r] != 0 {
                var text: Int32?
                for col in answerColumns {
                    if let id = col[r].stringID {
                        let isNumber = answerIsNumber[id] ?? {
                            let n = Int(table.strings[id].trimmingCharacters(in: " ")) != nil
                            answerIsNumber[id] = n
                            return n
                        }()
                        if !isNumber { text = id }
                        break
                    }
                }
                if text == nil, !chatNames.isEmpty, chatNames.contains(names[r]),
                   let id = messages.lazy.compactMap({ $0[r].stringID }).first {
                    let shop = sender.flatMap { $0[r].stringID }.map { who in
                        senderIsShop[who] ?? {
                            let s = shopSenders.contains(table.strings[who].lowercased())
                            senderIsShop[who] = s
                            return s
                        }()
                    } ?? false
                    if !shop { text = id }
                }
                guard let id = text, let entry = texts.entry(id, table.strings) else { continue }
                wrote = true
                tally.add(entry, times: 1, person: person)
            }
            if wrote { tally.writers += 1 }
        }
        }
        }
        return tally.summary(wordNames: texts.wordNames)
    }

    /// The analysis of one distinct text, shared by every answer with that text.
    struct TextEntry {
        /// Length in characters of the text as written.
        var length: Int
        /// Its words (after masking), as indices into ``TextCache/wordNames``, in text order.
        var words: [Int32]
    }

    /// The free-text counts as texts are added person by person (the embedded figure and the engines' rows share
    /// it): lengths of the answers, writers, and per word the answers and the persons that used it.
    struct Tally {
        var lengths: [Int] = []
        /// Persons who wrote at least one text (the caller counts a person once).
        var writers = 0
        var wordPersons: [Int] = [], wordCount: [Int] = [], lastPerson: [Int] = []

        /// Adds `times` answers of the text `entry` by `person` (an integer that identifies the person in this tally).
        mutating func add(_ entry: TextEntry, times: Int, person: Int) {
            lengths.append(contentsOf: repeatElement(entry.length, count: times))
            for w in entry.words {
                let w = Int(w)
                while w >= wordCount.count { wordCount.append(0); wordPersons.append(0); lastPerson.append(-1) }
                wordCount[w] += times
                if lastPerson[w] != person { lastPerson[w] = person; wordPersons[w] += 1 }
            }
        }

        /// The summary: mean and median length, the words by persons, then answers, then the word, at most
        /// ``FreeTextMetrics/rawWordLimit``.
        func summary(wordNames: [String]) -> FreeTextSummary {
            var out = FreeTextSummary()
            out.answers = lengths.count
            out.persons = writers
            if !lengths.isEmpty {
                out.meanLength = Double(lengths.reduce(0, +)) / Double(lengths.count)
                let sorted = lengths.sorted()
                let m = sorted.count / 2
                out.medianLength = sorted.count % 2 == 1 ? Double(sorted[m]) : Double(sorted[m - 1] + sorted[m]) / 2
            }
            out.words = wordPersons.indices.map {
                WordCount(word: wordNames[$0], persons: wordPersons[$0], count: wordCount[$0])
            }
                .sorted { ($0.persons, $0.count, $1.word) > ($1.persons, $1.count, $0.word) }
            if out.words.count > FreeTextMetrics.rawWordLimit { out.words.removeLast(out.words.count - FreeTextMetrics.rawWordLimit) }
            return out
        }
    }

    /// Memoizes ``TextEntry`` by interned string id and interns the words.
    struct TextCache {
        let maskPII: Bool
        /// Entry index per string id; -1 for a blank text.
        private var slots: [Int32: Int32] = [:]
        private var entries: [TextEntry] = []
        private var wordIDs: [String: Int32] = [:]
        private(set) var wordNames: [String] = []

        init(maskPII: Bool) { self.maskPII = maskPII }

        /// The analysis of the string `id`, or nil when it is blank (only white space).
        mutating func entry(_ id: Int32, _ strings: Interner) -> TextEntry? {
            if let slot = slots[id] { return slot < 0 ? nil : entries[Int(slot)] }
            let raw = strings[id]
            guard !raw.allSatisfy(\.isWhitespace) else { slots[id] = -1; return nil }
            let clean = maskPII ? PIIMasker.maskText(raw) : raw
            var ids: [Int32] = []
            for w in FreeTextMetrics.words(clean) {
                if let known = wordIDs[w] { ids.append(known); continue }
                let new = Int32(wordNames.count)
                wordIDs[w] = new
                wordNames.append(w)
                ids.append(new)
            }
            let entry = TextEntry(length: raw.count, words: ids)
            slots[id] = Int32(entries.count)
            entries.append(entry)
            return entry
        }
    }

    /// Lower-cased words of three or more letters, stop words and anything with a digit or a mask left out.
    public static func words(_ text: String) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(text) }
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

    /// ``words(_:)`` for pure ASCII text, byte by byte (the same rules; ASCII letters are A–Z and a–z,
    /// ASCII numbers 0–9, and a CR LF pair splits words just as the single character does).
    static func asciiWords(_ text: String) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        var spoiled = false
        func flush() {
            // Trailing apostrophes and hyphens are dropped before the length and stop-word tests, as in words(_:).
            if !spoiled {
                while let l = current.last, l == UInt8(ascii: "'") || l == UInt8(ascii: "-") { current.removeLast() }
                if current.count >= 3 {
                    let w = String(decoding: current, as: UTF8.self)
                    if !stopWords.contains(w) { out.append(w) }
                }
            }
            current.removeAll(keepingCapacity: true); spoiled = false
        }
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): current.append(b)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(b | 0x20)
            case UInt8(ascii: "'") where !current.isEmpty, UInt8(ascii: "-") where !current.isEmpty: current.append(b)
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "@"): spoiled = true
            default: flush()
            }
        }
        flush()
        return out
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
