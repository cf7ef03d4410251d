import EmberCore
import EmberLayer2

/// Why a Plasma coin transaction was not built; phrased for the person running the client.
public enum PlasmaTransactionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The output given is not of the lock the transaction needs.
    case notThe(String, OutPoint)
    case nothingToDeposit
    /// The builder spent another funding output first than the one the coinIds were derived from.
    case fundingOrderChanged
    /// The new exit does not rest on an older pair than the exit it would preempt.
    case notOlder(found: String, exit: String)
    /// The funding key cannot pay, or the network's rules refuse the built transaction.
    case sponsorship(SponsorshipError)

    public var description: String {
        switch self {
        case .notThe(let what, let outpoint): "output \(outpoint.txid):\(outpoint.index) is not a \(what)"
        case .nothingToDeposit: "a deposit needs at least one coin amount"
        case .fundingOrderChanged: "the deposit's first input is not the one its coin ids were derived from; nothing was sent"
        case .notOlder(let found, let exit): "the preempting exit rests on \(found), not older than the exit's \(exit)"
        case .sponsorship(let error): error.description
        }
    }
}
