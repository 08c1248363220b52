/// Counts scores 0…10 into promoters (9–10), passives (7–8) and detractors (0–6).
struct NPSCounter {
    var promoters = 0
    var passives = 0
    var detractors = 0

    mutating func add(_ score: Int) {
        if score >= 9 { promoters += 1 } else if score >= 7 { passives += 1 } else { detractors += 1 }
    }

    var stats: NPSStats { NPSStats.from(promoters: promoters, passives: passives, detractors: detractors) }
}

extension NPSStats {
    /// The stats of these counts: nps = 100 × (promoters − detractors) / scored, nil when nothing was scored.
    public static func from(promoters: Int, passives: Int, detractors: Int) -> NPSStats {
        let scored = promoters + passives + detractors
        return NPSStats(scored: scored, promoters: promoters, passives: passives, detractors: detractors,
                        nps: scored == 0 ? nil : 100 * Double(promoters - detractors) / Double(scored))
    }
}

/// Parses a survey score: an integer 0…10 given as a JSON number (integral, e.g. `9` or `9.0`)
/// or as a string of ASCII digits with optional surrounding whitespace (`"9"`, `" 10 "`, `"07"`).
/// Anything else (`"7.5"`, `"11"`, `"-1"`, `"great"`, booleans) is not a score.
public func parseScore(number: Double) -> Int? {
    guard number.isFinite, number >= 0, number <= 10, number.rounded(.towardZero) == number else { return nil }
    return Int(number)
}

/// See ``parseScore(number:)``.
public func parseScore(text: String) -> Int? {
    var value = 0
    var digits = 0
    var trailing = false
    for u in text.unicodeScalars {
        if u.properties.isWhitespace {
            if digits > 0 { trailing = true }
            continue
        }
        guard !trailing, u.value >= 0x30, u.value <= 0x39 else { return nil }
        value = value * 10 + Int(u.value - 0x30)
        digits += 1
        if value > 10 { return nil }
    }
    return digits > 0 ? value : nil
}
