import EmberCrypto

/// A move of one Plasma coin inside a child chain (DESIGN.md section 17): the coin goes to `newOwnerKey`,
/// signed by the owner its parent entry gave it (the depositor when `parentBlock` is 0).
///
/// On the wire, always 136 bytes: `coinId 32 | parentBlock u64 | newOwnerKey 32 | signature 64`. The
/// signature is Ed25519 over `signedMessage(network:)` =
/// `H("ember/plasma-tx/v1" ‖ networkId ‖ coinId ‖ parentBlock ‖ newOwnerKey)`, the Plasma domain of the
/// layer-2 signatures (DESIGN.md section 15). A child block's leaf for the coin is `leaf` = H(encoding).
public struct ChildTransaction: Hashable, Sendable {
    /// The size of every encoded child transaction.
    public static let byteCount = Hash32.byteCount + 8 + RawPublicKey.byteCount + Signature.byteCount

    /// The coin moved, also its key in the child block's tree.
    public var coinId: Hash32
    /// The child block holding the parent entry; 0 for the deposit.
    public var parentBlock: UInt64
    /// The coin's owner after this move.
    public var newOwnerKey: RawPublicKey
    /// The previous owner's signature of `signedMessage(network:)`.
    public var signature: Signature

    public init(coinId: Hash32, parentBlock: UInt64, newOwnerKey: RawPublicKey, signature: Signature) {
        self.coinId = coinId
        self.parentBlock = parentBlock
        self.newOwnerKey = newOwnerKey
        self.signature = signature
    }

    /// The move signed by `previousOwner`, the new owner of the parent entry, for `network`.
    public init(
        coinId: Hash32, parentBlock: UInt64, newOwnerKey: RawPublicKey, signedBy previousOwner: SigningKey, network: NetworkID
    ) throws(KeyError) {
        let signature = try previousOwner.sign(
            domain: .plasmaTransaction, network: network,
            message: Self.signedFields(coinId: coinId, parentBlock: parentBlock, newOwnerKey: newOwnerKey))
        self.init(coinId: coinId, parentBlock: parentBlock, newOwnerKey: newOwnerKey, signature: signature)
    }

    /// `H("ember/plasma-tx/v1" ‖ networkId ‖ coinId ‖ parentBlock u64 ‖ newOwnerKey)`: the 32 bytes Ed25519 signs.
    public func signedMessage(network: NetworkID) -> Hash32 {
        Layer2SignatureDomain.plasmaTransaction.digest(network: network, message: signedFields)
    }

    /// Whether `signature` is `previousOwner`'s signature of this move on `network`.
    public func isSigned(by previousOwner: RawPublicKey, network: NetworkID) -> Bool {
        guard let key = try? PublicKey(bytes: previousOwner.bytes) else { return false }
        return key.isValidSignature(signature, domain: .plasmaTransaction, network: network, message: signedFields)
    }

    /// The coin's leaf in the child block that includes this move: `H(encoding)`.
    public var leaf: Hash32 { Blake3.hash(encoded) }

    /// `coinId ‖ parentBlock ‖ newOwnerKey`: the message the domain digest covers.
    private var signedFields: [UInt8] {
        Self.signedFields(coinId: coinId, parentBlock: parentBlock, newOwnerKey: newOwnerKey)
    }

    private static func signedFields(coinId: Hash32, parentBlock: UInt64, newOwnerKey: RawPublicKey) -> [UInt8] {
        var writer = ByteWriter(reservingCapacity: Hash32.byteCount + 8 + RawPublicKey.byteCount)
        writer.writeHash(coinId)
        writer.writeUInt64(parentBlock)
        writer.writeKey(newOwnerKey)
        return writer.bytes
    }
}

extension ChildTransaction: CanonicalCodable {
    public static let codecName = "childTransaction"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(coinId)
        writer.writeUInt64(parentBlock)
        writer.writeKey(newOwnerKey)
        writer.writeRawBytes(signature.bytes)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> ChildTransaction {
        let coinId = try reader.readHash(field: "coinId")
        let parentBlock = try reader.readUInt64(field: "parentBlock")
        let newOwnerKey = try reader.readKey(field: "newOwnerKey")
        let signatureBytes = try reader.readRawBytes(count: Signature.byteCount, field: "signature")
        // Exactly Signature.byteCount bytes were read, the only thing `Signature` checks.
        guard let signature = try? Signature(bytes: signatureBytes) else { throw DecodingError(.truncated, at: "signature") }
        return ChildTransaction(coinId: coinId, parentBlock: parentBlock, newOwnerKey: newOwnerKey, signature: signature)
    }
}
