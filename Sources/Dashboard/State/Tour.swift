import Analytics

/// One stop of the guided demo: the keys a presenter would press, then a one-line caption about what
/// the view now shows.
public struct TourStep: Sendable, Equatable {
    /// Pressed in order through ``update(_:_:)``, exactly as from the keyboard.
    public var keys: [Key]
    /// The finding, shown in the status line while the step lasts.
    public var caption: String
    /// The row the caption talks about, selected (highlighted) after the keys: a table and the text of the
    /// row's first cell (surrounding spaces ignored). Robust to sorting and to the table's layout.
    public var highlight: TourHighlight?

    public init(keys: [Key], caption: String, highlight: TourHighlight? = nil) {
        self.keys = keys; self.caption = caption; self.highlight = highlight
    }
}

/// A row a tour step points at.
public struct TourHighlight: Sendable, Equatable {
    var table: TableID
    /// The first cell's text (sanitized, as the view shows it).
    var label: String
}

/// The guided demo in progress: steps advance on clock ticks; any key hands control back.
public struct TourState: Sendable, Equatable {
    public var steps: [TourStep]
    /// The step shown now (-1 before the first).
    public var index: Int = -1
    /// When the next step is due (ms since 1970); nil: at the next tick.
    public var nextAtMs: Int64?
    /// How long each step stays.
    public var stepMs: Int64

    public init(steps: [TourStep], stepMs: Int64) { self.steps = steps; self.stepMs = stepMs }

    /// The caption of the current step.
    public var caption: String? { steps.indices.contains(index) ? steps[index].caption : nil }
}

/// Builds the tour of a loaded report: the findings a product review asks about first.
public enum Tour {
    /// The fatigue step (Feedback view, `v`): the response rate of first prompts against 5th-or-later prompts within
    /// 30 days, and on the preferred channel against other channels; nil when either rate is missing or withheld.
    static func fatigueStep(_ m: ViewModel, format fmt: Format) -> TourStep? {
        guard let first = m.fatigue.byOrdinal.first?.counts, let last = m.fatigue.byOrdinal.last?.counts,
              !first.$responseRate.isSuppressed, !last.$responseRate.isSuppressed,
              let a = first.responseRate, let b = last.responseRate else { return nil }
        var caption = "Asking too often costs answers: \(fmt.percent(a)) of first prompts are answered, "
            + "\(fmt.percent(b)) of a 5th or later within 30 days"
        let p = m.preferred
        if !p.onPreferred.$responseRate.isSuppressed, !p.onOther.$responseRate.isSuppressed,
           let on = p.onPreferred.responseRate, let off = p.onOther.responseRate {
            caption += "; on the preferred channel \(fmt.percent(on)) against \(fmt.percent(off))"
        }
        return TourStep(keys: [.char("3"), .char("v")], caption: caption)
    }

    /// The steps, in order: the store at a glance; the biggest segment; the channel customers answer most
    /// and at what hour; the consent category with the lowest coverage; events collected without consent.
    /// Figures are the published (privacy-guarded) ones: a withheld figure is never named.
    static func steps(_ m: ViewModel, segmentOrder: [Int], format fmt: Format, answers: [AnswerSurvey] = []) -> [TourStep] {
        var out: [TourStep] = []
        let persons = m.count(m.store.persons, m.store.$persons)
        var glance = "\(persons) persons and \(Format.int(m.store.events)) events"
        if let a = m.firstDay, let b = m.lastDay { glance += " from \(a) to \(b)" }
        out.append(TourStep(keys: [.char("1")], caption: glance + ": this is what listening to customers yields"))

        // The biggest segment, opened in the Segments view (selected with the same keys a presenter uses).
        if let biggest = m.segments.indices.max(by: { (m.segments[$0].size, -$0) < (m.segments[$1].size, -$1) }),
           let pos = segmentOrder.firstIndex(of: biggest) {
            let s = m.segments[biggest]
            var caption = "Biggest segment: \(s.name), \(m.count(s.size, s.sizeMark)) persons"
            if let share = s.share { caption += " (\(fmt.percent(share)) of all)" }
            if let reach = m.categories.indices.first(where: { $0 < s.reachMarks.count && !s.reachMarks[$0].isSuppressed
                && !s.sizeMark.isSuppressed && s.size > 0 && m.categories[$0].rawName.lowercased() == "marketing" }),
               let r = s.reachable[reach] {
                caption += ", \(fmt.percent(Double(r) / Double(s.size))) reachable for marketing"
            }
            out.append(TourStep(keys: [.char("2"), .escape, .home] + Array(repeating: .down, count: pos) + [.enter],
                                caption: caption))
        }

        // The channel customers answer most, and when.
        let answered = m.channels.filter { $0.stats.responseRate != nil && !$0.stats.$responseRate.isSuppressed }
        if let best = answered.max(by: { ($0.stats.responseRate ?? 0, $1.label) < ($1.stats.responseRate ?? 0, $0.label) }) {
            var caption = "Customers answer \(best.label) most: \(fmt.percent(best.stats.responseRate)) of "
                + "\(m.count(best.stats.prompts, best.stats.$prompts)) prompts"
            if let h = m.heatmap.best {
                let day = HourWeekdayCell.weekdayNames[h.weekday]
                caption += "; best hour \(day) \(h.hour < 10 ? "0" : "")\(h.hour):00 (\(fmt.percent(h.rate)))"
            }
            out.append(TourStep(keys: [.escape, .char("3")], caption: caption,
                                highlight: TourHighlight(table: .feedback, label: best.label)))
        }

        // What customers answered: the choice question answered by most persons, opened in the Answers view.
        if let step = answerStep(answers, format: fmt) { out.append(step) }
        // Asking too much: first prompts within 30 days against the 5th or later, and the preferred channel.
        if let step = fatigueStep(m, format: fmt) { out.append(step) }

        // The consent category with the lowest coverage.
        let covered = m.categories.filter { $0.coverage != nil }
        if let low = covered.min(by: { ($0.coverage ?? 0, $0.name) < ($1.coverage ?? 0, $1.name) }) {
            out.append(TourStep(keys: [.char("4")],
                                caption: "Lowest consent coverage: \(low.name), granted by \(fmt.percent(low.coverage)) of persons"))
        }

        // Events collected without consent.
        let n = m.eventsWithoutConsent
        let without = n == 0 ? "No event was collected while \(m.analyticsCategory) consent was denied"
            : "\(Format.int(n)) \(n == 1 ? "event was" : "events were") collected while \(m.analyticsCategory) consent was denied"
        out.append(TourStep(keys: [.char("4")], caption: without))
        return out
    }
}

extension Tour {
    /// The Answers view's step: the single- or multiple-choice question answered by the most persons (shown
    /// figures only), drilled into with the keys a presenter uses; its top option and that option's share.
    static func answerStep(_ surveys: [AnswerSurvey], format fmt: Format) -> TourStep? {
        var best: (s: Int, q: Int, persons: Int)?
        for (i, s) in surveys.enumerated() {
            for (j, q) in s.questions.enumerated() where !q.$persons.isSuppressed
                && (q.type == "single_choice" || q.type == "multiple_choice") {
                guard let o = q.options.first, !o.other, o.share != nil, !o.$share.isSuppressed else { continue }
                if best == nil || q.persons > best!.persons { best = (i, j, q.persons) }
            }
        }
        guard let b = best else { return nil }
        let s = surveys[b.s], q = s.questions[b.q], o = q.options[0]
        let keys: [Key] = [.char("8"), .escape, .escape, .home] + Array(repeating: .down, count: b.s) + [.enter]
            + Array(repeating: .down, count: b.q) + [.enter]
        let caption = "\(s.name ?? s.id): \"\(q.text ?? q.question)\" \(fmt.percent(o.share)) of \(Format.int(q.persons)) "
            + "persons answered \(o.option)"
        return TourStep(keys: keys, caption: caption)
    }
}
