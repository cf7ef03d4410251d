import EmberConsensus
import EmberCore
import EmberCrypto
import EmberVM

/// A run of a task as a solver commits to and reveals it: the final state, the output bytes, and the
/// output proof tying them to the final memory root (docs/truebit.md, "The output proof").
public struct TruebitRunResult: Equatable, Sendable {
    public var finalState: MachineState
    public var output: [UInt8]
    /// `tail ‖ siblings` for `output` in the final memory.
    public var outputProof: [UInt8]

    public init(finalState: MachineState, output: [UInt8], outputProof: [UInt8]) {
        self.finalState = finalState
        self.output = output
        self.outputProof = outputProof
    }

    /// The result of `machine` as it stands (run it to its halt first): its state, output and output proof.
    public init(machine: Machine) throws(TruebitTransactionError) {
        let output = machine.output
        guard let proof = TruebitOutputProof.proof(of: output, in: machine) else { throw .outputTooLarge(bytes: output.count) }
        self.init(finalState: machine.state, output: output, outputProof: proof)
    }

    public var steps: UInt64 { finalState.step }
    public var finalStateHash: Hash32 { finalState.hash }
    public var outputHash: Hash32 { Blake3.hash(output) }

    /// The commitment a commit holds for this result (`TruebitCommitLock.commitment`).
    public func commitment(solverKey: RawPublicKey, salt: Hash32) -> Hash32 {
        TruebitCommitLock.commitment(solverKey: solverKey, finalState: finalStateHash, outputHash: outputHash, steps: steps, salt: salt)
    }
}

extension TruebitOutputProof {
    /// `tail ‖ siblings` proving that `output` is the output in `machine`'s memory: the bytes after it in its
    /// last leaf, then the siblings the consensus fold (`root(proof:output:)`) takes, level by level, left
    /// before right; nil when the output is too long to prove.
    public static func proof(of output: [UInt8], in machine: Machine) -> [UInt8]? {
        guard let shape = shape(outputLength: output.count) else { return nil }
        // Both leaves lie in the output window, below 2^27: they fit in 32 bits.
        let (first, last) = (UInt32(shape.firstLeaf), UInt32(shape.lastLeaf))
        var proof = Array(machine.memoryLeaf(last).suffix(shape.tail))
        let left = machine.memorySiblings(ofLeaf: first)
        let right = machine.memorySiblings(ofLeaf: last)
        var (lo, hi) = (first, last)
        for level in 0..<depth {
            if lo & 1 == 1 { proof += left[level].bytes }
            if hi & 1 == 0 { proof += right[level].bytes }
            lo >>= 1
            hi >>= 1
        }
        return proof
    }
}
