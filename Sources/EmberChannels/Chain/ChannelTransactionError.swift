import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2

/// Why a channel transaction was not built, phrased for the person running the channel service.
public enum ChannelTransactionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The node could not say where the channel's output is, or what the funding key holds.
    case node(NodeAPIError)
    /// The node runs another network than the channel.
    case wrongNetwork(node: NetworkID, expected: NetworkID)
    /// The channel output is not a confirmed unspent output of the node's active chain.
    case outputNotFound(OutPoint)
    /// An override needs a state newer than the dispute (or as new as a forced one).
    case notNewer(version: UInt64, disputed: UInt64, forced: Bool)
    /// A settle needs the state whose hash the dispute carries.
    case notTheDisputedState(given: Hash32, disputed: Hash32)
    /// Funding or the covenant rule refused the transaction (the rule's verdict is inside).
    case sponsorship(SponsorshipError)
    /// The signed cooperative close breaks a rule: a signature is not the party's over this txid.
    case badCooperativeSignatures(TransactionRejection)

    public var description: String {
        switch self {
        case .node(let error):
            error.description
        case .wrongNetwork(let node, let expected):
            "the node runs \(node), but the channel is on \(expected)"
        case .outputNotFound(let outpoint):
            "the channel output \(outpoint.txid):\(outpoint.index) is not confirmed and unspent on the node's chain; wait for it to confirm, or look at what spent it"
        case .notNewer(let version, let disputed, let forced):
            "state version \(version) does not override the dispute's version \(disputed)\(forced ? " (forced)" : ""); only a newer co-signed state does"
        case .notTheDisputedState(let given, let disputed):
            "the state given hashes to \(given), but the dispute settles the state \(disputed)"
        case .sponsorship(let error):
            error.description
        case .badCooperativeSignatures(let rejection):
            "the signed cooperative close is refused (\(rejection)); both parties must sign coopMessage of this very txid"
        }
    }
}
