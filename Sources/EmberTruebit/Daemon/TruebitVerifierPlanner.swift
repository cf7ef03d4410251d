import EmberConsensus
import EmberCore
import EmberCrypto

/// The verifier daemon's decisions (docs/truebit.md, "Challenger"), as pure functions of the chain's view
/// and its verdicts: which solutions to re-run, which to challenge (only before the deadline), which move
/// each of its games needs, which part to name, and which refuted solutions to close and results to void.
public enum TruebitVerifierPlanner {
    /// What a pass knows.
    public struct View: Sendable {
        public var nextHeight: UInt64
        public var layer2: Layer2Parameters
        public var challengerKey: RawPublicKey
        /// Every Truebit record seen (solutions, games, markers, results), spent or not.
        public var records: [TruebitChainRecord]
        /// The daemon's verdicts, by solutionId.
        public var verdicts: [Hash32: SolutionVerdict]

        public init(nextHeight: UInt64, layer2: Layer2Parameters, challengerKey: RawPublicKey, records: [TruebitChainRecord], verdicts: [Hash32: SolutionVerdict]) {
            self.nextHeight = nextHeight
            self.layer2 = layer2
            self.challengerKey = challengerKey
            self.records = records
            self.verdicts = verdicts
        }
    }

    /// Everything the pass should do, in order: the moves of its games (each clock is running), claims,
    /// closes and voids, challenges, and last the checks of new solutions.
    public static func plan(_ view: View) -> [TruebitVerifierAction] {
        var solutions = [Hash32: TruebitChainRecord]()
        var markers = [Hash32: TruebitChainRecord]()
        var ownGames = Set<Hash32>()
        for record in view.records {
            switch record.output.lock {
            case .truebitSolution(let lock): solutions[lock.solutionId] = record
            case .truebitRefuted(let lock) where record.isUnspent: markers[lock.solutionId] = markers[lock.solutionId] ?? record
            case .truebitGame(let lock) where lock.challengerKey == view.challengerKey: ownGames.insert(lock.solutionId)
            default: break
            }
        }
        var moves = [TruebitVerifierAction]()
        var claims = [TruebitVerifierAction]()
        for game in view.records where game.isUnspent {
            guard case .truebitGame(let lock) = game.output.lock, lock.challengerKey == view.challengerKey, let solution = solutions[lock.solutionId]
            else { continue }
            let turn = GameTurn(lock)
            let ranOut = view.layer2.clockHasRunOut(clock: UInt64(turn.moverClock(lock)), createdHeight: game.height, height: view.nextHeight)
            switch (turn, ranOut) {
            case (.challengerSteps, false): moves.append(.step(game: game, solution: solution))
            case (.challengerChooses, false):
                // Points that do not hash to the game's pointsHash are not the bisect's: wait for the real ones.
                guard let points = game.points, Blake3.hash(points.flatMap(\.bytes)) == lock.pointsHash else { continue }
                moves.append(.choose(game: game, points: points, solution: solution))
            case (.solverBisects, true): claims.append(.claim(game: game))
            default: continue
            }
        }
        var settlements = [TruebitVerifierAction]()
        for (solutionId, marker) in markers.sorted(by: { $0.value.height < $1.value.height }) {
            if let solution = solutions[solutionId], solution.isUnspent { settlements.append(.close(solution: solution, marker: marker)) }
        }
        for result in view.records where result.isUnspent {
            guard case .truebitResult(let lock) = result.output.lock, let marker = markers[lock.solutionId] else { continue }
            settlements.append(.voidResult(result: result, marker: marker))
        }
        var challenges = [TruebitVerifierAction]()
        var checks = [TruebitVerifierAction]()
        for solution in solutions.values.sorted(by: { $0.height < $1.height }) where solution.isUnspent {
            guard case .truebitSolution(let lock) = solution.output.lock, view.nextHeight < lock.deadline else { continue }
            switch view.verdicts[lock.solutionId]?.agrees {
            case nil: checks.append(.check(solution: solution))
            case false?: if !ownGames.contains(lock.solutionId), markers[lock.solutionId] == nil { challenges.append(.challenge(solution: solution)) }
            case true?: continue
            }
        }
        return moves + claims + settlements + challenges + checks
    }

    /// The part to name (1 … k) among the solver's `points` for a game over [lo, hi] whose hiHash is
    /// `hiHash`: the first whose right end differs from the daemon's own hash there (`own`: its hashes at
    /// the same points, then at hi). Nil when every right end agrees: the daemon has no dispute left.
    public static func part(points: [Hash32], hiHash: Hash32, own: [Hash32]) -> Int? {
        let claimed = points + [hiHash]
        guard own.count == claimed.count else { return nil }
        return zip(claimed, own).enumerated().first { $0.element.0 != $0.element.1 }.map { $0.offset + 1 }
    }
}
