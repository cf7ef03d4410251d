import EmberCrypto

/// A transaction a daemon submitted, under the key of the action it performs (such as `bisect/<game>`),
/// with the tip height it was sent at: sent again only after some blocks without effect.
public struct SentAction: Hashable, Sendable {
    public var key: String
    public var txid: Hash32
    public var height: UInt64

    public init(key: String, txid: Hash32, height: UInt64) {
        self.key = key
        self.txid = txid
        self.height = height
    }
}
