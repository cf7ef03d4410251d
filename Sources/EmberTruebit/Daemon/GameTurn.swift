import EmberCore

/// Whose move a verification game waits for, and which move it is (docs/truebit.md, "Who is to move"):
/// the solver bisects a range of two steps or more with no points posted; the challenger chooses a part of
/// posted points, or proves the one step left. The side to move loses when its clock runs out.
public enum GameTurn: Hashable, Sendable {
    case solverBisects
    case challengerChooses
    case challengerSteps
    /// lo ≥ hi: no rule creates such a game, so no move exists (a node's invented output, say).
    case none

    public init(_ game: TruebitGameLock) {
        guard game.lo < game.hi else {
            self = .none
            return
        }
        if game.hi - game.lo == 1 {
            self = .challengerSteps
        } else {
            self = game.pointsHash == .zero ? .solverBisects : .challengerChooses
        }
    }

    /// The side to move; nil for `none`.
    public var mover: TruebitChainRecord.GameSide? {
        switch self {
        case .solverBisects: .solver
        case .challengerChooses, .challengerSteps: .challenger
        case .none: nil
        }
    }

    /// The clock of the side to move in `game`.
    public func moverClock(_ game: TruebitGameLock) -> UInt32 {
        mover == .solver ? game.solverClock : game.challengerClock
    }
}
