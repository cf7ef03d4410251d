import EmberConsensus
import EmberCrypto

/// What the chain made of a batch of headers from a peer.
public struct HeadersOutcome: Sendable {
    /// Headers new to the index, in the order given, whose blocks we have no body for yet.
    public var needingBodies: [Hash32]
    /// How many of the batch were already known.
    public var alreadyKnown: Int
    /// The first header of the batch whose parent is neither known nor the previous header: the peer
    /// sent headers that do not connect (or is on a branch deeper than we keep).
    public var disconnectedAt: Int?
    /// The first header of the batch that is, or descends from, a block known to be invalid.
    public var knownInvalidAt: Int?
    /// The rule the first bad header broke, with its index in the batch; the rest were not looked at.
    public var rejection: (index: Int, rejection: BlockRejection)?

    public init(needingBodies: [Hash32] = [], alreadyKnown: Int = 0, disconnectedAt: Int? = nil, knownInvalidAt: Int? = nil, rejection: (index: Int, rejection: BlockRejection)? = nil) {
        self.needingBodies = needingBodies
        self.alreadyKnown = alreadyKnown
        self.disconnectedAt = disconnectedAt
        self.knownInvalidAt = knownInvalidAt
        self.rejection = rejection
    }
}
