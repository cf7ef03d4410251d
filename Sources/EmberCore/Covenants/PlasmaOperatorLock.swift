import EmberCrypto

/// A Plasma chain's operator, spent by each block commit (DESIGN.md section 17); the body of lock tag 3.
///
/// On the wire: `chainId 32 | operatorKey 32 | nextNumber u64`.
public struct PlasmaOperatorLock: Hashable, Sendable {
    public var chainId: Hash32
    public var operatorKey: RawPublicKey
    /// The number the next committed child block gets.
    public var nextNumber: UInt64

    public init(chainId: Hash32, operatorKey: RawPublicKey, nextNumber: UInt64) {
        self.chainId = chainId
        self.operatorKey = operatorKey
        self.nextNumber = nextNumber
    }
}

extension PlasmaOperatorLock: CanonicalCodable {
    public static let codecName = "plasmaOperator"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(chainId)
        writer.writeKey(operatorKey)
        writer.writeUInt64(nextNumber)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PlasmaOperatorLock {
        PlasmaOperatorLock(
            chainId: try reader.readHash(field: "chainId"),
            operatorKey: try reader.readKey(field: "operatorKey"),
            nextNumber: try reader.readUInt64(field: "nextNumber")
        )
    }
}
