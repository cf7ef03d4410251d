import EmberConsensus
import EmberCore

/// What the chain tells its followers (mempool, miner, API, network), in the order it happened.
public enum ChainEvent: Sendable {
    /// A block joined the active chain, with what it did to the UTXO set.
    case blockConnected(Block, BlockEffects)
    /// A block left the active chain during a reorganisation.
    case blockDisconnected(Block)
    /// The active chain's tip changed (after any number of the events above).
    case tipChanged(ChainTipSummary)
}
