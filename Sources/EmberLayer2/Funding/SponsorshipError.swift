import EmberConsensus
import EmberCore
import EmberNode

/// Why no sponsored transaction was built; amounts in EMB, phrased for the person funding it.
public enum SponsorshipError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A covenant input whose unlock is a public key (tag 0); such inputs are funding, not covenant spends.
    case notACovenantUnlock(input: Int)
    /// A pinned range outside the outputs, or two ranges sharing an output.
    case pinnedLayout(String)
    /// The covenant rule refuses the spend, or its tag is not active on this network.
    case covenant(input: Int, CovenantRejection)
    /// The funding key's spendable outputs cannot pay the outputs, burns and fee.
    case insufficientFunds(available: Amount, needed: Amount)
    /// The funds exist but take more inputs than one transaction may have.
    case tooManyInputs(limit: Int)
    /// A sum would overflow: absurd amounts.
    case overflow
    case signingFailed(String)
    /// The built transaction breaks a consensus rule: a wrong request or a bug, caught before sending.
    case failedSelfCheck(TransactionRejection)
    /// The node could not provide the funding outputs or the tip.
    case node(NodeAPIError)

    public var description: String {
        switch self {
        case .notACovenantUnlock(let input):
            "covenant input \(input) has a public-key unlock; give plain inputs as funding instead"
        case .pinnedLayout(let reason):
            "the pinned outputs do not fit: \(reason)"
        case .covenant(let input, let rejection):
            "covenant input \(input) is refused: \(rejection)"
        case .insufficientFunds(let available, let needed):
            "insufficient funds: the funding key has \(CoinAmount.formatWithUnit(available)) spendable, "
                + "\(CoinAmount.formatWithUnit(needed)) needed (outputs, burns and the fee, less the covenant inputs)"
        case .tooManyInputs(let limit):
            "funding this transaction takes more than \(limit) inputs, more than one transaction holds"
        case .overflow:
            "the amounts are too large"
        case .signingFailed(let reason):
            "signing failed: \(reason)"
        case .failedSelfCheck(let rejection):
            "the built transaction breaks a consensus rule (\(rejection)); nothing was sent"
        case .node(let error):
            error.description
        }
    }
}
