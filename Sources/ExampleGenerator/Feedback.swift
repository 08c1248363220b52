/// Feedback loops: prompts (`Survey Shown`), answers (`Survey Sent`) and dismissals on five channels,
/// with response rates that depend on the channel and on the prompt's local hour and weekday.
extension Simulator {
    /// The PostHog survey id used for the on-site NPS when a page is instrumented with PostHog.
    static let postHogSurveyID = "01928f7e-5c2a-7b3d-9e41-2f6a8c0d1b55"

    /// Renders a feedback track event on the surveys stream.
    mutating func feedback(_ p: inout Person, _ event: String, at t: Int64, ids: Ids, origin: Origin,
                           _ properties: (inout JSONWriter) -> Void) {
        router.emit(EventRenderer.track(&p, event, at: t, ids: ids, origin: origin, properties: properties), at: t, to: .surveys)
    }

    /// A 0–10 score drawn from a channel's distribution.
    func score(_ p: inout Person, _ weights: [Int]) -> Int { p.rng.weighted(weights) }

    /// Delay from prompt to answer: `late` of answers come after the 7-day window.
    func answerDelay(_ p: inout Person, quick: (Double, Double), slowShare: Double, slow: (Double, Double), late: Double) -> Int64 {
        let r = p.rng.unit()
        if r < late { return p.rng.millis(7.3 * 86_400, 12 * 86_400) }
        if r < late + slowShare { return p.rng.millis(slow.0, slow.1) }
        return p.rng.skewedMillis(quick.0, quick.1)
    }

    // MARK: Modal (on-site NPS)

    mutating func modalSurvey(_ p: inout Person, at shown: Int64, device2: Bool, path: String) -> Int64 {
        let origin = Origin.browser(path: path, campaign: nil)
        let ph = p.postHogSurveys
        let names = ph ? ("survey shown", "survey sent", "survey dismissed") : ("Survey Shown", "Survey Sent", "Survey Dismissed")
        func ids(_ p: Person, _ t: Int64) -> Ids { self.ids(p, at: t, device2: device2) }
        func keys(_ w: inout JSONWriter) {
            if ph {
                w.field("$survey_id", Simulator.postHogSurveyID)
                w.field("$survey_name", "On-site NPS")
            } else {
                w.field("survey_id", "onsite_nps")
                w.field("channel", "modal")
            }
        }
        feedback(&p, names.0, at: shown, ids: ids(p, shown), origin: origin) { w in
            keys(&w)
            if !ph { w.field("survey_type", "nps") }
        }
        let (_, weekday) = p.zone.localHourAndWeekday(atMillis: shown)
        let answerRate = weekday >= 6 ? 0.22 : 0.12
        let r = p.rng.unit()
        if r < answerRate {
            let t = shown + p.rng.millis(15, 95)
            let s = score(&p, Catalog.npsWeightsDefault)
            feedback(&p, names.1, at: t, ids: ids(p, t), origin: origin) { w in
                keys(&w)
                if ph { w.field("$survey_response", s) } else { w.field("score", s) }
            }
            return t
        } else if r < answerRate + 0.6 {
            let t = shown + p.rng.millis(2, 14)
            feedback(&p, names.2, at: t, ids: ids(p, t), origin: origin) { w in keys(&w) }
            return t
        }
        return shown
    }

    // MARK: Live chat

    mutating func chat(_ p: inout Person, at start: Int64, device2: Bool, path: String) -> Int64 {
        let origin = Origin.browser(path: path, campaign: nil)
        var t = start
        let conversation = "conv_" + String(p.rng.uuid().prefix(8))
        // Segment's Live Chat spec: the conversation starts with the customer's first message;
        // "Received" is a message to the customer (here the bot's question), "Sent" one from them.
        router.emit(EventRenderer.track(&p, "Live Chat Conversation Started", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
            w.field("conversation_id", conversation)
            w.field("agent_id", Catalog.chatBotID)
            w.field("agent_name", Catalog.chatBotName)
            w.field("conversation_duration", 0)
        }, at: t, to: .chat)
        let prompt = Catalog.chatPrompts[p.rng.weighted(Catalog.chatPromptWeights)]
        t += p.rng.millis(1, 4)
        let asked = t
        router.emit(EventRenderer.track(&p, "Live Chat Message Received", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
            w.field("conversation_id", conversation)
            w.field("agent_id", Catalog.chatBotID)
            w.field("agent_name", Catalog.chatBotName)
            w.field("conversation_duration", Int((asked - start) / 1000))
            w.field("message_body", prompt.question)
        }, at: t, to: .chat)
        let (askedHour, askedWeekday) = p.zone.localHourAndWeekday(atMillis: t + 15)
        if let script = ChatScript.script(prompt.surveyID) {   // multi-question scripts: ChatScripts.swift
            let base = askedHour >= 18 ? 0.8 : (askedHour >= 8 ? 0.36 : 0.22)
            return scriptedChat(&p, script, conversation: conversation, start: start, asked: asked,
                                rate: base + (askedWeekday >= 6 ? 0.05 : 0), device2: device2, origin: origin)
        }
        t += 15
        feedback(&p, "Survey Shown", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
            w.field("survey_id", prompt.surveyID)
            w.field("channel", "chat")
            w.field("survey_type", prompt.scored ? "nps" : "open")
            w.field("conversation_id", conversation)
        }
        let (hour, weekday) = p.zone.localHourAndWeekday(atMillis: t)
        var rate = hour >= 18 ? 0.8 : (hour >= 8 ? 0.36 : 0.22)
        if weekday >= 6 { rate += 0.05 }
        if p.rng.chance(rate) {
            t += p.rng.skewedMillis(12, 220)
            let text: String
            if p.rng.chance(0.012) {
                text = p.rng.pick(Catalog.hostileAnswers)
            } else if prompt.scored {
                text = String(score(&p, Catalog.npsWeightsChat))
            } else {
                text = p.rng.pick(prompt.surveyID == "gift_budget" ? Catalog.budgetAnswers : Catalog.birthdayAnswers)
            }
            let answered = t
            router.emit(EventRenderer.track(&p, "Live Chat Message Sent", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
                w.field("conversation_id", conversation)
                w.field("agent_id", Catalog.chatBotID)
                w.field("agent_name", Catalog.chatBotName)
                w.field("conversation_duration", Int((answered - start) / 1000))
                w.field("message_body", text)
            }, at: t, to: .chat)
            t += 15
            let numeric = prompt.scored ? Int(text) : nil
            feedback(&p, "Survey Sent", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
                w.field("survey_id", prompt.surveyID)
                w.field("channel", "chat")
                if let n = numeric { w.field("score", n) } else { w.field("survey_response", text) }
                w.field("conversation_id", conversation)
            }
        } else if p.rng.chance(0.3) {
            t += p.rng.millis(20, 150)
            feedback(&p, "Survey Dismissed", at: t, ids: ids(p, at: t, device2: device2), origin: origin) { w in
                w.field("survey_id", prompt.surveyID)
                w.field("channel", "chat")
                w.field("conversation_id", conversation)
            }
        }
        return t + p.rng.millis(5, 40)
    }

    // MARK: Post-purchase follow-up

    /// Schedules the follow-up e-mail two to four weeks after an order, and its answer.
    mutating func postPurchaseSurvey(_ p: inout Person, orderID: String, orderAt: Int64) {
        let day = dayOf(orderAt) + p.rng.int(14...28)
        let shown = localInstant(&p, day: day, seconds: 10 * 3600 ... 18 * 3600)
        guard shown > orderAt else { return }
        let server = Ids(userId: p.userId, anonymousId: nil)
        feedback(&p, "Survey Shown", at: shown, ids: server, origin: .server) { w in
            w.field("survey_id", "post_purchase_nps")
            w.field("channel", "post_purchase")
            w.field("survey_type", "nps")
            w.field("order_id", orderID)
        }
        let (hour, weekday) = p.zone.localHourAndWeekday(atMillis: shown)
        let rate = (weekday >= 6 ? 0.38 : 0.3) + (hour >= 16 ? 0.05 : 0)
        guard p.rng.chance(rate) else { return }
        let t = shown + answerDelay(&p, quick: (300, 8 * 3600), slowShare: 0.3, slow: (8 * 3600, 5 * 86_400), late: 0.05)
        let s = score(&p, Catalog.npsWeightsPostPurchase)
        let comment: String? = p.rng.chance(0.3) ? p.rng.pick(Catalog.feedbackComments) : nil
        feedback(&p, "Survey Sent", at: t, ids: ids(p, at: t, device2: false), origin: .browser(path: "/feedback/order", campaign: nil)) { w in
            w.field("survey_id", "post_purchase_nps")
            w.field("channel", "post_purchase")
            w.field("score", s)
            if let comment { w.field("survey_response", comment) }
            w.field("order_id", orderID)
        }
        recover(&p, score: s, answeredAt: t)
    }

    // MARK: E-mail survey

    /// The quarterly NPS e-mail: sent at a local hour between 7 and 21; answered mostly in the morning.
    mutating func emailSurvey(_ p: inout Person, day d: Int, surveyID: String) {
        let shown = localInstant(&p, day: d, seconds: 7 * 3600 ... 21 * 3600 - 1)
        guard p.emailSubscriber && p.isIdentified(at: shown) && d >= p.firstDay && p.rng.chance(0.4) else { return }
        feedback(&p, "Survey Shown", at: shown, ids: Ids(userId: p.userId, anonymousId: nil), origin: .server) { w in
            w.field("survey_id", surveyID)
            w.field("channel", "email")
            w.field("survey_type", "nps")
        }
        let (hour, weekday) = p.zone.localHourAndWeekday(atMillis: shown)
        var rate = hour >= 6 && hour < 12 ? 0.4 : (hour < 18 ? 0.2 : 0.11)
        if weekday >= 6 { rate *= 0.75 }
        if d > p.lastDay { rate *= 0.5 }
        guard p.rng.chance(rate) else { return }
        let t = shown + answerDelay(&p, quick: (120, 5 * 3600), slowShare: 0.2, slow: (5 * 3600, 6 * 86_400), late: 0.1)
        let s = score(&p, Catalog.npsWeightsDefault)
        let comment: String? = p.rng.chance(0.25) ? p.rng.pick(Catalog.feedbackComments) : nil
        feedback(&p, "Survey Sent", at: t, ids: ids(p, at: t, device2: false), origin: .browser(path: "/feedback/nps", campaign: nil)) { w in
            w.field("survey_id", surveyID)
            w.field("channel", "email")
            w.field("score", s)
            if let comment { w.field("survey_response", comment) }
        }
        recover(&p, score: s, answeredAt: t)
    }

    // MARK: SMS survey

    /// A delivery check by SMS, only to people with a phone who granted SmsMarketing.
    mutating func smsSurvey(_ p: inout Person, day d: Int) {
        let shown = localInstant(&p, day: d, seconds: 9 * 3600 ... 21 * 3600 - 1)
        guard p.hasPhone && p.isIdentified(at: shown) && d >= p.firstDay && d <= p.lastDay + 30,
              p.consent(at: shown).granted & 8 != 0, p.rng.chance(0.8) else { return }
        let server = Ids(userId: p.userId, anonymousId: nil)
        feedback(&p, "Survey Shown", at: shown, ids: server, origin: .server) { w in
            w.field("survey_id", "delivery_sms")
            w.field("channel", "sms")
            w.field("survey_type", "nps")
        }
        let (hour, weekday) = p.zone.localHourAndWeekday(atMillis: shown)
        let rate = (hour < 19 ? 0.47 : 0.28) + (weekday >= 6 ? 0.05 : 0)
        guard p.rng.chance(rate) else { return }
        let t = shown + answerDelay(&p, quick: (40, 40 * 60), slowShare: 0, slow: (0, 0), late: 0.03)
        let s = score(&p, Catalog.npsWeightsSMS)
        feedback(&p, "Survey Sent", at: t, ids: server, origin: .server) { w in
            w.field("survey_id", "delivery_sms")
            w.field("channel", "sms")
            w.field("score", s)
        }
        recover(&p, score: s, answeredAt: t)
    }

    /// Answers on the first day to an SMS sent before the store begins: responses with no prompt.
    mutating func earlySMSAnswer(_ p: inout Person) {
        let t = localInstant(&p, day: 0, seconds: 8 * 3600 ... 20 * 3600)
        guard p.hasPhone && p.isIdentified(at: t) && p.consent(at: t).granted & 8 != 0 && p.rng.chance(0.05) else { return }
        let s = score(&p, Catalog.npsWeightsSMS)
        feedback(&p, "Survey Sent", at: t, ids: Ids(userId: p.userId, anonymousId: nil), origin: .server) { w in
            w.field("survey_id", "delivery_sms")
            w.field("channel", "sms")
            w.field("score", s)
        }
    }

    // MARK: E-mail campaigns

    /// The newsletter: delivered to part of the subscribers, opened, clicked; a click lands on the shop.
    mutating func campaign(_ p: inout Person, day d: Int, campaign c: CampaignRef) {
        let sent = dayStart(d) + 7 * 3_600_000 + p.rng.millis(0, 2400)
        guard p.emailSubscriber && p.isIdentified(at: sent) && d >= p.firstDay else { return }
        let likes = p.persona.sectionWeights[c.section.rawValue] >= 30
        guard p.rng.chance(likes ? 0.5 : 0.12) else { return }
        let lapsed = d > p.lastDay
        let server = Ids(userId: p.userId, anonymousId: nil)
        let props: (inout JSONWriter) -> Void = { w in
            w.field("campaign_id", c.id)
            w.field("campaign_name", c.subject)
        }
        router.emit(EventRenderer.track(&p, "Email Delivered", at: sent, ids: server, origin: .server, properties: props), at: sent, to: .main)
        guard p.rng.chance(p.openRate * (lapsed ? 0.4 : 1)) else { return }
        let r = p.rng.unit()
        let opened = sent + (r < 0.5 ? p.rng.millis(60, 3 * 3600) : (r < 0.85 ? p.rng.millis(3 * 3600, 20 * 3600) : p.rng.millis(20 * 3600, 48 * 3600)))
        router.emit(EventRenderer.track(&p, "Email Opened", at: opened, ids: server, origin: .server, properties: props), at: opened, to: .main)
        guard p.rng.chance((likes ? 0.5 : 0.25) * (lapsed ? 0.3 : 1)) else { return }
        let clicked = opened + p.rng.millis(4, 120)
        let link = Catalog.shopHost + "/\(c.section.slug)?utm_source=newsletter&utm_medium=email&utm_campaign=\(c.slug)"
        router.emit(EventRenderer.track(&p, "Email Link Clicked", at: clicked, ids: server, origin: .email(c)) { w in
            w.field("campaign_id", c.id)
            w.field("category", c.section.slug)
            w.field("link_url", link)
        } , at: clicked, to: .main)
        browse(&p, start: clicked + p.rng.millis(1.5, 8), device2: false, landing: c, signup: false,
               allowCheckout: dayOf(clicked) <= p.lastDay)
    }
}
