import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto

/// The verdict the SPV program must reach on an input, computed on the host with the node's own
/// header decoding and hashing (EmberCore) and its target and work rules (EmberConsensus).
///
/// Tests and a careful task giver compare a run's output with this. It checks what the program checks,
/// in the program's order (Programs/spv/README.md): the layout, then header by header its version,
/// target, proof of work, parent, height and timestamp; the first failure is the verdict.
public enum SPVReference {
    /// The verdict for the input bytes `input`, at most one blob (`Transaction.maxBlobSize`) long.
    public static func verdict(forInput input: [UInt8]) throws(SPVReferenceError) -> SPVVerdict {
        guard input.count <= Transaction.maxBlobSize else {
            throw .inputTooLarge(limit: Transaction.maxBlobSize, found: input.count)
        }
        return verdict(forBoundedInput: input)
    }

    /// The verdict for an input built by `SPVTaskInput`, which always fits one blob.
    public static func verdict(for input: SPVTaskInput) -> SPVVerdict {
        verdict(forBoundedInput: input.encoded)
    }

    private static func verdict(forBoundedInput input: [UInt8]) -> SPVVerdict {
        let malformed = SPVVerdict.invalid(SPVFailure(kind: .malformedInput, headerIndex: nil))
        let prefix = SPVTaskInput.prefixSize, headerSize = BlockHeader.encodedSize
        guard input.count >= prefix else { return malformed }
        let maximum = CompactTarget(bits: bigEndianUInt32(input[0..<4]))
        let count = Int(bigEndianUInt32(input[4..<8]))
        let rest = input.count - prefix
        guard (try? maximum.checkedValue()) != nil, count > 0, rest % headerSize == 0, rest / headerSize == count else {
            return malformed
        }

        var total = BigUInt(0)
        var anchor = Hash32.zero
        var previous: (header: BlockHeader, hash: Hash32)? = nil
        for index in 0..<count {
            func failure(_ kind: SPVFailure.Kind) -> SPVVerdict {
                .invalid(SPVFailure(kind: kind, headerIndex: UInt32(index)))
            }
            let start = prefix + index * headerSize
            guard let header = try? BlockHeader.decode(from: Array(input[start..<start + headerSize]), limit: headerSize) else {
                return failure(.malformedInput)
            }
            guard let target = try? header.target.checkedValue(maximum: maximum) else { return failure(.badTarget) }
            let hash = header.hash
            guard BigUInt(hash: hash) <= target else { return failure(.insufficientWork) }
            if let previous {
                guard header.parent == previous.hash else { return failure(.brokenParentLink) }
                guard previous.header.height < UInt64.max, header.height == previous.header.height + 1 else {
                    return failure(.wrongHeight)
                }
                guard header.timestamp > previous.header.timestamp else { return failure(.timestampNotAfterParent) }
            } else {
                anchor = header.parent
            }
            // The target passed checkedValue above, so the work of it cannot be refused.
            total = try! Work.cumulative(parentWork: total, adding: header.target)
            previous = (header, hash)
        }
        // At most 2 404 headers of weight ≤ 2^256 each: the sum is below 2^268, well inside 320 bits.
        let work = SPVWork(total)!
        // count > 0, so the loop ran and set previous.
        return .valid(SPVTaskOutput(anchor: anchor, tip: previous!.hash, totalWork: work, headerCount: UInt32(count)))
    }

    private static func bigEndianUInt32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}
