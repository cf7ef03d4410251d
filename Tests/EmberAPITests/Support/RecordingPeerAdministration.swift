import EmberAPI

/// A peer network that holds its peers and bans in memory and records the connections asked for, so
/// route tests can see exactly what the API passed on.
actor RecordingPeerAdministration: PeerAdministration {
    private var connected: [PeerView]
    private var bansInForce: [BanView] = []
    private(set) var connectionRequests: [String] = []
    /// The fixed clock bans are dated from, so expected views are exact.
    static let nowMs: UInt64 = 1_700_000_000_000

    init(connected: [PeerView]) {
        self.connected = connected
    }

    func peers() -> PeersView { PeersView(peers: connected, bans: bansInForce) }

    func connect(to endpoint: String) { connectionRequests.append(endpoint) }

    func disconnect(peerID id: UInt64) -> Bool {
        guard let index = connected.firstIndex(where: { $0.id == id }) else { return false }
        connected.remove(at: index)
        return true
    }

    func ban(host: String, seconds: UInt64?, reason: String?) {
        bansInForce.append(BanView(host: host, untilMs: Self.nowMs + (seconds ?? 86_400) * 1_000, reason: reason ?? "banned by the operator"))
    }

    func unban(host: String) -> Bool {
        guard let index = bansInForce.firstIndex(where: { $0.host == host }) else { return false }
        bansInForce.remove(at: index)
        return true
    }
}
