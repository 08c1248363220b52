/// Masks personal data: e-mail addresses (`a•••@example.com`), phone numbers (`+49 •••• ••12`),
/// IPv4/IPv6 addresses (`192.•••.•••.•••`, `2001:•••`), street addresses and names (`A••• S•••`).
///
/// Two entry points: ``maskValue(_:key:)`` for a value whose key says what it is (the trait `email`,
/// `firstName`, `address.street`, …) and ``maskText(_:)`` for free text (survey answers, chat messages,
/// names and rules), where the same patterns are found by their shape. Pure and deterministic: the same
/// input always gives the same output, so masked names still match each other.
public enum PIIMasker {
    /// The mask character.
    public static let dot: Character = "•"

    /// What a trait or property key says its value is.
    public enum Kind: Sendable, Equatable {
        case email, phone, ip, name, address, birthday
    }

    /// The kind of personal data a key holds, by its last dotted component, case, `_` and `-` ignored:
    /// `email`, `phone`, `mobile`, `firstName`, `last_name`, `name`, `address.street`, `ip`, … ; nil for other keys.
    public static func kind(ofKey key: String) -> Kind? {
        let parts = key.lowercased().split(separator: ".").map { $0.filter { $0 != "_" && $0 != "-" && $0 != "$" } }
        guard let last = parts.last else { return nil }
        if parts.dropLast().contains(where: { $0 == "address" || $0 == "shippingaddress" || $0 == "billingaddress" }) {
            return .address
        }
        switch last {
        case "email", "emailaddress", "mail", "useremail": return .email
        case "phone", "phonenumber", "mobile", "mobilephone", "cell", "telephone", "tel", "fax", "whatsapp": return .phone
        case "ip", "ipaddress", "ipv4", "ipv6", "remoteip", "clientip": return .ip
        case "name", "firstname", "lastname", "fullname", "givenname", "familyname", "surname", "middlename",
             "username", "displayname", "nickname", "contactname", "recipientname":
            return .name
        case "address", "street", "streetaddress", "address1", "address2", "addressline1", "addressline2",
             "postalcode", "zip", "zipcode", "postcode", "housenumber":
            return .address
        case "birthday", "birthdate", "dateofbirth", "dob": return .birthday
        default: return nil
        }
    }

    /// A value masked by what its key says it is; values of other keys are masked as free text.
    public static func maskValue(_ value: String, key: String) -> String {
        guard let kind = kind(ofKey: key) else { return maskText(value) }
        switch kind {
        case .email: return isEmail(value) ? maskEmail(value) : maskWords(value)
        case .phone: return maskPhone(value)
        case .ip: return maskIP(value)
        case .name, .address: return maskWords(value)
        case .birthday: return String(repeating: dot, count: 4) + "-" + String(repeating: dot, count: 2) + "-"
            + String(repeating: dot, count: 2)
        }
    }

    /// Segment rule text: free text masking, plus every string literal that follows a personal-data trait on
    /// the same line (`trait lastName = "Becker"` → `trait lastName = "B•••"`, `trait(email) in ("a@x.de")`).
    /// `piiFields` names further trait keys (`nickname` or `traits.nickname`) whose literals are masked as names.
    public static func maskRule(_ rule: String, piiFields: [String] = []) -> String {
        var extra = Set<String>()
        for f in piiFields {
            let key = f.hasPrefix("traits.") ? String(f.dropFirst(7)) : f
            extra.insert(key.lowercased())
        }
        var lines: [String] = []
        for line in rule.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(maskRuleLine(String(line), extra: extra))
        }
        return maskText(lines.joined(separator: "\n"))
    }

    static func maskRuleLine(_ line: String, extra: Set<String> = []) -> String {
        let c = Array(line)
        var out = ""
        var i = 0
        var kind: String?          // the PII trait key in force on this line
        func isKeyChar(_ ch: Character) -> Bool { ch.piiIsLetter || ch.piiIsNumber || ch == "_" || ch == "." || ch == "$" || ch == "-" }
        while i < c.count {
            // `trait` as a word, then an optional `(`, then the key.
            if c[i] == "t", i + 5 <= c.count, String(c[i..<(i + 5)]).lowercased() == "trait",
               i == 0 || !isKeyChar(c[i - 1]), i + 5 == c.count || !isKeyChar(c[i + 5]) {
                var j = i + 5
                while j < c.count, c[j] == " " || c[j] == "(" { j += 1 }
                var k = j
                while k < c.count, isKeyChar(c[k]) { k += 1 }
                let key = String(c[j..<k])
                kind = Self.kind(ofKey: key) != nil || extra.contains(key.lowercased()) ? key : nil
                out += String(c[i..<k])
                i = k
                continue
            }
            if c[i] == "\"", let key = kind {
                var j = i + 1
                var literal = ""
                while j < c.count, c[j] != "\"" {
                    if c[j] == "\\", j + 1 < c.count { literal.append(c[j]); j += 1 }
                    literal.append(c[j]); j += 1
                }
                out += "\"" + (Self.kind(ofKey: key) == nil ? maskWords(literal) : maskValue(literal, key: key))
                if j < c.count { out += "\"" }
                i = j + 1
                continue
            }
            out.append(c[i])
            i += 1
        }
        return out
    }

    // MARK: Single values

    /// `anna.schmidt@example.com` → `a•••@example.com` (the domain stays: it names a provider, not a person).
    public static func maskEmail(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@"), let first = email.first, at != email.startIndex else {
            return maskWords(email)
        }
        return String(first) + String(repeating: dot, count: 3) + String(email[at...])
    }

    /// `+49 170 1234512` → `+49 •••• ••12`; without a country code `•••• ••12`. The shape never tells
    /// how long the number was.
    public static func maskPhone(_ phone: String) -> String {
        let digits = phone.filter { $0.isASCII && $0.piiIsNumber }
        let tail = String(digits.suffix(2))
        var prefix = ""
        let trimmed = phone.drop(while: { $0 == " " })
        if trimmed.first == "+" {
            let firstGroup = trimmed.dropFirst().prefix(while: { $0.isASCII && $0.piiIsNumber })
            let code = firstGroup.count >= 1 && firstGroup.count <= 3 && trimmed.dropFirst().count > firstGroup.count
                ? String(firstGroup) : String(digits.prefix(2))
            prefix = "+" + code + " "
        }
        return prefix + String(repeating: dot, count: 4) + " " + String(repeating: dot, count: 2) + tail
    }

    /// `192.168.1.23` → `192.•••.•••.•••`; `2001:db8::1` → `2001:•••`.
    public static func maskIP(_ ip: String) -> String {
        if ip.contains(":") {
            let first = ip.prefix(while: { $0 != ":" })
            return String(first) + ":" + String(repeating: dot, count: 3)
        }
        let parts = ip.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return maskWords(ip) }
        return String(parts[0]) + ".•••.•••.•••"
    }

    /// Each word reduced to its first character: `Anna Schmidt` → `A••• S•••`, `Hauptstraße 12` → `H••• 1•••`.
    public static func maskWords(_ text: String) -> String {
        var out = ""
        var inWord = false
        for ch in text {
            if ch.piiIsWhitespace || ch == "," {
                out.append(ch); inWord = false
            } else if !inWord {
                out.append(ch); out += String(repeating: dot, count: 3); inWord = true
            }
        }
        return out
    }

    // MARK: Free text

    /// A message earshot wrote that quotes store text (a malformed-line reason, a store warning): the
    /// store-borne parts are masked, never earshot's own words, counts, limits or positions.
    /// Double-quoted spans (earshot quotes store values: `"anna@example.com"`, `"2026-13-02"`; backslash
    /// escapes inside are honoured) are masked as free text. Outside them only what cannot be earshot's
    /// own words is masked: e-mail and IP addresses (in paths, too) and phone numbers written with `+` or a
    /// leading `0` — never plain numbers such as `16777240 bytes` or dates.
    public static func maskMessage(_ message: String) -> String {
        let c = Array(message)
        var out = ""
        var i = 0
        var plain = ""
        func flushPlain() {
            if !plain.isEmpty { out += mask(plain, freeText: false, explicitPhonesOnly: true); plain = "" }
        }
        while i < c.count {
            guard c[i] == "\"" else { plain.append(c[i]); i += 1; continue }
            flushPlain()
            var j = i + 1
            while j < c.count, c[j] != "\"" { j += c[j] == "\\" ? 2 : 1 }
            let end = min(j, c.count)
            out += "\"" + maskText(String(c[(i + 1)..<end]))
            if j < c.count { out += "\"" }
            i = j + 1
        }
        flushPlain()
        return out
    }

    /// Free text with every e-mail address, phone number, IP address, street address and introduced
    /// name masked. Returns the input unchanged (no copy) when nothing was found.
    public static func maskText(_ text: String) -> String { mask(text, freeText: true) }

    /// Names and labels from the store or the rules (event names, survey ids, channels, categories, paths):
    /// only what is personal data by its shape alone (e-mail addresses, phone numbers, IP addresses) is masked;
    /// name and street heuristics are left out so that `Friend Referred` stays an event name.
    public static func maskIdentifier(_ text: String) -> String { mask(text, freeText: false) }

    static func mask(_ text: String, freeText: Bool, explicitPhonesOnly: Bool = false) -> String {
        // Fast exit: every pattern needs a digit, an `@`, a `:` or a capital letter.
        // ASCII scalars are tested by value; only others ask the Unicode tables.
        guard text.unicodeScalars.contains(where: { s in
            let v = s.value
            if v < 0x80 { return (v >= 0x30 && v <= 0x3A) || v == 0x40 || (v >= 0x41 && v <= 0x5A) }
            return s.properties.isUppercase
        }) else { return text }
        let chars = Array(text)
        var spans: [(Range<Int>, String)] = []
        var taken = [Bool](repeating: false, count: chars.count)
        func add(_ r: Range<Int>, _ replacement: String) {
            guard !r.isEmpty, !r.contains(where: { taken[$0] }) else { return }
            for i in r { taken[i] = true }
            spans.append((r, replacement))
        }
        for r in emailRanges(chars) { add(r, maskEmail(String(chars[r]))) }
        for r in ipRanges(chars) { add(r, maskIP(String(chars[r]))) }
        // The words once for both word scanners (they depend on the characters alone).
        let words = freeText ? wordSpans(chars) : []
        if freeText { for r in addressRanges(words: words, taken: taken) { add(r, maskWords(String(chars[r]))) } }
        for r in phoneRanges(chars, taken: taken) where !explicitPhonesOnly || chars[r.lowerBound] == "+" || chars[r.lowerBound] == "0" {
            add(r, maskPhone(String(chars[r])))
        }
        if freeText { for r in nameRanges(chars, words: words) { add(r, maskWords(String(chars[r]))) } }
        guard !spans.isEmpty else { return text }
        spans.sort { $0.0.lowerBound < $1.0.lowerBound }
        var out = ""
        var i = 0
        for (r, replacement) in spans {
            out += String(chars[i..<r.lowerBound])
            out += replacement
            i = r.upperBound
        }
        out += String(chars[i...])
        return out
    }

    /// Whether the whole value is one e-mail address.
    public static func isEmail(_ s: String) -> Bool {
        let chars = Array(s.piiTrimmed)
        return emailRanges(chars).first == 0..<chars.count
    }

    /// Whether a text holds anything ``maskText(_:)`` would mask.
    public static func containsPII(_ text: String) -> Bool { maskText(text) != text }

    // MARK: Pattern scanners (indices into an array of Characters)

    static func isLocalChar(_ c: Character) -> Bool {
        c.piiIsLetter || c.piiIsNumber || c == "." || c == "_" || c == "%" || c == "+" || c == "-" || c == "'"
    }
    static func isDomainChar(_ c: Character) -> Bool { c.piiIsLetter || c.piiIsNumber || c == "." || c == "-" }
    static func isDigit(_ c: Character) -> Bool { c.isASCII && c.piiIsNumber }
    static func isHex(_ c: Character) -> Bool { c.isHexDigit && c.isASCII }

    static func emailRanges(_ c: [Character]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < c.count {
            guard c[i] == "@" else { i += 1; continue }
            var lo = i
            while lo > 0, isLocalChar(c[lo - 1]) { lo -= 1 }
            while lo < i, c[lo] == "." || c[lo] == "-" || c[lo] == "'" { lo += 1 }
            var hi = i + 1
            while hi < c.count, isDomainChar(c[hi]) { hi += 1 }
            while hi > i + 1, c[hi - 1] == "." || c[hi - 1] == "-" { hi -= 1 }
            let domain = c[(i + 1)..<hi]
            let labels = domain.split(separator: ".")
            if lo < i, labels.count >= 2, let tld = labels.last, tld.count >= 2, tld.allSatisfy({ $0.piiIsLetter }) {
                out.append(lo..<hi)
                i = hi
            } else {
                i += 1
            }
        }
        return out
    }

    /// Dotted quads 0–255 and IPv6 addresses (`::` or eight groups), not part of a longer token.
    static func ipRanges(_ c: [Character]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < c.count {
            let boundary = i == 0 || !(c[i - 1].piiIsLetter || c[i - 1].piiIsNumber || c[i - 1] == "." || c[i - 1] == ":")
            guard boundary, isHex(c[i]) || c[i] == ":" else { i += 1; continue }
            var j = i
            var separated = false   // a `.` or `:` in the token: without one it is neither an IPv4 nor an IPv6 address
            while j < c.count, isHex(c[j]) || c[j] == "." || c[j] == ":" {
                if c[j] == "." || c[j] == ":" { separated = true }
                j += 1
            }
            var end = j
            while end > i, c[end - 1] == "." { end -= 1 }
            guard separated else { i = max(j, i + 1); continue }
            let afterOK = end >= c.count || !(c[end].piiIsLetter || c[end].piiIsNumber)
            let token = String(c[i..<end])
            if afterOK, isIPv4(token) || isIPv6(token) {
                out.append(i..<end)
            }
            i = max(j, i + 1)
        }
        return out
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { p in
            !p.isEmpty && p.count <= 3 && p.allSatisfy(isDigit) && (Int(p) ?? 999) <= 255 && !(p.count > 1 && p.first == "0")
        }
    }

    static func isIPv6(_ s: String) -> Bool {
        guard !s.contains("."), s.filter({ $0 == ":" }).count >= 2 else { return false }
        let groups = s.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ $0.count <= 4 && $0.allSatisfy(isHex) }) else { return false }
        let nonEmpty = groups.filter { !$0.isEmpty }
        if s.contains("::") {
            guard s.components(separatedByString: "::") == 2, !nonEmpty.isEmpty, nonEmpty.count <= 7 else { return false }
            // `fe80::1`, `2001:db8::ff00:42`: at least one group with a letter or more than two digits, so that
            // nothing like a clock time is taken for an address.
            return nonEmpty.contains(where: { $0.count >= 3 || $0.contains(where: { $0.piiIsLetter }) })
        }
        return groups.count == 8 && nonEmpty.count == 8
    }

    /// Runs of digits and separators that look like a phone number: `+` and 8–15 digits, `00` and 10–15
    /// digits, a national number starting with `0` or `(` (9–13 digits), or 10–11 digits in three or more
    /// groups (`202-555-0187`). Dates (`2026-11-13`, `13.11.2026`) and times are left alone.
    static func phoneRanges(_ c: [Character], taken: [Bool]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        func isSep(_ ch: Character) -> Bool { ch == " " || ch == "-" || ch == "." || ch == "(" || ch == ")" || ch == "/" }
        while i < c.count {
            let startOK = c[i] == "+" || c[i] == "(" || isDigit(c[i])
            let boundary = i == 0 || !(c[i - 1].piiIsLetter || c[i - 1].piiIsNumber || c[i - 1] == "+" || c[i - 1] == "-"
                                       || c[i - 1] == "." || c[i - 1] == "/" || c[i - 1] == "•")
            guard startOK, boundary, !taken[i] else { i += 1; continue }
            var j = i + 1
            var lastDigit = isDigit(c[i]) ? i : -1
            var gap = 0
            while j < c.count, !taken[j] {
                if isDigit(c[j]) { lastDigit = j; gap = 0 } else if isSep(c[j]) {
                    gap += 1
                    if gap > 2 || (c[j] == " " && j > 0 && c[j - 1] == " ") { break }
                } else { break }
                j += 1
            }
            guard lastDigit >= i else { i += 1; continue }
            var end = lastDigit + 1
            if end < c.count, c[end] == ")" { end += 1 }
            let afterOK = end >= c.count || !(c[end].piiIsLetter || c[end].piiIsNumber || c[end] == "•")
            let token = Array(c[i..<end])
            let digits = token.filter(isDigit)
            let groups = String(token).split(whereSeparator: { !isDigit($0) }).map(\.count)
            let looksLikeDate = (groups.count == 3 && (groups == [4, 2, 2] || groups == [2, 2, 4] || groups == [1, 2, 4]
                                                       || groups == [2, 1, 4] || groups == [1, 1, 4]))
                || (groups.count >= 2 && token.contains(":"))
                || (groups.count > 3 && groups.prefix(3) == [4, 2, 2] && token[4] == "-")   // a date, then a time
            var isPhone = false
            if token.first == "+" { isPhone = (8...15).contains(digits.count) } else if digits.starts(with: ["0", "0"]) {
                isPhone = (10...15).contains(digits.count)
            } else if token.first == "0" || token.first == "(" {
                isPhone = (9...13).contains(digits.count) && groups.count >= 2 || (10...13).contains(digits.count)
            } else {
                isPhone = (10...11).contains(digits.count) && groups.count >= 3
            }
            if afterOK, isPhone, !looksLikeDate {
                out.append(i..<end)
                i = end
            } else {
                i = max(i + 1, lastDigit + 1)
            }
        }
        return out
    }

    /// Street words (English, German, French, Spanish, Italian) by themselves or as a suffix.
    static let streetWords: Set<String> = [
        "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "boulevard", "blvd", "way",
        "court", "ct", "place", "pl", "terrace", "close", "crescent", "square", "sq", "highway", "hwy", "parkway",
        "straße", "strasse", "str", "weg", "allee", "platz", "gasse", "ring", "damm", "chaussee", "ufer",
        "rue", "avenida", "calle", "via", "viale", "piazza", "plaza", "laan", "gade", "vej", "gatan", "vägen",
    ]
    static let streetSuffixes = ["straße", "strasse", "str.", "weg", "allee", "platz", "gasse", "damm", "chaussee",
                                 "gatan", "vägen", "vej", "gade", "laan"]

    static func isStreetWord(_ w: String) -> Bool {
        let lower = w.lowercased()
        let bare = lower.hasSuffix(".") ? String(lower.dropLast()) : lower
        if streetWords.contains(bare) { return true }
        return streetSuffixes.contains(where: { lower.count > $0.count + 2 && lower.hasSuffix($0) })
    }

    /// A house number next to a street word: `221B Baker Street`, `12 Main St.`, `Hauptstraße 5`,
    /// `Rue de Rivoli 10`. The whole span is masked.
    static func addressRanges(_ c: [Character], taken: [Bool]) -> [Range<Int>] {
        addressRanges(words: wordSpans(c), taken: taken)
    }

    /// ``addressRanges(_:taken:)`` over the text's ``wordSpans(_:)``.
    static func addressRanges(words: [(Range<Int>, String)], taken: [Bool]) -> [Range<Int>] {
        func isHouseNumber(_ word: String) -> Bool {
            let w = word.trimmingCharacters(in: ",.;:")
            guard let f = w.first, isDigit(f), w.count <= 6 else { return false }
            let rest = w.drop(while: isDigit)
            return rest.count <= 1 && rest.allSatisfy { $0.piiIsLetter }
        }
        var out: [Range<Int>] = []
        for (k, (r, w)) in words.enumerated() where isStreetWord(w) {
            // Number before: up to three words before the street word, e.g. `221B Baker Street`.
            if let n = (max(0, k - 3)..<k).first(where: { isHouseNumber(words[$0].1) }),
               (n + 1..<k).allSatisfy({ words[$0].1.first?.piiIsUppercase == true || words[$0].1.first?.piiIsLetter == true }) {
                out.append(words[n].0.lowerBound..<r.upperBound)
                continue
            }
            // Number after: `Hauptstraße 5`, `Rue de Rivoli 10` (the words up to the number belong to it).
            var start = k
            while start > 0, k - start < 2, words[start - 1].1.first?.piiIsUppercase == true,
                  words[start - 1].0.upperBound + 1 == words[start].0.lowerBound { start -= 1 }
            if let n = (k + 1..<min(words.count, k + 4)).first(where: { isHouseNumber(words[$0].1) }) {
                out.append(words[start].0.lowerBound..<words[n].0.upperBound)
            }
        }
        return out
    }

    /// Phrases after which people write a name, lower-cased, as word sequences.
    static let nameCues: [[String]] = [
        ["my", "name", "is"], ["name", "is"], ["i", "am"], ["i'm"], ["i’m"], ["call", "me"],
        ["mein", "name", "ist"], ["ich", "heiße"], ["ich", "heisse"], ["je", "m'appelle"], ["me", "llamo"],
        ["mi", "chiamo"], ["mr"], ["mrs"], ["ms"], ["miss"], ["dr"], ["herr"], ["frau"], ["mme"],
    ]
    /// Possessives that, followed by a relation word, introduce a name: `my niece Mia`, `meine Tochter Lea`.
    static let possessives: Set<String> = ["my", "our", "his", "her", "their", "mein", "meine", "meinem", "meinen",
                                           "meiner", "unser", "unsere", "ma", "mon", "mi", "mia", "mio"]
    static let relations: Set<String> = [
        "niece", "nephew", "son", "daughter", "wife", "husband", "partner", "friend", "sister", "brother", "mom",
        "mum", "mother", "dad", "father", "grandson", "granddaughter", "grandma", "grandpa", "grandmother",
        "grandfather", "baby", "boy", "girl", "kid", "colleague", "neighbour", "neighbor", "boss", "aunt", "uncle",
        "cousin", "godchild", "goddaughter", "godson", "nichte", "neffe", "sohn", "tochter", "frau", "mann",
        "freundin", "freund", "schwester", "bruder", "enkel", "enkelin", "mutter", "vater", "oma", "opa", "tante",
        "onkel", "patenkind", "fille", "fils", "hija", "hijo", "figlia", "figlio",
    ]

    /// Capitalised words right after a cue: `my name is Anna Schmidt`, `my niece Mia`, `Mrs. Becker`.
    static func nameRanges(_ c: [Character]) -> [Range<Int>] { nameRanges(c, words: wordSpans(c)) }

    /// ``nameRanges(_:)`` with the text's ``wordSpans(_:)``.
    static func nameRanges(_ c: [Character], words: [(Range<Int>, String)]) -> [Range<Int>] {
        let lower = words.map { $0.1.lowercased().trimmingCharacters(in: ".:,") }
        var out: [Range<Int>] = []
        var k = 0
        while k < words.count {
            var matched = 0
            for cue in nameCues where cue.count > matched && k + cue.count <= words.count
                && lower[k..<(k + cue.count)].elementsEqual(cue) { matched = cue.count }
            if matched == 0, k + 1 < words.count, possessives.contains(lower[k]), relations.contains(lower[k + 1]) {
                matched = 2
            }
            guard matched > 0 else { k += 1; continue }
            var n = k + matched
            var end: Int?
            let start = n
            while n < words.count, n - start < 3, let f = words[n].1.first, f.piiIsUppercase,
                  words[n].1.dropFirst().allSatisfy({ $0.piiIsLetter || $0 == "-" || $0 == "'" || $0 == "," || $0 == "." }),
                  !isStreetWord(words[n].1) {
                end = n
                n += 1
                if words[n - 1].1.last == "," || words[n - 1].1.last == "." { break }
            }
            if let end {
                var hi = words[end].0.upperBound
                while hi > words[start].0.lowerBound, [",", "."].contains(c[hi - 1]) { hi -= 1 }
                out.append(words[start].0.lowerBound..<hi)
                k = end + 1
            } else {
                k += matched
            }
        }
        return out
    }

    /// Whitespace-separated words with their ranges.
    static func wordSpans(_ c: [Character]) -> [(Range<Int>, String)] {
        var out: [(Range<Int>, String)] = []
        var i = 0
        while i < c.count {
            if c[i].piiIsWhitespace { i += 1; continue }
            var j = i
            while j < c.count, !c[j].piiIsWhitespace { j += 1 }
            out.append((i..<j, String(c[i..<j])))
            i = j
        }
        return out
    }
}

/// The character classes the scanners test, with an ASCII fast path (the Unicode property look-up only for
/// other characters). For ASCII the answers equal `isLetter`, `isNumber`, `isWhitespace` and `isUppercase`
/// (`asciiValue` of CR LF is LF, which agrees with the pair for all four).
extension Character {
    @inline(__always) var piiIsLetter: Bool {
        if let a = asciiValue { let l = a | 0x20; return l >= 0x61 && l <= 0x7A }
        return isLetter
    }
    @inline(__always) var piiIsNumber: Bool {
        if let a = asciiValue { return a >= 0x30 && a <= 0x39 }
        return isNumber
    }
    @inline(__always) var piiIsWhitespace: Bool {
        if let a = asciiValue { return a == 0x20 || (a >= 0x09 && a <= 0x0D) }
        return isWhitespace
    }
    @inline(__always) var piiIsUppercase: Bool {
        if let a = asciiValue { return a >= 0x41 && a <= 0x5A }
        return isUppercase
    }
}

extension String {
    var piiTrimmed: Substring {
        let s = drop(while: { $0.piiIsWhitespace })
        return s.dropLast(s.reversed().prefix(while: { $0.piiIsWhitespace }).count)
    }

    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }

    /// Number of pieces when split at `separator` (no Foundation).
    func components(separatedByString separator: String) -> Int {
        var count = 1
        var rest = Substring(self)
        while let r = rest.range(of: separator) { count += 1; rest = rest[r.upperBound...] }
        return count
    }
}

extension Substring {
    func range(of needle: String) -> Range<Substring.Index>? {
        guard !needle.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}
