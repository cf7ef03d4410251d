import EmberCore
import EmberCrypto
import Foundation

/// Searches nonces for a block template on dedicated OS threads (DESIGN.md section 13).
///
/// Each of `threadCount` workers is a Foundation `Thread`, never a task of the Swift concurrency pool,
/// which a busy loop would starve on a 2-core machine. Worker i tries the nonces whose high word is i
/// (`NonceSpace`), hashing a batch of headers per call of the SIMD lanes, and after every batch loads
/// a generation counter that moves whenever the template is replaced, solved or mining stops.
///
/// The first solution of a template is sent on `blocks`; the workers then wait for the next template,
/// which the node builds on the new tip. A new tip or better transactions: call `replaceTemplate(_:)`.
///
/// `Sendable` as checked by the compiler: every stored property is a `let` of a `Sendable` type.
public final class Miner: Sendable {
    /// How many worker threads mine while the miner runs.
    public let threadCount: Int
    /// The Blake3 kernel the workers hash with.
    public let kernel: Blake3Kernel
    /// Solved blocks, one per template at most, in the order they were found.
    public let blocks: AsyncStream<Block>
    private let coordinator: MiningCoordinator
    private let meter: HashRateMeter

    /// A stopped miner.
    ///
    /// - Parameters:
    ///   - threadCount: worker threads, at least 1; one per core mines fastest.
    ///   - hashRateWindow: how far back `hashRate` looks.
    public init(
        threadCount: Int = ProcessInfo.processInfo.activeProcessorCount, kernel: Blake3Kernel = .active,
        hashRateWindow: Duration = .seconds(10)
    ) {
        precondition(threadCount >= 1, "a miner needs at least one thread")
        self.threadCount = threadCount
        self.kernel = kernel
        let (blocks, continuation) = AsyncStream.makeStream(of: Block.self, bufferingPolicy: .unbounded)
        self.blocks = blocks
        coordinator = MiningCoordinator(solved: continuation)
        meter = HashRateMeter(window: hashRateWindow)
    }

    deinit {
        stop()
        coordinator.finish()
    }

    /// Starts mining `template` (starting the threads if they are not running; if they are, this is
    /// `replaceTemplate`).
    public func start(template: BlockTemplate) {
        coordinator.start(template, workerCount: threadCount) {
            for index in 0..<threadCount { spawnWorker(index: index) }
        }
    }

    /// Makes the running workers mine `template` instead, within one batch; any solution of the old
    /// template found meanwhile is dropped. Does nothing while the miner is stopped.
    public func replaceTemplate(_ template: BlockTemplate) {
        coordinator.replace(template)
    }

    /// Stops the workers and returns once every thread has left its loop (within a batch, a few
    /// microseconds with SIMD lanes). Blocks the caller for that long.
    public func stop() {
        coordinator.stop()
    }

    /// True between `start` and `stop`, including while the workers wait for the next template.
    public var isRunning: Bool { coordinator.isRunning }

    /// Hashes per second over the last `hashRateWindow`, measured.
    public var hashRate: Double { meter.hashesPerSecond }

    /// Every header hashed since the miner was made.
    public var totalHashes: UInt64 { meter.totalHashes }

    private func spawnWorker(index: Int) {
        let worker = MinerWorker(
            index: index, coordinator: coordinator, meter: meter, kernel: kernel, batchSize: NonceSearch.defaultBatchSize)
        let thread = Thread { worker.run() }
        thread.name = "ember-miner-\(index)"
        thread.start()
    }
}

/// The loop of one worker thread: take the job, hash batches until it changes, hand in any solution.
struct MinerWorker: Sendable {
    /// Counts reach the meter every 16 batches (1 024 hashes), so two workers do not fight over its
    /// cache line after every batch.
    static let batchesPerReport = 16

    let index: Int
    let coordinator: MiningCoordinator
    let meter: HashRateMeter
    let kernel: Blake3Kernel
    let batchSize: Int

    func run() {
        let search = NonceSearch(worker: index, batchSize: batchSize, kernel: kernel)
        var seen: UInt64?
        while let job = coordinator.nextJob(after: seen) {
            seen = job.generation
            search.load(header: job.headerBytes, target: job.target)
            if let nonce = mine(job, with: search) {
                coordinator.submit(nonce, for: job)
            }
        }
        coordinator.workerExited()
    }

    /// Hashes batches until one holds a solution or the job changes.
    private func mine(_ job: MiningJob, with search: NonceSearch) -> Nonce? {
        var unreported = 0
        defer { meter.add(UInt64(unreported * batchSize)) }
        while coordinator.generation.load(ordering: .relaxed) == job.generation {
            let solution = search.hashNextBatch()
            unreported += 1
            if let solution { return solution }
            if unreported == Self.batchesPerReport {
                meter.add(UInt64(unreported * batchSize))
                unreported = 0
            }
        }
        return nil
    }
}
