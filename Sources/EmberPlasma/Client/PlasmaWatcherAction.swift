import EmberCrypto

/// What a `PlasmaWatcher` pass did for a coin: a transaction sent, and why.
public struct PlasmaWatcherAction: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case exit, fraudProof, challengeSpent, challengeDoubleSpend, preempt, answer, finalize
    }

    public let kind: Kind
    public let coinId: Hash32
    public let txid: Hash32
    public let reason: String

    public var description: String { "\(kind.rawValue) of coin \(coinId.hex.prefix(16))… (\(reason)): transaction \(txid)" }
}
