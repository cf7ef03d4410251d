import EmberCore
import EmberCrypto

/// Lock tag 8, truebitSolution (docs/truebit.md): pinned only by a reveal; readable by challenges; spent by
/// closeRefuted (mode 8, reading a marker of the solution: the task comes back, half the solver's deposit to
/// the giver) or payout (mode 9, from `deadline + 3·clock`: all to the solver and a result of dust).
public struct TruebitSolutionRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.truebitSolution }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        var checks = TruebitChecks(context)
        guard case .truebitSolution(let solution) = context.spent.output.lock else { throw checks.broken("lock", "not a truebitSolution") }
        let items = context.witness.items
        switch CovenantUnlock.TruebitMode(rawValue: context.unlock.mode) {
        case .closeRefuted:
            try checks.requireItems(items, [], mode: "closeRefuted")
            var spend = try checks.taskReturned(solution.task, amount: context.spent.output.amount, rule: "closeRefuted")
            _ = try checks.marker(of: solution.solutionId)
            spend.usedReads = checks.usedReads
            return spend
        case .payout:
            try checks.requireItems(items, [], mode: "payout")
            guard let from = solution.payoutHeight else {
                throw .notAtThisHeight(rule: "payout", height: context.height, heights: ValidHeights(validFrom: .max, validBelow: 0))
            }
            let heights = try checks.from(from, rule: "payout")
            let result = TruebitResultLock(taskId: solution.task.taskId, solutionId: solution.solutionId, outputHash: solution.outputHash)
            return CovenantSpend(
                pinned: [
                    PinnedOutput(amount: context.spent.output.amount, lock: TruebitChecks.payTo(solution.solverKey)),
                    PinnedOutput(amount: checks.dust, lock: .truebitResult(result)),
                ],
                heights: heights)
        default:
            throw checks.broken("mode", "a solution is spent by closeRefuted (8) or payout (9), found mode \(context.unlock.mode)")
        }
    }

    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        throw .outputNotAllowed(output: context.outputIndex, lockTag: lockTag)
    }
}

/// Lock tag 11, truebitResult (docs/truebit.md): pinned only by a payout, holding dust; readable; spent only
/// by voidResult (mode 10) reading a marker of its solution, its dust becoming fee.
public struct TruebitResultRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.truebitResult }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        var checks = TruebitChecks(context)
        guard case .truebitResult(let result) = context.spent.output.lock else { throw checks.broken("lock", "not a truebitResult") }
        guard context.unlock.mode == CovenantUnlock.TruebitMode.voidResult.rawValue else {
            throw checks.broken("mode", "a result is spent only by voidResult (10), found mode \(context.unlock.mode)")
        }
        try checks.requireItems(context.witness.items, [], mode: "voidResult")
        try checks.requireFirstOutputZero(context.unlock, input: context.inputIndex)
        _ = try checks.marker(of: result.solutionId)
        return CovenantSpend(usedReads: checks.usedReads)
    }

    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        throw .outputNotAllowed(output: context.outputIndex, lockTag: lockTag)
    }
}

/// Lock tag 12, truebitRefuted (docs/truebit.md): the marker a won game pins, holding dust; readable by a
/// close or a void; spent only by sweep (mode 11) from 700 000 blocks after its creation, its dust becoming fee.
public struct TruebitRefutedRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.truebitRefuted }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        let checks = TruebitChecks(context)
        guard context.unlock.mode == CovenantUnlock.TruebitMode.sweep.rawValue else {
            throw checks.broken("mode", "a marker is spent only by sweep (11), found mode \(context.unlock.mode)")
        }
        try checks.requireItems(context.witness.items, [], mode: "sweep")
        try checks.requireFirstOutputZero(context.unlock, input: context.inputIndex)
        let from = TruebitChecks.sat(context.spent.height, Layer2Parameters.truebitMarkerSweepDelay)
        return CovenantSpend(heights: try checks.from(from, rule: "sweep"))
    }

    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        throw .outputNotAllowed(output: context.outputIndex, lockTag: lockTag)
    }
}
