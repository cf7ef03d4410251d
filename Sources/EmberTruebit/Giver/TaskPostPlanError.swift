import EmberCore
import EmberNode

/// Why `ember truebit post` will not post the task as asked; phrased for the giver.
public enum TaskPostPlanError: Error, Hashable, Sendable, CustomStringConvertible {
    case rewardZero
    case maxStepsBelowRun(maxSteps: UInt64, measured: UInt64)
    case maxStepsTooLoose(maxSteps: UInt64, measured: UInt64, margin: UInt64)
    case windowOutOfRange(window: UInt32, range: ClosedRange<UInt32>)
    case windowTooShortForSteps(window: UInt32, maxSteps: UInt64, stepsPerBlock: UInt64)
    case clockOutOfRange(clock: UInt32, minimum: UInt64, maximum: UInt32)
    case depositBelowMinimum(role: String, minimum: Amount)
    case solveDeadlineOutOfRange(blocks: UInt64)

    public var description: String {
        switch self {
        case .rewardZero: "the reward must be above zero"
        case .maxStepsBelowRun(let maxSteps, let measured):
            "maxSteps \(maxSteps) is below the \(measured) steps the program takes on this input: no solution could be right"
        case .maxStepsTooLoose(let maxSteps, let measured, let margin):
            "maxSteps \(maxSteps) is over \(margin)× the measured \(measured) steps; a liar could claim a run no verifier reaches (pass --force to post anyway)"
        case .windowOutOfRange(let window, let range): "the challenge window \(window) lies outside \(range.lowerBound)…\(range.upperBound) blocks"
        case .windowTooShortForSteps(let window, let maxSteps, let stepsPerBlock):
            "a window of \(window) blocks allows at most \(UInt64(window) * stepsPerBlock) steps (\(stepsPerBlock) per block), under maxSteps \(maxSteps)"
        case .clockOutOfRange(let clock, let minimum, let maximum): "the clock \(clock) lies outside \(minimum)…\(maximum) blocks for this maxSteps"
        case .depositBelowMinimum(let role, let minimum): "the \(role) deposit is below the network's minimum of \(CoinAmount.formatWithUnit(minimum))"
        case .solveDeadlineOutOfRange(let blocks): "an offer of \(blocks) blocks is out of range"
        }
    }
}
