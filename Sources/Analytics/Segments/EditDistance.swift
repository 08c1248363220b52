/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) over characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { d[i][0] = i }
    for j in 0...y.count { d[0][j] = j }
    for i in 1...x.count {
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[x.count][y.count]
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
        let dist = lowered == c.lowercased() ? 1 : editDistance(word, c)
        if dist <= limit, best == nil || dist < best!.distance { best = (c, dist) }
    }
    return best?.name
}
