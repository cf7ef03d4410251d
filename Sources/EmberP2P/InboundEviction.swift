/// Which inbound peer gives up its slot when all are taken and a new peer knocks, after Bitcoin Core's
/// `SelectNodeToEvict`: peers an attacker cannot easily imitate are protected, and the worst of the
/// rest goes, taken from the network group with the most connections so that many connections from
/// one range push out one of their own rather than a peer from elsewhere.
enum InboundEviction {
    struct Candidate: Sendable {
        let id: PeerID
        let group: NetworkGroup
        let connectedAtMs: UInt64
        let score: Int
        let pingMs: Double?
        /// When the peer last gave us a block we connected; 0 if never.
        let lastBlockMs: UInt64
    }

    /// Peers kept for having the lowest ping: hard to fake from far away.
    static let protectedByPing = 4
    /// Peers kept for having given us blocks lately: an attacker must do useful work to match them.
    static let protectedByBlocks = 4
    /// Network groups whose longest-connected peer is kept, so one range cannot displace all others.
    static let protectedGroups = 4

    /// The peer to evict, or nil when every candidate is protected (then the newcomer is refused).
    static func select(from candidates: [Candidate]) -> PeerID? {
        var remaining = candidates
        // The longest-connected peer of a few groups, the groups picked by how long their peer has stayed.
        var keptGroups = Set<NetworkGroup>()
        var protected = Set<PeerID>()
        for candidate in remaining.sorted(by: { ($0.connectedAtMs, $0.id) < ($1.connectedAtMs, $1.id) }) {
            guard keptGroups.count < protectedGroups else { break }
            if keptGroups.insert(candidate.group).inserted { protected.insert(candidate.id) }
        }
        remaining.removeAll { protected.contains($0.id) }
        let byPing = remaining.filter { $0.pingMs != nil }.sorted { ($0.pingMs ?? 0, $0.id) < ($1.pingMs ?? 0, $1.id) }
        protected = Set(byPing.prefix(protectedByPing).map(\.id))
        remaining.removeAll { protected.contains($0.id) }
        let byBlocks = remaining.filter { $0.lastBlockMs > 0 }.sorted { ($0.lastBlockMs, $0.id) > ($1.lastBlockMs, $1.id) }
        protected = Set(byBlocks.prefix(protectedByBlocks).map(\.id))
        remaining.removeAll { protected.contains($0.id) }
        // Half of the rest: those connected longest.
        let byAge = remaining.sorted { ($0.connectedAtMs, $0.id) < ($1.connectedAtMs, $1.id) }
        protected = Set(byAge.prefix(remaining.count / 2).map(\.id))
        remaining.removeAll { protected.contains($0.id) }
        guard !remaining.isEmpty else { return nil }
        let groups = Dictionary(grouping: remaining, by: \.group)
        // The most crowded group; among equals, the one holding the youngest connection.
        guard let crowded = groups.values.max(by: {
            ($0.count, $0.map(\.connectedAtMs).max() ?? 0) < ($1.count, $1.map(\.connectedAtMs).max() ?? 0)
        }) else { return nil }
        // Its worst peer: the highest score, then the youngest.
        return crowded.max { ($0.score, $0.connectedAtMs, $0.id) < ($1.score, $1.connectedAtMs, $1.id) }?.id
    }
}
