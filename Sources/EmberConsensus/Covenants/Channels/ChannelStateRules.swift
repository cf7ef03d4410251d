import EmberCore
import EmberCrypto

extension ConsensusParams {
    /// Whether `state` is well formed for the channel `channelId` holding `amount` (DESIGN.md section 16):
    /// its id, 1–8 pubKeyHash balances of at least dust with lockTime 0 and no data, summing to the
    /// channel's amount exactly. The lock rules and the channel services both call this, so a state a
    /// service co-signs is one layer 1 accepts.
    public func checkWellFormed(_ state: ChannelState, channelId: Hash32, amount: Amount) throws(ChannelStateRejection) {
        guard state.channelId == channelId else { throw .otherChannel(found: state.channelId, expected: channelId) }
        var sum = Amount.zero
        for (position, balance) in state.balances.enumerated() {
            guard case .pubKeyHash = balance.lock, balance.lockTime == 0, balance.data.isEmpty else {
                throw .balanceNotPlain(index: position)
            }
            guard balance.amount >= dust else { throw .balanceBelowDust(index: position, found: balance.amount) }
            guard let next = sum.adding(balance.amount) else { throw .balancesOverflow }
            sum = next
        }
        guard sum == amount else { throw .balancesDoNotSum(found: sum, expected: amount) }
    }
}

/// Why a channel state is not well formed.
public enum ChannelStateRejection: Error, Hashable, Sendable, CustomStringConvertible {
    case otherChannel(found: Hash32, expected: Hash32)
    case balanceNotPlain(index: Int)
    case balanceBelowDust(index: Int, found: Amount)
    case balancesOverflow
    case balancesDoNotSum(found: Amount, expected: Amount)

    public var description: String {
        switch self {
        case .otherChannel(let found, let expected): "the state belongs to channel \(found), not \(expected)"
        case .balanceNotPlain(let index): "balance \(index) must be a pubKeyHash output with lockTime 0 and no data"
        case .balanceBelowDust(let index, let found): "balance \(index) of \(found) is below dust"
        case .balancesOverflow: "the balances overflow"
        case .balancesDoNotSum(let found, let expected): "the balances sum to \(found), the channel holds \(expected)"
        }
    }
}
