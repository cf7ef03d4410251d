import EmberCrypto

/// A reference to one output of an earlier transaction: its txid and the output's position.
public struct OutPoint: Hashable, Sendable {
    /// The txid of the transaction that created the output.
    public var txid: Hash32
    /// The output's position in that transaction's output list (a varint on the wire).
    public var index: UInt32

    public init(txid: Hash32, index: UInt32) {
        self.txid = txid
        self.index = index
    }
}

extension OutPoint: CanonicalCodable {
    public static let codecName = "outPoint"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(txid)
        writer.writeVarint(UInt128(index))
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> OutPoint {
        let txid = try reader.readHash(field: "txid")
        // No transaction has more than `Transaction.maxOutputs` outputs, so 32 bits lose nothing valid.
        let index = try reader.readVarint(as: UInt32.self, field: "index")
        return OutPoint(txid: txid, index: index)
    }
}
