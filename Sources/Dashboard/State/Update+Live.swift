import Analytics

extension AppState {
    /// `F`: start or stop following the store.
    mutating func toggleFollow() -> [Effect] {
        if following {
            following = false
            live = nil
            message = "Stopped following the store"
            if followRequested {
                followRequested = false
                return [.follow(false)]
            }
            return []
        }
        following = true
        message = "Following the store: new events appear within a second"
        guard case .ready = phase else { return [] }  // starts when the store is loaded (`receive`)
        followRequested = true
        return [.follow(true)]
    }

    /// A live update: the new report (if anything changed) and the status; ignored once following stopped.
    mutating func receiveLive(_ d: DashboardData?, _ status: LiveStatus) -> [Effect] {
        guard following, followRequested else { return [] }
        live = status
        if let note = status.note { message = sanitizer.clean(note) }
        guard let d else { return [] }
        // With a segment filter, the filtered figures stay until their refreshed version arrives
        // (no flicker to the unfiltered report and back every second).
        if pendingFilter == nil, let seg = segmentFilter, case .ready = phase,
           d.report.segments.contains(where: { $0.name == seg }) {
            data = d
            // Live figures alone (the analysis unchanged) are of the whole store: the segment's figures are
            // recomputed with the next analysis, not every second.
            if d.viewsAsOfMs != nil { return [] }
            return [.computeFilter(segment: seg)]
        }
        return receive(d)
    }
}
