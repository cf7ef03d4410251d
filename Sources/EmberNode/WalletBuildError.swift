import EmberCore
import EmberCrypto

/// Why the wallet builds no transaction; amounts in EMB, phrased for the person sending.
public enum WalletBuildError: Error, Hashable, Sendable, CustomStringConvertible {
    case amountBelowDust(amount: Amount, dust: Amount)
    case amountAboveMaximum(amount: Amount, maximum: Amount)
    case feeRateBelowMinimum(rate: Amount, minimum: Amount)
    case wrongNetwork(address: Address, expected: NetworkID)
    /// Nothing confirmed and unlocked to spend; `locked` is what waits for its lock time.
    case noSpendableOutputs(locked: Amount)
    /// `needed` is the amount plus the fee of spending every spendable output.
    case insufficientFunds(available: Amount, needed: Amount, fee: Amount)
    /// The funds exist but take more inputs than one transaction may have.
    case tooManyInputs(limit: Int)
    /// The arithmetic would overflow: an absurd fee rate or amount.
    case overflow
    case signingFailed(String)
    /// The built transaction breaks a consensus rule: a bug in the builder, caught before sending.
    case failedSelfCheck(String)

    public var description: String {
        switch self {
        case .amountBelowDust(let amount, let dust):
            "the amount \(CoinAmount.formatWithUnit(amount)) is below the smallest output the network accepts, "
                + CoinAmount.formatWithUnit(dust)
        case .amountAboveMaximum(let amount, let maximum):
            "the amount \(CoinAmount.formatWithUnit(amount)) is above the largest the network accepts, "
                + CoinAmount.formatWithUnit(maximum)
        case .feeRateBelowMinimum(let rate, let minimum):
            "the fee rate of \(rate.units) units per byte is below the network minimum of \(minimum.units)"
        case .wrongNetwork(let address, let expected):
            "the address \(address) is for \(address.network), but this wallet sends on \(expected)"
        case .noSpendableOutputs(let locked):
            locked == .zero
                ? "nothing to spend: the wallet has no confirmed outputs"
                : "nothing to spend yet: \(CoinAmount.formatWithUnit(locked)) is still time-locked"
        case .insufficientFunds(let available, let needed, let fee):
            "insufficient funds: \(CoinAmount.formatWithUnit(available)) spendable, \(CoinAmount.formatWithUnit(needed)) "
                + "needed (including a fee of \(CoinAmount.formatWithUnit(fee)))"
        case .tooManyInputs(let limit):
            "paying this amount takes more than \(limit) of the wallet's outputs, more than one transaction holds; "
                + "send a smaller amount first"
        case .overflow:
            "the amount or fee rate is too large"
        case .signingFailed(let reason):
            "signing failed: \(reason)"
        case .failedSelfCheck(let reason):
            "the wallet built a transaction the consensus rules reject (\(reason)); nothing was sent"
        }
    }
}
