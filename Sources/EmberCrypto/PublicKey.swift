import Crypto

/// An Ed25519 public key as RFC 8032 encodes it: 32 bytes.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 32

    /// The encoded key, as it goes on the wire.
    public let bytes: [UInt8]

    /// Accepts exactly `byteCount` bytes from untrusted input; any other length is a `KeyError`.
    ///
    /// Whether the bytes encode a curve point is left to verification, which then returns false,
    /// as RFC 8032 section 5.1.7 does.
    public init(bytes: some Collection<UInt8>) throws(KeyError) {
        guard bytes.count == Self.byteCount else { throw .wrongPublicKeyLength(found: bytes.count) }
        self.bytes = Array(bytes)
    }

    /// H(publicKey): what an address carries and what outputs lock to.
    public var publicKeyHash: Hash32 { Blake3.hash(bytes) }

    /// This key's address on `network`.
    public func address(on network: NetworkID) -> Address {
        Address(publicKeyHash: publicKeyHash, network: network)
    }

    /// Whether `signature` is this key's signature of `txid` on `network` (RFC 8032, s ≥ L rejected).
    public func isValidSignature(_ signature: Signature, txid: Hash32, network: NetworkID) -> Bool {
        // swift-crypto only rejects a wrong length here, which `init` already excluded; `try?` keeps
        // any future check on untrusted keys a plain "invalid" rather than an error path.
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return false }
        let message = SignatureMessage(network: network, txid: txid)
        return key.isValidSignature(signature.bytes, for: message.bytes)
    }

    /// Lowercase hexadecimal of the key bytes.
    public var description: String { bytes.hexString }
}
