import EmberCrypto

/// A committed Plasma child block: zero amount, never spent, readable (DESIGN.md section 17); the body of
/// lock tag 4.
///
/// On the wire: `chainId 32 | number u64 | root 32`.
public struct PlasmaBlockLock: Hashable, Sendable {
    public var chainId: Hash32
    /// The child block's number, from 1.
    public var number: UInt64
    /// The root of the child block's sparse Merkle tree.
    public var root: Hash32

    public init(chainId: Hash32, number: UInt64, root: Hash32) {
        self.chainId = chainId
        self.number = number
        self.root = root
    }
}

extension PlasmaBlockLock: CanonicalCodable {
    public static let codecName = "plasmaBlock"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(chainId)
        writer.writeUInt64(number)
        writer.writeHash(root)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PlasmaBlockLock {
        PlasmaBlockLock(
            chainId: try reader.readHash(field: "chainId"),
            number: try reader.readUInt64(field: "number"),
            root: try reader.readHash(field: "root")
        )
    }
}
