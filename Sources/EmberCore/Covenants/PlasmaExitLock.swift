import EmberCrypto

/// A Plasma coin on its way out, open to challenges until its deadline; readable (DESIGN.md section 17);
/// the body of lock tag 6.
///
/// On the wire: `chainId 32 | coinId 32 | depositorKey 32 | exitWindow u32 | firstBlock u64 | ownerKey 32 |
/// exitTxHash 32 | exitBlock u64 | parentBlock u64 | parentOwnerKey 32 | deadline u64 | exitBond varint`.
/// The first five fields are the coin's, copied.
public struct PlasmaExitLock: Hashable, Sendable {
    public var chainId: Hash32
    public var coinId: Hash32
    public var depositorKey: RawPublicKey
    public var exitWindow: UInt32
    /// The first child block that counts for the coin.
    public var firstBlock: UInt64
    /// The exiting owner: the exit transaction's new owner.
    public var ownerKey: RawPublicKey
    /// The hash of the exit transaction; 32 zero bytes for a coin never moved.
    public var exitTxHash: Hash32
    /// The child block that includes the exit transaction (0 for a coin never moved).
    public var exitBlock: UInt64
    /// The child block of the exit transaction's parent entry (0: the deposit).
    public var parentBlock: UInt64
    /// The parent entry's new owner; 32 zero bytes for a coin never moved.
    public var parentOwnerKey: RawPublicKey
    /// The height before which the exit may be challenged.
    public var deadline: UInt64
    /// The bond the exit put up: half of it is burnt and half paid to the wronged key when the exit is
    /// cancelled; it returns to the owner at finalize or preempt.
    public var exitBond: Amount

    public init(
        chainId: Hash32, coinId: Hash32, depositorKey: RawPublicKey, exitWindow: UInt32, firstBlock: UInt64,
        ownerKey: RawPublicKey, exitTxHash: Hash32, exitBlock: UInt64, parentBlock: UInt64, parentOwnerKey: RawPublicKey, deadline: UInt64,
        exitBond: Amount
    ) {
        self.chainId = chainId
        self.coinId = coinId
        self.depositorKey = depositorKey
        self.exitWindow = exitWindow
        self.firstBlock = firstBlock
        self.ownerKey = ownerKey
        self.exitTxHash = exitTxHash
        self.exitBlock = exitBlock
        self.parentBlock = parentBlock
        self.parentOwnerKey = parentOwnerKey
        self.deadline = deadline
        self.exitBond = exitBond
    }
}

extension PlasmaExitLock: CanonicalCodable {
    public static let codecName = "plasmaExit"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(chainId)
        writer.writeHash(coinId)
        writer.writeKey(depositorKey)
        writer.writeUInt32(exitWindow)
        writer.writeUInt64(firstBlock)
        writer.writeKey(ownerKey)
        writer.writeHash(exitTxHash)
        writer.writeUInt64(exitBlock)
        writer.writeUInt64(parentBlock)
        writer.writeKey(parentOwnerKey)
        writer.writeUInt64(deadline)
        writer.writeAmount(exitBond)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PlasmaExitLock {
        PlasmaExitLock(
            chainId: try reader.readHash(field: "chainId"),
            coinId: try reader.readHash(field: "coinId"),
            depositorKey: try reader.readKey(field: "depositorKey"),
            exitWindow: try reader.readUInt32(field: "exitWindow"),
            firstBlock: try reader.readUInt64(field: "firstBlock"),
            ownerKey: try reader.readKey(field: "ownerKey"),
            exitTxHash: try reader.readHash(field: "exitTxHash"),
            exitBlock: try reader.readUInt64(field: "exitBlock"),
            parentBlock: try reader.readUInt64(field: "parentBlock"),
            parentOwnerKey: try reader.readKey(field: "parentOwnerKey"),
            deadline: try reader.readUInt64(field: "deadline"),
            exitBond: try reader.readAmount(field: "exitBond")
        )
    }
}
