import EmberCore
import EmberCrypto

/// What a `ChannelGuard` does on a channel's behalf.
public enum ChannelGuardAction: String, Hashable, Sendable {
    /// Answers a stale dispute with the latest co-signed state.
    case override
    /// Pays out the disputed state once its deadline has come.
    case settle
}

/// What a `ChannelGuard` saw on layer 1 or did, in order, for the service to show.
public enum ChannelGuardEvent: Hashable, Sendable {
    /// The funding transaction is in the block at `height`: the channel is open.
    case fundingConfirmed(channel: Hash32, height: UInt64)
    /// A dispute, override or force-move in the block at `height` left this dispute on layer 1.
    case disputed(channel: Hash32, ChannelRecord.Dispute, by: CovenantUnlock.ChannelMode, height: UInt64)
    /// Transaction `txid` in the block at `height` took the coin out of the channel.
    case closed(channel: Hash32, txid: Hash32, by: CovenantUnlock.ChannelMode?, height: UInt64)
    /// A reorganisation removed the block at `height`, and what it did to the channel with it.
    case reverted(channel: Hash32, height: UInt64)
    /// The guard sent `txid` to the node.
    case published(channel: Hash32, ChannelGuardAction, txid: Hash32)
    /// The guard could not build or send an action; it tries again after a few blocks.
    case actionFailed(channel: Hash32, ChannelGuardAction, reason: String)
}
