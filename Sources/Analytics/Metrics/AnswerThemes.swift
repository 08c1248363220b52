/// Themes of open answers: the most frequent words and two-word phrases after stop-word removal
/// (docs/DEFINITIONS.md, "Answers", "Themes").
///
/// Tokens: a **word** is a run of letters (apostrophes and hyphens inside a word kept, `’` read as `'`), lower-cased;
/// words of fewer than 3 letters, stop words (English, German, French, Spanish) and every word of a
/// white-space-separated chunk holding a digit, `@` or a PII mask (an e-mail address, `92cm`) are dropped. A **CJK character** (Han ideographs, Hiragana, Katakana) is a token on its own — those
/// scripts do not separate words by spaces, so each character is a word and two adjacent characters are a phrase;
/// a small list of Japanese and Chinese particles is dropped like stop words. A **phrase** is two tokens that are
/// adjacent in the text: no dropped word, punctuation or line break between them (white space only).
public enum AnswerThemes {
    /// A token and whether the one before it is adjacent (a phrase can be formed with it).
    struct Token: Equatable {
        var text: String
        var joinsPrevious: Bool
    }

    /// The words and two-word phrases of a text, in text order (duplicates kept).
    public static func terms(_ text: String) -> (words: [String], phrases: [String]) {
        let tokens = tokenize(text)
        var phrases: [String] = []
        for i in tokens.indices.dropFirst() where tokens[i].joinsPrevious {
            let a = tokens[i - 1].text, b = tokens[i].text
            phrases.append(isCJK(a.unicodeScalars.first!) && isCJK(b.unicodeScalars.first!) ? a + b : a + " " + b)
        }
        return (tokens.map(\.text), phrases)
    }

    /// Whether a scalar is written without spaces between words (Han, Hiragana, Katakana).
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    /// Replaces every white-space-separated chunk that holds a digit, `@` or a PII mask (and no CJK character) by a
    /// break: an e-mail address, a URL or `92cm` yields no word at all (not even its `com`).
    static func dropSpoiledChunks(_ text: String) -> String {
        guard text.contains(where: { $0.isNumber || $0 == "@" || $0 == PIIMasker.dot }) else { return text }
        var out = ""
        var chunk = ""
        var spoiled = false, cjk = false
        func flush() {
            out += spoiled && !cjk ? "\u{1}" : chunk
            chunk = ""; spoiled = false; cjk = false
        }
        for ch in text {
            if ch.isWhitespace { flush(); out.append(ch); continue }
            chunk.append(ch)
            if ch.isNumber || ch == "@" || ch == PIIMasker.dot { spoiled = true }
            if let s = ch.unicodeScalars.first, isCJK(s) { cjk = true }
        }
        flush()
        return out
    }

    static func tokenize(_ raw: String) -> [Token] {
        let text = dropSpoiledChunks(raw)
        var out: [Token] = []
        var current = ""
        var spoiled = false
        // Whether the next kept token is adjacent to the last kept one.
        var adjacent = false
        func drop() { adjacent = false }
        func flushWord() {
            defer { current = ""; spoiled = false }
            guard !current.isEmpty else { return }
            var w = Substring(current)
            while let l = w.last, l == "'" || l == "-" { w = w.dropLast() }
            let word = String(w)
            if spoiled || word.count < 3 || stopWords.contains(word) { drop(); return }
            out.append(Token(text: word, joinsPrevious: adjacent))
            adjacent = true
        }
        for ch in text {
            if let s = ch.unicodeScalars.first, isCJK(s) {
                flushWord()
                let c = String(ch)
                if cjkStop.contains(c) { drop(); continue }
                out.append(Token(text: c, joinsPrevious: adjacent))
                adjacent = true
            } else if ch.isLetter {
                current += ch.lowercased()
            } else if (ch == "'" || ch == "’" || ch == "-") && !current.isEmpty {
                current.append(ch == "’" ? "'" : ch)
            } else if ch.isNumber || ch == PIIMasker.dot || ch == "@" {
                spoiled = true
            } else if ch == " " || ch == "\t" {
                flushWord()
            } else {
                flushWord()
                drop()   // punctuation, line breaks, symbols: no phrase across them
            }
        }
        flushWord()
        return out
    }

    /// Japanese and Chinese particles and function characters that are not themes on their own.
    static let cjkStop: Set<String> = [
        "の", "は", "が", "を", "に", "で", "と", "も", "た", "す", "て", "し", "い", "な", "か", "ね", "よ", "る", "だ",
        "で", "ま", "ん", "う", "こ", "そ", "あ", "れ", "の", "的", "了", "是", "我", "你", "他", "她", "在", "也", "和",
        "就", "都", "这", "那", "吗", "呢", "吧", "啊",
    ]

    /// Stop words of English, German, French and Spanish (words of three letters or more; shorter ones are dropped
    /// anyway). The English and German words of the free-text word list are included.
    public static let stopWords: Set<String> = FreeTextMetrics.stopWords.union([
        // English
        "i've", "i'd", "i'll", "isn't", "wasn't", "won't", "doesn't", "there's", "that's", "what's", "let's",
        "being", "both", "each", "few", "further", "most", "other", "own", "same", "while", "where", "why",
        "yes", "off", "down", "since", "again", "once", "because", "until", "against", "between", "through", "during",
        "before", "above", "below", "under", "does", "doing", "myself", "yourself", "ours", "yours", "theirs",
        "herself", "himself", "itself", "themselves", "ourselves", "am", "thing", "things", "lot", "got", "like",
        "well", "even", "still", "way", "make", "made", "want", "need", "know", "think", "it", "its", "yet",
        // German
        "ein", "einer", "eines", "einem", "dass", "oder", "wenn", "weil", "als", "nach", "zum", "zur", "vom", "aus",
        "hat", "haben", "habe", "hatte", "sind", "sein", "bin", "bist", "wird", "werden", "wurde", "kann", "können",
        "muss", "mein", "meine", "meinen", "meiner", "dein", "deine", "ihr", "ihre", "ihren", "unser", "unsere",
        "euch", "uns", "mich", "dich", "mir", "dir", "ihm", "ihn", "man", "was", "wer", "wo", "dort", "hier",
        "schon", "immer", "mal", "dann", "doch", "nun", "so", "zu", "im", "am", "um", "an", "es", "er", "bis",
        "durch", "gegen", "ohne", "über", "unter", "vor", "zwischen", "keine", "kein", "alle", "alles", "viel",
        "etwas", "gibt", "gut",
        // French
        "les", "des", "une", "est", "pas", "que", "qui", "dans", "pour", "par", "sur", "avec", "son", "ses", "sa",
        "mon", "mes", "ton", "tes", "nous", "vous", "ils", "elles", "elle", "lui", "leur", "leurs", "mais", "ou",
        "donc", "car", "très", "plus", "moins", "tout", "tous", "toute", "toutes", "été", "être", "avoir", "ont",
        "suis", "sont", "était", "fait", "cette", "ces", "cet", "comme", "aussi", "bien", "encore", "quand", "même",
        "notre", "nos", "votre", "vos", "aux", "du", "au", "je", "tu", "il", "on", "ce", "se", "ne", "de", "la",
        "le", "et", "en", "un", "ai", "avez", "avons", "peu", "chez", "sans", "sous", "entre", "vers", "depuis",
        "c'est", "j'ai", "n'est", "qu'il",
        // Spanish
        "los", "las", "una", "uno", "unos", "unas", "del", "por", "para", "con", "sin", "sobre", "entre", "que",
        "qué", "como", "cómo", "pero", "más", "muy", "mucho", "poco", "este", "esta", "estos", "estas", "ese", "esa",
        "eso", "esto", "aquel", "sus", "mis", "tus", "nuestro", "nuestra", "vuestro", "ellos", "ellas", "nosotros",
        "usted", "ustedes", "fue", "ser", "estar", "está", "están", "era", "son", "soy", "hay", "han", "has", "hemos",
        "tiene", "tengo", "tienen", "también", "cuando", "donde", "dónde", "porque", "todo", "todos", "toda", "todas",
        "ya", "sí", "nos", "les", "le", "lo", "la", "el", "en", "es", "se", "al", "mi", "tu", "su", "yo", "él",
    ])
}
