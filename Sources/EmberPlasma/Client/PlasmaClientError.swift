import EmberCrypto

/// Why the client could not do what a person asked.
public enum PlasmaClientError: Error, Hashable, Sendable, CustomStringConvertible {
    case chainNotFound(Hash32)
    case unknownCoin(Hash32)
    case notOwned(Hash32)

    public var description: String {
        switch self {
        case .chainNotFound(let chainId): "layer 1 holds no open bond of chain \(chainId) up to the node's tip; check --chain and --node"
        case .unknownCoin(let coinId): "the wallet holds no coin \(coinId)"
        case .notOwned(let coinId): "coin \(coinId) is not the wallet's to move (sent, exiting, or its history is not checked up to its latest move)"
        }
    }
}
