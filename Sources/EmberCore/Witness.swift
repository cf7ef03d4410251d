/// The signatures and proofs for one input, in the order its unlock expects them.
///
/// Witnesses are outside the txid, so nothing in them can change which transaction is referenced.
public struct Witness: Hashable, Sendable {
    /// Bounds the memory one item can make a decoder allocate (a layer-2 proof is the largest use).
    public static let maxItemSize = 65_536

    /// The byte strings, each at most `maxItemSize` bytes.
    public var items: [[UInt8]]

    public init(items: [[UInt8]]) {
        self.items = items
    }
}

extension Witness: CanonicalCodable {
    public static let codecName = "witness"

    public func encode(to writer: inout ByteWriter) {
        writer.writeCount(items.count)
        for item in items { writer.writeByteString(item) }
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Witness {
        // The item count has no limit of its own: the transaction's size limit bounds it.
        let items = try reader.readList(limit: Int.max, field: "items") { reader throws(DecodingError) in
            try reader.readByteString(limit: maxItemSize, field: nil)
        }
        return Witness(items: items)
    }
}
