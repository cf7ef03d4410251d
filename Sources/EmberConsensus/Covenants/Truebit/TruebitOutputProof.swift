import EmberCore
import EmberCrypto

/// The proof that a reveal's output blob is the program's output in the final memory (docs/truebit.md,
/// "The output proof"): the leaves `a … b` covering `le32(len) ‖ blob` at 0x3800_0000, completed by the
/// `tail` bytes after the output in leaf b, then folded with the siblings level by level (left before
/// right at a level with both) up to the memory root.
///
/// `outputProof = tail ‖ siblings`; its length follows from `len` alone and is computed by running the
/// fold's index arithmetic without hashing. At most 2 049 leaves and 27 siblings.
public enum TruebitOutputProof {
    /// Where the output's length word lies.
    public static let outputAddress: UInt64 = 0x3800_0000
    /// Levels of the memory tree: 2^27 leaves of 32 bytes.
    public static let depth = 27
    public static let leafSize = 32
    /// The longest output a reveal may prove (a program with more to say outputs its hash).
    public static var maxOutputBytes: Int { TruebitChecks.maxOutputBytes }

    /// The covered leaves, the tail's length and the number of siblings for an output of `length` bytes;
    /// nil above 65 536 bytes.
    public static func shape(outputLength length: Int) -> (firstLeaf: UInt64, lastLeaf: UInt64, tail: Int, siblings: Int)? {
        guard length >= 0, length <= TruebitChecks.maxOutputBytes else { return nil }
        let first = outputAddress >> 5
        let last = (outputAddress + 3 + UInt64(length)) >> 5
        let tail = leafSize * Int(last - first + 1) - 4 - length
        var (lo, hi, siblings) = (first, last, 0)
        for _ in 0..<depth {
            if lo & 1 == 1 { siblings += 1 }
            if hi & 1 == 0 { siblings += 1 }
            lo >>= 1
            hi >>= 1
        }
        return (first, last, tail, siblings)
    }

    /// The exact length of the proof for an output of `length` bytes.
    public static func proofLength(outputLength length: Int) -> Int? {
        shape(outputLength: length).map { $0.tail + leafSize * $0.siblings }
    }

    /// The root the proof folds `output` to; nil when the proof does not have its exact length (checked
    /// before any hashing).
    public static func root(proof: [UInt8], output: [UInt8]) -> Hash32? {
        guard let shape = shape(outputLength: output.count), proof.count == shape.tail + leafSize * shape.siblings else { return nil }
        let length = UInt32(output.count)
        var covered = (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        covered.reserveCapacity(4 + output.count + shape.tail)
        covered += output
        covered += proof[0..<shape.tail]
        var nodes = stride(from: 0, to: covered.count, by: leafSize).map { Array(covered[$0..<$0 + leafSize]) }
        var next = shape.tail
        func sibling() -> [UInt8] {
            defer { next += leafSize }
            return Array(proof[next..<next + leafSize])
        }
        var (lo, hi) = (shape.firstLeaf, shape.lastLeaf)
        for _ in 0..<depth {
            if lo & 1 == 1 { nodes.insert(sibling(), at: 0) }
            if hi & 1 == 0 { nodes.append(sibling()) }
            var parents = [[UInt8]]()
            parents.reserveCapacity(nodes.count / 2)
            for pair in stride(from: 0, to: nodes.count, by: 2) {
                var hasher = Blake3Hasher()
                hasher.update([0x01])
                hasher.update(nodes[pair])
                hasher.update(nodes[pair + 1])
                parents.append(hasher.finalize().bytes)
            }
            nodes = parents
            lo >>= 1
            hi >>= 1
        }
        return Hash32(nodes[0])
    }
}
