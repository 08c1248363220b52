/// Plays the shop's life day by day: browsing sessions, orders, e-mail campaigns, feedback loops,
/// consent and profile changes. Every event is rendered when planned and handed to the ``Router``.
struct Simulator {
    var router: Router
    let startDay: Int
    let days: Int

    init(seed: UInt64, startDay: Int, days: Int) {
        self.startDay = startDay
        self.days = days
        router = Router(rangeStart: Int64(startDay) * CivilTime.msPerDay, days: days, seed: seed)
    }

    var rangeStart: Int64 { router.rangeStart }
    func dayStart(_ d: Int) -> Int64 { rangeStart + Int64(d) * CivilTime.msPerDay }
    func dayOf(_ t: Int64) -> Int { Int((t - rangeStart) / CivilTime.msPerDay) }

    // MARK: One person's day

    mutating func simulate(_ p: inout Person, day d: Int) {
        let start = dayStart(d), end = start + CivilTime.msPerDay
        let active = d >= p.firstDay && d <= p.lastDay

        // Planned changes happen on their day, whether or not the person browses otherwise.
        if active && p.consentChangeAt >= start && p.consentChangeAt < end {
            consentUpdate(&p, at: p.consentChangeAt)
        }
        if p.aliasAt >= start && p.aliasAt < end && p.secondDevice {
            router.emit(EventRenderer.alias(&p, at: p.aliasAt, previousId: p.anonymousId2, path: "/account/login"),
                        at: p.aliasAt, to: .main)
        }
        for change in [p.regionMoveAt, p.channelChangeAt] where change >= start && change < end && p.isIdentified(at: change) {
            profileUpdate(&p, at: change)
        }

        guard active else { return }
        let weekday = CivilTime.isoWeekday(days: startDay + d)
        let weekendFactor = weekday >= 6 ? 1.25 : 1.0
        var sessions = p.rng.chance(p.sessionRate * weekendFactor) ? (p.rng.chance(0.12) ? 2 : 1) : 0
        let signupToday = p.identity == .signup && p.signedUpAt == .max && d == p.signupDay
        // Newcomers arrive with a visit; sign-ups happen in a visit.
        if signupToday || (d == p.firstDay && p.identity != .existing) { sessions = max(sessions, 1) }
        var starts: [Int64] = []
        for _ in 0..<sessions {
            let hour = p.rng.weighted(Catalog.hourWeights)
            starts.append(localInstant(&p, day: d, seconds: hour * 3600 ... hour * 3600 + 3599))
        }
        starts.sort()
        for (i, s) in starts.enumerated() {
            let device2 = p.secondDevice && p.rng.chance(0.35)
            browse(&p, start: s, device2: device2, landing: nil, signup: signupToday && i == 0 && !device2,
                   allowCheckout: p.identity != .anonymous || p.rng.chance(0.3))
        }
        if signupToday && p.signedUpAt == .max {
            // The sign-up session ran on the second device: sign up on the primary browser too.
            browse(&p, start: starts.last! + 3_600_000, device2: false, landing: nil, signup: true, allowCheckout: true)
        }
    }

    // MARK: Sessions

    /// A random instant inside store day `day` whose local time of day (in the person's zone) is within `seconds`.
    func localInstant(_ p: inout Person, day: Int, seconds: ClosedRange<Int>) -> Int64 {
        p.zone.instant(inUTCDay: startDay + day, localSecond: p.rng.int(seconds)) + p.rng.int64(0...999)
    }

    /// The ids of an event at `t` from the primary browser or the second device.
    func ids(_ p: Person, at t: Int64, device2: Bool) -> Ids {
        if device2 {
            return Ids(userId: t >= p.aliasAt ? p.userId : nil, anonymousId: p.anonymousId2)
        }
        return Ids(userId: p.isIdentified(at: t) ? p.userId : nil, anonymousId: p.anonymousId)
    }

    /// The time until the next page: mostly seconds to minutes, sometimes a tab left open for over 30 minutes.
    func dwell(_ p: inout Person) -> Int64 {
        p.rng.chance(0.04) ? p.rng.millis(31 * 60, 80 * 60) : p.rng.skewedMillis(12, 330)
    }

    /// One browsing session. Returns the time of its last event.
    @discardableResult
    mutating func browse(_ p: inout Person, start: Int64, device2: Bool, landing: CampaignRef?,
                         signup: Bool, allowCheckout: Bool) -> Int64 {
        var t = start
        var cart: [Int] = []

        // A known customer logs in on their first visit of the period.
        if p.identity == .existing && !p.loggedIn && !device2 {
            p.loggedIn = true
            router.emit(EventRenderer.identify(&p, at: t, ids: ids(p, at: t, device2: false), path: "/account/login"), at: t, to: .main)
            t += p.rng.millis(1, 4)
        }

        let engaged = p.sessionRate > 0.025
        var pages = engaged ? 2 + geometric(&p, 0.55, cap: 8) : 1 + geometric(&p, 0.45, cap: 4)
        if landing != nil { pages = max(pages, 2) }
        let signupAt = signup ? p.rng.int(0...(pages - 1)) : -1
        let modalAt = p.rng.chance(0.07) ? p.rng.int(0...(pages - 1)) : -1
        let chatAt = p.rng.chance(p.chatRate) ? p.rng.int(0...(pages - 1)) : -1
        var section = landing?.section ?? Catalog.Section(rawValue: p.rng.weighted(p.persona.sectionWeights))!
        var lastPath = "/"

        for i in 0..<pages {
            if i > 0 {
                t += dwell(&p)
                if !p.rng.chance(0.65) { section = Catalog.Section(rawValue: p.rng.weighted(p.persona.sectionWeights))! }
                if i == 1, let c = landing, c.section == .baby { section = babyFollowUp(&p) }
            }
            if i == 0, let campaign = landing {
                lastPath = productPage(&p, at: &t, device2: device2, section: campaign.section, cart: &cart,
                                       campaign: campaign, referrer: nil)
            } else if i == 0 && p.rng.chance(0.35) {
                lastPath = "/"
                let referrer: String? = p.rng.chance(0.4) ? "https://www.google.com/" : nil
                router.emit(EventRenderer.page(&p, at: t, ids: ids(p, at: t, device2: device2), name: "Home", category: nil,
                                               path: "/", referrer: referrer), at: t, to: .main)
            } else if p.rng.chance(p.persona == .parent ? 0.7 : 0.55) {
                let referrer: String? = i == 0 && p.rng.chance(0.5) ? "https://www.google.com/" : nil
                lastPath = productPage(&p, at: &t, device2: device2, section: section, cart: &cart, campaign: nil, referrer: referrer)
            } else {
                lastPath = listingPage(&p, at: t, device2: device2, section: section)
            }
            if i == signupAt {
                t += dwell(&p)
                let path = "/account/sign-up"
                router.emit(EventRenderer.page(&p, at: t, ids: ids(p, at: t, device2: false), name: "Sign up", category: nil, path: path),
                            at: t, to: .main)
                t += p.rng.millis(25, 140)
                p.signedUpAt = t
                router.emit(EventRenderer.identify(&p, at: t, ids: ids(p, at: t, device2: false), path: path), at: t, to: .main)
            }
            if i == modalAt { t = modalSurvey(&p, at: t + p.rng.millis(4, 25), device2: device2, path: lastPath) }
            if i == chatAt { t = chat(&p, at: t + p.rng.millis(8, 60), device2: device2, path: lastPath) }
        }

        if !cart.isEmpty && allowCheckout && p.rng.chance(0.42) {
            t = checkout(&p, at: t + dwell(&p), device2: device2, cart: cart)
        }
        if p.identity != .anonymous && p.rng.chance(0.006) {
            // Feedback through the site's footer form: a response that no prompt asked for.
            t += p.rng.millis(20, 200)
            let text = p.rng.pick(Catalog.feedbackComments)
            router.emit(EventRenderer.track(&p, "Survey Sent", at: t, ids: ids(p, at: t, device2: device2),
                                            origin: .browser(path: "/feedback", campaign: nil)) { w in
                w.field("survey_id", "site_feedback")
                w.field("channel", "modal")
                w.field("survey_response", text)
            }, at: t, to: .surveys)
        }
        return t
    }

    /// 0, 1, 2… with P(k+1)/P(k) = q, capped.
    func geometric(_ p: inout Person, _ q: Double, cap: Int) -> Int {
        var k = 0
        while k < cap && p.rng.chance(q) { k += 1 }
        return k
    }

    mutating func listingPage(_ p: inout Person, at t: Int64, device2: Bool, section: Catalog.Section) -> String {
        let path: String, name: String
        if section == .sale {
            let dept = p.rng.pick([Catalog.Section.baby, .gifts, .outerwear, .home])
            path = "/sale/\(dept.slug)"
            name = "Sale: \(dept.title)"
        } else {
            let shelf = p.rng.pick(Catalog.shelves[section.rawValue])
            path = "/\(section.slug)/\(shelf.slug)"
            name = shelf.title
        }
        let category: String? = p.rng.chance(0.5) ? section.slug : nil
        router.emit(EventRenderer.page(&p, at: t, ids: ids(p, at: t, device2: device2), name: name, category: category, path: path),
                    at: t, to: .main)
        return path
    }

    /// A product page with its `Product Viewed`, maybe `Product Added`. Advances `t` to the last event.
    mutating func productPage(_ p: inout Person, at t: inout Int64, device2: Bool, section: Catalog.Section,
                              cart: inout [Int], campaign: CampaignRef?, referrer: String?) -> String {
        let index = p.rng.pick(Catalog.productsBySection[section.rawValue])
        let product = Catalog.products[index]
        let onSalePage = section == .sale
        let path = onSalePage ? product.salePath : product.path
        let price = onSalePage ? product.salePriceCents : product.priceCents
        let category: String? = p.rng.chance(0.5) ? section.slug : nil
        var search: String? = nil
        if let c = campaign { search = "?utm_source=newsletter&utm_medium=email&utm_campaign=\(c.slug)" }
        router.emit(EventRenderer.page(&p, at: t, ids: ids(p, at: t, device2: device2), name: product.name, category: category,
                                       path: path, search: search, referrer: referrer, campaign: campaign), at: t, to: .main)
        t += p.rng.millis(0.3, 2.5)
        router.emit(EventRenderer.track(&p, "Product Viewed", at: t, ids: ids(p, at: t, device2: device2),
                                        origin: .browser(path: path, campaign: campaign)) { w in
            w.field("product_id", product.id)
            w.field("name", product.name)
            w.field("category", product.department.slug)
            w.field("price", cents: price)
        }, at: t, to: .main)
        if p.rng.chance(p.addRate) {
            t += p.rng.millis(8, 90)
            cart.append(index)
            router.emit(EventRenderer.track(&p, "Product Added", at: t, ids: ids(p, at: t, device2: device2),
                                            origin: .browser(path: path, campaign: nil)) { w in
                w.field("product_id", product.id)
                w.field("name", product.name)
                w.field("category", product.department.slug)
                w.field("price", cents: price)
                w.field("quantity", 1)
            }, at: t, to: .main)
        }
        return path
    }

    mutating func checkout(_ p: inout Person, at start: Int64, device2: Bool, cart: [Int]) -> Int64 {
        var t = start
        router.emit(EventRenderer.page(&p, at: t, ids: ids(p, at: t, device2: device2), name: "Cart", category: nil, path: "/cart"),
                    at: t, to: .main)
        t += p.rng.millis(20, 100)
        router.emit(EventRenderer.page(&p, at: t, ids: ids(p, at: t, device2: device2), name: "Checkout", category: nil, path: "/checkout"),
                    at: t, to: .main)
        t += p.rng.millis(60, 260)
        p.orders += 1
        let orderID = "NC-" + Person.padded(p.index + 1, 6) + "-" + String(p.orders)
        var revenue = 0
        for i in cart { revenue += Catalog.products[i].priceCents }
        router.emit(EventRenderer.track(&p, "Order Completed", at: t, ids: ids(p, at: t, device2: device2),
                                        origin: .browser(path: "/checkout", campaign: nil)) { w in
            w.field("order_id", orderID)
            w.field("revenue", cents: revenue)
            w.field("currency", "EUR")
            w.key("products")
            w.array { w in
                for i in cart {
                    let product = Catalog.products[i]
                    w.object { w in
                        w.field("product_id", product.id)
                        w.field("category", product.department.slug)
                        w.field("price", cents: product.priceCents)
                        w.field("quantity", 1)
                    }
                }
            }
        }, at: t, to: .main)
        let orderAt = t
        t += p.rng.millis(1, 3)
        router.emit(EventRenderer.page(&p, at: t, ids: ids(p, at: t, device2: device2), name: "Order confirmation",
                                       category: nil, path: "/checkout/thank-you"), at: t, to: .main)
        if p.isIdentified(at: orderAt) || (device2 && orderAt >= p.aliasAt) {
            deliver(&p, orderID: orderID, orderAt: orderAt)
            if p.rng.chance(0.7) { postPurchaseSurvey(&p, orderID: orderID, orderAt: orderAt) }
        }
        return t
    }

    // MARK: Account events

    mutating func consentUpdate(_ p: inout Person, at t: Int64) {
        let pageAt = t - p.rng.millis(8, 40)
        router.emit(EventRenderer.page(&p, at: pageAt, ids: ids(p, at: pageAt, device2: false), name: "Cookie settings",
                                       category: nil, path: "/privacy/cookie-settings"), at: pageAt, to: .main)
        router.emit(EventRenderer.track(&p, "Segment Consent Preference Updated", at: t, ids: ids(p, at: t, device2: false),
                                        origin: .browser(path: "/privacy/cookie-settings", campaign: nil)) { _ in },
                    at: t, to: .main)
    }

    mutating func profileUpdate(_ p: inout Person, at t: Int64) {
        let pageAt = t - p.rng.millis(20, 90)
        router.emit(EventRenderer.page(&p, at: pageAt, ids: ids(p, at: pageAt, device2: false), name: "Profile",
                                       category: nil, path: "/account/profile"), at: pageAt, to: .main)
        router.emit(EventRenderer.identify(&p, at: t, ids: ids(p, at: t, device2: false), path: "/account/profile"), at: t, to: .main)
    }
}
