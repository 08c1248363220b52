import EventStore
@testable import Analytics

/// Milliseconds of a UTC date-time.
func ms(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0, _ milli: Int = 0) -> Int64 {
    CivilTime.days(fromCivil: y, mo, d) * CivilTime.msPerDay + Int64(h) * 3_600_000 + Int64(mi) * 60_000
        + Int64(s) * 1000 + Int64(milli)
}

let minute: Int64 = 60_000
let hour: Int64 = 3_600_000
let day: Int64 = 86_400_000

/// Builds tables from hand-written events, in file order.
struct Store {
    var events: [ParsedEvent] = []

    mutating func track(_ user: String, _ time: Int64, _ event: String, consent: [ConsentEntry] = [],
                        tz: String? = nil, props: [(String, ScalarValue)] = []) {
        events.append(ParsedEvent(kind: .track, time: time, userId: user, event: event, timezone: tz, consent: consent,
                                  properties: props.map { PathValue($0.0, $0.1) }))
    }

    mutating func page(_ user: String, _ time: Int64, consent: [ConsentEntry] = [], tz: String? = nil) {
        events.append(ParsedEvent(kind: .page, time: time, userId: user, name: "Home", timezone: tz, consent: consent))
    }

    /// A survey prompt (`Survey Shown`).
    mutating func prompt(_ user: String, _ time: Int64, survey: ScalarValue? = .string("s1"), channel: String? = "email",
                         tz: String? = nil, posthog: Bool = false) {
        track(user, time, posthog ? "survey shown" : "Survey Shown", tz: tz, props: surveyProps(survey, channel, posthog))
    }

    /// A survey response (`Survey Sent`), optionally scored.
    mutating func response(_ user: String, _ time: Int64, survey: ScalarValue? = .string("s1"), channel: String? = nil,
                           score: ScalarValue? = nil, posthog: Bool = false) {
        var props = surveyProps(survey, channel, posthog)
        if let score { props.append((posthog ? "properties.$survey_response" : "properties.score", score)) }
        track(user, time, posthog ? "survey sent" : "Survey Sent", props: props)
    }

    mutating func dismissal(_ user: String, _ time: Int64, survey: ScalarValue? = .string("s1"), channel: String? = nil) {
        track(user, time, "Survey Dismissed", props: surveyProps(survey, channel, false))
    }

    private func surveyProps(_ survey: ScalarValue?, _ channel: String?, _ posthog: Bool) -> [(String, ScalarValue)] {
        var props: [(String, ScalarValue)] = []
        if let survey { props.append((posthog ? "properties.$survey_id" : "properties.survey_id", survey)) }
        if let channel { props.append(("properties.channel", .string(channel))) }
        return props
    }

    func table(stats: StoreStats? = nil) -> EventTable {
        var b = EventTableBuilder()
        if let stats { b.stats = stats }
        for (i, e) in events.enumerated() { b.add(e, file: stats == nil ? -1 : Int32(i % max(1, stats!.files.count))) }
        return b.finish()
    }
}

extension EventTable {
    /// The person index of an id.
    func person(_ id: String) -> Int {
        let sid = strings.lookup(id)!
        return personID.firstIndex(of: sid)!
    }

    /// A person set of these ids.
    func persons(_ ids: String...) -> PersonSet {
        var s = PersonSet(universe: personCount)
        for id in ids { s.insert(person(id)) }
        return s
    }
}

func granted(_ c: String) -> ConsentEntry { ConsentEntry(c, true) }
func denied(_ c: String) -> ConsentEntry { ConsentEntry(c, false) }
