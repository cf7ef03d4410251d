import EmberCore
import EmberCrypto

/// Why the solver daemon does not take a task; each is phrased for the person reading its log.
public enum TaskRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case maxStepsOverLimit(maxSteps: UInt64, limit: UInt64)
    case depositOverLimit(deposit: Amount, limit: Amount)
    case rewardTooSmall(reward: Amount, minimum: Amount)
    /// A commit's revealBy would come before the commit is final, so the reveal could never be made.
    case windowTooShort(window: UInt32, finalityDepth: UInt64)
    /// Too few blocks left before solveDeadline to run the task and get a commit mined.
    case deadlineTooNear(solveDeadline: UInt64, nextHeight: UInt64, needed: UInt64)
    /// The node serves no blob with this hash (yet): asked again next pass.
    case blobUnavailable(Hash32)
    /// The run could not be made (the program does not load, the initial state differs).
    case runRefused(String)
    /// The run trapped, exited with a code other than 0, or did not halt within maxSteps: no solution exists.
    case unsolvable(String)
    case outputTooLarge(bytes: Int, limit: Int)
    case memoryOverLimit(bytes: Int, limit: Int)
    /// A flood of sybil games would cost the daemon more computation than it can do within the clock, or
    /// cost their sender less than the daemon could lose: `games` is how many games it can answer.
    case indefensible(games: Double, challengerDeposit: Amount, atRisk: Amount)

    /// Whether the refusal may not hold next pass, so it is not stored.
    public var isTransient: Bool {
        if case .blobUnavailable = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .maxStepsOverLimit(let maxSteps, let limit): "maxSteps \(maxSteps) is over the daemon's limit of \(limit)"
        case .depositOverLimit(let deposit, let limit): "the solver deposit \(deposit) is over the daemon's limit of \(limit) units"
        case .rewardTooSmall(let reward, let minimum): "the reward \(reward) is under the daemon's minimum of \(minimum) units"
        case .windowTooShort(let window, let depth):
            "the challenge window of \(window) blocks ends a commit's reveal time before the commit is \(depth) blocks deep (final)"
        case .deadlineTooNear(let deadline, let next, let needed):
            "solveDeadline \(deadline) leaves too few blocks after \(next) (the daemon needs \(needed))"
        case .blobUnavailable(let hash): "the node serves no blob \(hash.hex) yet"
        case .runRefused(let reason): "the run cannot be made: \(reason)"
        case .unsolvable(let reason): "no solution exists: the run \(reason)"
        case .outputTooLarge(let bytes, let limit): "the output of \(bytes) bytes is over the \(limit) a reveal carries"
        case .memoryOverLimit(let bytes, let limit): "the run holds \(bytes) bytes of memory, over the daemon's limit of \(limit)"
        case .indefensible(let games, let deposit, let atRisk):
            "indefensible: the daemon can answer about \(Int(games.rounded(.down))) games within the clock, costing a flood of them \(deposit) units each, "
                + "less than the \(atRisk) units at risk"
        }
    }
}
