import EmberCore
import EmberCrypto

/// One worker's batch of headers and the digests of its last hash: the hot loop of the miner.
///
/// Owned by one thread. Each lane holds the whole 109-byte header encoding; a batch rewrites only each
/// lane's nonce (its `low` word, and `middle` when that moves), hashes every lane with
/// `Blake3.hashLanes(double: true)` and compares each digest with the target.
final class NonceSearch {
    /// 64 headers per call: a multiple of every kernel's lane count, and small enough (about 4 µs with
    /// AVX2) that a worker notices a new template or a stop almost at once.
    static let defaultBatchSize = 64

    let batchSize: Int
    let kernel: Blake3Kernel
    private(set) var space: NonceSpace
    private var target = MiningTarget(CompactTarget(bits: 0))
    private let headers: UnsafeMutableRawBufferPointer
    private let digests: UnsafeMutableRawBufferPointer
    /// The `middle` word the lanes hold now.
    private var middleInLanes: UInt64 = 0

    init(worker: Int, batchSize: Int = defaultBatchSize, kernel: Blake3Kernel = .active) {
        precondition(batchSize > 0, "a batch holds at least one header")
        self.batchSize = batchSize
        self.kernel = kernel
        space = NonceSpace(worker: UInt64(worker))
        headers = .allocate(byteCount: batchSize * BlockHeader.encodedSize, alignment: 64)
        headers.initializeMemory(as: UInt8.self, repeating: 0)
        digests = .allocate(byteCount: batchSize * Hash32.byteCount, alignment: 64)
        digests.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        headers.deallocate()
        digests.deallocate()
    }

    /// Starts on a new header at the beginning of this worker's nonce space (or at `space`'s position).
    func load(header: [UInt8], target: MiningTarget, space: NonceSpace? = nil) {
        precondition(header.count == BlockHeader.encodedSize, "a header encoding is 109 bytes")
        self.target = target
        self.space = space ?? NonceSpace(worker: self.space.worker)
        for lane in 0..<batchSize {
            let base = lane * BlockHeader.encodedSize
            header.withUnsafeBytes { headers.baseAddress!.advanced(by: base).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            headers.storeBytes(of: self.space.worker.bigEndian, toByteOffset: base + BlockHeader.nonceOffset, as: UInt64.self)
            headers.storeBytes(of: self.space.middle.bigEndian, toByteOffset: base + BlockHeader.nonceOffset + 8, as: UInt64.self)
        }
        middleInLanes = self.space.middle
    }

    /// Hashes the next `batchSize` nonces; returns one that meets the target, if any did.
    func hashNextBatch() -> Nonce? {
        let (middle, firstLow) = fillNextBatch()
        Blake3.hashLanes(
            UnsafeRawBufferPointer(headers), inputLength: BlockHeader.encodedSize, count: batchSize,
            into: digests, double: true, kernel: kernel)
        let digestBase = UnsafeRawPointer(digests.baseAddress!)
        for lane in 0..<batchSize where target.isMet(byDigestAt: digestBase + lane * Hash32.byteCount) {
            return space.nonce(middle: middle, firstLow: firstLow, lane: lane)
        }
        return nil
    }

    /// Writes the next batch's nonces into the lanes; returns the batch's middle word and first low word.
    func fillNextBatch() -> (middle: UInt64, firstLow: UInt64) {
        let (middle, firstLow) = space.reserve(batchSize)
        let nonceBase = BlockHeader.nonceOffset
        if middle != middleInLanes {
            for lane in 0..<batchSize {
                headers.storeBytes(of: middle.bigEndian, toByteOffset: lane * BlockHeader.encodedSize + nonceBase + 8, as: UInt64.self)
            }
            middleInLanes = middle
        }
        for lane in 0..<batchSize {
            let low = firstLow + UInt64(lane)
            headers.storeBytes(of: low.bigEndian, toByteOffset: lane * BlockHeader.encodedSize + nonceBase + 16, as: UInt64.self)
        }
        return (middle, firstLow)
    }

    /// The header bytes lane `lane` holds now.
    func headerBytes(lane: Int) -> [UInt8] {
        let base = lane * BlockHeader.encodedSize
        return Array(UnsafeRawBufferPointer(rebasing: headers[base..<base + BlockHeader.encodedSize]))
    }
}
