import EmberCrypto

/// A task's accepted result: zero amount, never spent, readable by other covenants (DESIGN.md section 18);
/// the body of lock tag 11.
///
/// On the wire: `taskHash 32 | outputHash 32`.
public struct TruebitResultLock: Hashable, Sendable {
    /// The hash of the task body with solveDeadline set to 0.
    public var taskHash: Hash32
    public var outputHash: Hash32

    public init(taskHash: Hash32, outputHash: Hash32) {
        self.taskHash = taskHash
        self.outputHash = outputHash
    }
}

extension TruebitResultLock: CanonicalCodable {
    public static let codecName = "truebitResult"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(taskHash)
        writer.writeHash(outputHash)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> TruebitResultLock {
        TruebitResultLock(
            taskHash: try reader.readHash(field: "taskHash"),
            outputHash: try reader.readHash(field: "outputHash")
        )
    }
}
