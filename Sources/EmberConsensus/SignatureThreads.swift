/// Which threads hash a block's transactions and check its signatures in tier 3.
public enum SignatureThreads: Sendable {
    /// Spread over every core: the soonest verdict on one block (a block from a peer, a mined block).
    case allCores
    /// The calling thread alone: for a caller that checks several blocks at once, one per core, such
    /// as `ember chain import`. Handing one block's signatures to every core while other blocks are
    /// being checked left cores idle, each caller waiting for the last piece of its own block.
    case callingThread
}
