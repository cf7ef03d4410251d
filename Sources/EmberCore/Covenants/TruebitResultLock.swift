import EmberCrypto

/// A task's accepted result: holds exactly dust, spent only by voidResult (mode 10) when a marker of its
/// solution exists, readable by other covenants (DESIGN.md section 18, revised: docs/truebit.md); the body
/// of lock tag 11.
///
/// On the wire: `taskId 32 | solutionId 32 | outputHash 32`.
public struct TruebitResultLock: Hashable, Sendable {
    /// The task's identity, `TruebitTaskLock.taskId`.
    public var taskId: Hash32
    /// The solution paid; a marker of it voids this result.
    public var solutionId: Hash32
    public var outputHash: Hash32

    public init(taskId: Hash32, solutionId: Hash32, outputHash: Hash32) {
        self.taskId = taskId
        self.solutionId = solutionId
        self.outputHash = outputHash
    }
}

extension TruebitResultLock: CanonicalCodable {
    public static let codecName = "truebitResult"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(taskId)
        writer.writeHash(solutionId)
        writer.writeHash(outputHash)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> TruebitResultLock {
        TruebitResultLock(
            taskId: try reader.readHash(field: "taskId"),
            solutionId: try reader.readHash(field: "solutionId"),
            outputHash: try reader.readHash(field: "outputHash")
        )
    }
}
