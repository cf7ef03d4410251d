/// The signatures and proofs for one input, in the order its unlock expects them.
///
/// Witnesses are outside the txid, so nothing in them can change which transaction is referenced.
public struct Witness: Hashable, Sendable {
    /// Bounds the memory one item can make a decoder allocate (a layer-2 proof is the largest use).
    public static let maxItemSize = 65_536
    /// Bounds the items one input can make a decoder allocate: the largest protocol witness, a Truebit
    /// bisection (15 state hashes and a signature), has 16; multi-part proofs travel as one item.
    public static let maxItems = 16

    /// The byte strings, at most `maxItems` of them, each at most `maxItemSize` bytes.
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
        let items = try reader.readList(limit: maxItems, field: "items") { reader throws(DecodingError) in
            try reader.readByteString(limit: maxItemSize, field: nil)
        }
        return Witness(items: items)
    }
}
