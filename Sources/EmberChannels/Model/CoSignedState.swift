import EmberCore
import EmberCrypto

/// A channel state with both parties' signatures over its hash: what a party (or its watchtower) must
/// keep to be safe, since it overrides every older state on layer 1 (docs/channels.md).
public struct CoSignedState: Hashable, Sendable {
    public var state: ChannelState
    public var sigA: Signature
    public var sigB: Signature

    public init(state: ChannelState, sigA: Signature, sigB: Signature) {
        self.state = state
        self.sigA = sigA
        self.sigB = sigB
    }

    /// Whether both signatures are the channel keys' signatures of this state on `network`.
    public func isValid(for params: ChannelParams, network: NetworkID) -> Bool {
        let hash = state.hash(network: network).bytes
        guard let keyA = try? PublicKey(bytes: params.keyA.bytes), let keyB = try? PublicKey(bytes: params.keyB.bytes) else {
            return false
        }
        return keyA.isValidSignature(sigA, domain: .channelState, network: network, message: hash)
            && keyB.isValidSignature(sigB, domain: .channelState, network: network, message: hash)
    }

    /// The witness of a conclude, dispute or override: `[state, sigA, sigB]`.
    public var witness: Witness { Witness(items: [state.encoded, sigA.bytes, sigB.bytes]) }
}

extension CoSignedState: CanonicalCodable {
    public static let codecName = "coSignedState"

    public func encode(to writer: inout ByteWriter) {
        writer.writeByteString(state.encoded)
        writer.writeRawBytes(sigA.bytes)
        writer.writeRawBytes(sigB.bytes)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> CoSignedState {
        let stateBytes = try reader.readByteString(limit: Witness.maxItemSize, field: "state")
        let state = try ChannelState.decode(from: stateBytes, limit: Witness.maxItemSize)
        return CoSignedState(state: state, sigA: try reader.readSignature(field: "sigA"), sigB: try reader.readSignature(field: "sigB"))
    }
}

extension ByteReader {
    /// Reads a 64-byte Ed25519 signature.
    public mutating func readSignature(field: String) throws(DecodingError) -> Signature {
        let bytes = try readRawBytes(count: 64, field: field)
        // 64 bytes always make a Signature.
        return try! Signature(bytes: bytes)
    }
}
