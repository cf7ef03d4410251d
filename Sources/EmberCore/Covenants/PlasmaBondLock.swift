import EmberCrypto

/// A Plasma operator's bond; readable (DESIGN.md section 17, docs/plasma.md); the body of lock tag 10.
///
/// On the wire: `chainId 32 | exitWindow u32 | state u8` (0 open, 1 frozen: no commits, no deposits,
/// zero amount; 2 closing: no commits, no deposits, still slashable, released after 100 000 blocks).
public struct PlasmaBondLock: Hashable, Sendable {
    /// Where the chain stands; DESIGN.md's `frozen u8`, with 0 and 1 kept and the closing state added.
    public enum State: UInt8, Sendable, CaseIterable {
        /// Commits and deposits allowed; spent by a fraud proof or the close.
        case open = 0
        /// After a fraud proof or the release: no commits, no deposits, zero amount, never spent.
        case frozen = 1
        /// After the close: no commits, no deposits, the bond kept for a fraud proof until its release.
        case closing = 2
    }

    public var chainId: Hash32
    public var exitWindow: UInt32
    public var state: State

    public init(chainId: Hash32, exitWindow: UInt32, state: State) {
        self.chainId = chainId
        self.exitWindow = exitWindow
        self.state = state
    }

    /// Whether the bond is frozen: a zero-amount commitment that is never spent.
    public var frozen: Bool { state == .frozen }
}

extension PlasmaBondLock: CanonicalCodable {
    public static let codecName = "plasmaBond"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(chainId)
        writer.writeUInt32(exitWindow)
        writer.writeUInt8(state.rawValue)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PlasmaBondLock {
        let chainId = try reader.readHash(field: "chainId")
        let exitWindow = try reader.readUInt32(field: "exitWindow")
        let byte = try reader.readUInt8(field: "state")
        guard let state = State(rawValue: byte) else { throw DecodingError(.unknownTag(byte), at: "state") }
        return PlasmaBondLock(chainId: chainId, exitWindow: exitWindow, state: state)
    }
}
