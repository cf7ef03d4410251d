import EmberConsensus
import EmberCrypto

/// What became of a block handed to the chain.
public enum SubmitOutcome: Sendable, Equatable {
    /// The block is now part of the active chain (it may have caused a reorganisation).
    case connected(tip: Hash32, height: UInt64)
    /// The block is valid so far and stored on a side branch with less work than the active chain.
    case sideBranch
    /// The block was already known.
    case duplicate
    /// Its parent, or its parent's body, is not here yet; it waits in the orphan pool until the parent
    /// arrives, and then follows it in (`Chain.submitFollowing` reports how it fared).
    case orphan
    /// It forks from the active chain deeper than `maxForkDepth` and is not kept.
    case forkTooDeep(depth: UInt64)
    /// It breaks a consensus rule (or is from the future, when `rejection.isTemporary`).
    case rejected(BlockRejection)
    /// It was remembered as invalid before, or descends from a block that is.
    case knownInvalid
}
