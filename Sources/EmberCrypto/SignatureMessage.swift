/// The bytes an Ember signature covers (DESIGN.md section 3): `"ember/sig/v1"` ‖ network id ‖ txid.
///
/// The tag keeps Ember signatures from being valid for any other protocol using the same key, and the
/// network id keeps a testnet signature from being replayed on mainnet.
public struct SignatureMessage: Hashable, Sendable {
    /// Domain-separation tag, ASCII; a new version of the message format gets a new tag.
    public static let domainTag: [UInt8] = Array("ember/sig/v1".utf8)
    /// Length of `bytes`: tag, one network byte and a 32-byte txid.
    public static let byteCount = domainTag.count + 1 + Hash32.byteCount

    public let network: NetworkID
    public let txid: Hash32

    public init(network: NetworkID, txid: Hash32) {
        self.network = network
        self.txid = txid
    }

    /// The exact bytes passed to Ed25519.
    public var bytes: [UInt8] {
        var out = Self.domainTag
        out.reserveCapacity(Self.byteCount)
        out.append(network.rawValue)
        out.append(contentsOf: txid.bytes)
        return out
    }
}
