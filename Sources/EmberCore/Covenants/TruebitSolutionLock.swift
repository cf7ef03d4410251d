import EmberCrypto

/// A revealed solution, open to challenges until its deadline; readable (DESIGN.md section 18); the body
/// of lock tag 8.
///
/// On the wire: `solutionId 32 | task TruebitTaskLock | solverKey 32 | finalState 32 | steps u64 |
/// outputHash 32 | deadline u64`.
public struct TruebitSolutionLock: Hashable, Sendable {
    public var solutionId: Hash32
    /// The task solved, with all its fields, taskId included.
    public var task: TruebitTaskLock
    public var solverKey: RawPublicKey
    public var finalState: Hash32
    public var steps: UInt64
    public var outputHash: Hash32
    /// The height before which the solution may be challenged.
    public var deadline: UInt64

    public init(
        solutionId: Hash32, task: TruebitTaskLock, solverKey: RawPublicKey, finalState: Hash32, steps: UInt64,
        outputHash: Hash32, deadline: UInt64
    ) {
        self.solutionId = solutionId
        self.task = task
        self.solverKey = solverKey
        self.finalState = finalState
        self.steps = steps
        self.outputHash = outputHash
        self.deadline = deadline
    }
}

extension TruebitSolutionLock: CanonicalCodable {
    public static let codecName = "truebitSolution"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(solutionId)
        task.encode(to: &writer)
        writer.writeKey(solverKey)
        writer.writeHash(finalState)
        writer.writeUInt64(steps)
        writer.writeHash(outputHash)
        writer.writeUInt64(deadline)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> TruebitSolutionLock {
        TruebitSolutionLock(
            solutionId: try reader.readHash(field: "solutionId"),
            task: try reader.read(TruebitTaskLock.self, field: "task"),
            solverKey: try reader.readKey(field: "solverKey"),
            finalState: try reader.readHash(field: "finalState"),
            steps: try reader.readUInt64(field: "steps"),
            outputHash: try reader.readHash(field: "outputHash"),
            deadline: try reader.readUInt64(field: "deadline")
        )
    }
}

extension TruebitSolutionLock {
    /// The domain tag, ASCII, that starts the hashed bytes of a solutionId.
    public static let solutionIdDomain: [UInt8] = Array("ember/truebit-solution/v1".utf8)

    /// `H("ember/truebit-solution/v1" ‖ commit (txid 32 ‖ varint index))`: the id of the solution revealed by
    /// spending the commit at `commit`.
    public static func solutionId(commit: OutPoint) -> Hash32 {
        var writer = ByteWriter()
        writer.writeRawBytes(solutionIdDomain)
        writer.write(commit)
        return Blake3.hash(writer.bytes)
    }
}
