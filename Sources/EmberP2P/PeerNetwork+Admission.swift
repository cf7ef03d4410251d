import EmberWire

/// Who gets an inbound slot: at most `maxInboundPerAddress` connections from one address and
/// `maxInboundPerNetworkGroup` from one range, and when every slot is taken a newcomer takes the
/// worst unprotected peer's (`InboundEviction`), so a flood of connections can neither fill the node
/// nor keep an honest newcomer out.
extension PeerNetwork {
    /// Whether an inbound connection from `host` may have a slot, evicting a peer to make room if needed.
    func admitInbound(from host: String) -> Bool {
        let inbound = peers.values.filter { $0.direction == .inbound }
        if !configuration.unlimitedHosts.contains(host) {
            let limited = inbound.filter { !configuration.unlimitedHosts.contains($0.host) }
            if limited.count(where: { $0.host == host }) >= configuration.maxInboundPerAddress {
                logger.info("refused an inbound connection: at the limit for its address", metadata: ["host": "\(host)"])
                return false
            }
            let group = NetworkGroup(host: host)
            if limited.count(where: { $0.group == group }) >= configuration.maxInboundPerNetworkGroup {
                logger.info("refused an inbound connection: at the limit for its network group", metadata: ["host": "\(host)", "group": "\(group)"])
                return false
            }
        }
        guard inbound.count >= configuration.maxInbound else { return true }
        let candidates = inbound.map { peer in
            InboundEviction.Candidate(
                id: peer.id, group: peer.group, connectedAtMs: peer.connectedAtMs, score: peer.score, pingMs: peer.pingRoundTripMs,
                lastBlockMs: peer.lastBlockMs)
        }
        guard configuration.maxInbound > 0, let victim = InboundEviction.select(from: candidates), let peer = peers[victim] else {
            logger.info("refused an inbound connection: at the limit", metadata: ["host": "\(host)"])
            return false
        }
        logger.info("evicted a peer for a newcomer", metadata: ["peer": "\(peer.address)", "score": "\(peer.score)", "newcomer": "\(host)"])
        // Its slot is free from now on, not when its connection task notices the close.
        disconnected(victim, violation: nil)
        peer.channel.close(promise: nil)
        return true
    }
}
