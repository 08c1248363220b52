/// The "check-in pulse": a short burst in which part of the customers are asked the same quick question again and
/// again within about two weeks, on e-mail, SMS or chat, and answer less each time (prompt fatigue), better on their
/// own preferred channel. It exercises `feedback.fatigue` and `feedback.preferred_channel` (docs/DEFINITIONS.md).
///
/// Each person's draws come from a stream of their own (store seed, person index), and the person's own random
/// stream is set aside meanwhile, so adding the pulse leaves every other event of the store as it was.
extension Simulator {
    /// The survey id of the pulse.
    static let pulseSurveyID = "checkin_pulse"

    /// The day the pulse starts: 55 % into the range (in ExampleData 2026-10-10, so its events land in a gzipped month
    /// and the committed store stays small).
    static func pulseDay(days: Int) -> Int { (days - 1) * 55 / 100 }

    /// Answer probability of the k-th pulse prompt (k = 1…6): 0.6 × 0.62^(k−1), × 1.35 on the preferred channel.
    static func pulseAnswerRate(prompt k: Int, onPreferred: Bool) -> Double {
        var rate = 0.6
        for _ in 1..<max(1, k) { rate *= 0.62 }
        return min(0.95, onPreferred ? rate * 1.35 : rate)
    }

    /// Plays the pulse for one person starting on day `d`: a quarter of the customers identified and active that
    /// day get 3…6 prompts 6 hours to 2.5 days apart.
    mutating func pulseSurvey(_ p: inout Person, day d: Int, seed: UInt64) {
        var r = SplitMix64(seed: seed, stream: UInt64(p.index), 0x70_17_5E)
        let saved = p.rng
        p.rng = SplitMix64(seed: seed, stream: UInt64(p.index), 0x70_17_5F)
        defer { p.rng = saved }
        var shown = p.zone.instant(inUTCDay: startDay + d, localSecond: r.int(10 * 3600 ... 19 * 3600)) + r.int64(0...999)
        guard p.isIdentified(at: shown), d >= p.firstDay, d <= p.lastDay, r.chance(0.25) else { return }
        let prompts = r.int(3...6)
        let server = Ids(userId: p.userId, anonymousId: nil)
        for k in 1...prompts {
            let preferred = Catalog.channels[p.channel(at: shown)]
            var channel = r.chance(0.5) ? preferred : r.pick(["email", "sms"])
            if channel == "sms" && !p.hasPhone { channel = "email" }
            pulseEvent(&p, "Survey Shown", at: shown, ids: server) { w in
                w.field("survey_id", Simulator.pulseSurveyID)
                w.field("channel", channel)
                w.field("survey_type", "rating")
            }
            if r.chance(Simulator.pulseAnswerRate(prompt: k, onPreferred: channel == preferred)) {
                let t = shown + r.millis(300, 6 * 3600)
                let rating = r.weighted([4, 8, 20, 38, 30]) + 1
                pulseEvent(&p, "Survey Sent", at: t, ids: server) { w in
                    w.field("survey_id", Simulator.pulseSurveyID)
                    w.field("channel", channel)
                    w.field("survey_type", "rating")
                    w.field("score", rating)
                }
            }
            shown += r.millis(6 * 3600, 2.5 * 86_400)
        }
    }

    /// A pulse event on the surveys stream, without the router's noise (duplicates): the noise stream stays as it
    /// was for every other event.
    private mutating func pulseEvent(_ p: inout Person, _ event: String, at t: Int64, ids: Ids,
                                     _ properties: (inout JSONWriter) -> Void) {
        router.emitQuiet(EventRenderer.track(&p, event, at: t, ids: ids, origin: .server, properties: properties),
                         at: t, to: .surveys)
    }
}
