import Crypto

/// An Ed25519 private key, kept as its 32-byte RFC 8032 seed, that signs Ember transactions.
///
/// `description` shows only the public key, so a key written to a log does not leak its seed.
public struct SigningKey: Sendable, CustomStringConvertible {
    public static let seedByteCount = 32
    /// Domain tag of devnet seeds: seed_i = H("ember/devnet/seed" ‖ u32 big-endian i).
    public static let devnetSeedTag: [UInt8] = Array("ember/devnet/seed".utf8)

    /// The RFC 8032 seed: everything needed to rebuild the key. Keep it secret.
    public let seed: [UInt8]
    public let publicKey: PublicKey
    /// swift-crypto's key, expanded once: rebuilding it from the seed costs a scalar multiplication,
    /// as much again as the signature itself.
    private let expanded: ExpandedKey

    /// A fresh key from the system's secure random generator.
    public init() {
        self.init(validatedSeed: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    /// The key deterministically derived from a 32-byte seed (RFC 8032 section 5.1.5).
    public init(seed: some Collection<UInt8>) throws(KeyError) {
        guard seed.count == Self.seedByteCount else { throw .wrongSeedLength(found: seed.count) }
        self.init(validatedSeed: Array(seed))
    }

    /// The key derived from a 32-byte digest used as seed.
    public init(seed: Hash32) {
        self.init(validatedSeed: seed.bytes)
    }

    /// The seed of devnet key `index`: H("ember/devnet/seed" ‖ u32 big-endian index).
    public static func devnetSeed(index: UInt32) -> Hash32 {
        Blake3.hash(devnetSeedTag + withUnsafeBytes(of: index.bigEndian, Array.init))
    }

    /// Devnet key `index`, the same on every machine so devnet tests and scripts can share funds.
    public static func devnet(index: UInt32) -> SigningKey {
        SigningKey(seed: devnetSeed(index: index))
    }

    /// Signs `txid` for `network` (the message of `SignatureMessage`).
    public func sign(txid: Hash32, network: NetworkID) throws(KeyError) -> Signature {
        let message = SignatureMessage(network: network, txid: txid)
        do {
            return try Signature(bytes: signature(for: message.bytes))
        } catch let error as KeyError {
            throw error
        } catch {
            throw .signingFailed(reason: "\(error)")
        }
    }

    public var description: String { "SigningKey(publicKey: \(publicKey))" }

    private init(validatedSeed seed: [UInt8]) {
        self.seed = seed
        // The seed is 32 bytes here, and a wrong length is the only thing swift-crypto rejects.
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed),
              let publicKey = try? PublicKey(bytes: key.publicKey.rawRepresentation)
        else { preconditionFailure("swift-crypto refused a 32-byte Ed25519 seed") }
        self.publicKey = publicKey
        expanded = ExpandedKey(key: key)
    }

    /// Signs `bytes` with the expanded key (the caller builds the domain-separated message).
    func signature(for bytes: [UInt8]) throws -> [UInt8] {
        Array(try expanded.key.signature(for: bytes))
    }
}

/// swift-crypto 3's signing key, which is not marked `Sendable`: it is never mutated after `init`,
/// and signing only reads its bytes, so sharing it across threads is safe.
private final class ExpandedKey: @unchecked Sendable {
    let key: Curve25519.Signing.PrivateKey

    init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
    }
}
