import Crypto

/// The domains of layer-2 signatures (DESIGN.md section 15): each signs `H(domain ‖ networkId ‖ message)`,
/// so a signature made for one domain or network never verifies for another, nor as a transaction
/// signature (whose message starts with `"ember/sig/v1"`).
public enum Layer2SignatureDomain: String, CaseIterable, Hashable, Sendable {
    /// A co-signed channel state.
    case channelState = "ember/channel-state/v1"
    /// A cooperative channel close.
    case channelCoop = "ember/channel-coop/v1"
    /// A Plasma child transaction.
    case plasmaTransaction = "ember/plasma-tx/v1"
    /// A move of a Truebit verification game.
    case truebitMove = "ember/truebit-move/v1"

    /// `H(domain ‖ networkId ‖ message)`: the 32 bytes Ed25519 signs.
    public func digest(network: NetworkID, message: some Sequence<UInt8>) -> Hash32 {
        var hasher = Blake3Hasher()
        hasher.update(Array(rawValue.utf8))
        hasher.update([network.rawValue])
        hasher.update(Array(message))
        return hasher.finalize()
    }
}

extension PublicKey {
    /// Whether `signature` is this key's layer-2 signature of `message` in `domain` on `network`.
    public func isValidSignature(
        _ signature: Signature, domain: Layer2SignatureDomain, network: NetworkID, message: some Sequence<UInt8>
    ) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return false }
        return key.isValidSignature(signature.bytes, for: domain.digest(network: network, message: message).bytes)
    }
}

extension SigningKey {
    /// Signs `message` in `domain` for `network` (a layer-2 signature, never a transaction's).
    public func sign(domain: Layer2SignatureDomain, network: NetworkID, message: some Sequence<UInt8>) throws(KeyError) -> Signature {
        do {
            return try Signature(bytes: signature(for: domain.digest(network: network, message: message).bytes))
        } catch let error as KeyError {
            throw error
        } catch {
            throw .signingFailed(reason: "\(error)")
        }
    }
}
