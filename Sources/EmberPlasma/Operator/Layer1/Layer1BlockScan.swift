import EmberCore
import EmberCrypto

/// What one layer-1 block says about a Plasma chain, read from its outputs: the coins it creates (a
/// deposit, or a coin a cancel recreated: both are a `plasmaCoin` of the chain) and whether the chain's
/// bond left state open (a fraud proof or a release freezes it, the close makes it closing).
///
/// The node validated the block under the consensus rules, so every `plasmaCoin` of the chain in it
/// passed the deposit's creation rule or a cancel's pins: no rule is checked again here.
public struct Layer1BlockScan: Hashable, Sendable {
    public var deposits: [OperatorStore.Deposit] = []
    /// A `plasmaBond` of the chain in state frozen was created: a fraud proof spent the bond.
    public var frozen = false
    /// A `plasmaBond` of the chain in state closing was created: the operator closed the chain.
    public var closing = false

    public init(block: Block, chainId: Hash32) {
        for transaction in block.transactions {
            for output in transaction.outputs {
                switch output.lock {
                case .plasmaCoin(let coin) where coin.chainId == chainId:
                    deposits.append(OperatorStore.Deposit(
                        coinId: coin.coinId, depositorKey: coin.depositorKey, amount: output.amount, firstBlock: coin.firstBlock))
                case .plasmaBond(let bond) where bond.chainId == chainId:
                    switch bond.state {
                    case .frozen: frozen = true
                    case .closing: closing = true
                    case .open: break
                    }
                default:
                    break
                }
            }
        }
    }
}
