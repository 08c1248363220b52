import Analytics
@testable import Dashboard

/// Hand-built loops and journeys for the dashboard fixture (Journeys and Loops views).
enum FlowFixture {
    static func node(_ step: String, _ entries: Int, _ persons: Int, parent: Int, ended: Int = 0,
                     _ children: [JourneyNode] = []) -> JourneyNode {
        var n = JourneyNode(step: step)
        n.entries = entries; n.persons = persons; n.share = Double(entries) / Double(parent)
        n.ended = ended; n.endedShare = entries > 0 ? Double(ended) / Double(entries) : nil
        n.children = children
        return n
    }

    static var journeys: [JourneyReport] {
        var baby = JourneyReport(name: "After a baby email", rule: "from did \"Email Link Clicked\" where category = \"baby\" steps 3 within 30m",
                                 entry: "did \"Email Link Clicked\" where category = \"baby\"", direction: "from", by: "section",
                                 steps: 3, windowSeconds: 1800)
        baby.entries = 1_240; baby.persons = 1_102
        var hidden = node("outerwear", 0, 0, parent: 820)
        hidden.$entries = .belowMinimum; hidden.$persons = .belowMinimum; hidden.$share = .derived; hidden.$ended = .derived; hidden.$endedShare = .derived
        baby.tree = JourneyTree(children: [
            node("baby", 820, 760, parent: 1_240, ended: 210, [
                node("gifts", 300, 290, parent: 820, ended: 120, [
                    node("checkout", 110, 108, parent: 300), node("sale", 70, 69, parent: 300),
                    node("(left)", 120, 118, parent: 300),
                ]),
                node("sale", 250, 240, parent: 820, ended: 90, [
                    node("checkout", 90, 88, parent: 250), node("outerwear", 70, 70, parent: 250),
                    node("(left)", 90, 90, parent: 250),
                ]),
                hidden,
                node("(other)", 60, 58, parent: 820, ended: 31),
                node("(left)", 210, 200, parent: 820),
            ]),
            node("sale", 200, 190, parent: 1_240, ended: 80, [
                node("baby", 120, 115, parent: 200, ended: 61),
                node("(left)", 80, 80, parent: 200),
            ]),
            node("gifts & occasions — wrapping and cards", 0, 0, parent: 1_240),
            node("(left)", 220, 210, parent: 1_240),
        ])
        baby.tree.children[2].entries = 20; baby.tree.children[2].persons = 19; baby.tree.children[2].share = 20.0 / 1_240
        baby.paths = [
            JourneyPath(steps: ["(left)"], entries: 220, persons: 210),
            JourneyPath(steps: ["baby", "(left)"], entries: 210, persons: 200),
            JourneyPath(steps: ["baby", "gifts", "(left)"], entries: 120, persons: 118),
            JourneyPath(steps: ["baby", "gifts", "checkout"], entries: 110, persons: 108),
            JourneyPath(steps: ["baby", "sale", "checkout"], entries: 90, persons: 88),
            JourneyPath(steps: ["baby", "sale", "(left)"], entries: 90, persons: 90),
            JourneyPath(steps: ["sale", "(left)"], entries: 80, persons: 80),
        ]
        var order = JourneyReport(name: "Led to an order", rule: "before did \"Order Completed\" by event steps 2",
                                  entry: "did \"Order Completed\"", direction: "before", by: "event", steps: 2, windowSeconds: nil)
        order.entries = 500; order.persons = 480
        order.tree = JourneyTree(children: [
            node("Checkout Started", 450, 440, parent: 500, [node("Cart Viewed", 400, 392, parent: 450), node("(start)", 50, 50, parent: 450)]),
            node("(start)", 50, 50, parent: 500),
        ])
        order.paths = [JourneyPath(steps: ["Checkout Started", "Cart Viewed"], entries: 400, persons: 392)]
        return [baby, order]
    }

    static func outcomes(_ triggers: Int, _ inTime: Int, _ late: Int, _ open: Int, _ missed: Int) -> LoopOutcomes {
        var o = LoopOutcomes()
        o.triggers = triggers; o.inTime = inTime; o.late = late; o.open = open; o.missed = missed
        o.inTimeRate = triggers - open > 0 ? Double(inTime) / Double(triggers - open) : nil
        return o
    }

    static var loops: [LoopReport] {
        var late = LoopReport(name: "Late delivery apology",
                              rule: "when did \"Order Delivered\" where late = true expect did \"Apology Sent\" within 1d", withinSeconds: 86_400)
        late.outcomes = outcomes(412, 351, 22, 17, 22)
        late.persons = 398
        late.lateRate = 22.0 / 395; late.missedRate = 22.0 / 395
        late.medianSecondsToClose = 5_400; late.p90SecondsToClose = 64_800
        late.oldestOpenSeconds = 79_200; late.openOlderThanHours = 22
        late.openAges = zip(0..<8, [4, 3, 2, 3, 1, 2, 0, 2]).map { i, n in
            LoopAgeBin(fromSeconds: Double(i) * 10_800, toSeconds: Double(i + 1) * 10_800, open: n)
        }
        late.openAges[4].$open = .belowMinimum
        late.weekly = [
            LoopWeek(week: "2026-W06", outcomes: outcomes(98, 90, 4, 0, 4)),
            LoopWeek(week: "2026-W07", outcomes: outcomes(101, 88, 7, 0, 6)),
            LoopWeek(week: "2026-W08", outcomes: outcomes(110, 97, 6, 0, 7)),
            LoopWeek(week: "2026-W09", outcomes: outcomes(103, 76, 5, 17, 5)),
        ]
        var detractor = LoopReport(name: "Detractor follow-up",
                                   rule: "when answered nps <= 6 expect did \"Support Ticket Created\" within 3d", withinSeconds: 259_200)
        detractor.outcomes = outcomes(96, 61, 9, 6, 20)
        detractor.persons = 90
        detractor.medianSecondsToClose = 36_000
        detractor.oldestOpenSeconds = 200_000; detractor.openOlderThanHours = 200_000 / 3_600
        detractor.openAges = (0..<8).map { LoopAgeBin(fromSeconds: Double($0) * 32_400, toSeconds: Double($0 + 1) * 32_400, open: [0, 0, 1, 0, 2, 0, 3, 0][$0]) }
        var payment = LoopReport(name: "Failed payment retry", rule: "when did \"Payment Failed\" expect did \"Order Completed\" within 2h",
                                 withinSeconds: 7_200)
        payment.outcomes = outcomes(40, 36, 0, 0, 4)
        payment.outcomes.$missed = .belowMinimum; payment.outcomes.missed = 0
        payment.outcomes.$inTimeRate = .derived; payment.outcomes.inTimeRate = nil
        payment.persons = 38
        payment.openAges = (0..<8).map { LoopAgeBin(fromSeconds: Double($0) * 900, toSeconds: Double($0 + 1) * 900, open: 0) }
        return [late, detractor, payment]
    }
}
