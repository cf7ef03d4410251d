import EmberCrypto

/// A Plasma operator's bond; readable, spent by a fraud proof or the close (DESIGN.md section 17); the
/// body of lock tag 10.
///
/// On the wire: `chainId 32 | exitWindow u32 | frozen u8`.
public struct PlasmaBondLock: Hashable, Sendable {
    public var chainId: Hash32
    public var exitWindow: UInt32
    /// Whether the chain is frozen (after a fraud proof or the close): no commits, no deposits (a u8 0 or 1).
    public var frozen: Bool

    public init(chainId: Hash32, exitWindow: UInt32, frozen: Bool) {
        self.chainId = chainId
        self.exitWindow = exitWindow
        self.frozen = frozen
    }
}

extension PlasmaBondLock: CanonicalCodable {
    public static let codecName = "plasmaBond"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(chainId)
        writer.writeUInt32(exitWindow)
        writer.writeFlag(frozen)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PlasmaBondLock {
        PlasmaBondLock(
            chainId: try reader.readHash(field: "chainId"),
            exitWindow: try reader.readUInt32(field: "exitWindow"),
            frozen: try reader.readFlag(field: "frozen")
        )
    }
}
