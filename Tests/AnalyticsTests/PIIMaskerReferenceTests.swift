import EarshotTestSupport
import XCTest
@testable import Analytics

/// The masker against its own definition: ``ReferenceMasker`` is `PIIMasker.mask` and the three scanners it changed
/// in session 8 (`eval8`: the words split once for both word scanners, the name cues compared without an array per
/// cue, IP tokens without a `.` or `:` skipped before they become a string) exactly as they were before (main 25f7314),
/// over the unchanged helpers. Every text must mask the same, as free text and as an identifier.
final class PIIMaskerReferenceTests: XCTestCase {
    /// Texts with every kind of thing the masker looks for, next to look-alikes.
    static let corpus: [String] = [
        "", "plain words only", "Anna", "my name is Anna Schmidt", "My Name Is Anna, thanks", "i am Bob.", "I'm Zoë Müller",
        "call me Ishmael", "Mrs. Becker called", "mein Name ist Jonas Patel", "ich heiße Lea", "je m'appelle Chloé",
        "me llamo Sofía", "mi chiamo Luca", "my niece Mia loves it", "meine Tochter Lea", "our friend Tom, and dad Ben.",
        "Dr. Who", "Herr Müller und Frau Schulz", "write to anna.schmidt@example.com, please", "me@home", "ping @support",
        "<yuki.becker.1129@example.co.uk>", "from 192.168.0.1 and 10.0.0.256", "fe80::1 and 2001:db8::ff00:42 at 12:30",
        "1:2:3:4:5:6:7:8", "::", "dead:beef::cafe", "abc.def:12", "a.b.c.d", "face.bad.add.bed", "café 12:00",
        "call +1 202 555 0187 today", "Handy: 0170 1234567.", "US 202-555-0187", "tel 0049 30 1234567", "(202) 555-0187",
        "on 2026-11-13 at 19:02:10", "order NC-000520-1", "13.11.2026", "costs 1299.00 EUR", "version 1.2.3",
        "221B Baker Street", "12 Main St.", "Hauptstraße 5", "Rue de Rivoli 10", "Am Kupfergraben 6, Berlin",
        "deliver to 5 Elm Rd, then call 0170 1234567", "decaf beef bad cafe", "a.b:c", "ab:cd:ef", "1.2.3.4.",
        "/tmp/earshot-bench/0.1GB/2026-08/events-2026-08-22.jsonl", "The delivery was late. My husband Tom was upset.",
        "Great service!  My name is  Anna", "Straße 7", "Main Street", "IP: 8.8.8.8:53", "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ]

    func testSameAsTheReferenceOnTheCorpus() {
        for text in Self.corpus { check(text) }
    }

    func testSameAsTheReferenceOnGeneratedTexts() {
        // Pieces that the scanners react to, joined by the separators they split at: 3,000 texts.
        let pieces = ["my", "name", "is", "Anna", "I'm", "Mr", "niece", "Mia", "meine", "Tochter", "Street", "St.", "5", "12",
                      "221B", "straße", "Rue", "de", "a", "b", "c", "d", "e", "f", "ab", "cafe", "fe80", "::", ":", ".", "1",
                      "192", "168", "255", "256", "0", "00", "0170", "+49", "(202)", "555", "0187", "2026-11-13", "@", "x@y.de",
                      "anna.s@example.com", "Zoë", "É", "Ä", "•", "-", "/", ",", "db8", "8a2e"]
        let separators = ["", " ", "  ", ".", ":", "-", ", ", "\t"]
        var rng = SeededRandom(seed: 8)
        for _ in 0 ..< 3_000 {
            var text = ""
            for _ in 0 ..< Int(rng.next() % 9) + 1 {
                text += pieces[Int(rng.next() % UInt64(pieces.count))]
                text += separators[Int(rng.next() % UInt64(separators.count))]
            }
            check(text)
        }
    }

    private func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(PIIMasker.maskText(text), ReferenceMasker.mask(text, freeText: true), text, file: file, line: line)
        XCTAssertEqual(PIIMasker.maskIdentifier(text), ReferenceMasker.mask(text, freeText: false), text, file: file, line: line)
        XCTAssertEqual(PIIMasker.mask(text, freeText: false, explicitPhonesOnly: true),
                       ReferenceMasker.mask(text, freeText: false, explicitPhonesOnly: true), text, file: file, line: line)
        let chars = Array(text)
        XCTAssertEqual(PIIMasker.ipRanges(chars), ReferenceMasker.ipRanges(chars), text, file: file, line: line)
        XCTAssertEqual(PIIMasker.nameRanges(chars), ReferenceMasker.nameRanges(chars), text, file: file, line: line)
    }

    func testPrivacyMemoMasksEachKindApart() {
        // The same text as an identifier and as free text masks differently; the memo must keep them apart.
        let memo = MaskMemo()
        let text = "my name is Anna Schmidt"
        XCTAssertEqual(memo.identifier(text), text)
        XCTAssertEqual(memo.text(text), PIIMasker.maskText(text))
        XCTAssertNotEqual(memo.text(text), text)
        XCTAssertEqual(memo.identifier(text), text)
        for t in Self.corpus + Self.corpus {
            XCTAssertEqual(memo.text(t), PIIMasker.maskText(t), t)
            XCTAssertEqual(memo.identifier(t), PIIMasker.maskIdentifier(t), t)
        }
    }
}

/// `PIIMasker.mask` and its `ipRanges`, `addressRanges`, `nameRanges` as of main 25f7314 (verbatim but for the
/// `PIIMasker.` qualifiers of the unchanged helpers).
private enum ReferenceMasker {
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
        for r in PIIMasker.emailRanges(chars) { add(r, PIIMasker.maskEmail(String(chars[r]))) }
        for r in ipRanges(chars) { add(r, PIIMasker.maskIP(String(chars[r]))) }
        if freeText { for r in addressRanges(chars, taken: taken) { add(r, PIIMasker.maskWords(String(chars[r]))) } }
        for r in PIIMasker.phoneRanges(chars, taken: taken) where !explicitPhonesOnly || chars[r.lowerBound] == "+" || chars[r.lowerBound] == "0" {
            add(r, PIIMasker.maskPhone(String(chars[r])))
        }
        if freeText { for r in nameRanges(chars) { add(r, PIIMasker.maskWords(String(chars[r]))) } }
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


    static func ipRanges(_ c: [Character]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < c.count {
            let boundary = i == 0 || !(c[i - 1].piiIsLetter || c[i - 1].piiIsNumber || c[i - 1] == "." || c[i - 1] == ":")
            guard boundary, PIIMasker.isHex(c[i]) || c[i] == ":" else { i += 1; continue }
            var j = i
            while j < c.count, PIIMasker.isHex(c[j]) || c[j] == "." || c[j] == ":" { j += 1 }
            var end = j
            while end > i, c[end - 1] == "." { end -= 1 }
            let afterOK = end >= c.count || !(c[end].piiIsLetter || c[end].piiIsNumber)
            let token = String(c[i..<end])
            if afterOK, PIIMasker.isIPv4(token) || PIIMasker.isIPv6(token) {
                out.append(i..<end)
            }
            i = max(j, i + 1)
        }
        return out
    }

    static func addressRanges(_ c: [Character], taken: [Bool]) -> [Range<Int>] {
        let words = PIIMasker.wordSpans(c)
        func isHouseNumber(_ word: String) -> Bool {
            let w = word.trimmingCharacters(in: ",.;:")
            guard let f = w.first, PIIMasker.isDigit(f), w.count <= 6 else { return false }
            let rest = w.drop(while: PIIMasker.isDigit)
            return rest.count <= 1 && rest.allSatisfy { $0.piiIsLetter }
        }
        var out: [Range<Int>] = []
        for (k, (r, w)) in words.enumerated() where PIIMasker.isStreetWord(w) {
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

    static func nameRanges(_ c: [Character]) -> [Range<Int>] {
        let words = PIIMasker.wordSpans(c)
        let lower = words.map { $0.1.lowercased().trimmingCharacters(in: ".:,") }
        var out: [Range<Int>] = []
        var k = 0
        while k < words.count {
            var matched = 0
            for cue in PIIMasker.nameCues where cue.count > matched && k + cue.count <= words.count
                && Array(lower[k..<(k + cue.count)]) == cue { matched = cue.count }
            if matched == 0, k + 1 < words.count, PIIMasker.possessives.contains(lower[k]), PIIMasker.relations.contains(lower[k + 1]) {
                matched = 2
            }
            guard matched > 0 else { k += 1; continue }
            var n = k + matched
            var end: Int?
            let start = n
            while n < words.count, n - start < 3, let f = words[n].1.first, f.piiIsUppercase,
                  words[n].1.dropFirst().allSatisfy({ $0.piiIsLetter || $0 == "-" || $0 == "'" || $0 == "," || $0 == "." }),
                  !PIIMasker.isStreetWord(words[n].1) {
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
}
