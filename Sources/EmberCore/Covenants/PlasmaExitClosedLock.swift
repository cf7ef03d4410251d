import EmberCrypto

/// The marker a cancelled or finalized Plasma exit leaves: zero amount, never spent, readable
/// (DESIGN.md section 17); the body of lock tag 14.
///
/// On the wire: `exit OutPoint`.
public struct PlasmaExitClosedLock: Hashable, Sendable {
    /// The closed exit's output.
    public var exit: OutPoint

    public init(exit: OutPoint) {
        self.exit = exit
    }
}

extension PlasmaExitClosedLock: CanonicalCodable {
    public static let codecName = "plasmaExitClosed"

    public func encode(to writer: inout ByteWriter) {
        exit.encode(to: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PlasmaExitClosedLock {
        PlasmaExitClosedLock(exit: try reader.read(OutPoint.self, field: "exit"))
    }
}
