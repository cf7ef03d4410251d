import EmberCrypto

/// An invalid-history challenge against a Plasma exit, holding the challenger's bond (DESIGN.md section 17);
/// the body of lock tag 13.
///
/// On the wire: `exit OutPoint | chainId 32 | coinId 32 | childBlock u64 | childOwnerKey 32 | limitBlock u64 |
/// challengerKey 32 | ownerKey 32 | respondBy u64`.
public struct PlasmaChallengeLock: Hashable, Sendable {
    /// The challenged exit's output.
    public var exit: OutPoint
    public var chainId: Hash32
    public var coinId: Hash32
    /// The child block of the history entry the owner must answer with a spend of.
    public var childBlock: UInt64
    /// That entry's new owner.
    public var childOwnerKey: RawPublicKey
    /// The last child block an answer may be included in (the exit's parentBlock).
    public var limitBlock: UInt64
    public var challengerKey: RawPublicKey
    public var ownerKey: RawPublicKey
    /// The height before which the owner may answer.
    public var respondBy: UInt64

    public init(
        exit: OutPoint, chainId: Hash32, coinId: Hash32, childBlock: UInt64, childOwnerKey: RawPublicKey,
        limitBlock: UInt64, challengerKey: RawPublicKey, ownerKey: RawPublicKey, respondBy: UInt64
    ) {
        self.exit = exit
        self.chainId = chainId
        self.coinId = coinId
        self.childBlock = childBlock
        self.childOwnerKey = childOwnerKey
        self.limitBlock = limitBlock
        self.challengerKey = challengerKey
        self.ownerKey = ownerKey
        self.respondBy = respondBy
    }
}

extension PlasmaChallengeLock: CanonicalCodable {
    public static let codecName = "plasmaChallenge"

    public func encode(to writer: inout ByteWriter) {
        exit.encode(to: &writer)
        writer.writeHash(chainId)
        writer.writeHash(coinId)
        writer.writeUInt64(childBlock)
        writer.writeKey(childOwnerKey)
        writer.writeUInt64(limitBlock)
        writer.writeKey(challengerKey)
        writer.writeKey(ownerKey)
        writer.writeUInt64(respondBy)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PlasmaChallengeLock {
        PlasmaChallengeLock(
            exit: try reader.read(OutPoint.self, field: "exit"),
            chainId: try reader.readHash(field: "chainId"),
            coinId: try reader.readHash(field: "coinId"),
            childBlock: try reader.readUInt64(field: "childBlock"),
            childOwnerKey: try reader.readKey(field: "childOwnerKey"),
            limitBlock: try reader.readUInt64(field: "limitBlock"),
            challengerKey: try reader.readKey(field: "challengerKey"),
            ownerKey: try reader.readKey(field: "ownerKey"),
            respondBy: try reader.readUInt64(field: "respondBy")
        )
    }
}
