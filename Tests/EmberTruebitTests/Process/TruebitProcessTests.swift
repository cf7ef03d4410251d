import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberTruebit
import Foundation
import Testing

/// Truebit end to end, tried as a new user would (issue 17): a devnet `ember node` the test mines, the
/// task posted with `ember truebit post`, the `ember truebit solve` and `ember truebit verify` daemons as
/// processes, and the result read with `ember truebit status`. The SPV program of Programs/spv is the task.
@Suite("Truebit end to end with real processes", .serialized)
struct TruebitProcessTests {
    static let giver: UInt32 = TruebitProcessFixture.giverKey
    static let solver: UInt32 = 2
    static let verifier: UInt32 = 3
    static let honestSolver: UInt32 = 4
    static let emb = Amount.unitsPerCoin

    /// The last `count` headers of the fixture's node, the SPV input a giver would post, and what the program must output.
    static func nodeInput(_ fixture: TruebitProcessFixture, count: Int) async throws -> (input: SPVTaskInput, expected: SPVTaskOutput) {
        for _ in 0..<count { _ = try await fixture.node.mineBlock() }
        let input = try await SPVTaskInput.fetchLatest(count: count, from: fixture.client, maximumTarget: (try ConsensusParams.devnet()).maxTarget)
        guard case .valid(let expected) = SPVReference.verdict(for: input) else { throw TestFailure("the node's own chain is not a valid SPV input") }
        return (input, expected)
    }

    static func logs(_ daemons: [EmberProcess]) -> String {
        daemons.map { "\($0.arguments[1]) \($0.arguments[5]):\n\($0.output.suffix(2_500))" }.joined(separator: "\n")
    }

    @Test("an honest solver is paid after the window; the verifier re-runs the task, agrees and opens no game")
    func honestSolverIsPaid() async throws {
        let fixture = try await TruebitProcessFixture.start(name: "truebit-honest")
        var daemons = [EmberProcess]()
        defer { fixture.stop(daemons) }
        let (input, expected) = try await Self.nodeInput(fixture, count: 20)
        daemons.append(try fixture.daemon("solve", key: Self.solver, ["--accept-indefensible"]))
        daemons.append(try fixture.daemon("verify", key: Self.verifier))
        let solverBefore = try await fixture.balance(Self.solver)
        let verifierBefore = try await fixture.balance(Self.verifier)

        let taskId = try await fixture.post(input: input.encoded, extra: ["--window", "8"])
        var gamesSeen = 0
        let final = try await fixture.mineUntil(blocks: 400) {
            let status = try await fixture.status(taskId)
            gamesSeen = max(gamesSeen, status?.games.count ?? 0)
            return status?.phase == .final
        }
        #expect(final, "\(Self.logs(daemons))")
        let status = try #require(try await fixture.status(taskId))
        #expect(status.solution?.solverKey == TruebitProcessFixture.raw(Self.solver))
        #expect(status.refutedSolutions == 0)
        #expect(gamesSeen == 0)

        let json = try await fixture.statusCommand(taskId)
        #expect(json["phase"] as? String == "final")
        #expect(json["output"] as? String == expected.encoded.hexString)
        let spv = try #require(json["spv"] as? [String: Any])
        #expect(spv["tip"] as? String == input.headers[input.headers.count - 1].hash.hex)
        #expect(spv["headers"] as? Int == 20)

        // The reward, less the solver's fees and the result's dust (0.001 EMB); the deposit came back whole.
        let gained = try #require((try await fixture.balance(Self.solver)).subtracting(solverBefore))
        #expect(gained > Amount(units: 10 * Self.emb - Self.emb / 100) && gained < Amount(units: 10 * Self.emb), "gained \(gained)")
        #expect(try await fixture.balance(Self.verifier) == verifierBefore)
    }

    @Test("a solver wrong in one register from step 5·10^6 of a 10^7-step run loses to the verifier within ⌈log16 steps⌉ rounds; the task is solved again honestly")
    func cheatingSolverLosesAndTheTaskIsSolvedAgain() async throws {
        let fixture = try await TruebitProcessFixture.start(name: "truebit-cheat")
        var daemons = [EmberProcess]()
        defer { fixture.stop(daemons) }
        // 2 006 headers of a chain mined by the consensus rules: about 4 990 steps each, just over 10^7 in all.
        let input = try SPVTaskInput(headers: Array(SPVChains.headers(of: SPVChains.long).prefix(2_006)), maximumTarget: SPVChains.fastMaximumTarget)
        guard case .valid(let expected) = SPVReference.verdict(for: input) else { throw TestFailure("the mined chain is not a valid SPV input") }
        let faultStep: UInt64 = 5_000_000
        let cheater = try fixture.daemon("solve", key: Self.solver, ["--accept-indefensible", "--fault-step", "\(faultStep)"])
        daemons += [cheater, try fixture.daemon("verify", key: Self.verifier)]

        let taskId = try await fixture.post(input: input.encoded, extra: ["--window", "8", "--clock", "60"])
        var giverAfterPost: Amount?
        let refuted = try await fixture.mineUntil(blocks: 400) {
            let status = try await fixture.status(taskId)
            if giverAfterPost == nil, status?.phase == .committed { giverAfterPost = try await fixture.balance(Self.giver) }
            // The marker is mined: stop the liar before the close gives the task back, so it cannot take it again.
            if status?.phase == .refuted || (status?.refutedSolutions ?? 0) > 0 { cheater.kill() }
            return (status?.refutedSolutions ?? 0) == 1
        }
        #expect(refuted, "\(Self.logs(daemons))")

        // The game as layer 1 recorded it: each bisect is one game output with points; the last range is the faulty step.
        let solutions = try fixture.store.records(tag: Lock.Tag.truebitSolution, includeSpent: true)
        let lie = try #require(solutions.compactMap { record -> TruebitSolutionLock? in
            guard case .truebitSolution(let lock) = record.output.lock, lock.task.taskId == taskId else { return nil }
            return lock
        }.first)
        #expect(lie.steps >= 10_000_000 && lie.steps < 10_100_000, "steps \(lie.steps)")
        let games = try fixture.store.records(subject: lie.solutionId).compactMap { record -> TruebitGameLock? in
            if case .truebitGame(let game) = record.output.lock { return game }
            return nil
        }
        let bisects = games.filter { $0.pointsHash != .zero }.count
        #expect(bisects >= 1 && bisects <= Bisection.maxRounds(steps: lie.steps), "\(bisects) rounds for \(lie.steps) steps")
        let last = try #require(games.last)
        #expect(last.lo == faultStep && last.hi == faultStep + 1)
        // The close paid the giver half the liar's deposit (10 EMB, the reward, by default).
        if let giverAfterPost {
            #expect(try await fixture.balance(Self.giver) == giverAfterPost.adding(Amount(units: 5 * Self.emb)))
        }

        daemons.append(try fixture.daemon("solve", key: Self.honestSolver, ["--accept-indefensible"]))
        let final = try await fixture.mineUntil(blocks: 500) { try await fixture.status(taskId)?.phase == .final }
        #expect(final, "\(Self.logs(daemons))")
        let status = try #require(try await fixture.status(taskId))
        #expect(status.solution?.solverKey == TruebitProcessFixture.raw(Self.honestSolver))
        let json = try await fixture.statusCommand(taskId)
        #expect(json["output"] as? String == expected.encoded.hexString)
        #expect(json["refutedSolutions"] as? Int == 1)
    }

    @Test("a challenger that disputes a correct solution plays to one step, has no proof, and loses its deposit on its clock")
    func wrongChallengerLosesItsDeposit() async throws {
        let fixture = try await TruebitProcessFixture.start(name: "truebit-wrong-challenger")
        var daemons = [EmberProcess]()
        defer { fixture.stop(daemons) }
        let (input, expected) = try await Self.nodeInput(fixture, count: 20)
        daemons.append(try fixture.daemon("solve", key: Self.solver, ["--accept-indefensible"]))
        daemons.append(try fixture.daemon("verify", key: Self.verifier, ["--fault-step", "1000"]))
        let solverBefore = try await fixture.balance(Self.solver)
        let verifierBefore = try await fixture.balance(Self.verifier)

        let taskId = try await fixture.post(input: input.encoded, extra: ["--window", "8"])
        var gamesSeen = 0
        let final = try await fixture.mineUntil(blocks: 500) {
            let status = try await fixture.status(taskId)
            gamesSeen = max(gamesSeen, status?.games.count ?? 0)
            return status?.phase == .final
        }
        #expect(final, "\(Self.logs(daemons))")
        #expect(gamesSeen == 1)
        let status = try #require(try await fixture.status(taskId))
        #expect(status.solution?.solverKey == TruebitProcessFixture.raw(Self.solver))
        #expect(status.refutedSolutions == 0)
        #expect(try await fixture.statusCommand(taskId)["output"] as? String == expected.encoded.hexString)

        // The challenger's deposit (0.5 EMB, a twentieth of the reward) is gone: half to the solver, half burnt.
        let lost = try #require(verifierBefore.subtracting(try await fixture.balance(Self.verifier)))
        #expect(lost >= Amount(units: Self.emb / 2) && lost < Amount(units: Self.emb / 2 + Self.emb / 100), "lost \(lost)")
        let gained = try #require((try await fixture.balance(Self.solver)).subtracting(solverBefore))
        let won = 10 * Self.emb + Self.emb / 4
        #expect(gained > Amount(units: won - Self.emb / 100) && gained < Amount(units: won), "gained \(gained)")
    }

    @Test("a lying solver that stops answering loses on its clock: the verifier claims, closes, and the task is open again")
    func silentSolverLosesOnItsClock() async throws {
        let fixture = try await TruebitProcessFixture.start(name: "truebit-silent")
        var daemons = [EmberProcess]()
        defer { fixture.stop(daemons) }
        let (input, _) = try await Self.nodeInput(fixture, count: 20)
        let liar = try fixture.daemon("solve", key: Self.solver, ["--accept-indefensible", "--fault-step", "1000"])
        daemons += [liar, try fixture.daemon("verify", key: Self.verifier)]
        let verifierBefore = try await fixture.balance(Self.verifier)
        let taskId = try await fixture.post(input: input.encoded, extra: ["--window", "8"])

        // The solver goes silent once its solution is on layer 1, before any game exists.
        let revealed = try await fixture.mineUntil(blocks: 100) {
            let status = try await fixture.status(taskId)
            return status?.phase == .challengeable || status?.phase == .disputed
        }
        #expect(revealed, "\(Self.logs(daemons))")
        liar.kill()
        let giverBefore = try await fixture.balance(Self.giver)

        let reopened = try await fixture.mineUntil(blocks: 300) {
            let status = try await fixture.status(taskId)
            return status?.refutedSolutions == 1 && status?.phase == .open
        }
        #expect(reopened, "\(Self.logs(daemons))")
        let games = try fixture.store.records(tag: Lock.Tag.truebitGame, includeSpent: true)
        #expect(games.count == 1, "no bisect was made")
        #expect(games.first?.spend?.truebitMode == .claimTimeout)
        // Half the solver's 10 EMB deposit to the giver; the challenger has its deposit back, less fees and the marker's dust.
        #expect(try await fixture.balance(Self.giver) == giverBefore.adding(Amount(units: 5 * Self.emb)))
        let spent = try #require(verifierBefore.subtracting(try await fixture.balance(Self.verifier)))
        #expect(spent < Amount(units: Self.emb / 100), "the challenger spent \(spent)")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
