import EmberChain
import EmberCrypto

/// Received blocks on their way to the chain: how many were admitted and not yet handed over, which
/// paces the download, and the blocks that arrived before their parent's body, held until it is in.
///
/// Blocks waiting here rather than in the chain's own orphan pool are submitted in order once their
/// parent is, with tier 3's verdict kept, instead of being stored on a branch that nothing connects
/// until the download goes quiet.
struct BlockIntake: Sendable {
    /// Received blocks the chain has not taken yet, beyond which no more are requested.
    static let maxAwaitingSubmission = 32
    /// Out-of-order blocks held while their parent downloads.
    static let maxWaitingBlocks = 512

    /// Blocks admitted (asked for and delivered) and not yet handed to the chain or refused: being
    /// checked, queued, or waiting for a parent.
    private(set) var awaitingSubmission = 0
    /// Blocks whose parent's body is on its way. Bounded by count only, and never full enough to drop
    /// one: `shouldWait` stops taking blocks at the bound.
    private var waiting = OrphanBlockPool(maxBlocks: Self.maxWaitingBlocks, maxBytes: .max)

    var waitingCount: Int { waiting.count }
    /// Whether more blocks may be requested: blocks the chain has not yet taken are memory.
    var hasRoom: Bool { awaitingSubmission < Self.maxAwaitingSubmission }
    /// Nothing received waits for the chain or for a parent.
    var isEmpty: Bool { awaitingSubmission == 0 && waiting.count == 0 }

    /// A requested block was delivered and goes on to be checked.
    mutating func admit() { awaitingSubmission += 1 }

    /// An admitted block left: the chain took it, or it was refused before reaching the chain.
    mutating func release() { awaitingSubmission -= 1 }

    /// Whether a block whose parent is `parent` should wait for it rather than go to the chain now:
    /// there is room, and the parent is on its way (the download wants it, or it waits here itself).
    /// The caller then checks that the chain does not have the parent already.
    func shouldWait(forParent parent: Hash32, parentWanted: Bool) -> Bool {
        waiting.count < Self.maxWaitingBlocks && (parentWanted || waiting.contains(parent))
    }

    /// Holds `block` until its parent has gone to the chain.
    mutating func wait(_ block: CheckedBlock) { waiting.add(block) }

    /// Takes out the blocks waiting for `parent`, in arrival order.
    mutating func takeChildren(of parent: Hash32) -> [CheckedBlock] { waiting.takeChildren(of: parent) }
}
