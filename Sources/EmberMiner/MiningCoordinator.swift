import EmberCore
import Foundation
import Synchronization

/// What every worker mines now: one template, numbered so a worker can tell when it has been replaced.
struct MiningJob: Sendable {
    let generation: UInt64
    let template: BlockTemplate
    let headerBytes: [UInt8]
    let target: MiningTarget

    init(generation: UInt64, template: BlockTemplate) {
        self.generation = generation
        self.template = template
        headerBytes = template.header.encoded
        target = MiningTarget(template.header.target)
    }
}

/// The state the `Miner` and its worker threads share: the current job, whether the workers are to
/// stop, how many are running, and the generation counter the workers poll between batches.
///
/// `@unchecked Sendable`, proven: `state`, the one `var`, is read and written only while `condition` is
/// locked (every method that touches it locks first, `install` is called only from methods that hold
/// the lock), and every other stored property is a `let` of a `Sendable` type (`Atomic`, `NSCondition`,
/// the stream's continuation).
final class MiningCoordinator: @unchecked Sendable {
    /// Moves on whenever the job changes (replaced, solved, or mining stopped). Workers load it after
    /// each batch with relaxed ordering: a change only tells them to come and read `state` under the
    /// lock, which orders everything else.
    let generation = Atomic<UInt64>(0)
    private let condition = NSCondition()
    private let solved: AsyncStream<Block>.Continuation
    private var state = State()

    private struct State {
        var job: MiningJob?
        var runningWorkers = 0
        var stopping = false
    }

    init(solved: AsyncStream<Block>.Continuation) {
        self.solved = solved
    }

    private func withState<Result>(_ body: (inout State) -> Result) -> Result {
        condition.lock()
        defer { condition.unlock() }
        return body(&state)
    }

    var isRunning: Bool { withState { $0.runningWorkers > 0 && !$0.stopping } }

    /// Makes `template` the job; when no worker runs, calls `spawnWorkers` (under the lock) so exactly
    /// one set of workers exists. Waits for a stop in progress to finish first.
    func start(_ template: BlockTemplate, workerCount: Int, spawnWorkers: () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        while state.stopping { condition.wait() }
        install(template)
        if state.runningWorkers == 0 {
            state.runningWorkers = workerCount
            spawnWorkers()
        }
    }

    /// Makes `template` the job of the running workers, if any.
    func replace(_ template: BlockTemplate) {
        condition.lock()
        defer { condition.unlock() }
        install(template)
    }

    /// Must hold the lock.
    private func install(_ template: BlockTemplate) {
        let next = generation.wrappingAdd(1, ordering: .relaxed).newValue
        state.job = MiningJob(generation: next, template: template)
        condition.broadcast()
    }

    /// Tells every worker to finish and returns once all have left their loops.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        while state.stopping { condition.wait() }
        state.job = nil
        guard state.runningWorkers > 0 else { return }
        state.stopping = true
        generation.wrappingAdd(1, ordering: .relaxed)
        condition.broadcast()
        while state.runningWorkers > 0 { condition.wait() }
        state.stopping = false
        condition.broadcast()
    }

    /// Ends the stream of solved blocks; for the miner's deinit.
    func finish() { solved.finish() }

    // MARK: Worker side

    /// The job after the one numbered `seen`, waiting while there is none; nil when the worker is to stop.
    func nextJob(after seen: UInt64?) -> MiningJob? {
        condition.lock()
        defer { condition.unlock() }
        while !state.stopping, state.job == nil || state.job?.generation == seen {
            condition.wait()
        }
        return state.stopping ? nil : state.job
    }

    /// Hands in a nonce that meets `job`'s target. The first solution of the current job becomes a block
    /// on the stream and leaves the workers idle until the next template; a solution of a job already
    /// replaced, solved or stopped is dropped, so no block of an old template ever comes out.
    func submit(_ nonce: Nonce, for job: MiningJob) {
        condition.lock()
        defer { condition.unlock() }
        guard !state.stopping, state.job?.generation == job.generation else { return }
        state.job = nil
        generation.wrappingAdd(1, ordering: .relaxed)
        solved.yield(job.template.block(nonce: nonce))
    }

    /// Called by each worker as it leaves its loop.
    func workerExited() {
        condition.lock()
        defer { condition.unlock() }
        state.runningWorkers -= 1
        condition.broadcast()
    }
}
