import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode

/// Why an operator transaction was not built, phrased for the person running the operator.
public enum PlasmaOperatorTransactionError: Error, Hashable, Sendable, CustomStringConvertible {
    case bondBelowMinimum(bond: Amount, minimum: Amount)
    case exitWindowOutOfBounds(UInt32, minimum: UInt32, maximum: UInt32)
    /// The output given as the operator output has another lock.
    case notAnOperatorOutput(OutPoint)
    /// The output given as the bond has another lock.
    case notABond(OutPoint)
    /// The operator output names another operator key than the one building.
    case notOurOperator(key: RawPublicKey)
    case blockNumbersExhausted
    /// The funding choice moved between two builds of a register (funding outputs changed meanwhile).
    case registerInputUnstable
    case sponsorship(SponsorshipError)
    case signingFailed(String)
    /// The signed transaction breaks a consensus rule: a wrong request or a bug, caught before sending.
    case failedSelfCheck(TransactionRejection)

    public var description: String {
        switch self {
        case .bondBelowMinimum(let bond, let minimum):
            "a bond of \(CoinAmount.formatWithUnit(bond)) is below this network's operator bond minimum of \(CoinAmount.formatWithUnit(minimum))"
        case .exitWindowOutOfBounds(let window, let minimum, let maximum):
            "an exit window of \(window) blocks is outside \(minimum)…\(maximum)"
        case .notAnOperatorOutput(let outpoint):
            "output \(outpoint.txid):\(outpoint.index) is not a plasmaOperator output"
        case .notABond(let outpoint):
            "output \(outpoint.txid):\(outpoint.index) is not a plasmaBond output"
        case .notOurOperator(let key):
            "the operator output belongs to key \(key.bytes.hexString), not to this operator's key"
        case .blockNumbersExhausted:
            "the chain has committed its last block number"
        case .registerInputUnstable:
            "the funding outputs changed while the register was built; try again"
        case .sponsorship(let error):
            error.description
        case .signingFailed(let reason):
            "signing failed: \(reason)"
        case .failedSelfCheck(let rejection):
            "the built transaction breaks a consensus rule (\(rejection)); nothing was sent"
        }
    }
}
