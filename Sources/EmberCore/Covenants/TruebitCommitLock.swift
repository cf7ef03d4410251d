import EmberCrypto

/// A solver's commitment to a solution, holding the reward and the solver's deposit (DESIGN.md section 18);
/// the body of lock tag 15.
///
/// On the wire: `task TruebitTaskLock | solverKey 32 | commitment 32 | revealBy u64`.
public struct TruebitCommitLock: Hashable, Sendable {
    /// The task committed to, with all its fields, taskId included.
    public var task: TruebitTaskLock
    public var solverKey: RawPublicKey
    /// H(solverKey ‖ finalState ‖ outputHash ‖ steps ‖ salt).
    public var commitment: Hash32
    /// The height before which the solver must reveal.
    public var revealBy: UInt64

    public init(task: TruebitTaskLock, solverKey: RawPublicKey, commitment: Hash32, revealBy: UInt64) {
        self.task = task
        self.solverKey = solverKey
        self.commitment = commitment
        self.revealBy = revealBy
    }
}

extension TruebitCommitLock: CanonicalCodable {
    public static let codecName = "truebitCommit"

    public func encode(to writer: inout ByteWriter) {
        task.encode(to: &writer)
        writer.writeKey(solverKey)
        writer.writeHash(commitment)
        writer.writeUInt64(revealBy)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> TruebitCommitLock {
        TruebitCommitLock(
            task: try reader.read(TruebitTaskLock.self, field: "task"),
            solverKey: try reader.readKey(field: "solverKey"),
            commitment: try reader.readHash(field: "commitment"),
            revealBy: try reader.readUInt64(field: "revealBy")
        )
    }
}

extension TruebitCommitLock {
    /// `H(solverKey 32 ‖ finalState 32 ‖ outputHash 32 ‖ u64(steps) ‖ salt 32)`: what a commit holds and a
    /// reveal opens (`steps` big-endian).
    public static func commitment(solverKey: RawPublicKey, finalState: Hash32, outputHash: Hash32, steps: UInt64, salt: Hash32) -> Hash32 {
        var writer = ByteWriter()
        writer.writeKey(solverKey)
        writer.writeHash(finalState)
        writer.writeHash(outputHash)
        writer.writeUInt64(steps)
        writer.writeHash(salt)
        return Blake3.hash(writer.bytes)
    }
}
