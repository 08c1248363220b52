/// The shop's service events, drawn from each person's `serviceRNG` and routed without duplicates to
/// `service/service-YYYY-MM.jsonl`, so that they add to the store without changing any other line:
/// deliveries (some late) and the apologies promised for them, and the recovery contacts of detractors.
extension Simulator {
    /// Renders a server-side track event with the service stream and routes it.
    mutating func service(_ p: inout Person, _ event: String, at t: Int64, _ properties: (inout JSONWriter) -> Void) {
        var main = p.serviceRNG
        swap(&main, &p.rng)          // p.rng is now the service stream
        let line = EventRenderer.track(&p, event, at: t, ids: Ids(userId: p.userId, anonymousId: nil), origin: .server,
                                       properties: properties)
        swap(&main, &p.rng)          // back: `main` holds the advanced service stream
        p.serviceRNG = main
        router.emitQuiet(line, at: t, to: .service)
    }

    /// An order is delivered one to three days later, or (one in four) up to two days after: late
    /// against the three-day promise. Most late deliveries get an apology within a day; some later; some never.
    mutating func deliver(_ p: inout Person, orderID: String, orderAt: Int64) {
        let promised = orderAt + 3 * CivilTime.msPerDay
        let late = p.serviceRNG.chance(0.25)
        let delivered = late ? promised + p.serviceRNG.millis(2 * 3600, 2 * 86_400)
                             : orderAt + p.serviceRNG.millis(86_400, 3 * 86_400 - 60)
        let carrier = p.serviceRNG.pick(["DHL", "DPD", "Hermes"])
        service(&p, "Order Delivered", at: delivered) { w in
            w.field("order_id", orderID)
            w.field("carrier", carrier)
            w.field("promised_at", timestamp: promised)
            w.field("late", late)
        }
        guard late else { return }
        let roll = p.serviceRNG.unit()
        guard roll < 0.85 else { return }   // never apologised
        let delay = roll < 0.6 ? p.serviceRNG.millis(1800, 20 * 3600) : p.serviceRNG.millis(26 * 3600, 60 * 3600)
        let channel = p.serviceRNG.chance(0.65) ? "email" : "sms"
        service(&p, "Apology Sent", at: delivered + delay) { w in
            w.field("order_id", orderID)
            w.field("channel", channel)
            w.field("campaign", "late_delivery")
        }
    }

    /// A detractor (score 0–6) is contacted: a support ticket within two days, a recovery e-mail within
    /// two to five days (sometimes past the three-day promise), or not at all.
    mutating func recover(_ p: inout Person, score: Int, answeredAt t: Int64) {
        guard score <= 6 else { return }
        let roll = p.serviceRNG.unit()
        if roll < 0.45 {
            let at = t + p.serviceRNG.millis(1800, 40 * 3600)
            let channel = p.serviceRNG.chance(0.6) ? "chat" : "phone"
            service(&p, "Support Ticket Created", at: at) { w in
                w.field("reason", "detractor_follow_up")
                w.field("channel", channel)
            }
        } else if roll < 0.7 {
            let at = t + p.serviceRNG.millis(2 * 86_400, 5 * 86_400)
            service(&p, "Email Sent", at: at) { w in
                w.field("campaign", "recovery")
                w.field("channel", "email")
            }
        }
    }

    /// After a baby newsletter's landing page, parents move on to the sale, gift givers to gifts, others to either.
    func babyFollowUp(_ p: inout Person) -> Catalog.Section {
        switch p.persona {
        case .parent: return p.serviceRNG.chance(0.8) ? .sale : .baby
        case .giftGiver: return p.serviceRNG.chance(0.8) ? .gifts : .baby
        default: return p.serviceRNG.chance(0.5) ? .gifts : .sale
        }
    }
}
