import EmberChain
import EmberCrypto

/// Received blocks on their way to the chain: how many were admitted and not yet handed over, which
/// paces the download, and who sent each block the chain holds in its orphan pool until its parent is in.
///
/// The chain's orphan pool is the only one: a block that arrives before its parent's body waits there,
/// with tier 3's verdict kept, and follows the parent in (`Chain.submitFollowing`). The intake remembers
/// only its sender, so the block's outcome then scores the peer that sent it.
struct BlockIntake: Sendable {
    /// Received blocks the chain has not taken yet, beyond which no more are requested.
    static let maxAwaitingSubmission = 32
    /// Senders remembered for blocks held by the chain: four times the chain's orphan pool, the oldest
    /// forgotten first (a block the pool dropped is downloaded again).
    static let maxRememberedSenders = 4 * OrphanBlockPool.defaultMaxBlocks

    /// Blocks admitted (asked for and delivered) and not yet handed to the chain or refused: being
    /// checked or queued.
    private(set) var awaitingSubmission = 0
    private var senders: [Hash32: PeerID] = [:]
    private var senderOrder: [Hash32] = []

    /// Whether more blocks may be requested: blocks the chain has not yet taken are memory.
    var hasRoom: Bool { awaitingSubmission < Self.maxAwaitingSubmission }
    /// Nothing received waits to be checked or handed to the chain.
    var isEmpty: Bool { awaitingSubmission == 0 }
    /// How many blocks held by the chain have a remembered sender.
    var rememberedCount: Int { senders.count }

    /// A requested block was delivered and goes on to be checked.
    mutating func admit() { awaitingSubmission += 1 }

    /// An admitted block left: the chain took it, or it was refused before reaching the chain.
    mutating func release() { awaitingSubmission -= 1 }

    /// The chain holds `hash` until its parent is in; `sender` answers for it when it follows.
    mutating func heldByChain(_ hash: Hash32, sender: PeerID) {
        if senders.updateValue(sender, forKey: hash) == nil { senderOrder.append(hash) }
        if senderOrder.count > Self.maxRememberedSenders {
            let forgotten = senderOrder.count - Self.maxRememberedSenders
            for hash in senderOrder.prefix(forgotten) { senders[hash] = nil }
            senderOrder.removeFirst(forgotten)
        }
    }

    /// Whether the chain was last seen holding `hash` for its parent.
    func isHeld(_ hash: Hash32) -> Bool { senders[hash] != nil }

    /// The sender of `hash`, a block the chain held and has now taken; forgotten from here on.
    mutating func takeSender(of hash: Hash32) -> PeerID? {
        guard let sender = senders.removeValue(forKey: hash) else { return nil }
        senderOrder.removeAll { $0 == hash }
        return sender
    }
}
