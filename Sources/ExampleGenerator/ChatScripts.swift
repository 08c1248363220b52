/// Chat scripts: the bot asks several questions in a row — a choice, then follow-ups that depend on it — and every
/// answer is sent as `Survey Sent` with `answers: [{"id": "q1", "value": …}]` (a list value for multiple choice),
/// so the Answers view and the question funnel have something real to show (issue #15 §1).
struct ChatScript: Sendable {
    enum Kind: Sendable {
        case choice([String])
        case multi([String])
        case rating(Int)
        case open
    }

    struct Question: Sendable {
        let id: String
        let text: String
        let kind: Kind
    }

    let surveyID: String
    let name: String
    let questions: [Question]
    /// Chance to go on to question i + 1 after answering question i.
    let goOn: Double

    static let nextBirthday = ChatScript(surveyID: "next_birthday", name: "Next birthday (chat bot)", questions: [
        Question(id: "q1", text: "Who is the next birthday on your list?", kind: .choice(["spouse", "parent", "sibling", "child"])),
        Question(id: "q2", text: "How old will they turn?", kind: .choice(ChatScript.ages)),
        Question(id: "q3", text: "What clothing size do they wear?", kind: .choice(ChatScript.sizes)),
    ], goOn: 0.78)

    static let shoppingExperience = ChatScript(surveyID: "shopping_experience", name: "Shopping experience (chat bot)", questions: [
        Question(id: "q1", text: "How easy was it to find the right gift today?", kind: .rating(5)),
        Question(id: "q2", text: "What helped you most?", kind: .multi(["gift guide", "filters", "reviews", "chat bot", "size guide", "wish list"])),
        Question(id: "q3", text: "What should we improve?", kind: .open),
    ], goOn: 0.7)

    static let all = [nextBirthday, shoppingExperience]

    static func script(_ surveyID: String) -> ChatScript? { all.first { $0.surveyID == surveyID } }

    static let ages = ["under 1", "1–2", "3–5", "6–9", "10–17", "18–39", "40–64", "65+"]
    static let sizes = ["50–56", "62–68", "74–80", "86–92", "98–104", "110–116", "122 and up", "adult S", "adult M", "adult L", "adult XL"]

    /// The catalog entry of earshot.yaml (YAML lines, indented for `surveys:`).
    var catalogYAML: String {
        var out = "  \(surveyID):\n    name: \(name)\n    questions:\n"
        for q in questions {
            out += "      - id: \(q.id)\n        text: \(q.text)\n"
            switch q.kind {
            case .choice(let o): out += "        type: single_choice\n        options: [\(o.map { "\"\($0)\"" }.joined(separator: ", "))]\n"
            case .multi(let o): out += "        type: multiple_choice\n        options: [\(o.map { "\"\($0)\"" }.joined(separator: ", "))]\n"
            case .rating(let n): out += "        type: rating\n        scale: \(n)\n"
            case .open: out += "        type: open\n"
            }
        }
        return out
    }
}

/// An answer a person gives: the text they type and the value sent.
private enum ScriptAnswer {
    case text(String)
    case number(Int)
    case list([String])

    var message: String {
        switch self {
        case .text(let s): s
        case .number(let n): String(n)
        case .list(let l): l.joined(separator: ", ")
        }
    }
}

extension Simulator {
    /// Runs a chat script after the bot asked its first question (the `Survey Shown` is sent here); returns the time
    /// the conversation ends. `rate` is the chance to answer the first question.
    mutating func scriptedChat(_ p: inout Person, _ script: ChatScript, conversation: String, start: Int64, asked: Int64,
                               rate: Double, device2: Bool, origin: Origin) -> Int64 {
        var t = asked + 15
        feedback(&p, "Survey Shown", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
            w.field("survey_id", script.surveyID)
            w.field("channel", "chat")
            w.field("survey_type", "chat_script")
            w.field("conversation_id", conversation)
        }
        var previous: [String] = []
        for (i, q) in script.questions.enumerated() {
            if i > 0 {
                guard p.rng.chance(script.goOn) else { break }
                t += p.rng.millis(2, 6)
                let now = t
                router.emit(EventRenderer.track(&p, "Live Chat Message Received", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
                    w.field("conversation_id", conversation)
                    w.field("agent_id", Catalog.chatBotID)
                    w.field("agent_name", Catalog.chatBotName)
                    w.field("conversation_duration", Int((now - start) / 1000))
                    w.field("message_body", q.text)
                }, at: t, to: .chat)
            } else if !p.rng.chance(rate) {
                if p.rng.chance(0.3) {
                    t += p.rng.millis(20, 150)
                    feedback(&p, "Survey Dismissed", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
                        w.field("survey_id", script.surveyID)
                        w.field("channel", "chat")
                        w.field("conversation_id", conversation)
                    }
                }
                return t + p.rng.millis(5, 40)
            }
            let answer = scriptAnswer(&p, script, q, previous: previous)
            previous.append(answer.message)
            t += p.rng.skewedMillis(8, 120)
            let sent = t
            router.emit(EventRenderer.track(&p, "Live Chat Message Sent", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
                w.field("conversation_id", conversation)
                w.field("agent_id", Catalog.chatBotID)
                w.field("agent_name", Catalog.chatBotName)
                w.field("conversation_duration", Int((sent - start) / 1000))
                w.field("message_body", answer.message)
            }, at: t, to: .chat)
            t += 15
            feedback(&p, "Survey Sent", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
                w.field("survey_id", script.surveyID)
                w.field("channel", "chat")
                w.key("answers")
                w.array { w in
                    w.object { w in
                        w.field("id", q.id)
                        w.key("value")
                        switch answer {
                        case .text(let s): w.string(s)
                        case .number(let n): w.int(n)
                        case .list(let l): w.array { w in for s in l { w.string(s) } }
                        }
                    }
                }
                w.field("conversation_id", conversation)
            }
        }
        return t + p.rng.millis(5, 40)
    }

    /// What a person answers to question `q`, given their earlier answers in the script.
    private func scriptAnswer(_ p: inout Person, _ script: ChatScript, _ q: ChatScript.Question, previous: [String]) -> ScriptAnswer {
        if p.rng.chance(0.01) { return .text(p.rng.pick(Catalog.hostileAnswers)) }
        switch (script.surveyID, q.id) {
        case ("next_birthday", "q1"):
            // Some type a sentence instead of picking a button.
            if p.rng.chance(0.06) { return .text(p.rng.pick(Catalog.birthdayAnswers)) }
            return .text(["spouse", "parent", "sibling", "child"][p.rng.weighted([12, 18, 20, 50])])
        case ("next_birthday", "q2"):
            let who = previous.first ?? "child"
            let ages = ChatScript.ages
            switch who {
            case "child": return .text(ages[p.rng.weighted([22, 30, 24, 14, 10, 0, 0, 0])])
            case "sibling": return .text(ages[p.rng.weighted([0, 2, 6, 10, 22, 50, 10, 0])])
            case "spouse": return .text(ages[p.rng.weighted([0, 0, 0, 0, 0, 55, 40, 5])])
            case "parent": return .text(ages[p.rng.weighted([0, 0, 0, 0, 0, 5, 60, 35])])
            default: return .text(p.rng.pick(ages))
            }
        case ("next_birthday", "q3"):
            let sizes = ChatScript.sizes
            let age = previous.count > 1 ? previous[1] : ""
            switch age {
            case "under 1": return .text(sizes[p.rng.weighted([30, 45, 25, 0, 0, 0, 0, 0, 0, 0, 0])])
            case "1–2": return .text(sizes[p.rng.weighted([0, 0, 35, 55, 10, 0, 0, 0, 0, 0, 0])])
            case "3–5": return .text(sizes[p.rng.weighted([0, 0, 0, 10, 50, 40, 0, 0, 0, 0, 0])])
            case "6–9", "10–17": return .text(sizes[p.rng.weighted([0, 0, 0, 0, 0, 20, 50, 20, 10, 0, 0])])
            default: return .text(sizes[p.rng.weighted([0, 0, 0, 0, 0, 0, 0, 25, 40, 25, 10])])
            }
        case (_, _):
            switch q.kind {
            case .choice(let o): return .text(p.rng.pick(o))
            case .multi(let o):
                var picked = o.enumerated().filter { i, _ in p.rng.chance([0.45, 0.35, 0.3, 0.25, 0.2, 0.15][i % 6]) }.map(\.element)
                if picked.isEmpty { picked = [p.rng.pick(o)] }
                return .list(picked)
            case .rating(let n): return .number(min(n, max(1, n - p.rng.weighted([45, 30, 14, 7, 4]))))
            case .open: return .text(p.rng.pick(Catalog.feedbackComments))
            }
        }
    }
}
