import EmberCore
import EmberCrypto
import EmberLayer2

/// The chain's unspent `plasmaOperator` output as layer 1 holds it: the block its next commit carries
/// (`lock.nextNumber`) and where the previous commit (or the register) put it.
public struct Layer1OperatorOutput: Hashable, Sendable {
    public let outpoint: OutPoint
    public let amount: Amount
    /// The height of the block that created it.
    public let height: UInt64
    public let lock: PlasmaOperatorLock

    public var nextNumber: UInt64 { lock.nextNumber }

    /// As a builder takes it.
    func chainOutput(lock: Lock) -> PlasmaOperatorTransactions.ChainOutput {
        PlasmaOperatorTransactions.ChainOutput(
            outpoint: outpoint, unspent: UnspentOutput(output: Output(amount: amount, lock: lock), height: height, isCoinbase: false))
    }
}
