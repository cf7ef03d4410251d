import EmberCore
import EmberCrypto

/// One object announced or requested by hash: a block or a transaction.
public struct InventoryItem: Hashable, Sendable {
    /// What the hash identifies.
    public enum Kind: UInt8, Hashable, Sendable, CaseIterable {
        /// A block, by block hash.
        case block = 1
        /// A transaction, by txid.
        case transaction = 2
    }

    /// The encoded size of one item: the kind byte and the hash.
    public static let encodedSize = 1 + Hash32.byteCount

    public var kind: Kind
    public var hash: Hash32

    public init(kind: Kind, hash: Hash32) {
        self.kind = kind
        self.hash = hash
    }
}

extension InventoryItem: CanonicalCodable {
    public static let codecName = "inventoryItem"

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt8(kind.rawValue)
        writer.writeHash(hash)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> InventoryItem {
        let kindByte = try reader.readUInt8(field: "kind")
        guard let kind = Kind(rawValue: kindByte) else { throw DecodingError(.unknownTag(kindByte), at: "kind") }
        return InventoryItem(kind: kind, hash: try reader.readHash(field: "hash"))
    }
}
