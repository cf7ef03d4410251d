import EmberCore
import EmberCrypto
import Testing

/// Lock tags 1 to 15 and unlock tags 1 to 3 against byte layouts assembled by hand from DESIGN.md
/// sections 16 to 19, field by field.
@Suite struct CovenantLayoutTests {
    /// One value and the bytes its layout gives it.
    struct LayoutCase<Value: Sendable>: Sendable, CustomTestStringConvertible {
        let name: String
        let value: Value
        let bytes: [UInt8]
        var testDescription: String { name }
    }

    // Fields with a different byte each, so a field written in the wrong place shows.
    static func hash(_ byte: UInt8) -> Hash32 { Hash32(bytes(byte, count: 32))! }
    static func key(_ byte: UInt8) -> RawPublicKey { RawPublicKey(bytes(byte, count: 32))! }

    static let u64: UInt64 = 0x0102_0304_0506_0708
    static let u64Bytes: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]
    static let u32: UInt32 = 0x0000_02d0  // 720 blocks
    static let u32Bytes: [UInt8] = [0x00, 0x00, 0x02, 0xd0]
    static let deadline: UInt64 = 0x0000_0000_0001_2345
    static let deadlineBytes: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x23, 0x45]
    static let bond = Amount(units: 100_000_000_000_000_000)  // 0.1 EMB
    static let bondBytes: [UInt8] = [0x80, 0x80, 0xa8, 0xec, 0x85, 0xaf, 0xd1, 0xb1, 0x01]
    static let outPoint = OutPoint(txid: hash(0x0e), index: 300)
    static let outPointBytes: [UInt8] = bytes(0x0e, count: 32) + [0xac, 0x02]

    static let params = ChannelParams(keyA: key(0xa1), keyB: key(0xb1), window: u32, app: hash(0xc1))
    static let paramsBytes: [UInt8] = bytes(0xa1, count: 32) + bytes(0xb1, count: 32) + u32Bytes + bytes(0xc1, count: 32)

    static let task = TruebitTaskLock(
        taskId: hash(0x70), giverKey: key(0x71), programHash: hash(0x72), inputHash: hash(0x73), initialState: hash(0x74), maxSteps: u64,
        solverDeposit: Amount(units: 300), challengerDeposit: bond, solveDeadline: deadline, challengeWindow: u32,
        clock: 0x0001_0000
    )
    static let taskBytes: [UInt8] =
        bytes(0x70, count: 32)  // taskId
        + bytes(0x71, count: 32)  // giverKey
        + bytes(0x72, count: 32)  // programHash
        + bytes(0x73, count: 32)  // inputHash
        + bytes(0x74, count: 32)  // initialState
        + u64Bytes  // maxSteps
        + [0xac, 0x02]  // solverDeposit 300
        + bondBytes  // challengerDeposit
        + deadlineBytes  // solveDeadline
        + u32Bytes  // challengeWindow
        + [0x00, 0x01, 0x00, 0x00]  // clock

    static let lockCases: [LayoutCase<Lock>] = [
        LayoutCase(name: "0 pubKeyHash", value: .pubKeyHash(hash(0x33)), bytes: [0] + bytes(0x33, count: 32)),
        LayoutCase(name: "1 channel", value: .channel(params), bytes: [1] + paramsBytes),
        LayoutCase(
            name: "2 channelDispute",
            value: .channelDispute(
                ChannelDisputeLock(
                    channelId: hash(0x21), params: params, version: u64, stateHash: hash(0x22), deadline: deadline,
                    forced: true
                )
            ),
            bytes: [2] + bytes(0x21, count: 32) + paramsBytes + u64Bytes + bytes(0x22, count: 32) + deadlineBytes + [0x01]
        ),
        LayoutCase(
            name: "3 plasmaOperator",
            value: .plasmaOperator(PlasmaOperatorLock(chainId: hash(0x31), operatorKey: key(0x32), nextNumber: u64)),
            bytes: [3] + bytes(0x31, count: 32) + bytes(0x32, count: 32) + u64Bytes
        ),
        LayoutCase(
            name: "4 plasmaBlock",
            value: .plasmaBlock(PlasmaBlockLock(chainId: hash(0x41), number: u64, root: hash(0x42))),
            bytes: [4] + bytes(0x41, count: 32) + u64Bytes + bytes(0x42, count: 32)
        ),
        LayoutCase(
            name: "5 plasmaCoin",
            value: .plasmaCoin(PlasmaCoinLock(chainId: hash(0x51), coinId: hash(0x52), depositorKey: key(0x53), exitWindow: u32, firstBlock: 9)),
            bytes: [5] + bytes(0x51, count: 32) + bytes(0x52, count: 32) + bytes(0x53, count: 32) + u32Bytes + [0, 0, 0, 0, 0, 0, 0, 9]
        ),
        LayoutCase(
            name: "6 plasmaExit",
            value: .plasmaExit(
                PlasmaExitLock(
                    chainId: hash(0x61), coinId: hash(0x62), depositorKey: key(0x63), exitWindow: u32, firstBlock: 5, ownerKey: key(0x64),
                    exitTxHash: hash(0x65), exitBlock: u64, parentBlock: 7, parentOwnerKey: key(0x66), deadline: deadline,
                    exitBond: bond
                )
            ),
            bytes: [6] + bytes(0x61, count: 32) + bytes(0x62, count: 32) + bytes(0x63, count: 32) + u32Bytes
                + [0, 0, 0, 0, 0, 0, 0, 5] + bytes(0x64, count: 32) + bytes(0x65, count: 32) + u64Bytes + [0, 0, 0, 0, 0, 0, 0, 7]
                + bytes(0x66, count: 32) + deadlineBytes + bondBytes
        ),
        LayoutCase(name: "7 truebitTask", value: .truebitTask(task), bytes: [7] + taskBytes),
        LayoutCase(
            name: "8 truebitSolution",
            value: .truebitSolution(
                TruebitSolutionLock(
                    solutionId: hash(0x81), task: task, solverKey: key(0x82), finalState: hash(0x83), steps: u64,
                    outputHash: hash(0x84), deadline: deadline
                )
            ),
            bytes: [8] + bytes(0x81, count: 32) + taskBytes + bytes(0x82, count: 32) + bytes(0x83, count: 32) + u64Bytes
                + bytes(0x84, count: 32) + deadlineBytes
        ),
        LayoutCase(
            name: "9 truebitGame",
            value: .truebitGame(
                TruebitGameLock(
                    solutionId: hash(0x91), solverKey: key(0x92), challengerKey: key(0x93), lo: 0, loHash: hash(0x94),
                    hi: u64, hiHash: hash(0x95), pointsHash: .zero, solverClock: u32, challengerClock: 0xffff_ffff
                )
            ),
            bytes: [9] + bytes(0x91, count: 32) + bytes(0x92, count: 32) + bytes(0x93, count: 32) + bytes(0, count: 8)
                + bytes(0x94, count: 32) + u64Bytes + bytes(0x95, count: 32) + bytes(0, count: 32) + u32Bytes
                + [0xff, 0xff, 0xff, 0xff]
        ),
        LayoutCase(
            name: "10 plasmaBond",
            value: .plasmaBond(PlasmaBondLock(chainId: hash(0xa0), exitWindow: u32, state: .closing)),
            bytes: [10] + bytes(0xa0, count: 32) + u32Bytes + [0x02]
        ),
        LayoutCase(
            name: "11 truebitResult",
            value: .truebitResult(TruebitResultLock(taskId: hash(0xb0), solutionId: hash(0xb1), outputHash: hash(0xb2))),
            bytes: [11] + bytes(0xb0, count: 32) + bytes(0xb1, count: 32) + bytes(0xb2, count: 32)
        ),
        LayoutCase(
            name: "12 truebitRefuted",
            value: .truebitRefuted(TruebitRefutedLock(solutionId: hash(0xc0), challengerKey: key(0xc2))),
            bytes: [12] + bytes(0xc0, count: 32) + bytes(0xc2, count: 32)
        ),
        LayoutCase(
            name: "13 plasmaChallenge",
            value: .plasmaChallenge(
                PlasmaChallengeLock(
                    exit: outPoint, chainId: hash(0xd1), coinId: hash(0xd2), childBlock: 3, childOwnerKey: key(0xd3),
                    limitBlock: u64, challengerKey: key(0xd4), ownerKey: key(0xd5), respondBy: deadline
                )
            ),
            bytes: [13] + outPointBytes + bytes(0xd1, count: 32) + bytes(0xd2, count: 32) + [0, 0, 0, 0, 0, 0, 0, 3]
                + bytes(0xd3, count: 32) + u64Bytes + bytes(0xd4, count: 32) + bytes(0xd5, count: 32) + deadlineBytes
        ),
        LayoutCase(
            name: "14 plasmaExitClosed",
            value: .plasmaExitClosed(PlasmaExitClosedLock(exit: outPoint, sweepFrom: deadline)),
            bytes: [14] + outPointBytes + deadlineBytes
        ),
        LayoutCase(
            name: "15 truebitCommit",
            value: .truebitCommit(TruebitCommitLock(task: task, solverKey: key(0xf1), commitment: hash(0xf2), revealBy: deadline)),
            bytes: [15] + taskBytes + bytes(0xf1, count: 32) + bytes(0xf2, count: 32) + deadlineBytes
        ),
    ]

    static let unlockCases: [LayoutCase<Unlock>] = [
        LayoutCase(name: "0 publicKey", value: .publicKey(key(0x22)), bytes: [0] + bytes(0x22, count: 32)),
        LayoutCase(
            name: "1 channel forceMove",
            value: .channel(CovenantUnlock(mode: 5, firstOutput: 300, maxSteps: 0x0010_0000)),
            bytes: [1, 5, 0xac, 0x02, 0x00, 0x10, 0x00, 0x00]
        ),
        LayoutCase(
            name: "1 channel cooperative",
            value: .channel(CovenantUnlock(mode: 0, firstOutput: 0, maxSteps: 0)),
            bytes: [1, 0, 0x00, 0x00, 0x00, 0x00, 0x00]
        ),
        LayoutCase(
            name: "2 plasma fraudProof, with recipient",
            value: .plasma(CovenantUnlock(mode: 8, firstOutput: 1, recipient: hash(0x5a))),
            bytes: [2, 8, 0x01] + bytes(0x5a, count: 32)
        ),
        LayoutCase(
            name: "2 plasma challengeSpent, no recipient (the cancel pays the key its evidence names)",
            value: .plasma(CovenantUnlock(mode: 2, firstOutput: 0)),
            bytes: [2, 2, 0x00]
        ),
        LayoutCase(
            name: "2 plasma releaseBond",
            value: .plasma(CovenantUnlock(mode: 12, firstOutput: 2)),
            bytes: [2, 12, 0x02]
        ),
        LayoutCase(
            name: "2 plasma exit, no recipient",
            value: .plasma(CovenantUnlock(mode: 1, firstOutput: 127)),
            bytes: [2, 1, 0x7f]
        ),
        LayoutCase(
            name: "3 truebit payout at the largest output index",
            value: .truebit(CovenantUnlock(mode: 9, firstOutput: UInt64(UInt32.max))),
            bytes: [3, 9, 0xff, 0xff, 0xff, 0xff, 0x0f]
        ),
        LayoutCase(
            name: "3 truebit reveal",
            value: .truebit(CovenantUnlock(mode: 2, firstOutput: 128)),
            bytes: [3, 2, 0x80, 0x01]
        ),
    ]

    @Test(arguments: lockCases)
    func lockEncodesToHandAssembledBytes(_ layout: LayoutCase<Lock>) throws {
        #expect(layout.value.encoded == layout.bytes)
        #expect(try Lock.decode(from: layout.bytes, limit: layout.bytes.count) == layout.value)
        #expect(layout.value.tag == layout.bytes[0])
    }

    @Test(arguments: unlockCases)
    func unlockEncodesToHandAssembledBytes(_ layout: LayoutCase<Unlock>) throws {
        #expect(layout.value.encoded == layout.bytes)
        #expect(try Unlock.decode(from: layout.bytes, limit: layout.bytes.count) == layout.value)
        #expect(layout.value.tag == layout.bytes[0])
    }

    @Test func everyLockTagHasAKnownLayout() {
        #expect(Self.lockCases.map(\.value.tag) == Array(0...15))
        #expect(Set(Self.unlockCases.map(\.value.tag)) == [0, 1, 2, 3])
    }

    @Test func tagConstantsMatchTheCases() {
        let lockTags: [UInt8] = [
            Lock.Tag.pubKeyHash, Lock.Tag.channel, Lock.Tag.channelDispute, Lock.Tag.plasmaOperator, Lock.Tag.plasmaBlock,
            Lock.Tag.plasmaCoin, Lock.Tag.plasmaExit, Lock.Tag.truebitTask, Lock.Tag.truebitSolution, Lock.Tag.truebitGame,
            Lock.Tag.plasmaBond, Lock.Tag.truebitResult, Lock.Tag.truebitRefuted, Lock.Tag.plasmaChallenge,
            Lock.Tag.plasmaExitClosed, Lock.Tag.truebitCommit,
        ]
        #expect(lockTags == Array(0...15))
        #expect([Unlock.Tag.publicKey, Unlock.Tag.channel, Unlock.Tag.plasma, Unlock.Tag.truebit] == [0, 1, 2, 3])
    }

    @Test func modeNumbersAreTheProvisionalOnes() {
        typealias Modes = CovenantUnlock
        #expect(Modes.ChannelMode.allCases.map(\.rawValue) == Array(0...5))
        #expect(Modes.ChannelMode.forceMove.rawValue == 5)
        #expect(Modes.PlasmaMode.allCases.map(\.rawValue) == Array(0...12))
        #expect(Modes.PlasmaMode.allCases.filter(\.paysBounty) == [.fraudProof])
        #expect(Modes.PlasmaMode.preempt.rawValue == 10)
        #expect(Modes.PlasmaMode.fraudProof.rawValue == 8)
        #expect(Modes.TruebitMode.allCases.map(\.rawValue) == Array(0...11))
        #expect(Modes.TruebitMode.voidResult.rawValue == 10)
        #expect(Modes.TruebitMode.sweep.rawValue == 11)
        #expect(Modes.TruebitMode.closeRefuted.rawValue == 8)
    }

    @Test func covenantIsTheBodyOfTagsOneToThree() {
        let body = CovenantUnlock(mode: 1, firstOutput: 2, maxSteps: 3)
        #expect(Unlock.publicKey(Self.key(1)).covenant == nil)
        #expect(Unlock.channel(body).covenant == body)
        #expect(Unlock.plasma(body).covenant == body)
        #expect(Unlock.truebit(body).covenant == body)
    }

    @Test func covenantLocksTravelInsideATransaction() throws {
        let outputs = Self.lockCases.map { Output(amount: .zero, lock: $0.value) }
        let inputs = Self.unlockCases.enumerated().map { index, layout in
            Input(outpoint: OutPoint(txid: Self.hash(UInt8(index)), index: 0), unlock: layout.value)
        }
        let transaction = Transaction(inputs: inputs, outputs: outputs, witnesses: [])
        let encoded = transaction.encoded
        #expect(try Transaction.decode(from: encoded, limit: Transaction.maxSize) == transaction)
    }
}
