import EmberCrypto

/// Why `WalletSender` sent nothing, or why the node did not take what was sent.
public enum WalletSendError: Error, Sendable, CustomStringConvertible {
    case amount(CoinAmount.ParseError)
    case address(AddressError)
    case node(WalletNodeError)
    case build(WalletBuildError)
    case keystore(KeystoreError)
    /// The node accepted the transaction under another txid: a faulty node.
    case txidMismatch(expected: Hash32, reported: Hash32)

    public var description: String {
        switch self {
        case .amount(let error): error.description
        case .address(let error): error.description
        case .node(let error): error.description
        case .build(let error): error.description
        case .keystore(let error): error.description
        case .txidMismatch(let expected, let reported):
            "the node accepted the transaction but reported txid \(reported) instead of \(expected)"
        }
    }
}
