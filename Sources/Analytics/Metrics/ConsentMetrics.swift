import EventStore

/// Consent coverage per category and the events collected without analytics consent.
///
/// Definitions: docs/DEFINITIONS.md, "Consent".
public enum ConsentMetrics {
    /// ``ConsentSummary/analyticsCategoryNote`` when no event carries the analytics category `category` (set only
    /// when the store has events): `carried` are the categories the events carry (any order). Also used by the
    /// figures an engine computes (SQLEngine's EngineReport), so that both say the same.
    public static func analyticsCategoryNote(category name: String, carried categories: [String]) -> String {
        let hint = "name the store's analytics category with --analytics-category or analytics_category in earshot.yaml"
        if categories.isEmpty {
            return "no event carries any consent category, so every event's consent is unknown"
        }
        let shown = categories.sorted().prefix(12).joined(separator: ", ")
        return "no event carries the analytics category \"\(name)\" (the store has: \(shown)"
            + (categories.count > 12 ? ", …" : "") + "); every event counts as consent unknown: " + hint
    }

    /// Segment's consent event: sent whatever the person chose, so it is never "collected without consent"
    /// nor "consent unknown" (its own preferences still update the person's state).
    public static let preferenceUpdatedEvent = "Segment Consent Preference Updated"

    /// Coverage of every consent category (sorted by name) and the per-event consent audit,
    /// over the persons in `persons` (all when nil) and events at or before the reference time.
    public static func compute(table: EventTable, options: AnalysisOptions, persons: PersonSet? = nil) -> ConsentSummary {
        compute(AnalysisScope(table: table, options: options, persons: persons))
    }

    static func compute(_ scope: AnalysisScope) -> ConsentSummary {
        let table = scope.table
        let categories = table.consentCategories
        let analyticsMask: UInt64 = table.consentBit(scope.options.analyticsCategory).map { 1 << UInt64($0) } ?? 0
        var granted = [Int](repeating: 0, count: categories.count)
        var denied = [Int](repeating: 0, count: categories.count)
        var persons = 0
        var events = 0, without = 0, unknown = 0
        let preferenceUpdated = table.strings.lookup(preferenceUpdatedEvent) ?? -2
        // The row columns read for every row, pinned once (no generic column subscript per row).
        table.consentCarried.withUnsafeBufferPointer { carried in
        table.consentGranted.withUnsafeBufferPointer { grants in
        table.name.withUnsafeBufferPointer { names in
        table.kind.withUnsafeBufferPointer { kinds in
        scope.forEachPerson { _, rows in
            persons += 1
            events += rows.count
            var known: UInt64 = 0, grant: UInt64 = 0
            for r in rows {
                let c = carried[r]
                let g = grants[r] & c
                if names[r] == preferenceUpdated && kinds[r] == .track {
                    // Not audited for collection; its preferences apply below.
                } else if analyticsMask != 0 {
                    if c & analyticsMask != 0 {
                        if g & analyticsMask == 0 { without += 1 }
                    } else if known & analyticsMask != 0 {
                        if grant & analyticsMask == 0 { without += 1 }
                    } else {
                        unknown += 1
                    }
                } else {
                    unknown += 1
                }
                if c != 0 {
                    known |= c
                    grant = (grant & ~c) | g
                }
            }
            var k = known
            while k != 0 {
                let bit = k.trailingZeroBitCount
                k &= k - 1
                if grant & (1 << UInt64(bit)) != 0 { granted[bit] += 1 } else { denied[bit] += 1 }
            }
        }
        }
        }
        }
        }
        var summary = ConsentSummary()
        summary.analyticsCategory = scope.options.analyticsCategory
        summary.persons = persons
        summary.events = events
        summary.eventsWithoutConsent = without
        summary.eventsConsentUnknown = unknown
        if analyticsMask == 0 && events > 0 {
            summary.analyticsCategoryNote = analyticsCategoryNote(category: scope.options.analyticsCategory, carried: categories)
        }
        summary.categories = categories.indices.map { i in
            var c = CategoryCoverage(name: categories[i], granted: granted[i], denied: denied[i],
                                     unknown: persons - granted[i] - denied[i], coverage: ratio(granted[i], persons))
            c.label = table.consentLabels[categories[i]].flatMap { $0.isEmpty || $0 == categories[i] ? nil : $0 }
            return c
        }.sorted { $0.name < $1.name }
        return summary
    }
}
