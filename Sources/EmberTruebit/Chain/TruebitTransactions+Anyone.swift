import EmberConsensus
import EmberCore
import EmberLayer2

/// The transactions that need no signature, which anyone may submit (docs/truebit.md, "Anyone"): every
/// payment goes where the lock says, and the funding key pays the fee and any marker or result dust.
extension TruebitTransactions {
    /// Mode 3: from its revealBy on, the commit `commit` gives the task back (output 0, same taskId) and half
    /// the solver's deposit to the giver (output 1); the rest of the deposit is burnt.
    public func missedReveal(commit: ChainOutput, in context: Context) throws(TruebitTransactionError) -> SponsoredTransaction {
        _ = try commit.truebitCommit()
        return try build(CovenantTransactionRequest(covenantInputs: [try spend(commit, .missedReveal, in: context)]), in: context)
    }

    /// Mode 7: the side to move in `game` ran out of clock. Solver to move: the deposit to the challenger and
    /// a marker of the solution (its dust from the funding key). Challenger to move: half the deposit to the
    /// solver, the rest burnt.
    public func claim(game: ChainOutput, in context: Context) throws(TruebitTransactionError) -> SponsoredTransaction {
        _ = try game.truebitGame()
        return try build(CovenantTransactionRequest(covenantInputs: [try spend(game, .claimTimeout, in: context)]), in: context)
    }

    /// Mode 8: closes the refuted `solution`, reading its `marker`: the reward back into the task (output 0,
    /// same taskId) and half the solver's deposit to the giver (output 1); the rest is burnt.
    public func close(solution: ChainOutput, marker: ChainOutput, in context: Context) throws(TruebitTransactionError) -> SponsoredTransaction {
        _ = try solution.truebitSolution()
        try marker.requireTag(Lock.Tag.truebitRefuted, "truebitRefuted")
        let input = try spend(solution, .closeRefuted, reads: [marker], in: context)
        return try build(CovenantTransactionRequest(covenantInputs: [input], reads: [marker]), in: context)
    }

    /// Mode 9: from `deadline + 3·clock` on, pays the reward and deposit to the solver (output 0) and pins
    /// the task's truebitResult (output 1), its dust from the funding key.
    public func payout(solution: ChainOutput, in context: Context) throws(TruebitTransactionError) -> SponsoredTransaction {
        _ = try solution.truebitSolution()
        return try build(CovenantTransactionRequest(covenantInputs: [try spend(solution, .payout, in: context)]), in: context)
    }

    /// Mode 10: voids `result`, paid although its solution has the marker `marker`. The rule pins nothing,
    /// but a transaction needs an output: the result's dust goes to the funding key (output 0), which pays
    /// the fee.
    public func voidResult(result: ChainOutput, marker: ChainOutput, in context: Context) throws(TruebitTransactionError) -> SponsoredTransaction {
        try result.requireTag(Lock.Tag.truebitResult, "truebitResult")
        try marker.requireTag(Lock.Tag.truebitRefuted, "truebitRefuted")
        let input = try spend(result, .voidResult, reads: [marker], in: context)
        return try build(CovenantTransactionRequest(covenantInputs: [input], reads: [marker], otherOutputs: [reclaimed(result)]), in: context)
    }

    /// Mode 11: sweeps `marker` from 700 000 blocks after its creation; as for a void, its dust goes to the
    /// funding key (output 0), which pays the fee.
    public func sweep(marker: ChainOutput, in context: Context) throws(TruebitTransactionError) -> SponsoredTransaction {
        try marker.requireTag(Lock.Tag.truebitRefuted, "truebitRefuted")
        let input = try spend(marker, .sweep, in: context)
        return try build(CovenantTransactionRequest(covenantInputs: [input], otherOutputs: [reclaimed(marker)]), in: context)
    }

    /// The output a void or sweep pays the spent dust to.
    private func reclaimed(_ output: ChainOutput) -> Output {
        Output(amount: output.unspent.output.amount, lock: sponsor.fundingLock)
    }
}
