import EmberCrypto

/// The marker a closed Plasma exit leaves (cancelled, preempted or finalized): holds exactly dust, spent
/// by sweep, readable (docs/plasma.md); the body of lock tag 14.
///
/// On the wire: `exit OutPoint | sweepFrom u64`.
public struct PlasmaExitClosedLock: Hashable, Sendable {
    /// The closed exit's output.
    public var exit: OutPoint
    /// The height from which anyone may sweep the marker: the exit's deadline + 5 · exitWindow, so every
    /// open challenge of the exit has time to be refunded first.
    public var sweepFrom: UInt64

    public init(exit: OutPoint, sweepFrom: UInt64) {
        self.exit = exit
        self.sweepFrom = sweepFrom
    }
}

extension PlasmaExitClosedLock: CanonicalCodable {
    public static let codecName = "plasmaExitClosed"

    public func encode(to writer: inout ByteWriter) {
        exit.encode(to: &writer)
        writer.writeUInt64(sweepFrom)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> PlasmaExitClosedLock {
        PlasmaExitClosedLock(exit: try reader.read(OutPoint.self, field: "exit"), sweepFrom: try reader.readUInt64(field: "sweepFrom"))
    }
}
