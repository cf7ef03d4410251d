import EmberConsensus
import EmberCore

/// Why no block template could be built; said to the miner's operator, who can usually fix it.
public enum TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The coinbase could not be built: under PoLW, most often a key without coins to burn.
    case coinbase(CoinbaseBuildError)
    /// The parent's target is not a valid target, so no next target follows from it.
    case parentTarget(TargetRejection)
    /// The parent is at the last height a header can hold.
    case heightExhausted
    /// The coinbase and the selected transactions do not fit one block.
    case tooManyTransactions(limit: Int, found: Int)
    /// The coinbase and the selected transactions weigh more than a block may (bytes plus steps / 64).
    case tooHeavy(limit: Int, found: Int)

    /// True when mining can resume by itself once the miner key receives spendable coins.
    public var needsCoinsToBurn: Bool {
        switch self {
        case .coinbase(.insufficientCoinsToBurn), .coinbase(.burningKeyMissing): true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .coinbase(.insufficientCoinsToBurn(let needed, let available)):
            "cannot mine: PoLW is active and this block must burn \(needed) units, but the miner key has only "
                + "\(available) spendable; send coins to the miner key (or wait for its coinbase lockup to end)"
        case .coinbase(.burningKeyMissing(let burnt)):
            "cannot mine: PoLW is active and this block must burn \(burnt) units; configure the miner's private key, "
                + "not only a payout address"
        case .coinbase(let error): "cannot build the coinbase: \(error)"
        case .parentTarget(let error): "cannot build a template on this parent: its target is invalid (\(error))"
        case .heightExhausted: "cannot build a template: the parent is at the largest height a header can hold"
        case .tooManyTransactions(let limit, let found):
            "the selected transactions and the coinbase make \(found) transactions; a block holds at most \(limit)"
        case .tooHeavy(let limit, let found):
            "the selected transactions and the coinbase weigh \(found); a block weighs at most \(limit) (bytes plus declared steps / 64)"
        }
    }
}
