import EmberCrypto

/// A coin deposited into a Plasma chain (DESIGN.md section 17); the body of lock tag 5.
///
/// On the wire: `chainId 32 | coinId 32 | depositorKey 32 | exitWindow u32 | firstBlock u64` (108 bytes).
public struct PlasmaCoinLock: Hashable, Sendable {
    public var chainId: Hash32
    public var coinId: Hash32
    public var depositorKey: RawPublicKey
    /// The exit window in blocks, copied from the chain's bond.
    public var exitWindow: UInt32
    /// The first child block that counts for the coin; blocks below it do not exist for it.
    public var firstBlock: UInt64

    public init(chainId: Hash32, coinId: Hash32, depositorKey: RawPublicKey, exitWindow: UInt32, firstBlock: UInt64) {
        self.chainId = chainId
        self.coinId = coinId
        self.depositorKey = depositorKey
        self.exitWindow = exitWindow
        self.firstBlock = firstBlock
    }
}

extension PlasmaCoinLock: CanonicalCodable {
    public static let codecName = "plasmaCoin"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(chainId)
        writer.writeHash(coinId)
        writer.writeKey(depositorKey)
        writer.writeUInt32(exitWindow)
        writer.writeUInt64(firstBlock)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PlasmaCoinLock {
        PlasmaCoinLock(
            chainId: try reader.readHash(field: "chainId"),
            coinId: try reader.readHash(field: "coinId"),
            depositorKey: try reader.readKey(field: "depositorKey"),
            exitWindow: try reader.readUInt32(field: "exitWindow"),
            firstBlock: try reader.readUInt64(field: "firstBlock")
        )
    }
}
