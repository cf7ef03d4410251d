import EmberCrypto

/// The verifier daemon's verdict on a solution after re-running its task, by solutionId.
public struct SolutionVerdict: Hashable, Sendable {
    public var solutionId: Hash32
    /// Whether its own state hash at the solution's step count equals the solution's finalState.
    public var agrees: Bool
    /// Its own state hash at the solution's step count.
    public var ownState: Hash32
    public var height: UInt64

    public init(solutionId: Hash32, agrees: Bool, ownState: Hash32, height: UInt64) {
        self.solutionId = solutionId
        self.agrees = agrees
        self.ownState = ownState
        self.height = height
    }
}
