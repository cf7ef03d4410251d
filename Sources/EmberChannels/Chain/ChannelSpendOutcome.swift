import EmberCore
import EmberCrypto

/// What a layer-1 transaction did to a channel whose current output it spends, read from its unlock,
/// its witness and the dispute output it pins (docs/channels.md, "Spend modes").
public enum ChannelSpendOutcome: Hashable, Sendable {
    /// The coin left the channel: a cooperative close, a conclude or a settle (nil: a spend this client
    /// cannot read, which layer 1 accepted all the same; the channel is over for it either way).
    case closed(by: CovenantUnlock.ChannelMode?)
    /// A dispute, override or force-move: the new dispute output, and the state it carries when the
    /// witness holds it (item 0 of a dispute or override, item 1 of a force-move).
    case disputed(ChannelRecord.Dispute, by: CovenantUnlock.ChannelMode, state: ChannelState?)

    /// Reads input `index` of `transaction` (with `txid`), which spends an output of channel `channelId`.
    public static func read(_ transaction: Transaction, txid: Hash32, input index: Int, channelId: Hash32, network: NetworkID) -> Self {
        guard case .channel(let unlock) = transaction.inputs[index].unlock, let mode = CovenantUnlock.ChannelMode(rawValue: unlock.mode) else {
            return .closed(by: nil)
        }
        let stateItem: Int
        switch mode {
        case .cooperative, .conclude, .settle: return .closed(by: mode)
        case .dispute, .override: stateItem = 0
        case .forceMove: stateItem = 1
        }
        guard unlock.firstOutput < UInt64(transaction.outputs.count),
              case .channelDispute(let lock) = transaction.outputs[Int(unlock.firstOutput)].lock, lock.channelId == channelId
        else { return .closed(by: nil) }
        let dispute = ChannelRecord.Dispute(
            outpoint: OutPoint(txid: txid, index: UInt32(unlock.firstOutput)), version: lock.version, stateHash: lock.stateHash,
            deadline: lock.deadline, forced: lock.forced)
        var state: ChannelState?
        if index < transaction.witnesses.count, stateItem < transaction.witnesses[index].items.count,
           let decoded = try? ChannelState.decode(from: transaction.witnesses[index].items[stateItem], limit: Witness.maxItemSize),
           decoded.hash(network: network) == lock.stateHash {
            state = decoded
        }
        return .disputed(dispute, by: mode, state: state)
    }
}
