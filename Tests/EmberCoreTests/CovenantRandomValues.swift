import EmberCore
import EmberCrypto
import EmberTestSupport

/// Random covenant lock bodies and unlocks for property tests, every one within the codec's layout.
enum CovenantRandomValues {
    static func key(using generator: inout some RandomNumberGenerator) -> RawPublicKey {
        RawPublicKey(RandomValues.bytes(count: RawPublicKey.byteCount, using: &generator))!
    }

    static func hash(using generator: inout some RandomNumberGenerator) -> Hash32 {
        RandomValues.hash32(using: &generator)
    }

    /// A 64-bit value, often at an edge.
    static func u64(using generator: inout some RandomNumberGenerator) -> UInt64 {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: [0, 1, .max][Int.random(in: 0..<3, using: &generator)]
        default: generator.next() >> UInt64.random(in: 0..<64, using: &generator)
        }
    }

    static func u32(using generator: inout some RandomNumberGenerator) -> UInt32 {
        UInt32(truncatingIfNeeded: u64(using: &generator) >> UInt64.random(in: 0...32, using: &generator))
    }

    static func params(using generator: inout some RandomNumberGenerator) -> ChannelParams {
        ChannelParams(
            keyA: key(using: &generator), keyB: key(using: &generator), window: u32(using: &generator),
            app: hash(using: &generator)
        )
    }

    static func task(using generator: inout some RandomNumberGenerator) -> TruebitTaskLock {
        TruebitTaskLock(
            taskId: hash(using: &generator), giverKey: key(using: &generator), programHash: hash(using: &generator), inputHash: hash(using: &generator),
            initialState: hash(using: &generator), maxSteps: u64(using: &generator),
            solverDeposit: RandomValues.amount(using: &generator), challengerDeposit: RandomValues.amount(using: &generator),
            solveDeadline: u64(using: &generator), challengeWindow: u32(using: &generator), clock: u32(using: &generator)
        )
    }

    /// A lock of tag `tag` (0 to 15) with random fields.
    static func lock(tag: UInt8, using generator: inout some RandomNumberGenerator) -> Lock {
        var g = generator
        defer { generator = g }
        switch tag {
        case 0: return .pubKeyHash(hash(using: &g))
        case 1: return .channel(params(using: &g))
        case 2:
            return .channelDispute(
                ChannelDisputeLock(
                    channelId: hash(using: &g), params: params(using: &g), version: u64(using: &g),
                    stateHash: hash(using: &g), deadline: u64(using: &g), forced: Bool.random(using: &g)
                )
            )
        case 3:
            return .plasmaOperator(
                PlasmaOperatorLock(chainId: hash(using: &g), operatorKey: key(using: &g), nextNumber: u64(using: &g))
            )
        case 4: return .plasmaBlock(PlasmaBlockLock(chainId: hash(using: &g), number: u64(using: &g), root: hash(using: &g)))
        case 5:
            return .plasmaCoin(
                PlasmaCoinLock(
                    chainId: hash(using: &g), coinId: hash(using: &g), depositorKey: key(using: &g), exitWindow: u32(using: &g),
                    firstBlock: u64(using: &g)
                )
            )
        case 6:
            return .plasmaExit(
                PlasmaExitLock(
                    chainId: hash(using: &g), coinId: hash(using: &g), depositorKey: key(using: &g),
                    exitWindow: u32(using: &g), firstBlock: u64(using: &g), ownerKey: key(using: &g), exitTxHash: hash(using: &g),
                    exitBlock: u64(using: &g), parentBlock: u64(using: &g), parentOwnerKey: key(using: &g),
                    deadline: u64(using: &g), exitBond: RandomValues.amount(using: &g)
                )
            )
        case 7: return .truebitTask(task(using: &g))
        case 8:
            return .truebitSolution(
                TruebitSolutionLock(
                    solutionId: hash(using: &g), task: task(using: &g), solverKey: key(using: &g),
                    finalState: hash(using: &g), steps: u64(using: &g), outputHash: hash(using: &g),
                    deadline: u64(using: &g)
                )
            )
        case 9:
            return .truebitGame(
                TruebitGameLock(
                    solutionId: hash(using: &g), solverKey: key(using: &g), challengerKey: key(using: &g),
                    lo: u64(using: &g), loHash: hash(using: &g), hi: u64(using: &g), hiHash: hash(using: &g),
                    pointsHash: hash(using: &g), solverClock: u32(using: &g), challengerClock: u32(using: &g)
                )
            )
        case 10:
            return .plasmaBond(PlasmaBondLock(chainId: hash(using: &g), exitWindow: u32(using: &g), state: PlasmaBondLock.State.allCases.randomElement(using: &g) ?? .open))
        case 11: return .truebitResult(TruebitResultLock(taskId: hash(using: &g), solutionId: hash(using: &g), outputHash: hash(using: &g)))
        case 12: return .truebitRefuted(TruebitRefutedLock(solutionId: hash(using: &g), challengerKey: key(using: &g)))
        case 13:
            return .plasmaChallenge(
                PlasmaChallengeLock(
                    exit: RandomValues.outPoint(using: &g), chainId: hash(using: &g), coinId: hash(using: &g),
                    childBlock: u64(using: &g), childOwnerKey: key(using: &g), limitBlock: u64(using: &g),
                    challengerKey: key(using: &g), ownerKey: key(using: &g), respondBy: u64(using: &g)
                )
            )
        case 14: return .plasmaExitClosed(PlasmaExitClosedLock(exit: RandomValues.outPoint(using: &g), sweepFrom: u64(using: &g)))
        case 15:
            return .truebitCommit(
                TruebitCommitLock(
                    task: task(using: &g), solverKey: key(using: &g), commitment: hash(using: &g), revealBy: u64(using: &g)
                )
            )
        default: preconditionFailure("lock tags run from 0 to 15")
        }
    }

    /// An unlock of tag `tag` (0 to 3) in a random mode of that tag, with the fields its layout carries.
    static func unlock(tag: UInt8, using generator: inout some RandomNumberGenerator) -> Unlock {
        let firstOutput = UInt64(u32(using: &generator))
        switch tag {
        case 0: return .publicKey(key(using: &generator))
        case 1:
            let mode = CovenantUnlock.ChannelMode.allCases.randomElement(using: &generator)!
            return .channel(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput, maxSteps: u32(using: &generator)))
        case 2:
            let mode = CovenantUnlock.PlasmaMode.allCases.randomElement(using: &generator)!
            let recipient = mode.paysBounty ? hash(using: &generator) : nil
            return .plasma(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput, recipient: recipient))
        case 3:
            let mode = CovenantUnlock.TruebitMode.allCases.randomElement(using: &generator)!
            return .truebit(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput))
        default: preconditionFailure("unlock tags run from 0 to 3")
        }
    }
}
