/// The privacy pass: turns a raw ``Report`` into the published one that every renderer shows.
///
/// 1. **Minimum cohort** (k = `policy.minCohort`, 0 = off): every count of persons in 1 ..< k is withheld
///    (``Suppression/belowMinimum``), and so is every event count in 1 ..< k that describes persons (prompts,
///    answers, dismissals, scored responses: fewer than k events come from fewer than k persons). Shares,
///    rates and scores computed from a withheld count are withheld too (``Suppression/derived``), and
///    where the withheld count could be worked out from figures shown beside it (granted + denied +
///    unknown = persons; promoters + passives + detractors = scored), one more figure is withheld
///    (``Suppression/complementary``). Zero is always shown: it singles nobody out.
/// 2. **Personal data**: unless `policy.revealPII`, text from the store and the rules is masked with
///    ``PIIMasker`` (identifiers by shape, rule text as free text).
/// 3. **Free text**: words used by fewer than k persons are dropped from the word list.
///
/// Pipeline counts that audit the data rather than describe persons stay exact: files, lines, events,
/// duplicates, malformed lines, event-name counts, consent-audited events and events without consent,
/// responses and unmatched responses. Which figure is which: docs/PRIVACY.md.
public enum Privacy {
    /// The published report: suppressed, masked, and marked with ``PrivacySummary``.
    public static func publish(_ report: Report, policy: PrivacyPolicy) -> Report {
        var pass = Pass(policy: policy)
        var r = report
        pass.apply(&r)
        r.privacy = PrivacySummary(applied: true, minCohort: policy.minCohort, piiMasked: !policy.revealPII,
                                   suppressedValues: pass.suppressed)
        return r
    }

    /// How many words the free-text summary keeps.
    public static let maxWords = 30

    struct Pass {
        let policy: PrivacyPolicy
        var suppressed = 0

        /// The texts this pass masked already: the same identifier or text comes back in many parts of the report
        /// (channels, survey ids, question texts and answer values per segment), and ``PIIMasker`` is a pure function
        /// of its input, so each distinct one is masked once. A class, so that the non-mutating ``id(_:)`` and
        /// ``text(_:)`` can fill it; one per pass, and a pass is used by one job only.
        let memo = MaskMemo()

        init(policy: PrivacyPolicy) { self.policy = policy }

        var k: Int { policy.minCohort }
        func small(_ n: Int) -> Bool { policy.isSmall(n) }
        func id(_ s: String) -> String { policy.revealPII ? s : memo.identifier(s) }
        /// earshot's own message quoting store text: only the quoted store text is masked.
        func message(_ s: String) -> String { policy.revealPII ? s : PIIMasker.maskMessage(s) }
        /// Store-borne free text (answer values, question texts): masked as a whole.
        func text(_ s: String) -> String { policy.revealPII ? s : memo.text(s) }

        /// Withholds a count: value 0, mark `why`.
        mutating func hide<T>(_ x: inout T, _ value: WritableKeyPath<T, Int>, _ mark: WritableKeyPath<T, Suppression>,
                              _ why: Suppression = .belowMinimum) {
            guard !x[keyPath: mark].isSuppressed else { return }
            x[keyPath: value] = 0; x[keyPath: mark] = why; suppressed += 1
        }
        /// Withholds an optional figure (a share, rate, time or score): value nil.
        mutating func hide<T>(_ x: inout T, _ value: WritableKeyPath<T, Double?>, _ mark: WritableKeyPath<T, Suppression>,
                              _ why: Suppression = .derived) {
            guard !x[keyPath: mark].isSuppressed else { return }
            x[keyPath: value] = nil; x[keyPath: mark] = why; suppressed += 1
        }
        /// Withholds a count when it is in 1 ..< k; returns whether it is withheld.
        @discardableResult
        mutating func guardCount<T>(_ x: inout T, _ value: WritableKeyPath<T, Int>,
                                    _ mark: WritableKeyPath<T, Suppression>) -> Bool {
            if small(x[keyPath: value]) { hide(&x, value, mark) }
            return x[keyPath: mark].isSuppressed
        }

        /// The declared rule of a struct's figures (``FigureList/figures``, ``FigurePrivacy``): a guarded count (of
        /// persons or events) is withheld when in 1 ..< k, or when the count it is a part of (``FigureDescriptor/withheldWith``)
        /// is withheld; a derived figure is withheld when a figure it is computed from is. Figures already withheld
        /// stay as they are. Structs whose figures add up to a shown total (consent states, NPS groups, loop
        /// outcomes, journey children) take further figures along by hand below.
        @discardableResult
        mutating func guardFigures<T: FigureList>(_ x: inout T) -> T {
            let list = T.figures
            for d in list where d.privacy.isGuardedCount && d.withheldWith == nil && !d.isKeyed { guardFigure(&x, d) }
            for d in list where d.privacy.isGuardedCount && d.withheldWith != nil {
                if let whole = list.first(where: { $0.key == d.withheldWith }), whole.isWithheld(in: x) {
                    hide(&x, d, small(d.value(of: x)) ? .belowMinimum : .derived)
                } else {
                    guardFigure(&x, d)
                }
            }
            for d in list where d.privacy == .derived && !d.derivedFrom.isEmpty {
                if list.contains(where: { d.derivedFrom.contains($0.key) && $0.isWithheld(in: x) }) { hide(&x, d, .derived) }
            }
            return x
        }

        /// Withholds a plain guarded count when it is in 1 ..< k.
        mutating func guardFigure<T>(_ x: inout T, _ d: FigureDescriptor<T>) {
            if small(d.value(of: x)) { hide(&x, d, .belowMinimum) }
        }

        /// Withholds a plain figure (value zero or nil, mark `why`) unless it is withheld already.
        mutating func hide<T>(_ x: inout T, _ d: FigureDescriptor<T>, _ why: Suppression) {
            guard let withhold = d.withhold, !d.isWithheld(in: x) else { return }
            withhold(&x, why); suppressed += 1
        }

        func small(_ v: FigureValue) -> Bool {
            if case .count(let n) = v { return small(n) }
            return false
        }

        /// The whole report. The questions (masking their values, options and theme examples) and the free-text word
        /// list (each word checked by the masker) are most of the pass's work, all of it text: they run as concurrent
        /// jobs beside the rest of the report (docs/PERFORMANCE.md, "session 7, analysis"), each with a pass of its own
        /// whose withheld counts are added up. Every part touches its own fields, so the report is the same as
        /// applied in one go.
        mutating func apply(_ r: inout Report) {
            enum Part { case rest(Report, Int), questions([QuestionStats], Int), words([Bool]) }
            let policy = policy
            let questions = r.feedback.questions, words = r.feedback.freeText.words
            var rest = r
            rest.feedback.questions = []
            rest.feedback.freeText.words = []
            let restInput = rest
            var jobs: [@Sendable () -> Part] = [
                { var pass = Pass(policy: policy); var x = restInput; pass.applyRest(&x); return .rest(x, pass.suppressed) },
                { .words(words.map { w in !policy.isSmall(w.persons) && (policy.revealPII || PIIMasker.maskText(w.word) == w.word) }) },
            ]
            // The questions in two halves, first (the longest jobs), in order.
            let chunk = max(1, (questions.count + 1) / 2)
            let halves: [@Sendable () -> Part] = stride(from: 0, to: questions.count, by: chunk).map { start in
                let half = questions[start ..< min(questions.count, start + chunk)]
                return { var pass = Pass(policy: policy); let q = half.map { pass.published($0) }; return .questions(q, pass.suppressed) }
            }
            jobs = halves + jobs
            var published: [QuestionStats] = []
            var keep: [Bool] = []
            for part in ParallelJobs.run(jobs) {
                switch part {
                case .rest(let x, let n): rest = x; suppressed += n
                case .questions(let q, let n): published += q; suppressed += n
                case .words(let k): keep = k
                }
            }
            rest.feedback.questions = published
            // The words the masker leaves alone and of at least k persons, at most maxWords (as apply(_:FreeTextSummary)).
            var kept: [WordCount] = []
            for (w, k) in zip(words, keep) where k { kept.append(w) }
            rest.feedback.freeText.wordsDropped += words.count - kept.count
            if kept.count > maxWords { kept.removeLast(kept.count - maxWords) }
            rest.feedback.freeText.words = kept
            r = rest
        }

        /// Everything of ``apply(_:)-(Report)`` but the questions and the free-text words.
        mutating func applyRest(_ r: inout Report) {
            // Store: the persons total, and the store's own text.
            guardFigures(&r.store)
            r.store.malformedLines = r.store.malformedLines.map {
                MalformedLineReport(file: id($0.file), line: $0.line, reason: message($0.reason))
            }
            r.store.fileList = r.store.fileList.map { var f = $0; f.path = id(f.path); return f }
            r.store.warnings = r.store.warnings.map(message)

            // Consent.
            r.consent.analyticsCategory = id(r.consent.analyticsCategory)
            let consentPersonsHidden = guardFigures(&r.consent).$persons.isSuppressed
            r.consent.categories = r.consent.categories.map { c in
                var c = c
                c.name = id(c.name)
                apply(&c, personsHidden: consentPersonsHidden)
                return c
            }

            // Feedback.
            apply(&r.feedback.total)
            r.feedback.channels = r.feedback.channels.map { var l = $0; apply(&l); return l }
            r.feedback.surveys = r.feedback.surveys.map { var l = $0; apply(&l); return l }
            apply(&r.feedback.nps)
            r.feedback.npsByChannel = maskedKeys(r.feedback.npsByChannel).mapValues { var n = $0; apply(&n); return n }
            r.feedback.npsBySurvey = maskedKeys(r.feedback.npsBySurvey).mapValues { var n = $0; apply(&n); return n }
            r.feedback.hourWeekday = r.feedback.hourWeekday.map { var h = $0; return guardFigures(&h) }
            apply(&r.feedback.freeText)  // its words: in apply(_:)
            // Questions: published(_:), in apply(_:).
            r.feedback.questionFunnels = r.feedback.questionFunnels.map { f in
                var f = f
                f.surveyID = id(f.surveyID); f.name = f.name.map(text)
                f.steps = f.steps.map { s in
                    var s = s
                    s.question = id(s.question); s.text = s.text.map(text)
                    let a = guardCount(&s, \.asked, \.$asked), b = guardCount(&s, \.answered, \.$answered)
                    if a || b { hide(&s, \.answerRate, \.$answerRate) }
                    return s
                }
                return f
            }

            // Prompt fatigue, preferred channel, profile depth (Privacy+Fatigue.swift).
            apply(&r.feedback.fatigue)
            apply(&r.feedback.preferredChannel)
            apply(&r.persons.profileDepth)

            // Weekly series.
            r.weekly = r.weekly.map { var w = $0; apply(&w); return w }

            // Event names: exact counts (the taxonomy, not persons), names masked.
            // In place: a store of a million distinct names keeps one list, not two (#11.15).
            r.eventNames.mapNames(id)

            // Segments and overlaps.
            r.segments = r.segments.map { var s = $0; apply(&s); return s }
            r.overlap = r.overlap.map { o in
                var o = o
                o.a = id(o.a); o.b = id(o.b)
                return guardFigures(&o)
            }

            // Loops and journeys (Privacy+Flows.swift).
            r.loops = r.loops.map { var l = $0; apply(&l); return l }
            r.journeys = r.journeys.map { var j = $0; apply(&j); return j }
        }

        /// A question as published: ids and texts masked; a question answered by fewer than k persons shows no values
        /// or mean, and a value given fewer than k times is left out (its text could single a person out).
        mutating func published(_ q: QuestionStats) -> QuestionStats {
            var q = q
            q.surveyID = id(q.surveyID); q.question = id(q.question); q.text = q.text.map(text)
            q.surveyName = q.surveyName.map(text)
            if guardFigures(&q).$persons.isSuppressed {
                q.values = []
                if q.mean != nil { q.mean = nil; suppressed += 1 }
                suppressed += q.options.count + q.histogram.count + q.themes.count + q.weekly.count
                q.options = []; q.histogram = []; q.themes = []; q.weekly = []; q.topOption = nil
                if q.nps != nil { q.nps = nil; suppressed += 1 }
                hide(&q, \.medianLength, \.$medianLength)
            } else {
                let kept = q.values.filter { !small($0.count) }
                suppressed += q.values.count - kept.count
                q.values = kept.map { ValueCount(value: text($0.value), count: $0.count) }
                apply(question: &q)
            }
            return q
        }

        /// A shown question's details (docs/PRIVACY.md, "Answers"): option and histogram counts under k withheld with
        /// the shares derived from them; themes of fewer than k persons dropped with their examples; examples and
        /// option texts masked; weekly counts under k withheld, and the weekly top share when its count is.
        mutating func apply(question q: inout QuestionStats) {
            // An undeclared option (the customer's own text) of fewer than k persons is left out: it is folded into
            // nothing, its text could single a person out.
            let shownOptions = q.options.filter { $0.other || $0.declared || !small($0.persons) }
            suppressed += q.options.count - shownOptions.count
            q.options = shownOptions.map { o in
                var o = o
                o.option = o.other ? o.option : text(o.option)
                guardCount(&o, \.count, \.$count)
                if guardCount(&o, \.persons, \.$persons) { hide(&o, \.share, \.$share) }
                return o
            }
            q.histogram = q.histogram.map { var b = $0; guardCount(&b, \.count, \.$count); return b }
            if var n = q.nps { apply(&n); q.nps = n }
            let kept = q.themes.filter { !small($0.persons) }
            q.themesDropped += q.themes.count - kept.count
            q.themes = kept.map { t in
                var t = t
                t.theme = text(t.theme)
                t.examples = t.examples.map(text)
                return t
            }
            q.topOption = q.topOption.map(text)
            q.weekly = q.weekly.map { w in
                var w = w
                let top = w.topShare.map { Int(($0 * Double(w.persons)).rounded()) } ?? 0
                guardCount(&w, \.answers, \.$answers)
                if guardCount(&w, \.persons, \.$persons) || small(top) { hide(&w, \.topShare, \.$topShare) }
                return w
            }
        }

        func maskedKeys<V>(_ d: [String: V]) -> [String: V] {
            guard !policy.revealPII else { return d }
            return Dictionary(d.map { (id($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        }

        /// Granted/denied/unknown add up to the persons shown: one withheld count takes the smallest other
        /// along, so that it cannot be worked out; coverage (granted / persons) goes with granted.
        mutating func apply(_ c: inout CategoryCoverage, personsHidden: Bool) {
            let parts = [(\CategoryCoverage.granted, \CategoryCoverage.$granted), (\.denied, \.$denied), (\.unknown, \.$unknown)]
            for (value, mark) in parts { guardCount(&c, value, mark) }
            // The smallest figure still shown, zero included (ties: granted, denied, unknown).
            if let i = Self.complementIndex(parts.map { (c[keyPath: $0.0], c[keyPath: $0.1].isSuppressed) },
                                            totalShown: !personsHidden, zeros: true) {
                hide(&c, parts[i].0, parts[i].1, .complementary)
            }
            if c.$granted.isSuppressed || personsHidden { hide(&c, \.coverage, \.$coverage) }
        }

        /// A feedback loop: its prompted persons are the cohort; when they are fewer than k every figure of
        /// the row goes. Otherwise answers (persons and events) and dismissals are guarded on their own,
        /// taking their rates along; the median time to answer describes the answering persons.
        mutating func apply(_ l: inout LoopStats) {
            l.channel = id(l.channel)
            l.surveyID = l.surveyID.map(id)
            if small(l.personsPrompted) || small(l.prompts) {
                hide(&l, \.personsPrompted, \.$personsPrompted); hide(&l, \.prompts, \.$prompts, small(l.prompts) ? .belowMinimum : .derived)
                hide(&l, \.answered, \.$answered, small(l.answered) ? .belowMinimum : .derived)
                hide(&l, \.personsAnswered, \.$personsAnswered, small(l.personsAnswered) ? .belowMinimum : .derived)
                hide(&l, \.dismissed, \.$dismissed, small(l.dismissed) ? .belowMinimum : .derived)
                hide(&l, \.responseRate, \.$responseRate); hide(&l, \.personResponseRate, \.$personResponseRate); hide(&l, \.dismissalRate, \.$dismissalRate)
                hide(&l, \.medianSecondsToAnswer, \.$medianSecondsToAnswer)
                return
            }
            if small(l.personsAnswered) || small(l.answered) {
                if small(l.personsAnswered) { hide(&l, \.personsAnswered, \.$personsAnswered) } else { hide(&l, \.personsAnswered, \.$personsAnswered, .complementary) }
                if small(l.answered) { hide(&l, \.answered, \.$answered) } else { hide(&l, \.answered, \.$answered, .complementary) }
                hide(&l, \.responseRate, \.$responseRate); hide(&l, \.personResponseRate, \.$personResponseRate); hide(&l, \.medianSecondsToAnswer, \.$medianSecondsToAnswer)
            }
            if guardCount(&l, \.dismissed, \.$dismissed) { hide(&l, \.dismissalRate, \.$dismissalRate) }
        }

        /// NPS: fewer than k scored responses hide everything; otherwise, if any of promoters, passives and
        /// detractors is below k, all three go (with the score and the total shown, any two would give the
        /// third) while the scored total and the score itself stay.
        mutating func apply(_ n: inout NPSStats) {
            if small(n.scored) {
                hide(&n, \.scored, \.$scored)
                hide(&n, \.promoters, \.$promoters, small(n.promoters) ? .belowMinimum : .derived)
                hide(&n, \.passives, \.$passives, small(n.passives) ? .belowMinimum : .derived)
                hide(&n, \.detractors, \.$detractors, small(n.detractors) ? .belowMinimum : .derived)
                hide(&n, \.nps, \.$nps)
                return
            }
            if small(n.promoters) || small(n.passives) || small(n.detractors) {
                hide(&n, \.promoters, \.$promoters, small(n.promoters) ? .belowMinimum : .complementary)
                hide(&n, \.passives, \.$passives, small(n.passives) ? .belowMinimum : .complementary)
                hide(&n, \.detractors, \.$detractors, small(n.detractors) ? .belowMinimum : .complementary)
            }
        }

        /// A week: persons seen, prompts and answers guarded; each category's coverage goes when the persons
        /// seen are withheld or when the granted persons it implies (coverage × persons seen) are in 1 ..< k.
        mutating func apply(_ w: inout WeekPoint) {
            let personsHidden = guardFigures(&w).$personsSeen.isSuppressed
            var coverage = w.consentCoverage
            var marks = w.$consentCoverage
            if !policy.revealPII {
                coverage = maskedKeys(coverage); marks = maskedKeys(marks)
            }
            for (name, c) in coverage {
                let granted = Int((c * Double(w.personsSeen)).rounded())
                if personsHidden || small(granted) {
                    coverage[name] = 0
                    marks[name] = personsHidden ? .derived : .belowMinimum
                    suppressed += 1
                }
            }
            w.consentCoverage = coverage
            w.$consentCoverage = marks
        }

        /// A segment: size, reachable persons per category and weekly sizes guarded one by one; the share
        /// goes with the size; its feedback loops and NPS follow their own rules.
        mutating func apply(_ s: inout SegmentReport) {
            s.name = id(s.name)
            s.rule = policy.revealPII ? s.rule : PIIMasker.maskRule(s.rule, piiFields: policy.piiFields)
            guardFigures(&s)
            var reach = policy.revealPII ? s.reachable : maskedKeys(s.reachable)
            var marks = policy.revealPII ? s.$reachable : maskedKeys(s.$reachable)
            for (cat, n) in reach where small(n) || (s.$size.isSuppressed && n > 0) {
                reach[cat] = 0
                marks[cat] = small(n) ? .belowMinimum : .derived
                suppressed += 1
            }
            s.reachable = reach
            s.$reachable = marks
            s.weekly = s.weekly.map { var w = $0; return guardFigures(&w) }
            s.feedback = s.feedback.map { var l = $0; apply(&l); return l }
            apply(&s.nps)
            apply(&s.profileDepth.all)
            apply(&s.profileDepth.prompted)
        }

        /// Free text: fewer than k writers hide the lengths; words of fewer than k persons are dropped, as are
        /// words that look like personal data (unless revealed).
        mutating func apply(_ f: inout FreeTextSummary) {
            guardFigures(&f)
            let before = f.words.count
            f.words = f.words.filter { w in
                !small(w.persons) && (policy.revealPII || PIIMasker.maskText(w.word) == w.word)
            }
            f.wordsDropped += before - f.words.count
            if f.words.count > maxWords { f.words.removeLast(f.words.count - maxWords) }
        }
    }
}

/// ``PIIMasker/maskIdentifier(_:)`` and ``PIIMasker/maskText(_:)`` remembered by their input (each kind apart: the
/// two mask differently). Not thread-safe: one per ``Privacy`` pass.
final class MaskMemo {
    private var identifiers: [String: String] = [:]
    private var texts: [String: String] = [:]

    /// ``PIIMasker/maskIdentifier(_:)`` of `s`.
    func identifier(_ s: String) -> String {
        if let known = identifiers[s] { return known }
        let masked = PIIMasker.maskIdentifier(s)
        identifiers[s] = masked
        return masked
    }

    /// ``PIIMasker/maskText(_:)`` of `s`.
    func text(_ s: String) -> String {
        if let known = texts[s] { return known }
        let masked = PIIMasker.maskText(s)
        texts[s] = masked
        return masked
    }
}
