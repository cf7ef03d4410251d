import EmberCore
import EmberCrypto

/// One thing the verifier daemon's planner decided to do in a pass (`TruebitVerifierPlanner.plan`).
public enum TruebitVerifierAction: Hashable, Sendable, CustomStringConvertible {
    /// Re-run the solution's task and record whether the solution's final state is right.
    case check(solution: TruebitChainRecord)
    /// The solution is wrong and still open to challenges: open a game against it.
    case challenge(solution: TruebitChainRecord)
    /// The solver posted points in a game of the daemon's: name the first part that differs from the run.
    case choose(game: TruebitChainRecord, points: [Hash32], solution: TruebitChainRecord)
    /// One step is left in a game of the daemon's: prove it on layer 1.
    case step(game: TruebitChainRecord, solution: TruebitChainRecord)
    /// The solver of a game of the daemon's ran out of clock: take the deposit back and pin the marker.
    case claim(game: TruebitChainRecord)
    /// A marker of the solution exists: close the solution (the reward back into the task).
    case close(solution: TruebitChainRecord, marker: TruebitChainRecord)
    /// A result was paid although its solution has a marker: void it.
    case voidResult(result: TruebitChainRecord, marker: TruebitChainRecord)

    /// Names the action for the store's record of sends (see `TruebitSolverAction.key`); nil for a check.
    public var key: String? {
        switch self {
        case .check: nil
        case .challenge(let solution): "challenge/\(name(solution.outpoint))"
        case .choose(let game, _, _): "choose/\(name(game.outpoint))"
        case .step(let game, _): "step/\(name(game.outpoint))"
        case .claim(let game): "claim/\(name(game.outpoint))"
        case .close(let solution, _): "close/\(name(solution.outpoint))"
        case .voidResult(let result, _): "void/\(name(result.outpoint))"
        }
    }

    public var description: String {
        switch self {
        case .check(let solution): "check solution \(name(solution.outpoint))"
        case .challenge(let solution): "challenge solution \(name(solution.outpoint))"
        case .choose(let game, _, _): "choose in game \(name(game.outpoint))"
        case .step(let game, _): "prove the last step of game \(name(game.outpoint))"
        case .claim(let game): "claim game \(name(game.outpoint))"
        case .close(let solution, _): "close refuted solution \(name(solution.outpoint))"
        case .voidResult(let result, _): "void result \(name(result.outpoint))"
        }
    }

    private func name(_ outpoint: OutPoint) -> String { TruebitSolverAction.name(outpoint) }
}
