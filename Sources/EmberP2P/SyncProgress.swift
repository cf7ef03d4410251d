/// Blocks connected per second while the node catches up, reported every few seconds.
struct SyncProgress: Sendable {
    static let reportIntervalMs: UInt64 = 5_000

    private var windowStartMs: UInt64 = 0
    private var blocksInWindow = 0
    private(set) var isSyncing = false

    mutating func blockConnected() { blocksInWindow += 1 }

    /// A line to print when one is due: while the best header is ahead of the tip, and once when the
    /// tip catches up.
    mutating func line(nowMs: UInt64, tipHeight: UInt64, bestHeaderHeight: UInt64, peers: Int) -> String? {
        if windowStartMs == 0 { windowStartMs = nowMs }
        let behind = bestHeaderHeight > tipHeight
        if !behind {
            defer { isSyncing = false; windowStartMs = nowMs; blocksInWindow = 0 }
            return isSyncing ? "sync: caught up at height \(tipHeight)" : nil
        }
        guard nowMs - windowStartMs >= Self.reportIntervalMs || !isSyncing else { return nil }
        let seconds = Double(max(1, nowMs - windowStartMs)) / 1_000
        let rate = isSyncing ? Double(blocksInWindow) / seconds : 0
        isSyncing = true
        windowStartMs = nowMs
        blocksInWindow = 0
        let rateText = rate == 0 ? "starting" : String(format: "%.1f blocks/s", rate)
        return "sync: height \(tipHeight) of \(bestHeaderHeight) (\(rateText), \(peers) peer\(peers == 1 ? "" : "s"))"
    }
}
