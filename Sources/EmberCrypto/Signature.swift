/// A 64-byte Ed25519 signature (RFC 8032: R ‖ s) over a `SignatureMessage`.
///
/// Only the length is checked here; whether it verifies is `PublicKey.isValidSignature`'s question.
public struct Signature: Hashable, Sendable {
    public static let byteCount = 64

    /// The signature bytes as they go on the wire.
    public let bytes: [UInt8]

    /// Accepts exactly `byteCount` bytes from untrusted input; any other length is a `KeyError`.
    public init(bytes: some Collection<UInt8>) throws(KeyError) {
        guard bytes.count == Self.byteCount else { throw .wrongSignatureLength(found: bytes.count) }
        self.bytes = Array(bytes)
    }
}
