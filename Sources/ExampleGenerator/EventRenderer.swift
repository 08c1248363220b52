/// The ids an event carries.
struct Ids {
    var userId: String?
    var anonymousId: String?
}

/// An e-mail campaign as events refer to it.
struct CampaignRef {
    let id: String
    let slug: String
    let subject: String
    let section: Catalog.Section
}

/// Where an event was sent from: the shop's web pages (browser context with page and consent),
/// or a server integration (e-mail and SMS provider) that knows the user's time zone but no consent.
struct Origin {
    var path: String?
    var campaign: CampaignRef?
    var browser: Bool

    static func browser(path: String, campaign: CampaignRef?) -> Origin { Origin(path: path, campaign: campaign, browser: true) }
    static let server = Origin(path: nil, campaign: nil, browser: false)
    /// The e-mail provider reporting on a campaign (`context.campaign`, no consent).
    static func email(_ c: CampaignRef) -> Origin { Origin(path: nil, campaign: c, browser: false) }
}

/// Renders Segment-Spec lines with a fixed key order:
/// `type, messageId, timestamp|originalTimestamp, userId, anonymousId, previousId, event|name, category,
/// properties|traits, context`.
enum EventRenderer {
    /// Share of browser events that carry only `originalTimestamp` (a client that sends no `timestamp`).
    static let originalTimestampOnlyShare = 0.02

    static func track(_ p: inout Person, _ event: String, at t: Int64, ids: Ids, origin: Origin,
                      properties: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            envelope(&w, type: "track", p: &p, t: t, ids: ids, origin: origin)
            w.field("event", event)
            w.field("properties", properties)
            context(&w, p: p, t: t, origin: origin)
        }
        return w.bytes
    }

    static func page(_ p: inout Person, at t: Int64, ids: Ids, name: String, category: String?, path: String,
                     search: String? = nil, referrer: String? = nil, campaign: CampaignRef? = nil) -> [UInt8] {
        var w = JSONWriter()
        // A page call has its path in `properties`; its context keeps only the campaign, zone and consent.
        let origin = Origin(path: nil, campaign: campaign, browser: true)
        w.object { w in
            envelope(&w, type: "page", p: &p, t: t, ids: ids, origin: origin)
            w.field("name", name)
            if let category { w.field("category", category) }
            w.field("properties") { w in
                w.field("path", path)
                if let search { w.field("search", search) }
                if let referrer { w.field("referrer", referrer) }
                if referrer != nil || search != nil { w.field("url", Catalog.shopHost + path + (search ?? "")) }
            }
            context(&w, p: p, t: t, origin: origin)
        }
        return w.bytes
    }

    static func identify(_ p: inout Person, at t: Int64, ids: Ids, path: String) -> [UInt8] {
        var w = JSONWriter()
        let origin = Origin.browser(path: path, campaign: nil)
        w.object { w in
            envelope(&w, type: "identify", p: &p, t: t, ids: ids, origin: origin)
            let (first, firstASCII) = Catalog.firstNames[p.firstName]
            let (last, lastASCII) = Catalog.lastNames[p.lastName]
            w.field("traits") { w in
                w.field("email", "\(firstASCII).\(lastASCII).\(p.index + 1)@example.com")
                w.field("firstName", first)
                w.field("lastName", last)
                if p.hasPhone { w.field("phone", phone(p)) }
                w.field("region", Catalog.regions[p.region(at: t)])
                w.field("preferred_channel", Catalog.channels[p.channel(at: t)])
                w.field("plan", Catalog.plans[p.plan])
            }
            context(&w, p: p, t: t, origin: origin)
        }
        return w.bytes
    }

    static func alias(_ p: inout Person, at t: Int64, previousId: String, path: String) -> [UInt8] {
        var w = JSONWriter()
        let origin = Origin.browser(path: path, campaign: nil)
        w.object { w in
            w.field("type", "alias")
            w.field("messageId", p.rng.uuid())
            w.field("timestamp", timestamp: t)
            w.field("userId", p.userId)
            w.field("previousId", previousId)
            context(&w, p: p, t: t, origin: origin)
        }
        return w.bytes
    }

    /// A fictional number in a range reserved for drama and examples.
    static func phone(_ p: Person) -> String {
        let n = (p.index * 37) % 100
        switch p.zone {
        case .newYork, .losAngeles: return "+1 202 555 01" + Person.padded(n, 2)
        case .berlin: return "+49 30 23125 " + Person.padded(n * 7 % 1000, 3)
        default: return "+44 7700 900" + Person.padded(n * 9 % 1000, 3)
        }
    }

    private static func envelope(_ w: inout JSONWriter, type: String, p: inout Person, t: Int64, ids: Ids, origin: Origin) {
        w.field("type", type)
        w.field("messageId", p.rng.uuid())
        let onlyOriginal = origin.browser && p.rng.chance(originalTimestampOnlyShare)
        w.field(onlyOriginal ? "originalTimestamp" : "timestamp", timestamp: t)
        if let u = ids.userId { w.field("userId", u) }
        if let a = ids.anonymousId { w.field("anonymousId", a) }
    }

    private static func context(_ w: inout JSONWriter, p: Person, t: Int64, origin: Origin) {
        w.field("context") { w in
            if let path = origin.path { w.field("page") { w in w.field("path", path) } }
            if let c = origin.campaign {
                w.field("campaign") { w in
                    w.field("source", "newsletter")
                    w.field("medium", "email")
                    w.field("name", c.slug)
                }
            }
            if p.writesTimezone { w.field("timezone", p.zone.identifier) }
            guard origin.browser else { return }
            let c = p.consent(at: t)
            switch p.consentStyle {
            case .none:
                break
            case .segment:
                w.field("consent") { w in
                    w.field("categoryPreferences") { w in
                        for (i, name) in Catalog.consentCategories.enumerated() where c.carried & (1 << i) != 0 {
                            w.field(name, c.granted & (1 << i) != 0)
                        }
                    }
                }
            case .rudderStack:
                var allowed: [String] = [], denied: [String] = []
                for (i, name) in Catalog.consentCategories.enumerated() where c.carried & (1 << i) != 0 {
                    if c.granted & (1 << i) != 0 { allowed.append(name) } else { denied.append(name) }
                }
                w.field("consentManagement") { w in
                    w.field("provider", "custom")
                    w.field("allowedConsentIds", strings: allowed)
                    w.field("deniedConsentIds", strings: denied)
                }
            }
        }
    }
}
