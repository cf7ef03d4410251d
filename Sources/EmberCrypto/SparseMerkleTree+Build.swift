import Dispatch

/// Building a tree of n keys in about n · (257 − log₂ n) hashes, side by side and on every core.
///
/// The sorted keys are cut into buckets of about `keysPerBucket` keys that share their first `bucketDepth`
/// bits. Each bucket is lifted from its leaves to its root at `bucketDepth` one level at a time: all of the
/// level's parents are written as 65-byte inputs `0x01 ‖ left ‖ right` and hashed together through
/// `Blake3.hashLanes`, in buffers small enough to stay in the core's cache. Buckets are independent, so the
/// cores share them out; the buckets' roots are then lifted the same way to the tree's root.
///
/// A node with two non-empty children is where two neighbouring keys part: the lift pairs two groups of
/// keys exactly at the depth their boundary's keys part, and records both children for proofs.
extension SparseMerkleTree {
    /// Keys a bucket aims at: a few KiB of buffers per level, while the lane hasher still gets full batches.
    static let keysPerBucket = 128
    /// The most leading bits buckets are cut on (65 536 buckets).
    static let maxBucketDepth = 16
    /// Below this many keys one core builds the tree: handing work to other threads would cost more.
    static let parallelThreshold = 4_096
    /// Bytes of one parent's hash input: `0x01 ‖ left ‖ right`.
    static let nodeInputLength = 1 + 2 * Hash32.byteCount

    /// `emptySubtree` laid end to end, 32 bytes each, for copying into hash inputs.
    static let emptySubtreeBytes: [UInt8] = emptySubtree.flatMap(\.bytes)

    /// The parts of a built tree.
    struct Built {
        var keys: [Hash32]
        var leaves: [Hash32]
        var leftChildren: [Hash32]
        var rightChildren: [Hash32]
        var root: Hash32
    }

    /// The tree of `keys` (ascending, distinct) with `leaves` (none empty).
    static func build(sortedKeys keys: [Hash32], leaves: [Hash32]) -> Built {
        let count = keys.count
        guard count > 0 else {
            return Built(keys: [], leaves: [], leftChildren: [], rightChildren: [], root: emptySubtree[depth])
        }
        // Boundary i lies between keys[i] and keys[i + 1]. The buffers get one spare slot so that none is
        // empty when the tree has a single key.
        let boundaryCount = count - 1
        let partDepths = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: boundaryCount + 1)
        let leftChildren = UnsafeMutableBufferPointer<Hash32>.allocate(capacity: boundaryCount + 1)
        let rightChildren = UnsafeMutableBufferPointer<Hash32>.allocate(capacity: boundaryCount + 1)
        partDepths.initialize(repeating: 0)
        leftChildren.initialize(repeating: .zero)
        rightChildren.initialize(repeating: .zero)
        defer {
            partDepths.deallocate()
            leftChildren.deallocate()
            rightChildren.deallocate()
        }
        // partDepths[i]: the depth of the branch node where keys[i] and keys[i + 1] part.
        for index in 0..<boundaryCount {
            partDepths[index] = UInt16(commonPrefixLength(keys[index], keys[index + 1]))
        }
        let wantedBuckets = count / keysPerBucket
        let bucketDepth = min(maxBucketDepth, Int.bitWidth - wantedBuckets.leadingZeroBitCount)
        // The first key of each bucket, then `count`.
        var bucketStarts = [0]
        for index in 0..<boundaryCount where Int(partDepths[index]) < bucketDepth {
            bucketStarts.append(index + 1)
        }
        bucketStarts.append(count)
        let bucketCount = bucketStarts.count - 1
        let bucketFirsts = UnsafeMutableBufferPointer<Int>.allocate(capacity: bucketCount)
        let bucketDigests = UnsafeMutableRawBufferPointer.allocate(byteCount: bucketCount * Hash32.byteCount, alignment: 8)
        let bucketInputs = UnsafeMutableRawBufferPointer.allocate(byteCount: bucketCount * nodeInputLength, alignment: 8)
        defer {
            bucketFirsts.deallocate()
            bucketDigests.deallocate()
            bucketInputs.deallocate()
        }
        _ = bucketFirsts.initialize(from: bucketStarts.dropLast())

        keys.withUnsafeBufferPointer { keys in
            emptySubtreeBytes.withUnsafeBufferPointer { empty in
                let lifter = LevelLifter(
                    keys: keys.baseAddress!, partDepths: UnsafePointer(partDepths.baseAddress!),
                    emptySubtreeBytes: empty.baseAddress!, leftChildren: leftChildren.baseAddress!,
                    rightChildren: rightChildren.baseAddress!)
                liftBuckets(
                    lifter: lifter, leaves: leaves, bucketStarts: bucketStarts, bucketDepth: bucketDepth,
                    into: bucketDigests.baseAddress!)
                // The buckets' roots, lifted from bucketDepth to the tree's root.
                let left = lifter.lift(
                    count: bucketCount, firsts: bucketFirsts.baseAddress!, digests: bucketDigests.baseAddress!,
                    inputs: bucketInputs.baseAddress!, fromDepth: bucketDepth, toDepth: 0)
                precondition(left == 1, "a tree's keys meet at its root")
            }
        }
        return Built(
            keys: keys, leaves: leaves, leftChildren: Array(leftChildren.prefix(boundaryCount)),
            rightChildren: Array(rightChildren.prefix(boundaryCount)), root: Hash32(loadingFrom: bucketDigests.baseAddress!))
    }

    /// Lifts every bucket from its leaves to its root at `bucketDepth`, writing bucket b's root at
    /// `digests + 32 b`; on all cores when the tree is large.
    private static func liftBuckets(
        lifter: LevelLifter, leaves: [Hash32], bucketStarts: [Int], bucketDepth: Int, into digests: UnsafeMutableRawPointer
    ) {
        let bucketCount = bucketStarts.count - 1
        // Each piece lifts a run of buckets with buffers of its own, writes the branch records of its own
        // keys' boundaries and its own buckets' roots: no two pieces write the same byte.
        nonisolated(unsafe) let lifter = lifter
        nonisolated(unsafe) let digests = digests
        let liftPiece: @Sendable (Range<Int>) -> Void = { buckets in
            let largest = buckets.map { bucketStarts[$0 + 1] - bucketStarts[$0] }.max() ?? 0
            var firsts = [Int](repeating: 0, count: largest)
            var pieceDigests = [UInt8](repeating: 0, count: largest * Hash32.byteCount)
            var inputs = [UInt8](repeating: 0, count: largest * nodeInputLength)
            firsts.withUnsafeMutableBufferPointer { firsts in
                pieceDigests.withUnsafeMutableBytes { pieceDigests in
                    inputs.withUnsafeMutableBytes { inputs in
                        for bucket in buckets {
                            let start = bucketStarts[bucket]
                            let size = bucketStarts[bucket + 1] - start
                            for index in 0..<size {
                                firsts[index] = start + index
                                leaves[start + index].store(to: pieceDigests.baseAddress! + index * Hash32.byteCount)
                            }
                            let left = lifter.lift(
                                count: size, firsts: firsts.baseAddress!, digests: pieceDigests.baseAddress!,
                                inputs: inputs.baseAddress!, fromDepth: depth, toDepth: bucketDepth)
                            precondition(left == 1, "a bucket's keys share their first bucketDepth bits")
                            (digests + bucket * Hash32.byteCount).copyMemory(
                                from: pieceDigests.baseAddress!, byteCount: Hash32.byteCount)
                        }
                    }
                }
            }
        }
        guard bucketStarts[bucketCount] >= parallelThreshold, bucketCount > 1 else {
            liftPiece(0..<bucketCount)
            return
        }
        // Several pieces per core, so a core that finishes early takes another.
        let pieces = min(bucketCount, 64)
        DispatchQueue.concurrentPerform(iterations: pieces) { piece in
            liftPiece((piece * bucketCount / pieces)..<((piece + 1) * bucketCount / pieces))
        }
    }

    /// The shared inputs and branch records of one build, as raw pointers that several cores use at once:
    /// the keys, their part depths and the empty hashes are only read, and each lift writes the branch
    /// records of the boundaries between its own groups only.
    struct LevelLifter {
        let keys: UnsafePointer<Hash32>
        let partDepths: UnsafePointer<UInt16>
        let emptySubtreeBytes: UnsafePointer<UInt8>
        let leftChildren: UnsafeMutablePointer<Hash32>
        let rightChildren: UnsafeMutablePointer<Hash32>

        /// Lifts `count` groups of keys from `fromDepth` to `toDepth` and returns how many groups are left.
        ///
        /// Group g holds the keys from `firsts[g]` up to the next group's first key, sharing their first
        /// `fromDepth` bits; its node at `fromDepth` has the hash at `digests + 32 g`. Both buffers hold the
        /// groups at `toDepth` on return; `inputs` has room for `count` hash inputs.
        func lift(
            count: Int, firsts: UnsafeMutablePointer<Int>, digests: UnsafeMutableRawPointer, inputs: UnsafeMutableRawPointer,
            fromDepth: Int, toDepth: Int
        ) -> Int {
            let hashSize = Hash32.byteCount
            var count = count
            var childDepth = fromDepth
            while childDepth > toDepth {
                // The children are at childDepth; bit childDepth − 1 says which side each one is on.
                let bitIndex = childDepth - 1
                let empty = UnsafeRawPointer(emptySubtreeBytes + hashSize * (SparseMerkleTree.depth - childDepth))
                var parents = 0
                var group = 0
                while group < count {
                    let first = firsts[group]
                    let child = UnsafeRawPointer(digests + hashSize * group)
                    let input = inputs + SparseMerkleTree.nodeInputLength * parents
                    input.storeBytes(of: SparseMerkleTree.nodePrefix, as: UInt8.self)
                    if SparseMerkleTree.bit(bitIndex, of: keys[first]) == 1 {
                        (input + 1).copyMemory(from: empty, byteCount: hashSize)
                        (input + 1 + hashSize).copyMemory(from: child, byteCount: hashSize)
                        group += 1
                    } else if group + 1 < count, Int(partDepths[firsts[group + 1] - 1]) == bitIndex {
                        // The next group is this one's right sibling: a branch node.
                        let sibling = child + hashSize
                        (input + 1).copyMemory(from: child, byteCount: 2 * hashSize)
                        let boundary = firsts[group + 1] - 1
                        leftChildren[boundary] = Hash32(loadingFrom: child)
                        rightChildren[boundary] = Hash32(loadingFrom: sibling)
                        group += 2
                    } else {
                        (input + 1).copyMemory(from: child, byteCount: hashSize)
                        (input + 1 + hashSize).copyMemory(from: empty, byteCount: hashSize)
                        group += 1
                    }
                    // Never ahead of `group`, so no first index is overwritten before it is read.
                    firsts[parents] = first
                    parents += 1
                }
                Blake3.hashLanes(
                    UnsafeRawBufferPointer(start: inputs, count: SparseMerkleTree.nodeInputLength * parents),
                    inputLength: SparseMerkleTree.nodeInputLength, count: parents,
                    into: UnsafeMutableRawBufferPointer(start: digests, count: hashSize * parents))
                count = parents
                childDepth -= 1
            }
            return count
        }
    }
}
