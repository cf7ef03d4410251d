/// One page of a coin's evidence, block by block: for each block of the page, the coin's move with its
/// proof of inclusion or the proof that the block did not move it.
public struct CoinHistoryPage: Sendable {
    /// The evidence for one block.
    public struct Entry: Sendable {
        public let block: SealedBlock
        public let proof: CoinProof
    }

    /// The first block of the page (the requested one, or 1 when 0 was asked for).
    public let from: UInt64
    /// One entry per block from `from` on, in order; empty when `from` is past the last block.
    public let entries: [Entry]
    /// The last sealed block when the page was read.
    public let latestBlock: UInt64
    /// Where the next page starts; nil when this page reaches the last block.
    public var next: UInt64? {
        guard let last = entries.last?.block.number, last < latestBlock else { return nil }
        return last + 1
    }
}
