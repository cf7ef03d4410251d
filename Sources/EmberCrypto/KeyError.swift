/// Why key material or a signature was refused, phrased for the person who supplied it.
public enum KeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A private-key seed that is not `SigningKey.seedByteCount` bytes.
    case wrongSeedLength(found: Int)
    /// A public key that is not `PublicKey.byteCount` bytes.
    case wrongPublicKeyLength(found: Int)
    /// A signature that is not `Signature.byteCount` bytes.
    case wrongSignatureLength(found: Int)
    /// swift-crypto failed to sign (it reserves the right to fail on allocation); `reason` is its message.
    case signingFailed(reason: String)

    public var description: String {
        switch self {
        case .wrongSeedLength(let found):
            "private-key seed is \(found) bytes; an Ed25519 seed is \(SigningKey.seedByteCount) bytes"
        case .wrongPublicKeyLength(let found):
            "public key is \(found) bytes; an Ed25519 public key is \(PublicKey.byteCount) bytes"
        case .wrongSignatureLength(let found):
            "signature is \(found) bytes; an Ed25519 signature is \(Signature.byteCount) bytes"
        case .signingFailed(let reason):
            "signing failed inside swift-crypto (\(reason)); retry, and report it if it persists"
        }
    }
}
