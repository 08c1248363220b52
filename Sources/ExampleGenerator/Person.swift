/// What a shopper likes to look at.
enum Persona: UInt8, Sendable, CaseIterable {
    case parent, giftGiver, bargainHunter, outdoors, homebody, browser

    static let weights = [20, 14, 16, 14, 14, 22]

    /// Weights over Catalog.Section (baby, gifts, sale, outerwear, home).
    var sectionWeights: [Int] {
        switch self {
        case .parent: return [72, 2, 14, 7, 5]
        case .giftGiver: return [30, 50, 10, 5, 5]
        case .bargainHunter: return [10, 5, 60, 15, 10]
        case .outdoors: return [4, 2, 25, 64, 5]
        case .homebody: return [4, 12, 15, 4, 65]
        case .browser: return [20, 20, 20, 20, 20]
        }
    }
}

/// How a person relates to the shop's identity system during the store's time range.
enum IdentityClass: UInt8, Sendable {
    /// Known customer: logged in from the start (events carry userId and anonymousId).
    case existing
    /// Browses anonymously first, signs up on `signupDay`.
    case signup
    /// Never identified: anonymousId only.
    case anonymous
}

/// How a person's events carry consent.
enum ConsentStyle: UInt8, Sendable {
    /// `context.consent.categoryPreferences` (Segment Consent Management).
    case segment
    /// RudderStack's `context.consentManagement` {allowedConsentIds, deniedConsentIds}.
    case rudderStack
    /// No consent on any event (an old tracking snippet): every category unknown.
    case none
}

/// Consent at an instant: which categories are carried and which of those are granted (bit i = category i).
struct ConsentMask: Sendable, Equatable {
    var carried: UInt8
    var granted: UInt8
}

/// One simulated shopper: a plan fixed at creation (so the state at any instant is a function of
/// time and every event can be rendered as soon as it is scheduled) plus a little mutable state.
struct Person {
    let index: Int
    var rng: SplitMix64
    /// A separate stream for the shop's service events (deliveries, apologies, recovery contacts) and the
    /// baby-campaign follow-up sections, so that adding them left every other draw of `rng` as it was.
    var serviceRNG: SplitMix64
    /// The primary browser's anonymousId.
    let anonymousId: String
    /// The second device's anonymousId (used only when `secondDevice`).
    let anonymousId2: String

    let persona: Persona
    let identity: IdentityClass
    /// The zone that drives local-time behaviour.
    let zone: Zone
    /// Whether events carry `context.timezone`.
    let writesTimezone: Bool

    /// Active days (indices into the store's days); outside them the person makes no sessions.
    let firstDay: Int
    let lastDay: Int
    /// Probability of a session on an active day.
    let sessionRate: Double
    /// Probability that a session opens the live chat.
    let chatRate: Double
    /// Probability of adding a viewed product to the cart.
    let addRate: Double

    let emailSubscriber: Bool
    let openRate: Double
    /// Modal surveys use PostHog's event names for this person (a PostHog-instrumented page).
    let postHogSurveys: Bool

    let firstName: Int
    let lastName: Int
    let hasPhone: Bool
    let plan: Int
    let region0: Int
    let region1: Int
    let regionMoveAt: Int64
    let channel0: Int
    let channel1: Int
    let channelChangeAt: Int64

    let consentStyle: ConsentStyle
    let consent0: ConsentMask
    let consent1: ConsentMask
    let consentChangeAt: Int64

    /// Second device (phone browser): anonymous until `aliasAt`, then linked with an alias call.
    let secondDevice: Bool
    let aliasAt: Int64

    /// Planned sign-up day (identity == .signup).
    let signupDay: Int

    // MARK: Mutable state

    /// When the person signed up (identify with both ids); `.max` while anonymous.
    var signedUpAt: Int64
    /// Whether the login identify of an existing customer was sent.
    var loggedIn = false
    var orders = 0

    /// The userId, assigned at creation for everyone who ever identifies.
    var userId: String { "user_" + Person.padded(index + 1, 6) }

    static func padded(_ v: Int, _ width: Int) -> String {
        var out = [UInt8]()
        CivilTime.appendDigits(v, width, &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether events at `t` carry the userId (primary device).
    func isIdentified(at t: Int64) -> Bool {
        switch identity {
        case .existing: return true
        case .signup: return t >= signedUpAt
        case .anonymous: return false
        }
    }

    func consent(at t: Int64) -> ConsentMask { t >= consentChangeAt ? consent1 : consent0 }
    func region(at t: Int64) -> Int { t >= regionMoveAt ? region1 : region0 }
    func channel(at t: Int64) -> Int { t >= channelChangeAt ? channel1 : channel0 }
}

extension Person {
    /// Plans person `index` of a store with `days` days starting at UTC day `startDay`.
    init(index: Int, seed: UInt64, startDay: Int, days: Int) {
        var r = SplitMix64(seed: seed, stream: UInt64(index), 1)
        self.index = index
        anonymousId = r.uuid()
        anonymousId2 = r.uuid()
        let dayMs = CivilTime.msPerDay
        let rangeStart = Int64(startDay) * dayMs
        func instant(onDay d: Int, _ r: inout SplitMix64) -> Int64 {
            rangeStart + Int64(d) * dayMs + r.int64(8 * 3_600_000 ... 21 * 3_600_000)
        }

        persona = Persona(rawValue: UInt8(r.weighted(Persona.weights)))!
        let idRoll = r.unit()
        identity = idRoll < 0.55 ? .existing : (idRoll < 0.83 ? .signup : .anonymous)

        let zoneRoll = r.weighted([35, 20, 18, 10, 7, 10])
        zone = zoneRoll < 5 ? Zone(rawValue: UInt8(zoneRoll))! : .london
        writesTimezone = zoneRoll < 5

        // Engagement: most people visit a few times a quarter, a few come back every week.
        let engagement = r.weighted([52, 34, 14])
        var rate: Double
        switch engagement {
        case 0: rate = r.uniform(0.002, 0.008)
        case 1: rate = r.uniform(0.01, 0.02)
        default: rate = r.uniform(0.03, 0.055)
        }
        if identity == .anonymous { rate = min(rate, 0.008) }

        // Active window: most existing customers are around from the start; new people arrive over time.
        let last = days - 1
        var first: Int
        if identity == .existing {
            first = r.chance(0.7) ? 0 : r.int(0...last)
        } else {
            first = r.int(0...last)
        }
        var lastActive = last
        if r.chance(0.28) { lastActive = min(last, first + r.int(3...45)) }
        firstDay = first
        lastDay = lastActive
        signupDay = identity == .signup ? (r.chance(0.35) ? first : r.int(first...max(first, lastActive))) : -1

        let chatty = r.chance(identity == .anonymous ? 0.01 : 0.05)
        if chatty { rate = max(rate, r.uniform(0.07, 0.11)) }
        sessionRate = rate
        chatRate = chatty ? r.uniform(0.6, 0.9) : 0.015
        addRate = r.uniform(0.05, 0.22)

        emailSubscriber = identity != .anonymous && r.chance(0.62)
        openRate = r.uniform(0.15, 0.65)
        postHogSurveys = r.chance(0.3)

        firstName = r.int(0...(Catalog.firstNames.count - 1))
        lastName = r.int(0...(Catalog.lastNames.count - 1))
        hasPhone = r.chance(0.6)
        plan = r.weighted(Catalog.planWeights)

        let identifiedFrom = identity == .signup ? signupDay + 1 : firstDay
        region0 = r.weighted(Catalog.regionWeights)
        if identity != .anonymous && identifiedFrom < lastActive && r.chance(0.08) {
            var other = r.weighted(Catalog.regionWeights)
            if other == region0 { other = (other + 1) % Catalog.regions.count }
            region1 = other
            regionMoveAt = instant(onDay: r.int(identifiedFrom...lastActive), &r)
        } else {
            region1 = region0
            regionMoveAt = .max
        }
        let ch = chatty ? 2 : r.weighted([52, 20, 28])
        channel0 = ch
        if identity != .anonymous && identifiedFrom < lastActive && r.chance(0.1) {
            channel1 = (ch + r.int(1...2)) % 3
            channelChangeAt = instant(onDay: r.int(identifiedFrom...lastActive), &r)
        } else {
            channel1 = ch
            channelChangeAt = .max
        }

        // Consent.
        let styleRoll = r.unit()
        consentStyle = styleRoll < 0.86 ? .segment : (styleRoll < 0.92 ? .rudderStack : .none)
        var carried: UInt8 = 0b1111
        if consentStyle == .segment && r.chance(0.22) { carried = 0b0111 }  // old banner without SMS
        if consentStyle == .none { carried = 0 }
        var granted: UInt8 = 0
        if r.chance(0.965) { granted |= 1 }
        if r.chance(0.74) { granted |= 2 }
        if r.chance(0.46) { granted |= 4 }
        if r.chance(0.34) { granted |= 8 }
        consent0 = ConsentMask(carried: carried, granted: granted & carried)
        if consentStyle != .none && r.chance(0.13) {
            var g = granted
            var c = carried
            switch r.weighted([40, 22, 18, 12, 8]) {
            case 0: g &= ~4                      // revokes advertising
            case 1: g &= ~8; c |= 8              // new banner: refuses SMS marketing
            case 2: g |= 8; c |= 8               // opts in to SMS
            case 3: g |= 2 | 4                   // accepts personalization and advertising
            default: g &= ~1                     // revokes analytics
            }
            consent1 = ConsentMask(carried: c, granted: g & c)
            consentChangeAt = instant(onDay: r.int(firstDay...lastActive), &r)
        } else {
            consent1 = consent0
            consentChangeAt = .max
        }

        secondDevice = identity == .existing && r.chance(0.06)
        aliasAt = secondDevice ? instant(onDay: r.int(firstDay...lastActive), &r) : .max

        signedUpAt = identity == .existing ? .min : .max
        rng = r
        serviceRNG = SplitMix64(seed: seed, stream: UInt64(index), 2)
    }
}
