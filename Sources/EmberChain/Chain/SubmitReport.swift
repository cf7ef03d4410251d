import EmberCrypto

/// What became of a submitted block, and of each block that waited in the orphan pool for it and
/// followed it in: the peer network scores every sender by its own block's outcome.
public struct SubmitReport: Sendable {
    public let outcome: SubmitOutcome
    /// The blocks that followed, in the order the chain took them.
    public let followers: [(hash: Hash32, outcome: SubmitOutcome)]
}
