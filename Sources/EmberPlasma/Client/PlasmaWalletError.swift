/// Why the wallet file could not be used.
public enum PlasmaWalletError: Error, Hashable, Sendable, CustomStringConvertible {
    case database(path: String, reason: String)
    case notAWallet(path: String)
    case otherChain(path: String, chainId: String, network: String)
    case damaged(path: String, reason: String)

    public var description: String {
        switch self {
        case .database(let path, let reason): "the Plasma wallet \(path) cannot be used: \(reason)"
        case .notAWallet(let path): "\(path) is not a Plasma wallet; give another --wallet file"
        case .otherChain(let path, let chainId, let network): "\(path) is the wallet of chain \(chainId) on \(network); give another --wallet file"
        case .damaged(let path, let reason): "the Plasma wallet \(path) is damaged (\(reason)); restore it from a backup"
        }
    }
}
