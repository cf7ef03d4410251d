import EmberCore
import EmberCrypto

/// One thing the solver daemon's planner decided to do in a pass (`TruebitSolverPlanner.plan`).
public enum TruebitSolverAction: Equatable, Sendable, CustomStringConvertible {
    /// Weigh an open task, run it, and commit if it is worth taking and defensible.
    case take(task: TruebitChainRecord)
    /// Send the commit of a stored solution again: it is not on the chain and the task is still open.
    case commit(SolverSolution, task: TruebitChainRecord)
    /// The commit is final: open it.
    case reveal(SolverSolution, commit: TruebitChainRecord)
    /// Post the state hashes at the bisection points of a game against the solution `solution`.
    case bisect(game: TruebitChainRecord, solution: TruebitChainRecord)
    /// The challenger of a game ran out of clock: take half its deposit.
    case claim(game: TruebitChainRecord)
    /// The solution's challenge window and every game are over: take the reward and the deposit back.
    case payout(solution: TruebitChainRecord)
    /// Record what the chain says became of a solution.
    case setStatus(SolverSolution, SolverSolution.Status, reason: String)

    /// Names the action for the store's record of sends: an action is sent again only after some blocks
    /// under the same key without effect. Nil for what sends nothing.
    public var key: String? {
        switch self {
        case .take: nil
        case .commit(let solution, _): "commit/\(Self.name(solution.taskOutpoint))"
        case .reveal(_, let commit): "reveal/\(Self.name(commit.outpoint))"
        case .bisect(let game, _): "bisect/\(Self.name(game.outpoint))"
        case .claim(let game): "claim/\(Self.name(game.outpoint))"
        case .payout(let solution): "payout/\(Self.name(solution.outpoint))"
        case .setStatus: nil
        }
    }

    public var description: String {
        switch self {
        case .take(let task): "take task \(Self.name(task.outpoint))"
        case .commit(let solution, _): "send again the commit to task \(solution.taskId.hex.prefix(16))…"
        case .reveal(_, let commit): "reveal commit \(Self.name(commit.outpoint))"
        case .bisect(let game, _): "bisect game \(Self.name(game.outpoint))"
        case .claim(let game): "claim game \(Self.name(game.outpoint))"
        case .payout(let solution): "payout of solution \(Self.name(solution.outpoint))"
        case .setStatus(let solution, let status, let reason): "solution to task \(solution.taskId.hex.prefix(16))… is \(status.rawValue): \(reason)"
        }
    }

    static func name(_ outpoint: OutPoint) -> String { "\(outpoint.txid.hex.prefix(16))…:\(outpoint.index)" }
}
