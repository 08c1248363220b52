/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) over characters.
/// With `limit`, stops as soon as the distance must exceed it and returns `limit + 1`: three rolling
/// rows, no per-cell allocation, so a rules file with thousands of names stays fast (#11 fuzzing:
/// a 64 KB file of 915 unknown references took 8.7 s under AddressSanitizer with a full matrix).
func editDistance(_ a: String, _ b: String, limit: Int = .max) -> Int {
    editDistanceCountingRows(a, b, limit: limit).distance
}

/// ``editDistance(_:_:limit:)`` and how many rows of the matrix it computed before it knew the answer
/// (the work done: at most `limit + 1` rows past the point where the strings stop agreeing).
func editDistanceCountingRows(_ a: String, _ b: String, limit: Int = .max) -> (distance: Int, rows: Int) {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return (min(y.count, limit == .max ? y.count : limit + 1), 0) }
    if y.isEmpty { return (min(x.count, limit == .max ? x.count : limit + 1), 0) }
    if limit != .max && abs(x.count - y.count) > limit { return (limit + 1, 0) }
    let m = y.count
    var older = [Int](repeating: 0, count: m + 1)   // row i - 2
    var previous = Array(0 ... m)                    // row i - 1
    var current = [Int](repeating: 0, count: m + 1)
    for i in 1 ... x.count {
        current[0] = i
        var rowMin = i
        for j in 1 ... m {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            var v = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { v = min(v, older[j - 2] + 1) }
            current[j] = v
            rowMin = min(rowMin, v)
        }
        // Every later cell is at least this row's minimum (a transposition reads row i - 1, whose minimum is no smaller).
        if limit != .max && rowMin > limit { return (limit + 1, i) }
        swap(&older, &previous)
        swap(&previous, &current)
    }
    let d = previous[m]
    return (limit != .max && d > limit ? limit + 1 : d, x.count)
}

/// The candidate closest to `word`, when close enough to be a likely typo
/// (1 edit for words up to 5 characters, 2 beyond; case differences count as edits).
/// Ties go to the earlier candidate.
func closest(to word: String, among candidates: [String]) -> String? {
    let n = word.count
    let limit = n < 2 ? 0 : (n <= 5 ? 1 : 2)
    var best: (name: String, distance: Int)?
    let lowered = word.lowercased()
    for c in candidates where c != word {
        // The distance is at least the difference in length: most candidates end here.
        if abs(c.count - n) > limit { continue }
        let dist = lowered == c.lowercased() ? 1 : editDistance(word, c, limit: limit)
        if dist <= limit, best == nil || dist < best!.distance { best = (c, dist) }
    }
    return best?.name
}
